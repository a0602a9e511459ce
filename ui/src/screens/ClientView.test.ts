import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditEvent, TimelineItem } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import { expectTexts } from "../test-support/assertions";
import { aClient, aClientInput, anAuditEvent, aPrivacyEvent, failed, ok } from "../test-support/fixtures";
import ClientView from "./ClientView.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

const CLIENT = aClient();

function item(partial: Partial<TimelineItem>): TimelineItem {
  return {
    kind: "note",
    id: "n1",
    at: new Date(2025, 0, 13, 10, 0).toISOString(),
    authorName: "Dr. A. de Vries",
    authorRole: "psychologist",
    consultKind: null,
    consultStatus: null,
    noteTemplate: "soap",
    noteStatus: "signed",
    visibility: "care_team",
    summary: "Slaapt slecht",
    wellbeingScore: null,
    ...partial,
  };
}

const TIMELINE: TimelineItem[] = [
  item({ kind: "addendum", id: "n1", at: new Date(2025, 0, 14, 8, 0).toISOString(), noteTemplate: null, noteStatus: null, visibility: null, authorRole: null, summary: "Typfout" }),
  item({}),
  item({
    kind: "consult",
    id: "k1",
    at: new Date(2025, 0, 13, 9, 0).toISOString(),
    authorName: null,
    authorRole: null,
    consultKind: "video",
    consultStatus: "completed",
    noteTemplate: null,
    noteStatus: null,
    visibility: null,
    summary: "2025-01-13 09:00–09:50",
  }),
];

function auditEvent(changes: Partial<AuditEvent>): AuditEvent {
  return anAuditEvent({ recordPart: "client", recordId: "c1", ...changes });
}

function props(overrides: Record<string, unknown> = {}) {
  return {
    id: "c1",
    initial: CLIENT,
    onBack: vi.fn(),
    onEdit: vi.fn(),
    onNewNote: vi.fn(),
    onOpenNote: vi.fn(),
    onErased: vi.fn(),
    ...overrides,
  };
}

beforeEach(() => {
  resetCommands();
  commands.clientTimeline.mockResolvedValue(ok(TIMELINE));
  commands.clientAccessLog.mockResolvedValue(
    ok([
      auditEvent({ seq: 1 }),
      auditEvent({
        seq: 2,
        actorName: "L. Jansen",
        actorRole: "lifestyle_expert",
        recordPart: "note",
        outcome: "denied",
        occurredAt: new Date(2025, 0, 13, 11, 30, 0).toISOString(),
      }),
    ]),
  );
  setLanguage("nl");
});

