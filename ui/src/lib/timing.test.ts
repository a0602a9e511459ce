import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce, throttle } from "./timing";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("throttle", () => {
  it("runs at once, then at most once per interval", () => {
    const fn = vi.fn();
    const throttled = throttle(fn, 2000);
    throttled();
    expect(fn).toHaveBeenCalledTimes(1);
    throttled();
    vi.advanceTimersByTime(1999);
    throttled();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    throttled();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("drops calls in between instead of running them later", () => {
    const fn = vi.fn();
    const throttled = throttle(fn, 2000);
    throttled();
    throttled();
    vi.advanceTimersByTime(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("does not go quiet when the clock is set back", () => {
    const fn = vi.fn();
    const throttled = throttle(fn, 2000);
    throttled();
    vi.setSystemTime(Date.now() - 3_600_000);
    throttled();
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("can be reset", () => {
    const fn = vi.fn();
    const throttled = throttle(fn, 2000);
    throttled();
    throttled.reset();
    throttled();
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

describe("debounce", () => {
  it("runs once after the calls stop, with the last arguments", () => {
    const fn = vi.fn();
    const debounced = debounce(fn, 300);
    debounced("a");
    vi.advanceTimersByTime(200);
    debounced("ab");
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith("ab");
  });

  it("can be cancelled", () => {
    const fn = vi.fn();
    const debounced = debounce(fn, 300);
    debounced();
    debounced.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});
