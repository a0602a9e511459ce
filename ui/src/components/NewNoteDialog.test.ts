import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import { ok } from "../test-support/fixtures";
import NewNoteDialog from "./NewNoteDialog.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

beforeEach(() => {
  commands.createNote.mockReset();
  setLanguage("nl");
});

describe("NewNoteDialog", () => {
  it("offers the templates and visibilities by their Dutch names", () => {
    render(NewNoteDialog, { clientId: "c1", onCreated: vi.fn(), onCancel: vi.fn() });
    const template = screen.getByTestId("note-template") as HTMLSelectElement;
    expect([...template.options].map((option) => [option.value, option.textContent?.trim()])).toEqual([
      ["free", "Vrije tekst"],
      ["soap", "SOAP"],
      ["dap", "DAP"],
      ["lifestyle_check_in", "Leefstijl-check-in"],
    ]);
    const visibility = screen.getByTestId("note-visibility") as HTMLSelectElement;
    expect([...visibility.options].map((option) => option.textContent?.trim())).toEqual([
      "Zorgteam",
      "Privé (alleen ik)",
    ]);
    expect(template.value).toBe("soap");
    expect(visibility.value).toBe("care_team");
  });

  it("creates the note for the client and consult", async () => {
    const note = { id: "n1" };
    commands.createNote.mockResolvedValue(ok(note));
    const onCreated = vi.fn();
    render(NewNoteDialog, {
      clientId: "c1",
      consultId: "k1",
      clientLabel: "Anna de Vries (C-7K3F9)",
      role: "lifestyle_expert",
      onCreated,
      onCancel: vi.fn(),
    });
    expect(screen.getByTestId("note-new-dialog")).toHaveTextContent("Voor Anna de Vries (C-7K3F9)");
    expect(screen.getByTestId("note-template")).toHaveValue("lifestyle_check_in");
    await fireEvent.change(screen.getByTestId("note-visibility"), { target: { value: "private" } });
    await fireEvent.click(screen.getByTestId("note-create"));
    await vi.waitFor(() => expect(onCreated).toHaveBeenCalledWith(note));
    expect(commands.createNote).toHaveBeenCalledWith({
      clientId: "c1",
      consultId: "k1",
      template: "lifestyle_check_in",
      visibility: "private",
    });
  });

  it("shows a refusal in words and closes on Escape", async () => {
    commands.createNote.mockResolvedValue({
      status: "error",
      error: { code: "permission_denied", message: "x", retryAfterSeconds: null, field: null },
    });
    const onCancel = vi.fn();
    render(NewNoteDialog, { clientId: "c1", onCreated: vi.fn(), onCancel });
    await fireEvent.click(screen.getByTestId("note-create"));
    expect(await screen.findByRole("alert")).toHaveTextContent("U heeft geen toegang");
    await fireEvent.keyDown(screen.getByTestId("note-template"), { key: "Escape" });
    expect(onCancel).toHaveBeenCalled();
  });
});