describe("ClientView", () => {
  it("opens on the profile with its fields", () => {
    render(ClientView, props());
    expect(screen.getByTestId("client-tab-profile")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("client-view-first-name")).toHaveTextContent("Anna");
    expect(commands.clientTimeline).not.toHaveBeenCalled();
  });

  it("shows the consents, without a withdrawal when there is none", () => {
    render(ClientView, props());
    expect(screen.getByTestId("client-view-health-consent")).toHaveTextContent("01-02-2024");
    expect(screen.queryByTestId("client-view-health-consent-withdrawn")).toBeNull();
  });

  it("shows a withdrawn health-data consent next to the consent", () => {
    const withdrawn = aClient({
      restricted: true,
      consents: { ...aClientInput().consents, healthDataConsentWithdrawn: "2025-01-10" },
    });
    render(ClientView, props({ initial: withdrawn }));
    const consent = screen.getByTestId("client-view-health-consent");
    expect(consent).toHaveTextContent("01-02-2024");
    expect(screen.getByTestId("client-view-health-consent-withdrawn")).toHaveTextContent(
      "Toestemming ingetrokken op 10-01-2025",
    );
    expect(consent).toContainElement(screen.getByTestId("client-view-health-consent-withdrawn"));
  });

  it("shows the withdrawal in English", () => {
    setLanguage("en");
    const withdrawn = aClient({
      restricted: true,
      consents: { ...aClientInput().consents, healthDataConsentWithdrawn: "2025-01-10" },
    });
    render(ClientView, props({ initial: withdrawn }));
    expect(screen.getByTestId("client-view-health-consent-withdrawn")).toHaveTextContent(
      "Consent withdrawn on 10-01-2025",
    );
  });

  it("starts a new note with the button and with Ctrl+N", async () => {
    const onNewNote = vi.fn();
    render(ClientView, props({ onNewNote }));
    await fireEvent.click(screen.getByTestId("client-new-note"));
    expect(onNewNote).toHaveBeenCalledWith(CLIENT);
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(onNewNote).toHaveBeenCalledTimes(2);
  });

  it("shows the timeline newest first and opens notes and addenda", async () => {
    const onOpenNote = vi.fn();
    render(ClientView, props({ onOpenNote }));
    await fireEvent.click(screen.getByTestId("client-tab-timeline"));
    const items = await screen.findAllByTestId("timeline-item");
    expect(commands.clientTimeline).toHaveBeenCalledWith(
      "c1",
      ["consult", "note", "addendum", "check_in"],
      200,
    );
    expect(items.map((element) => element.dataset.kind)).toEqual(["addendum", "note", "consult"]);
    expectTexts(items[1], [
      "13-01-2025 11:00",
      "SOAP",
      "Ondertekend",
      "Dr. A. de Vries · Psycholoog",
      "Slaapt slecht",
    ]);
    expectTexts(items[2], ["Videoconsult", "Afgerond"]);
    expect(items[2]?.tagName).toBe("DIV");
    // No lifestyle check-in with a WHO-5 score: no graph.
    expect(screen.queryByTestId("who5-graph")).toBeNull();

    await fireEvent.click(items[1]!);
    expect(onOpenNote).toHaveBeenLastCalledWith("n1", "timeline", false);
    await fireEvent.click(items[0]!);
    expect(onOpenNote).toHaveBeenLastCalledWith("n1", "timeline", false);
  });

  it("filters the timeline by kind", async () => {
    render(ClientView, props({ tab: "timeline" }));
    await screen.findAllByTestId("timeline-item");
    const consults = screen.getByTestId("timeline-filter-consult");
    expect(consults).toHaveAttribute("aria-pressed", "true");
    await fireEvent.click(consults);
    expect(consults).toHaveAttribute("aria-pressed", "false");
    expect(commands.clientTimeline).toHaveBeenLastCalledWith(
      "c1",
      ["note", "addendum", "check_in"],
      200,
    );
  });

  it("shows who looked at the record, newest first, denied marked", async () => {
    render(ClientView, props());
    await fireEvent.click(screen.getByTestId("client-tab-access-log"));
    const log = await screen.findByTestId("access-log");
    expect(log).toHaveTextContent("Wie heeft dit dossier ingezien");
    const rows = await screen.findAllByTestId("access-log-row");
    expect(commands.clientAccessLog).toHaveBeenCalledWith("c1");
    expectTexts(rows[0], ["13-01-2025 12:30:00", "L. Jansen · Leefstijlexpert", "Notitie", "Geweigerd"]);
    expect(rows[0]).toHaveAttribute("data-outcome", "denied");
    expectTexts(rows[1], ["13-01-2025 10:05:07", "Ingezien", "Cliëntgegevens", "Toegestaan"]);
  });

  it("checks the access log's chain", async () => {
    commands.verifyAccessLog.mockResolvedValue(
      ok({ entries: 12, intact: false, brokenAtSeq: 7, problem: "hash mismatch" }),
    );
    render(ClientView, props({ tab: "access-log" }));
    await fireEvent.click(await screen.findByTestId("access-log-verify"));
    expect(await screen.findByTestId("access-log-broken")).toHaveTextContent(
      "De keten is verbroken bij vermelding 7",
    );
  });

  describe("a restricted client", () => {
    const RESTRICTED = aClient({ restricted: true });

    it("shows the restriction's banner on every tab", async () => {
      render(ClientView, props({ initial: RESTRICTED }));
      for (const tab of ["profile", "timeline", "access-log", "privacy"]) {
        await fireEvent.click(screen.getByTestId(`client-tab-${tab}`));
        const banner = screen.getByTestId("restricted-banner");
        expect(banner, tab).toHaveAttribute("role", "status");
        expect(banner, tab).toHaveTextContent(
          "De verwerking van dit dossier is beperkt (AVG art. 18): het dossier is alleen-lezen op elk apparaat en in de centrale opslag, en telt niet mee in rapportages aan de werkgever. Een psycholoog kan de beperking opheffen via Gegevens bewerken (na een ingetrokken toestemming pas als de cliënt opnieuw toestemming geeft); het opheffen wordt vastgelegd in de privacygeschiedenis en de toegangslog.",
        );
      }
      expect(screen.getByTestId("client-code").parentElement).toHaveTextContent("Beperkt");
    });

    it("offers no new note, says why, and keeps the edit to lift it", async () => {
      const onNewNote = vi.fn();
      const onEdit = vi.fn();
      render(ClientView, props({ initial: RESTRICTED, onNewNote, onEdit }));
      const newNote = screen.getByTestId("client-new-note");
      expect(newNote).toBeDisabled();
      expect(newNote).toHaveAccessibleDescription(
        "Nieuwe notities en consulten kunnen niet worden toegevoegd zolang de verwerking beperkt is.",
      );
      expect(screen.getByTestId("client-new-note-blocked")).toBeVisible();
      await fireEvent.click(newNote);
      await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
      expect(onNewNote).not.toHaveBeenCalled();

      const edit = screen.getByTestId("client-edit");
      expect(edit).toHaveTextContent("Gegevens bewerken");
      expect(edit).toBeEnabled();
      await fireEvent.click(edit);
      expect(onEdit).toHaveBeenCalledWith(RESTRICTED);
    });

    it("tells the note editor that the client is restricted", async () => {
      const onOpenNote = vi.fn();
      render(ClientView, props({ initial: RESTRICTED, onOpenNote, tab: "timeline" }));
      const items = await screen.findAllByTestId("timeline-item");
      await fireEvent.click(items[1]!);
      expect(onOpenNote).toHaveBeenCalledWith("n1", "timeline", true);
    });

    it("explains the restriction in English", () => {
      setLanguage("en");
      render(ClientView, props({ initial: RESTRICTED }));
      expect(screen.getByTestId("restricted-banner")).toHaveTextContent(
        "Processing of this record is restricted (GDPR art. 18): the record is read-only on every device and in the central store, and is not counted in reports to the employer. A psychologist can lift the restriction with Edit details (after a withdrawn consent only once the client consents again); lifting it is recorded in the privacy history and the access log.",
      );
      expect(screen.getByTestId("client-new-note-blocked")).toHaveTextContent(
        "New notes and consults cannot be added while processing is restricted.",
      );
    });

    it("shows no banner for a client who is not restricted", () => {
      render(ClientView, props());
      expect(screen.queryByTestId("restricted-banner")).toBeNull();
      expect(screen.queryByTestId("client-new-note-blocked")).toBeNull();
      expect(screen.getByTestId("client-new-note")).toBeEnabled();
    });
  });

  describe("privacy", () => {
    it("erases only after the client's code is typed, then leaves the record", async () => {
      commands.eraseClient.mockResolvedValue(ok({ notes: 2, addenda: 1, consults: 1 }));
      const onErased = vi.fn();
      render(ClientView, props({ tab: "privacy", onErased }));
      const panel = screen.getByTestId("privacy-erase");
      expect(panel).toHaveTextContent("Dit kan niet ongedaan worden gemaakt.");
      const submit = screen.getByTestId("privacy-erase-submit");
      expect(submit).toBeDisabled();
      await fireEvent.input(screen.getByTestId("privacy-erase-code"), { target: { value: "C-WRONG" } });
      expect(submit).toBeDisabled();
      await fireEvent.input(screen.getByTestId("privacy-erase-code"), {
        target: { value: CLIENT.clientCode.toLowerCase() },
      });
      expect(submit).not.toBeDisabled();
      await fireEvent.change(screen.getByTestId("privacy-erase-reason"), {
        target: { value: "consent_withdrawn" },
      });
      await fireEvent.click(submit);
      await vi.waitFor(() => expect(onErased).toHaveBeenCalled());
      expect(commands.eraseClient).toHaveBeenCalledWith(CLIENT.id, "consent_withdrawn");
    });

    it("records a refused erasure request and shows the client the back end returned", async () => {
      const reason = "Wettelijke bewaarplicht (WGBO, 20 jaar).";
      const updated = aClient({
        version: 2,
        privacyLog: [aPrivacyEvent(), aPrivacyEvent({ on: "2025-01-20", kind: "erasure_refused", reason })],
      });
      commands.refuseErasure.mockResolvedValue(ok(updated));
      const onErased = vi.fn();
      const onEdit = vi.fn();
      render(ClientView, props({ tab: "privacy", initial: aClient({ privacyLog: [aPrivacyEvent()] }), onErased, onEdit }));
      expect(screen.getAllByTestId("privacy-log-entry")).toHaveLength(1);

      await fireEvent.input(screen.getByTestId("privacy-refuse-reason"), { target: { value: reason } });
      await fireEvent.click(screen.getByTestId("privacy-refuse-submit"));
      expect(commands.refuseErasure).toHaveBeenCalledWith(CLIENT.id, reason);
      await vi.waitFor(() => expect(screen.getAllByTestId("privacy-log-entry")).toHaveLength(2));
      expectTexts(screen.getAllByTestId("privacy-log-entry")[1], [
        "20-01-2025",
        "Verzoek om wissen geweigerd",
        `Reden: ${reason}`,
      ]);
      expect(screen.getByTestId("privacy-refuse-done")).toBeInTheDocument();
      expect(onErased).not.toHaveBeenCalled();

      // The rest of the view has the updated record too.
      await fireEvent.click(screen.getByTestId("client-edit"));
      expect(onEdit).toHaveBeenCalledWith(updated);
      await fireEvent.click(screen.getByTestId("client-tab-profile"));
      expect(screen.getByText("2", { selector: "dd" })).toBeInTheDocument();
    });

    it("says in words why an erasure was refused, and erases nothing", async () => {
      commands.eraseClient.mockResolvedValue(failed("permission_denied"));
      const onErased = vi.fn();
      render(ClientView, props({ tab: "privacy", onErased }));
      await fireEvent.input(screen.getByTestId("privacy-erase-code"), {
        target: { value: CLIENT.clientCode },
      });
      await fireEvent.click(screen.getByTestId("privacy-erase-submit"));
      expect(await screen.findByTestId("privacy-erase-error")).toBeInTheDocument();
      expect(onErased).not.toHaveBeenCalled();
    });
  });
});
