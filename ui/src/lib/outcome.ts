// A command fails in two ways: it answers with `{ status: "error", error: AppError }`,
// or it rejects (the IPC itself failed, a JavaScript error). The page treats both the
// same, so `outcomeOf` folds them into one value and the call site needs no try/catch.

/** What a generated command answers (`bindings.ts`), with any error type. */
type CommandResult<T> = { status: "ok"; data: T } | { status: "error"; error: unknown };

/** A command's data, or why there is none: the `AppError` it answered or what it threw. */
export type Outcome<T> = { ok: true; data: T } | { ok: false; error: unknown };

/**
 * A command's result, or what it threw, as one value: no try/catch at the call site.
 * Never rejects. Takes the command's promise, not a function: commands are async, so
 * calling one cannot throw before the promise exists.
 */
export async function outcomeOf<T>(pending: Promise<CommandResult<T>>): Promise<Outcome<T>> {
  try {
    const result = await pending;
    return result.status === "ok"
      ? { ok: true, data: result.data }
      : { ok: false, error: result.error };
  } catch (error) {
    return { ok: false, error };
  }
}
