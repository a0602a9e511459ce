import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACTIVITY_EVENTS, isLockShortcut, isNewNoteShortcut, trackActivity } from "./activity";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("trackActivity", () => {
  it("reports at most once every 2 seconds however much the user does", () => {
    const target = new EventTarget();
    const report = vi.fn();
    const stop = trackActivity(target, report);

    for (let i = 0; i < 50; i++) target.dispatchEvent(new Event("mousemove"));
    expect(report).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(1000);
    target.dispatchEvent(new Event("keydown"));
    expect(report).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(1000);
    target.dispatchEvent(new Event("wheel"));
    expect(report).toHaveBeenCalledTimes(2);

    stop();
  });

  it("listens to keyboard, mouse, wheel and touch", () => {
    expect(ACTIVITY_EVENTS).toEqual(
      expect.arrayContaining(["keydown", "mousedown", "mousemove", "wheel", "touchstart"]),
    );
    for (const type of ACTIVITY_EVENTS) {
      const target = new EventTarget();
      const report = vi.fn();
      const stop = trackActivity(target, report);
      target.dispatchEvent(new Event(type));
      expect(report, type).toHaveBeenCalledTimes(1);
      stop();
    }
  });

  it("stops listening when asked", () => {
    const target = new EventTarget();
    const report = vi.fn();
    trackActivity(target, report)();
    target.dispatchEvent(new Event("keydown"));
    expect(report).not.toHaveBeenCalled();
  });
});

describe("isLockShortcut", () => {
  it("accepts Ctrl+L and Cmd+L only", () => {
    expect(isLockShortcut(new KeyboardEvent("keydown", { key: "l", ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(new KeyboardEvent("keydown", { key: "L", metaKey: true }))).toBe(true);
    expect(isLockShortcut(new KeyboardEvent("keydown", { key: "l" }))).toBe(false);
    expect(isLockShortcut(new KeyboardEvent("keydown", { key: "k", ctrlKey: true }))).toBe(false);
    expect(
      isLockShortcut(new KeyboardEvent("keydown", { key: "l", ctrlKey: true, altKey: true })),
    ).toBe(false);
  });
});

describe("isNewNoteShortcut", () => {
  it("accepts Ctrl+N and Cmd+N only", () => {
    expect(isNewNoteShortcut(new KeyboardEvent("keydown", { key: "n", ctrlKey: true }))).toBe(true);
    expect(isNewNoteShortcut(new KeyboardEvent("keydown", { key: "N", metaKey: true }))).toBe(true);
    expect(isNewNoteShortcut(new KeyboardEvent("keydown", { key: "n" }))).toBe(false);
    expect(isNewNoteShortcut(new KeyboardEvent("keydown", { key: "l", ctrlKey: true }))).toBe(false);
    expect(
      isNewNoteShortcut(new KeyboardEvent("keydown", { key: "n", ctrlKey: true, shiftKey: true })),
    ).toBe(false);
  });
});
