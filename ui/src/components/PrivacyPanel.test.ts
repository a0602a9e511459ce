import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ExportedFiles } from "../lib/bindings";
import { EXPORT_PROGRESS_EVENT } from "../lib/exportProgress";
import { errorDictionaries } from "../lib/i18n";
import { setLanguage } from "../lib/locale.svelte";
import { expectTexts } from "../test-support/assertions";
import { aClient, failed, ok } from "../test-support/fixtures";
import PrivacyPanel from "./PrivacyPanel.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

// The Tauri event bus: the test plays the back end that emits the export's progress.
const events = vi.hoisted(() => ({
  handlers: new Map<string, (event: { payload: unknown }) => void>(),
  unlisten: vi.fn(),
}));
vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async (name: string, handler: (event: { payload: unknown }) => void) => {
    events.handlers.set(name, handler);
    return events.unlisten;
  }),
}));

const CLIENT = aClient();

const FILES: ExportedFiles = {
  jsonPath: "/home/anna/Downloads/kluis-C-7K3F9.json",
  pdfPath: "/home/anna/Downloads/kluis-C-7K3F9.pdf",
  notes: 3,
  privateNotesLeftOut: 1,
};

/** The back end's answer to the export, given when the test says so. */
function pendingExport(): (answer: unknown) => void {
  let answer: (value: unknown) => void = () => {};
  commands.exportClientRecord.mockReturnValue(new Promise((resolve) => (answer = resolve)));
  return (value) => answer(value);
}

function emitProgress(done: number, total: number): void {
  events.handlers.get(EXPORT_PROGRESS_EVENT)!({ payload: { done, total } });
}

beforeEach(() => {
  resetCommands();
  events.handlers.clear();
  events.unlisten.mockReset();
  setLanguage("nl");
});

