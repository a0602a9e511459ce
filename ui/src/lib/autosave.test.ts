import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAutosave, type SaveResult, type SaveState } from "./autosave";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function ok(updatedAt = "2025-01-13T09:05:00Z"): SaveResult {
  return { status: "ok", data: { version: 2, updatedAt } };
}

/** A save whose answer the test gives by hand. */
function deferredSave() {
  const pending: { value: string; resolve: (result: SaveResult) => void }[] = [];
  const save = vi.fn(
    (value: string) =>
      new Promise<SaveResult>((resolve) => {
        pending.push({ value, resolve });
      }),
  );
  return { save, pending };
}

describe("createAutosave", () => {
  it("saves once, 300 ms after the typing stops, with the latest text", async () => {
    const save = vi.fn(async () => ok());
    const states: SaveState[] = [];
    const autosave = createAutosave<string>(save, (state) => states.push(state));

    autosave.change("a");
    await vi.advanceTimersByTimeAsync(200);
    autosave.change("ab");
    await vi.advanceTimersByTimeAsync(299);
    expect(save).not.toHaveBeenCalled();
    expect(states.at(-1)).toEqual({ kind: "saving" });

    await vi.advanceTimersByTimeAsync(1);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith("ab");
    expect(states.at(-1)).toEqual({ kind: "saved", at: "2025-01-13T09:05:00Z" });
    expect(autosave.pending()).toBe(false);
  });

  it("saves again when text changed while a save was in flight", async () => {
    const { save, pending } = deferredSave();
    const states: SaveState[] = [];
    const autosave = createAutosave<string>(save, (state) => states.push(state));

    autosave.change("first");
    await vi.advanceTimersByTimeAsync(300);
    expect(save).toHaveBeenCalledTimes(1);

    autosave.change("first and more");
    await vi.advanceTimersByTimeAsync(300);
    // The second save waits for the first.
    expect(save).toHaveBeenCalledTimes(1);
    pending[0]!.resolve(ok("2025-01-13T09:05:00Z"));
    await vi.advanceTimersByTimeAsync(0);
    expect(save).toHaveBeenCalledTimes(2);
    expect(pending[1]!.value).toBe("first and more");
    // "Saved" is not claimed while newer text is on its way.
    expect(states).not.toContainEqual({ kind: "saved", at: "2025-01-13T09:05:00Z" });
    pending[1]!.resolve(ok("2025-01-13T09:06:00Z"));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toEqual({ kind: "saved", at: "2025-01-13T09:06:00Z" });
  });

  it("flush saves at once and waits for the save in flight and the latest text", async () => {
    const { save, pending } = deferredSave();
    const autosave = createAutosave<string>(save, () => {});

    autosave.change("one");
    await vi.advanceTimersByTimeAsync(300);
    autosave.change("one two");
    expect(autosave.pending()).toBe(true);

    let flushed = false;
    void autosave.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);

    pending[0]!.resolve(ok());
    await vi.advanceTimersByTimeAsync(0);
    expect(pending[1]!.value).toBe("one two");
    expect(flushed).toBe(false);

    pending[1]!.resolve(ok());
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(true);
    expect(autosave.pending()).toBe(false);

    // The debounce was cancelled by the flush: nothing is saved twice.
    await vi.advanceTimersByTimeAsync(1000);
    expect(save).toHaveBeenCalledTimes(2);
  });

  it("flush does nothing when everything is saved", async () => {
    const save = vi.fn(async () => ok());
    const autosave = createAutosave<string>(save, () => {});
    await autosave.flush();
    expect(save).not.toHaveBeenCalled();
  });

  it("keeps unsaved text after a failed save and retries on the next flush", async () => {
    const error = { code: "storage", message: "disk full", retryAfterSeconds: null, field: null };
    const save = vi
      .fn<(value: string) => Promise<SaveResult>>()
      .mockResolvedValueOnce({ status: "error", error } as SaveResult)
      .mockResolvedValueOnce(ok());
    const states: SaveState[] = [];
    const autosave = createAutosave<string>(save, (state) => states.push(state));

    autosave.change("precious");
    await autosave.flush();
    expect(states.at(-1)).toEqual({ kind: "error", error });
    expect(autosave.pending()).toBe(true);

    await autosave.flush();
    expect(save).toHaveBeenLastCalledWith("precious");
    expect(states.at(-1)?.kind).toBe("saved");
  });

  it("treats a thrown save as a failed one", async () => {
    const save = vi.fn(async () => {
      throw new Error("ipc broken");
    });
    const states: SaveState[] = [];
    const autosave = createAutosave<string>(save, (state) => states.push(state));
    autosave.change("x");
    await expect(autosave.flush()).resolves.toBeUndefined();
    expect(states.at(-1)?.kind).toBe("error");
  });

  it("abandon drops the pending text", async () => {
    const save = vi.fn(async () => ok());
    const autosave = createAutosave<string>(save, () => {});
    autosave.change("to be discarded");
    await autosave.abandon();
    await vi.advanceTimersByTimeAsync(1000);
    await autosave.flush();
    expect(save).not.toHaveBeenCalled();
  });
});
