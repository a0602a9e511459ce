// Autosave for a note draft: saves once typing pauses, never loses the latest text.
//
// Saves run one after another on a chain. A change made while a save is in flight
// marks the value dirty again, and the next step on the chain saves it; `flush`
// adds a step at once and resolves when everything typed so far is saved (or failed).

import type { AppError, DraftSaved } from "./bindings";
import { debounce } from "./timing";

export const AUTOSAVE_DELAY_MS = 300;

export type SaveResult = { status: "ok"; data: DraftSaved } | { status: "error"; error: AppError };

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: string }
  | { kind: "error"; error: unknown };

export type Autosave<T> = {
  /** The user changed the value; it is saved after a pause of `delayMs`. */
  change(value: T): void;
  /** Save what is unsaved now and wait for every save in flight. */
  flush(): Promise<void>;
  /** Drop what is unsaved and wait for a save in flight (before a discard). */
  abandon(): Promise<void>;
  /** True while something typed is not yet saved. */
  pending(): boolean;
};

export function createAutosave<T>(
  save: (value: T) => Promise<SaveResult>,
  onState: (state: SaveState) => void,
  delayMs: number = AUTOSAVE_DELAY_MS,
): Autosave<T> {
  let latest: T | null = null;
  let dirty = false;
  let inFlight = false;
  let chain: Promise<void> = Promise.resolve();

  async function saveIfDirty(): Promise<void> {
    if (!dirty || latest === null) return;
    const value = latest;
    dirty = false;
    inFlight = true;
    onState({ kind: "saving" });
    try {
      const result = await save(value);
      if (result.status === "ok") {
        if (!dirty) onState({ kind: "saved", at: result.data.updatedAt });
      } else {
        // Keep the text marked unsaved, so the next change or flush tries again.
        dirty = true;
        onState({ kind: "error", error: result.error });
      }
    } catch (error) {
      dirty = true;
      onState({ kind: "error", error });
    } finally {
      inFlight = false;
    }
  }

  function flush(): Promise<void> {
    scheduled.cancel();
    chain = chain.then(saveIfDirty);
    return chain;
  }

  const scheduled = debounce(() => void flush(), delayMs);

  return {
    change(value: T): void {
      latest = value;
      dirty = true;
      onState({ kind: "saving" });
      scheduled();
    },
    flush,
    abandon(): Promise<void> {
      scheduled.cancel();
      dirty = false;
      return chain;
    },
    pending(): boolean {
      return dirty || inFlight;
    },
  };
}
