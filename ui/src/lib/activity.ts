// Tells the back end that the user is active, so its idle timer does not lock the vault
// while someone is working. The idle timer itself lives in Rust; this only reports.

import { throttle } from "./timing";

/** The events that count as activity. */
export const ACTIVITY_EVENTS = [
  "keydown",
  "input",
  "click",
  "mousedown",
  "mousemove",
  "wheel",
  "touchstart",
  "touchmove",
] as const;

/** At most one report per this many milliseconds. */
export const ACTIVITY_INTERVAL_MS = 2000;

/**
 * Calls `report` on user activity in `target`, at most once per `intervalMs`.
 * Returns a function that removes the listeners.
 */
export function trackActivity(
  target: EventTarget,
  report: () => void,
  intervalMs: number = ACTIVITY_INTERVAL_MS,
): () => void {
  const onActivity = throttle(report, intervalMs);
  const listener = (): void => onActivity();
  const options: AddEventListenerOptions = { passive: true, capture: true };
  for (const type of ACTIVITY_EVENTS) target.addEventListener(type, listener, options);
  return () => {
    for (const type of ACTIVITY_EVENTS) target.removeEventListener(type, listener, options);
  };
}

/** Ctrl+L, or Cmd+L on macOS: lock now. */
export function isLockShortcut(event: KeyboardEvent): boolean {
  return (
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    !event.shiftKey &&
    event.key.toLowerCase() === "l"
  );
}

/** Ctrl+N, or Cmd+N on macOS: a new note for the open client. */
export function isNewNoteShortcut(event: KeyboardEvent): boolean {
  return (
    (event.ctrlKey || event.metaKey) &&
    !event.altKey &&
    !event.shiftKey &&
    event.key.toLowerCase() === "n"
  );
}
