import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Client, ExportedFiles } from "../lib/bindings";
import { EXPORT_PROGRESS_EVENT } from "../lib/exportProgress";
import { errorDictionaries } from "../lib/i18n";
import { setLanguage } from "../lib/locale.svelte";
import { expectTexts } from "../test-support/assertions";
import { aClient, aClientInput, aPrivacyEvent, failed, ok } from "../test-support/fixtures";
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

/** The panel for a client, with spies for what it hands back. */
function renderPanel(client: Client = CLIENT) {
  const onErased = vi.fn();
  const onClientChanged = vi.fn();
  const rendered = render(PrivacyPanel, { client, onErased, onClientChanged });
  return { ...rendered, onErased, onClientChanged };
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
    renderPanel(CLIENT);
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
    renderPanel(CLIENT);
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
    renderPanel(CLIENT);
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    expect(await screen.findByTestId("privacy-export-error")).toHaveTextContent(
      errorDictionaries.nl.permission_denied,
    );
    expect(screen.queryByTestId("privacy-export-done")).toBeNull();
    expect(events.unlisten).toHaveBeenCalledTimes(1);
  });

  it("shows a thrown error as the general one, never its text", async () => {
    commands.exportClientRecord.mockRejectedValue(new Error("disk full at /home/anna"));
    renderPanel(CLIENT);
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    const error = await screen.findByTestId("privacy-export-error");
    expect(error).toHaveTextContent(errorDictionaries.nl.internal);
    expect(error).not.toHaveTextContent("disk full");
  });

  it("stops listening when the panel closes during the export", async () => {
    pendingExport();
    const { unmount } = renderPanel(CLIENT);
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    await vi.waitFor(() => expect(commands.exportClientRecord).toHaveBeenCalled());
    expect(events.unlisten).not.toHaveBeenCalled();
    unmount();
    expect(events.unlisten).toHaveBeenCalledTimes(1);
  });

  it("speaks English in English", async () => {
    setLanguage("en");
    commands.exportClientRecord.mockResolvedValue(ok({ ...FILES, notes: 1, privateNotesLeftOut: 0 }));
    renderPanel(CLIENT);
    expect(screen.getByTestId("privacy-export")).toHaveTextContent("GDPR, articles 15 and 20");
    await fireEvent.click(screen.getByTestId("privacy-export-submit"));
    expect(await screen.findByTestId("privacy-export-done")).toHaveTextContent(
      "1 note included. 0 private work notes left out.",
    );
  });
});

