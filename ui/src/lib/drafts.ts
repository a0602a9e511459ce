// Drafts are saved before the vault locks (SPEC §4).
//
// The open note editor registers how to save itself. Before an automatic lock the Rust
// side emits `kluis://flush-drafts` and waits (briefly) for `draftsFlushed`; before a
// manual lock the shell calls `flushDrafts` itself.

import { listen } from "@tauri-apps/api/event";
import { FLUSH_DRAFTS_EVENT, commands } from "./bindings";
import { forgetInputMethodText } from "./inputMethod";

/** The event name, generated from Rust with the bindings. */
export { FLUSH_DRAFTS_EVENT };

type Flusher = () => Promise<void>;

let flusher: Flusher | null = null;

/** The editor's save-now function; returns a function that removes it again. */
export function registerDraftFlusher(flush: Flusher): () => void {
  flusher = flush;
  return () => {
    if (flusher === flush) flusher = null;
  };
}

/** True while an editor has registered a flush function. */
export function hasDraftFlusher(): boolean {
  return flusher !== null;
}

/**
 * Saves the open draft, if any. Never rejects: a lock must not wait on an error. With
 * `timeoutMs` it also gives up waiting after that long, so a stuck save cannot stop a lock.
 */
export async function flushDrafts(timeoutMs?: number): Promise<void> {
  const flush = flusher;
  if (flush === null) return;
  const saved = flush().catch(() => {
    // The editor shows its own save error; the lock goes ahead.
  });
  if (timeoutMs === undefined) {
    await saved;
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([saved, gaveUp]);
  clearTimeout(timer);
}

/** Answers the back end's request before an automatic lock: save, clear what the input
 *  method was told (see inputMethod.ts), then say so. */
export async function answerFlushRequest(): Promise<void> {
  await flushDrafts();
  await forgetInputMethodText();
  try {
    await commands.draftsFlushed();
  } catch {
    // The back end stops waiting after its own timeout.
  }
}

/** Listens for the flush request while the app is unlocked; returns the unlisten function. */
export function listenForFlushRequests(): () => void {
  let stopped = false;
  let unlisten: (() => void) | null = null;
  listen(FLUSH_DRAFTS_EVENT, () => {
    void answerFlushRequest();
  })
    .then((stop) => {
      if (stopped) stop();
      else unlisten = stop;
    })
    .catch(() => {
      // Outside Tauri (tests, a plain browser) there is no event bus.
    });
  return () => {
    stopped = true;
    unlisten?.();
    unlisten = null;
  };
}