describe("PrivacyPanel's copy of the record", () => {
  it("says what the copy holds and leaves out, above the erasure", () => {
    render(PrivacyPanel, { client: CLIENT, onErased: vi.fn() });
    const panel = screen.getByTestId("privacy-export");
    expect(panel.compareDocumentPosition(screen.getByTestId("privacy-erase")) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expectTexts(panel, [
      "Kopie van het dossier",
      "toestemmingen, de consulten, de notities die u mag lezen met hun addenda, de check-ins en het toegangslog",
      "PDF in de taal van Kluis",
      "JSON-bestand",
      "AVG, artikel 15 en 20",
      "Privé-werkaantekeningen",
      "vastgelegd in het toegangslog",
    ]);
    expect(screen.getByTestId("privacy-export-warning")).toHaveTextContent(
      "onversleuteld in de map Downloads",
    );
    expect(screen.queryByTestId("privacy-export-progress")).toBeNull();
    expect(commands.exportClientRecord).not.toHaveBeenCalled();
  });

  it("shows the progress the back end reports, then where the files are", async () => {
    const answer = pendingExport();
    render(PrivacyPanel, { client: CLIENT, onErased: vi.fn() });
    const submit = screen.getByTestId("privacy-export-submit");
    await fireEvent.click(submit);
    await vi.waitFor(() => expect(commands.exportClientRecord).toHaveBeenCalledWith(CLIENT.id));
    expect(events.handlers.has(EXPORT_PROGRESS_EVENT)).toBe(true);
    expect(submit).toBeDisabled();
    expect(submit).toHaveTextContent("Kopie wordt gemaakt…");
    // Before the first step: a bar without a value.
    expect(screen.getByTestId("privacy-export-progress")).not.toHaveAttribute("value");

    emitProgress(2, 5);
    const bar = await screen.findByRole("progressbar", {
      name: "Kopie wordt gemaakt: 2 van 5 stappen klaar",
    });
    expect(bar).toHaveAttribute("value", "2");
    expect(bar).toHaveAttribute("max", "5");
    expect(screen.getByTestId("privacy-erase-submit")).toBeDisabled();

    answer(ok(FILES));
    const done = await screen.findByTestId("privacy-export-done");
    expect(screen.getByTestId("privacy-export-pdf")).toHaveTextContent(FILES.pdfPath);
    expect(screen.getByTestId("privacy-export-json")).toHaveTextContent(FILES.jsonPath);
    expect(done).toHaveTextContent("3 notities opgenomen. 1 privé-werkaantekening niet opgenomen.");
    expect(screen.queryByTestId("privacy-export-progress")).toBeNull();
    expect(events.unlisten).toHaveBeenCalledTimes(1);
    expect(submit).not.toBeDisabled();
    expect(submit).toHaveTextContent("Kopie maken");
  });

  it("says in words why the export failed, and stops listening", async () => {
    commands.exportClientRecord.mockResolvedValue(failed("permission_denied"));
    render(PrivacyPanel, { client: CLIENT, onErased: vi.fn() });
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    expect(await screen.findByTestId("privacy-export-error")).toHaveTextContent(
      errorDictionaries.nl.permission_denied,
    );
    expect(screen.queryByTestId("privacy-export-done")).toBeNull();
    expect(events.unlisten).toHaveBeenCalledTimes(1);
  });

  it("shows a thrown error as the general one, never its text", async () => {
    commands.exportClientRecord.mockRejectedValue(new Error("disk full at /home/anna"));
    render(PrivacyPanel, { client: CLIENT, onErased: vi.fn() });
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    const error = await screen.findByTestId("privacy-export-error");
    expect(error).toHaveTextContent(errorDictionaries.nl.internal);
    expect(error).not.toHaveTextContent("disk full");
  });

  it("stops listening when the panel closes during the export", async () => {
    pendingExport();
    const { unmount } = render(PrivacyPanel, { client: CLIENT, onErased: vi.fn() });
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    await vi.waitFor(() => expect(commands.exportClientRecord).toHaveBeenCalled());
    expect(events.unlisten).not.toHaveBeenCalled();
    unmount();
    expect(events.unlisten).toHaveBeenCalledTimes(1);
  });

  it("speaks English in English", async () => {
    setLanguage("en");
    commands.exportClientRecord.mockResolvedValue(ok({ ...FILES, notes: 1, privateNotesLeftOut: 0 }));
    render(PrivacyPanel, { client: CLIENT, onErased: vi.fn() });
    expect(screen.getByTestId("privacy-export")).toHaveTextContent("GDPR, articles 15 and 20");
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    expect(await screen.findByTestId("privacy-export-done")).toHaveTextContent(
      "1 note included. 0 private work notes left out.",
    );
  });
});

describe("PrivacyPanel's restriction of processing", () => {
  it("says that the record is not restricted and where that is changed, without a control", () => {
    render(PrivacyPanel, { client: CLIENT, onErased: vi.fn() });
    const section = screen.getByTestId("privacy-restriction");
    expect(section).toHaveAttribute("data-restricted", "false");
    expectTexts(section, [
      "Beperking van de verwerking (AVG art. 18)",
      "De verwerking van dit dossier is niet beperkt.",
      "Beperken of opheffen doet een psycholoog via Gegevens bewerken",
      "‘Verwerking beperken (AVG, artikel 18)’",
      "vastgelegd in de toegangslog",
    ]);
    // No second way to change it: the client form is the one place.
    expect(section.querySelectorAll("button, input, select, textarea")).toHaveLength(0);
    expect(
      section.compareDocumentPosition(screen.getByTestId("privacy-erase")) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it("says what a restriction in force means", () => {
    render(PrivacyPanel, { client: aClient({ restricted: true }), onErased: vi.fn() });
    const section = screen.getByTestId("privacy-restriction");
    expect(section).toHaveAttribute("data-restricted", "true");
    expectTexts(section, [
      "De verwerking van dit dossier is beperkt: het dossier is alleen-lezen op elk apparaat en in de centrale opslag, en telt niet mee in rapportages aan de werkgever.",
      "via Gegevens bewerken",
    ]);
    expect(section).not.toHaveTextContent("niet beperkt");
    expect(section.querySelectorAll("button, input, select, textarea")).toHaveLength(0);
  });

  it("speaks English in English", () => {
    setLanguage("en");
    render(PrivacyPanel, { client: aClient({ restricted: true }), onErased: vi.fn() });
    expectTexts(screen.getByTestId("privacy-restriction"), [
      "Restriction of processing (GDPR art. 18)",
      "Processing of this record is restricted: the record is read-only",
      "with Edit details",
    ]);
  });
});
