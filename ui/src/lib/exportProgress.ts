// How far the client's copy of their record is (`commands.exportClientRecord`): while
// it runs, the back end emits `EXPORT_PROGRESS_EVENT` with the steps done of all steps
// (one per note, then the document and the files).

import { listen } from "@tauri-apps/api/event";
import { EXPORT_PROGRESS_EVENT, type ExportProgress } from "./bindings";

/** The event name, generated from Rust with the bindings. */
export { EXPORT_PROGRESS_EVENT };

/** The event's payload (`ExportProgress` in kluis-core's `record/export.rs`). */
export type { ExportProgress };

/** The payload as progress, or null when it is not the shape the back end sends. */
export function exportProgressOf(payload: unknown): ExportProgress | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { done, total } = payload as { done?: unknown; total?: unknown };
  if (!isCount(done) || !isCount(total)) return null;
  return { done, total };
}

/**
 * Listens for the export's progress; resolves, once listening, to the function that
 * stops it. Outside Tauri (tests, a plain browser) there is no event bus: it resolves
 * to a function that does nothing, and the export runs without progress.
 */
export async function listenForExportProgress(
  onProgress: (progress: ExportProgress) => void,
): Promise<() => void> {
  try {
    return await listen<unknown>(EXPORT_PROGRESS_EVENT, (event) => {
      const progress = exportProgressOf(event.payload);
      if (progress !== null) onProgress(progress);
    });
  } catch {
    return () => {};
  }
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}
