import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("./bindings", async (real) => ({ ...(await real<object>()), commands }));

const events = vi.hoisted(() => ({
  listen: vi.fn(),
  unlisten: vi.fn(),
}));
vi.mock("@tauri-apps/api/event", () => ({ listen: events.listen }));

import {
  answerFlushRequest,
  FLUSH_DRAFTS_EVENT,
  flushDrafts,
  hasDraftFlusher,
  listenForFlushRequests,
  registerDraftFlusher,
} from "./drafts";

let unregister: (() => void) | null = null;

beforeEach(() => {
  commands.draftsFlushed.mockReset();
  commands.draftsFlushed.mockResolvedValue(undefined);
  events.listen.mockReset();
  events.unlisten.mockReset();
  events.listen.mockResolvedValue(events.unlisten);
});

afterEach(() => {
  unregister?.();
  unregister = null;
});

describe("draft flusher registry", () => {
  it("runs the registered editor's flush and forgets it when unregistered", async () => {
    const flush = vi.fn(async () => {});
    unregister = registerDraftFlusher(flush);
    expect(hasDraftFlusher()).toBe(true);
    await flushDrafts();
    expect(flush).toHaveBeenCalledTimes(1);
    unregister();
    expect(hasDraftFlusher()).toBe(false);
    await flushDrafts();
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it("does not let an old editor remove a newer one", () => {
    const first = registerDraftFlusher(async () => {});
    unregister = registerDraftFlusher(async () => {});
    first();
    expect(hasDraftFlusher()).toBe(true);
  });

  it("gives up waiting after the timeout, so a stuck save cannot stop a lock", async () => {
    vi.useFakeTimers();
    try {
      unregister = registerDraftFlusher(() => new Promise<void>(() => {}));
      let done = false;
      void flushDrafts(500).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(499);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("never rejects, so a lock is not held up by a failed save", async () => {
    unregister = registerDraftFlusher(async () => {
      throw new Error("boom");
    });
    await expect(flushDrafts()).resolves.toBeUndefined();
  });
});

describe("answerFlushRequest", () => {
  it("tells the back end at once when no editor is open", async () => {
    await answerFlushRequest();
    expect(commands.draftsFlushed).toHaveBeenCalledTimes(1);
  });

  it("waits for the save before telling the back end", async () => {
    const order: string[] = [];
    let finish: () => void = () => {};
    unregister = registerDraftFlusher(
      () =>
        new Promise<void>((resolve) => {
          order.push("save started");
          finish = () => {
            order.push("save done");
            resolve();
          };
        }),
    );
    commands.draftsFlushed.mockImplementation(async () => {
      order.push("flushed");
    });
    const answered = answerFlushRequest();
    await Promise.resolve();
    expect(commands.draftsFlushed).not.toHaveBeenCalled();
    finish();
    await answered;
    expect(order).toEqual(["save started", "save done", "flushed"]);
  });
});

describe("listenForFlushRequests", () => {
  it("answers the kluis://flush-drafts event", async () => {
    const flush = vi.fn(async () => {});
    unregister = registerDraftFlusher(flush);
    const stop = listenForFlushRequests();
    expect(events.listen).toHaveBeenCalledWith(FLUSH_DRAFTS_EVENT, expect.any(Function));
    expect(FLUSH_DRAFTS_EVENT).toBe("kluis://flush-drafts");

    const handler = events.listen.mock.calls[0]![1] as () => void;
    handler();
    await vi.waitFor(() => expect(commands.draftsFlushed).toHaveBeenCalledTimes(1));
    expect(flush).toHaveBeenCalledTimes(1);

    await Promise.resolve();
    stop();
    expect(events.unlisten).toHaveBeenCalledTimes(1);
  });

  it("unlistens even when stopped before listening finished", async () => {
    const stop = listenForFlushRequests();
    stop();
    await vi.waitFor(() => expect(events.unlisten).toHaveBeenCalledTimes(1));
  });

  it("survives an environment without the Tauri event bus", async () => {
    events.listen.mockRejectedValue(new TypeError("__TAURI_INTERNALS__ is undefined"));
    const stop = listenForFlushRequests();
    await Promise.resolve();
    expect(() => stop()).not.toThrow();
  });
});
