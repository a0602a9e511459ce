import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncConflict } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import { ok } from "../test-support/fixtures";
import Conflicts from "./Conflicts.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

const CLIENT_EDITED: SyncConflict = {
  kind: "client",
  recordId: "client-1",
  clientId: "client-1",
  clientCode: "C-7K3F9",
  refusal: null,
  detectedAt: "2026-11-25T08:10:00Z",
  fields: [
    { key: "phone", mine: "0612345678", theirs: "0687654321" },
    { key: "remarks", mine: "Belt liever na 17:00", theirs: "" },
    { key: "care_start", mine: "2026-02-01", theirs: "2026-01-15" },
    { key: "restricted", mine: "true", theirs: "false" },
    { key: "shoe_size", mine: "42", theirs: "43" },
  ],
};

const NOTE_EDITED: SyncConflict = {
  kind: "note",
  recordId: "note-1",
  clientId: "client-1",
  clientCode: "C-7K3F9",
  refusal: null,
  detectedAt: "2026-07-01T13:05:00Z",
  fields: [{ key: "subjective", mine: "Slaapt beter.\nMinder piekeren.", theirs: "Slaapt slecht." }],
};

const CONSULT_REFUSED: SyncConflict = {
  kind: "consult",
  recordId: "consult-1",
  clientId: "client-2",
  clientCode: "C-ABCDE",
  refusal: "forbidden",
  detectedAt: "2026-11-25T09:00:00Z",
  fields: [],
};

function refused(refusal: string): SyncConflict {
  return { ...CONSULT_REFUSED, recordId: `consult-${refusal}`, refusal };
}

function card(recordId: string): HTMLElement {
  const found = screen
    .getAllByTestId("conflict")
    .find((element) => element.getAttribute("data-conflict") === recordId);
  if (found === undefined) throw new Error(`no card for ${recordId}`);
  return found;
}

beforeEach(() => {
  commands.syncConflicts.mockReset();
  commands.resolveSyncConflict.mockReset();
  commands.syncNow.mockReset();
  commands.syncConflicts.mockResolvedValue({
    status: "ok",
    data: [CLIENT_EDITED, NOTE_EDITED, CONSULT_REFUSED],
  });
  commands.resolveSyncConflict.mockResolvedValue(ok(null));
  commands.syncNow.mockResolvedValue(undefined);
  setLanguage("nl");
});

