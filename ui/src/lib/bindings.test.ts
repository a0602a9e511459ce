import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

import { commands } from "./bindings";

beforeEach(() => {
  invoke.mockReset();
});

describe("bindings placeholder", () => {
  it("calls snake_case commands with camelCase argument keys", async () => {
    invoke.mockResolvedValue(null);
    const request = { passphrase: "p", practitionerName: "A", role: "psychologist" as const };
    await expect(commands.createVault(request)).resolves.toEqual({ status: "ok", data: null });
    expect(invoke).toHaveBeenCalledWith("create_vault", { request });

    await commands.updateClient("id-1", {} as never);
    expect(invoke).toHaveBeenLastCalledWith("update_client", { id: "id-1", input: {} });

    await commands.changePassphrase("old", "new");
    expect(invoke).toHaveBeenLastCalledWith("change_passphrase", { current: "old", next: "new" });
  });

  it("wraps a rejected AppError into an error result", async () => {
    const error = { code: "wrong_passphrase", message: "m", retryAfterSeconds: null, field: null };
    invoke.mockRejectedValue(error);
    await expect(commands.unlock("x")).resolves.toEqual({ status: "error", error });
  });

  it("rethrows JavaScript errors", async () => {
    invoke.mockRejectedValue(new Error("ipc broken"));
    await expect(commands.lock(0)).rejects.toThrow("ipc broken");
  });
});
