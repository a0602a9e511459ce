import { beforeEach, describe, expect, expectTypeOf, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

import { commands, type AppError, type ClientSummary } from "./bindings";
import { outcomeOf, type Outcome } from "./outcome";

const APP_ERROR: AppError = {
  code: "vault_locked",
  message: "m",
  retryAfterSeconds: null,
  field: null,
};

beforeEach(() => {
  invoke.mockReset();
});

describe("outcomeOf", () => {
  it("gives the data of an ok result", async () => {
    const data = [{ id: "c-1" }];
    const outcome = await outcomeOf(Promise.resolve({ status: "ok" as const, data }));
    expect(outcome).toEqual({ ok: true, data });
    expect(outcome.ok && outcome.data).toBe(data);
  });

  it("gives the error of an error result", async () => {
    const outcome = await outcomeOf(
      Promise.resolve({ status: "error" as const, error: APP_ERROR }),
    );
    expect(outcome).toEqual({ ok: false, error: APP_ERROR });
    expect(!outcome.ok && outcome.error).toBe(APP_ERROR);
  });

  it("gives what a rejected promise threw as the error, and does not reject", async () => {
    const thrown = new Error("ipc broken");
    await expect(outcomeOf(Promise.reject(thrown))).resolves.toEqual({ ok: false, error: thrown });
    await expect(outcomeOf(Promise.reject("not an Error"))).resolves.toEqual({
      ok: false,
      error: "not an Error",
    });
  });

  it("covers both ways a generated command fails", async () => {
    invoke.mockResolvedValueOnce([]);
    await expect(outcomeOf(commands.listClients())).resolves.toEqual({ ok: true, data: [] });

    // An AppError comes back as an error result...
    invoke.mockRejectedValueOnce(APP_ERROR);
    await expect(outcomeOf(commands.listClients())).resolves.toEqual({
      ok: false,
      error: APP_ERROR,
    });

    // ...a JavaScript error makes the command reject.
    const thrown = new Error("window.__TAURI_INTERNALS__ is undefined");
    invoke.mockRejectedValueOnce(thrown);
    await expect(outcomeOf(commands.listClients())).resolves.toEqual({ ok: false, error: thrown });
  });

  it("keeps the command's data type", () => {
    expectTypeOf(outcomeOf(commands.listClients())).resolves.toEqualTypeOf<
      Outcome<ClientSummary[]>
    >();
  });
});