describe("Conflicts", () => {
  it("says when there is nothing to resolve", async () => {
    commands.syncConflicts.mockResolvedValue(ok([]));
    render(Conflicts);
    expect(await screen.findByTestId("conflicts-empty")).toHaveTextContent("Geen conflicten");
    expect(screen.queryByTestId("conflict")).toBeNull();
  });

  it("lists each conflict with its kind, client code and Amsterdam time", async () => {
    render(Conflicts);
    const cards = await screen.findAllByTestId("conflict");
    expect(cards).toHaveLength(3);
    const client = card("client-1");
    expect(client).toHaveAttribute("data-kind", "client");
    expect(client).toHaveTextContent("Cliëntgegevens");
    expect(within(client).getByTestId("conflict-client-code")).toHaveTextContent("C-7K3F9");
    expect(within(client).getByTestId("conflict-detected")).toHaveTextContent(
      "Gevonden op 25-11-2026 09:10",
    );
    // Summer time: 13:05 UTC is 15:05 in Amsterdam.
    expect(within(card("note-1")).getByTestId("conflict-detected")).toHaveTextContent(
      "Gevonden op 01-07-2026 15:05",
    );
    expect(card("note-1")).toHaveTextContent("Notitie");
    expect(card("consult-1")).toHaveTextContent("Consult");
  });

  it("compares this device's version with the server's, field by field, in the user's terms", async () => {
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    const client = card("client-1");
    expect(client).toHaveTextContent("Op dit apparaat");
    expect(client).toHaveTextContent("Op de server");
    const rows = within(client).getAllByTestId("conflict-field");
    expect(rows.map((row) => row.getAttribute("data-field"))).toEqual([
      "phone",
      "remarks",
      "care_start",
      "restricted",
      "shoe_size",
    ]);
    const cells = (row: HTMLElement) => [...row.children].map((cell) => cell.textContent?.trim());
    expect(cells(rows[0]!)).toEqual(["Telefoonnummer", "0612345678", "0687654321"]);
    expect(cells(rows[1]!)).toEqual(["Opmerkingen", "Belt liever na 17:00", "(leeg)"]);
    expect(cells(rows[2]!)).toEqual(["Start zorg", "01-02-2026", "15-01-2026"]);
    expect(cells(rows[3]!)).toEqual(["Verwerking beperken (AVG, artikel 18)", "Ja", "Nee"]);
    // A field this UI does not know is shown by its key rather than hidden.
    expect(cells(rows[4]!)).toEqual(["shoe_size", "42", "43"]);

    const note = within(card("note-1")).getByTestId("conflict-field");
    expect(cells(note)).toEqual(["Subjectief", "Slaapt beter.\nMinder piekeren.", "Slaapt slecht."]);
  });

  it("keeps this device's version, then reads the list again and asks for a sync", async () => {
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    commands.syncConflicts.mockResolvedValue(ok([NOTE_EDITED, CONSULT_REFUSED]));
    await fireEvent.click(within(card("client-1")).getByTestId("conflict-keep-mine"));
    await vi.waitFor(() => expect(commands.syncNow).toHaveBeenCalledOnce());
    expect(commands.resolveSyncConflict).toHaveBeenCalledExactlyOnceWith(
      "client",
      "client-1",
      "keep_mine",
    );
    expect(commands.syncConflicts).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(screen.getAllByTestId("conflict")).toHaveLength(2));
    expect(
      screen.getAllByTestId("conflict").map((element) => element.getAttribute("data-conflict")),
    ).toEqual(["note-1", "consult-1"]);
  });

  it("keeps the server's version, then reads the list again and asks for a sync", async () => {
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    commands.syncConflicts.mockResolvedValue(ok([]));
    await fireEvent.click(within(card("note-1")).getByTestId("conflict-keep-theirs"));
    expect(await screen.findByTestId("conflicts-empty")).toBeInTheDocument();
    expect(commands.resolveSyncConflict).toHaveBeenCalledExactlyOnceWith(
      "note",
      "note-1",
      "keep_theirs",
    );
    expect(commands.syncConflicts).toHaveBeenCalledTimes(2);
    expect(commands.syncNow).toHaveBeenCalledOnce();
  });

  it("offers only 'understood' for a change the server refused, and says it stays here", async () => {
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    const consult = card("consult-1");
    expect(consult).toHaveAttribute("data-refusal", "forbidden");
    expect(within(consult).getByTestId("conflict-refusal")).toHaveTextContent(
      "uw functie of uw toewijzing aan deze cliënt staat haar niet toe",
    );
    expect(consult).toHaveTextContent("blijft alleen op dit apparaat staan");
    expect(within(consult).queryByTestId("conflict-keep-mine")).toBeNull();
    expect(within(consult).queryByTestId("conflict-keep-theirs")).toBeNull();
    const dismiss = within(consult).getByTestId("conflict-dismiss");
    expect(dismiss).toHaveTextContent("Begrepen");
    expect(dismiss).toHaveAttribute("data-action", "dismiss");

    await fireEvent.click(dismiss);
    await vi.waitFor(() => expect(commands.syncNow).toHaveBeenCalledOnce());
    expect(commands.resolveSyncConflict).toHaveBeenCalledExactlyOnceWith(
      "consult",
      "consult-1",
      "keep_theirs",
    );
    expect(commands.syncConflicts).toHaveBeenCalledTimes(2);
  });

  it("explains each refusal code, and any other one in general terms", async () => {
    commands.syncConflicts.mockResolvedValue({
      status: "ok",
      data: [refused("invalid"), refused("not_found"), refused("too_large")],
    });
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    const reason = (recordId: string) =>
      within(card(recordId)).getByTestId("conflict-refusal").textContent;
    expect(reason("consult-invalid")).toContain("de gegevens niet geldig zijn");
    expect(reason("consult-not_found")).toContain("niet (meer) aan deze cliënt toegewezen");
    expect(reason("consult-too_large")).toBe("De server heeft deze wijziging geweigerd.");
  });

  it("shows a failed choice in the user's words and keeps the conflict", async () => {
    commands.resolveSyncConflict.mockResolvedValue({
      status: "error",
      error: {
        code: "validation",
        message: "this device's version is no longer valid",
        retryAfterSeconds: null,
        field: "record",
      },
    });
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    await fireEvent.click(within(card("client-1")).getByTestId("conflict-keep-mine"));
    const error = await within(card("client-1")).findByTestId("conflict-error");
    expect(error).toHaveTextContent("Niet alle gegevens zijn geldig.");
    expect(error).not.toHaveTextContent("no longer valid");
    expect(within(card("note-1")).queryByTestId("conflict-error")).toBeNull();
    expect(commands.syncNow).not.toHaveBeenCalled();
    expect(commands.syncConflicts).toHaveBeenCalledOnce();
    expect(within(card("client-1")).getByTestId("conflict-keep-mine")).toBeEnabled();
  });

  it("shows a thrown error as a translated message too", async () => {
    commands.resolveSyncConflict.mockRejectedValue(new Error("ipc broken"));
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    await fireEvent.click(within(card("consult-1")).getByTestId("conflict-dismiss"));
    const error = await within(card("consult-1")).findByTestId("conflict-error");
    expect(error).toHaveTextContent("Er ging iets mis in Kluis.");
    expect(error).not.toHaveTextContent("ipc");
  });

  it("waits for one choice before taking another", async () => {
    let finish: (value: unknown) => void = () => {};
    commands.resolveSyncConflict.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    await fireEvent.click(within(card("client-1")).getByTestId("conflict-keep-theirs"));
    expect(await within(card("client-1")).findByText("Uw keuze wordt verwerkt…")).toBeInTheDocument();
    expect(within(card("note-1")).getByTestId("conflict-keep-mine")).toBeDisabled();
    expect(within(card("consult-1")).getByTestId("conflict-dismiss")).toBeDisabled();
    await fireEvent.click(within(card("note-1")).getByTestId("conflict-keep-mine"));
    expect(commands.resolveSyncConflict).toHaveBeenCalledOnce();
    finish(ok(null));
    await vi.waitFor(() => expect(within(card("note-1")).getByTestId("conflict-keep-mine")).toBeEnabled());
  });

  it("shows a failed load in the user's words and tries again", async () => {
    commands.syncConflicts.mockResolvedValueOnce({
      status: "error",
      error: { code: "vault_locked", message: "locked", retryAfterSeconds: null, field: null },
    });
    render(Conflicts);
    const error = await screen.findByTestId("conflicts-error");
    expect(error).toHaveTextContent("De kluis is vergrendeld.");
    await fireEvent.click(within(error).getByText("Opnieuw proberen"));
    expect(await screen.findAllByTestId("conflict")).toHaveLength(3);
  });

  it("speaks English when the user chose it", async () => {
    setLanguage("en");
    render(Conflicts);
    await screen.findAllByTestId("conflict");
    const client = card("client-1");
    expect(client).toHaveTextContent("Client details");
    expect(client).toHaveTextContent("Found on 25-11-2026 09:10");
    expect(client).toHaveTextContent("On this device");
    expect(client).toHaveTextContent("On the server");
    expect(within(client).getByTestId("conflict-keep-mine")).toHaveTextContent("Keep my version");
    expect(within(client).getByTestId("conflict-keep-theirs")).toHaveTextContent(
      "Keep the server's version",
    );
    expect(within(card("consult-1")).getByTestId("conflict-dismiss")).toHaveTextContent(
      "Understood",
    );
    expect(card("consult-1")).toHaveTextContent("stays on this device only");
  });
});
