// Small rate limiters. Both take the clock and timer functions from the global scope,
// so Vitest's fake timers drive them in tests.

export type Throttled<A extends unknown[]> = ((...args: A) => void) & {
  /** Forget the last call, so the next one runs at once. */
  reset(): void;
};

/**
 * Runs `fn` on the first call and then at most once per `intervalMs`; calls in between
 * are dropped (leading edge only: a report of activity needs no trailing call).
 */
export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  intervalMs: number,
): Throttled<A> {
  let last: number | null = null;
  const throttled = (...args: A): void => {
    const now = Date.now();
    // A clock set back (now < last) counts as "long enough ago", so activity is never
    // swallowed for the length of the jump.
    if (last !== null && now >= last && now - last < intervalMs) return;
    last = now;
    fn(...args);
  };
  throttled.reset = (): void => {
    last = null;
  };
  return throttled;
}

export type Debounced<A extends unknown[]> = ((...args: A) => void) & {
  /** Drop a pending call. */
  cancel(): void;
};

/** Runs `fn` once the calls have stopped for `waitMs`, with the last arguments. */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  waitMs: number,
): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const debounced = (...args: A): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...args);
    }, waitMs);
  };
  debounced.cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return debounced;
}