describe("PrivacyPanel's restriction of processing", () => {
  it("says that the record is not restricted and where that is changed, without a control", () => {
    renderPanel(CLIENT);
    const section = screen.getByTestId("privacy-restriction");
    expect(section).toHaveAttribute("data-restricted", "false");
    expectTexts(section, [
      "Beperking van de verwerking (AVG art. 18)",
      "De verwerking van dit dossier is niet beperkt.",
      "Beperken of opheffen doet een psycholoog via Gegevens bewerken",
      "‘Verwerking beperken (AVG, artikel 18)’",
      "vastgelegd in de privacygeschiedenis en in de toegangslog",
    ]);
    expect(screen.queryByTestId("privacy-restriction-withdrawn")).toBeNull();
    // No second way to change it: the client form is the one place.
    expect(section.querySelectorAll("button, input, select, textarea")).toHaveLength(0);
    expect(
      section.compareDocumentPosition(screen.getByTestId("privacy-erase")) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
  });

  it("says what a restriction in force means", () => {
    renderPanel(aClient({ restricted: true }));
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
    renderPanel(aClient({ restricted: true }));
    expectTexts(screen.getByTestId("privacy-restriction"), [
      "Restriction of processing (GDPR art. 18)",
      "Processing of this record is restricted: the record is read-only",
      "with Edit details",
    ]);
  });
});

describe("PrivacyPanel's restriction after a withdrawn consent", () => {
  const WITHDRAWN = aClient({
    restricted: true,
    consents: { ...aClientInput().consents, healthDataConsentWithdrawn: "2025-01-10" },
  });

  it("says that the withdrawal holds the restriction until consent is given again", () => {
    renderPanel(WITHDRAWN);
    expect(screen.getByTestId("privacy-restriction-withdrawn")).toHaveTextContent(
      "De cliënt heeft op 10-01-2025 de toestemming voor het verwerken van gezondheidsgegevens ingetrokken. Het dossier blijft beperkt tot de cliënt opnieuw toestemming geeft.",
    );
  });

  it("says it in English", () => {
    setLanguage("en");
    renderPanel(WITHDRAWN);
    expect(screen.getByTestId("privacy-restriction-withdrawn")).toHaveTextContent(
      "The client withdrew consent to processing of health data on 10-01-2025.",
    );
  });
});

describe("PrivacyPanel's privacy history", () => {
  const LOG = [
    aPrivacyEvent(),
    aPrivacyEvent({ on: "2024-03-01", kind: "employer_reporting_opted_in", by: "L. Jansen" }),
    aPrivacyEvent({ on: "2025-01-10", kind: "health_data_consent_withdrawn" }),
    aPrivacyEvent({ on: "2025-01-10", kind: "restricted" }),
    aPrivacyEvent({
      on: "2025-01-20",
      kind: "erasure_refused",
      reason: "Wettelijke bewaarplicht (WGBO, 20 jaar).",
    }),
    aPrivacyEvent({ on: "2025-02-01", kind: "employer_reporting_withdrawn" }),
    aPrivacyEvent({ on: "2025-02-03", kind: "health_data_consent_given" }),
    aPrivacyEvent({ on: "2025-02-03", kind: "restriction_lifted" }),
  ];

  it("lists every decision oldest first, in words, with its date, who and a refusal's reason", () => {
    renderPanel(aClient({ privacyLog: LOG }));
    const section = screen.getByTestId("privacy-log");
    expectTexts(section, [
      "Privacygeschiedenis",
      "Elke wijziging van een toestemming of van de beperking, en elk geweigerd verzoek om wissen, staat hier met de datum en kan niet worden verwijderd.",
    ]);
    const entries = screen.getAllByTestId("privacy-log-entry");
    expect(entries.map((entry) => entry.dataset.kind)).toEqual(LOG.map((event) => event.kind));
    expectTexts(entries[0], [
      "01-02-2024",
      "Toestemming voor het verwerken van gezondheidsgegevens gegeven",
      "door Dr. A. de Vries",
    ]);
    expectTexts(entries[1], ["01-03-2024", "Ingestemd met opname in werkgeversrapportages", "door L. Jansen"]);
    expectTexts(entries[2], ["10-01-2025", "Toestemming voor het verwerken van gezondheidsgegevens ingetrokken"]);
    expect(entries[3]).toHaveTextContent("Verwerking beperkt (AVG art. 18)");
    expectTexts(entries[4], [
      "20-01-2025",
      "Verzoek om wissen geweigerd",
      "Reden: Wettelijke bewaarplicht (WGBO, 20 jaar).",
    ]);
    expect(entries[5]).toHaveTextContent("Toestemming voor werkgeversrapportages ingetrokken");
    expect(entries[7]).toHaveTextContent("Beperking van de verwerking opgeheven");
    // Only a refusal has a reason.
    expect(screen.getAllByTestId("privacy-log-reason")).toHaveLength(1);
    expect(screen.queryByTestId("privacy-log-empty")).toBeNull();
    // It is only shown: nothing in it changes or removes an entry.
    expect(section.querySelectorAll("button, input, select, textarea")).toHaveLength(0);
  });

  it("says when there is nothing yet", () => {
    renderPanel(aClient({ privacyLog: [] }));
    expect(screen.getByTestId("privacy-log-empty")).toHaveTextContent("Nog geen vermeldingen.");
    expect(screen.queryAllByTestId("privacy-log-entry")).toHaveLength(0);
  });

  it("speaks English in English", () => {
    setLanguage("en");
    renderPanel(aClient({ privacyLog: [LOG[4]!] }));
    expectTexts(screen.getByTestId("privacy-log"), [
      "Privacy history",
      "cannot be removed",
      "20-01-2025",
      "Erasure request refused",
      "by Dr. A. de Vries",
      "Reason: Wettelijke bewaarplicht (WGBO, 20 jaar).",
    ]);
  });

  it("has a text for every kind of entry in both languages", () => {
    const kinds = [
      "health_data_consent_given",
      "health_data_consent_withdrawn",
      "employer_reporting_opted_in",
      "employer_reporting_withdrawn",
      "restricted",
      "restriction_lifted",
      "erasure_refused",
    ] as const;
    for (const language of ["nl", "en"] as const) {
      setLanguage(language);
      const { unmount } = renderPanel(aClient({ privacyLog: kinds.map((kind) => aPrivacyEvent({ kind })) }));
      for (const entry of screen.getAllByTestId("privacy-log-entry")) {
        expect(entry.textContent, `${language}:${entry.dataset.kind}`).not.toContain("privacyEvent.");
      }
      unmount();
    }
  });
});

describe("PrivacyPanel's refusal of an erasure request", () => {
  const REASON = "Wettelijke bewaarplicht (WGBO, 20 jaar).";
  const REFUSED = aClient({
    version: 2,
    privacyLog: [aPrivacyEvent(), aPrivacyEvent({ on: "2025-01-20", kind: "erasure_refused", reason: REASON })],
  });

  async function typeReason(text: string): Promise<void> {
    await fireEvent.input(screen.getByTestId("privacy-refuse-reason"), { target: { value: text } });
  }

  it("says what a refusal means and what follows from it, below the erasure", () => {
    renderPanel();
    const section = screen.getByTestId("privacy-refuse");
    expectTexts(section, [
      "Verzoek om wissen weigeren",
      "moet de zorgaanbieder het dossier bewaren",
      "de bewaarplicht van de WGBO: een behandeldossier wordt 20 jaar bewaard",
      "De weigering en de reden komen in de privacygeschiedenis en gaan mee naar het zorgteam en de centrale opslag.",
      "Laat de cliënt weten dat het verzoek is geweigerd en waarom",
    ]);
    expect(
      screen.getByTestId("privacy-erase").compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(screen.getByLabelText("Reden van de weigering")).toBe(screen.getByTestId("privacy-refuse-reason"));
    expect(screen.getByTestId("privacy-refuse-reason")).toHaveAttribute("maxlength", "2000");
  });

  it("can be sent only with a reason", async () => {
    renderPanel();
    const submit = screen.getByTestId("privacy-refuse-submit");
    expect(submit).toBeDisabled();
    await typeReason("   ");
    expect(submit).toBeDisabled();
    await typeReason(REASON);
    expect(submit).toBeEnabled();
    await typeReason("");
    expect(submit).toBeDisabled();
    expect(commands.refuseErasure).not.toHaveBeenCalled();
  });

  it("records the refusal with its reason and hands back the updated client", async () => {
    let answer: (value: unknown) => void = () => {};
    commands.refuseErasure.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const { onClientChanged, onErased, rerender } = renderPanel();
    await typeReason(`  ${REASON}\n`);
    const submit = screen.getByTestId("privacy-refuse-submit");
    await fireEvent.click(submit);
    expect(commands.refuseErasure).toHaveBeenCalledWith(CLIENT.id, REASON);
    await vi.waitFor(() => expect(submit).toHaveTextContent("Bezig met vastleggen…"));
    expect(submit).toBeDisabled();
    expect(screen.getByTestId("privacy-erase-submit")).toBeDisabled();

    answer(ok(REFUSED));
    await vi.waitFor(() => expect(onClientChanged).toHaveBeenCalledWith(REFUSED));
    expect(await screen.findByTestId("privacy-refuse-done")).toHaveTextContent(
      "De weigering is vastgelegd in de privacygeschiedenis.",
    );
    expect(screen.getByTestId("privacy-refuse-reason")).toHaveValue("");
    expect(submit).toHaveTextContent("Weigering vastleggen");
    expect(onErased).not.toHaveBeenCalled();
    expect(commands.eraseClient).not.toHaveBeenCalled();

    // The view hands the updated client back: the new entry shows.
    await rerender({ client: REFUSED });
    const entries = screen.getAllByTestId("privacy-log-entry");
    expect(entries).toHaveLength(2);
    expectTexts(entries[1], ["20-01-2025", "Verzoek om wissen geweigerd", `Reden: ${REASON}`]);
  });

  it("is open on a restricted record too", async () => {
    commands.refuseErasure.mockResolvedValue(ok({ ...REFUSED, restricted: true }));
    const { onClientChanged } = renderPanel(aClient({ restricted: true }));
    await typeReason(REASON);
    await fireEvent.click(screen.getByTestId("privacy-refuse-submit"));
    await vi.waitFor(() => expect(onClientChanged).toHaveBeenCalled());
  });

  it("says in words why the back end refused it, and keeps the reason", async () => {
    commands.refuseErasure.mockResolvedValue(failed("permission_denied"));
    const { onClientChanged } = renderPanel();
    await typeReason(REASON);
    await fireEvent.click(screen.getByTestId("privacy-refuse-submit"));
    const error = await screen.findByTestId("privacy-refuse-error");
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent(errorDictionaries.nl.permission_denied);
    expect(screen.getByTestId("privacy-refuse-reason")).toHaveValue(REASON);
    expect(screen.queryByTestId("privacy-refuse-done")).toBeNull();
    expect(onClientChanged).not.toHaveBeenCalled();
    expect(screen.getByTestId("privacy-refuse-submit")).toBeEnabled();
  });

  it("points at the reason when the back end finds it invalid", async () => {
    commands.refuseErasure.mockResolvedValue(failed("validation", { field: "reason" }));
    renderPanel();
    await typeReason(REASON);
    await fireEvent.click(screen.getByTestId("privacy-refuse-submit"));
    expect(await screen.findByTestId("privacy-refuse-error")).toHaveTextContent(
      "Vul een reden in van hoogstens 2000 tekens.",
    );
    expect(screen.getByTestId("privacy-refuse-reason")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows a thrown error as the general one, never its text", async () => {
    commands.refuseErasure.mockRejectedValue(new Error("database is locked"));
    renderPanel();
    await typeReason(REASON);
    await fireEvent.click(screen.getByTestId("privacy-refuse-submit"));
    const error = await screen.findByTestId("privacy-refuse-error");
    expect(error).toHaveTextContent(errorDictionaries.nl.internal);
    expect(error).not.toHaveTextContent("locked");
  });

  it("speaks English in English", () => {
    setLanguage("en");
    renderPanel();
    expectTexts(screen.getByTestId("privacy-refuse"), [
      "Refuse an erasure request",
      "the WGBO's duty to keep treatment records for 20 years",
      "travel to the care team and the central store",
      "Tell the client that the request was refused and why",
      "Record the refusal",
    ]);
  });
});
