import { beforeEach, describe, expect, it, vi } from "vitest";

const events = vi.hoisted(() => ({ listen: vi.fn(), unlisten: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: events.listen }));

import { EXPORT_PROGRESS_EVENT, exportProgressOf, listenForExportProgress } from "./exportProgress";

beforeEach(() => {
  events.listen.mockReset();
  events.unlisten.mockReset();
  events.listen.mockResolvedValue(events.unlisten);
});

describe("exportProgressOf", () => {
  it("takes the back end's steps done of all steps", () => {
    expect(exportProgressOf({ done: 3, total: 12 })).toEqual({ done: 3, total: 12 });
    expect(exportProgressOf({ done: 0, total: 0 })).toEqual({ done: 0, total: 0 });
  });

  it("ignores anything else", () => {
    for (const payload of [null, undefined, 3, "3/12", {}, { done: 3 }, { done: -1, total: 2 }, { done: 1.5, total: 2 }, { done: "1", total: 2 }]) {
      expect(exportProgressOf(payload), JSON.stringify(payload)).toBeNull();
    }
  });
});

describe("listenForExportProgress", () => {
  it("listens for kluis://export-progress and passes on each step", async () => {
    const onProgress = vi.fn();
    const stop = await listenForExportProgress(onProgress);
    expect(EXPORT_PROGRESS_EVENT).toBe("kluis://export-progress");
    expect(events.listen).toHaveBeenCalledWith(EXPORT_PROGRESS_EVENT, expect.any(Function));
    const handler = events.listen.mock.calls[0]![1] as (event: { payload: unknown }) => void;
    handler({ payload: { done: 1, total: 4 } });
    handler({ payload: "nonsense" });
    expect(onProgress.mock.calls).toEqual([[{ done: 1, total: 4 }]]);
    stop();
    expect(events.unlisten).toHaveBeenCalledTimes(1);
  });

  it("does without progress outside Tauri", async () => {
    events.listen.mockRejectedValue(new TypeError("__TAURI_INTERNALS__ is undefined"));
    const stop = await listenForExportProgress(vi.fn());
    expect(() => stop()).not.toThrow();
  });
});
