import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AuditEvent, Client, TimelineItem } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import ClientView from "./ClientView.svelte";

const commands = vi.hoisted(() => ({
  getClient: vi.fn(),
  clientTimeline: vi.fn(),
  clientAccessLog: vi.fn(),
  verifyAccessLog: vi.fn(),
}));
// The generated constants stay real; the commands are this test's.
vi.mock("../lib/bindings", async (importOriginal) => ({ ...(await importOriginal<object>()), commands }));

const CLIENT: Client = {
  id: "c1",
  clientCode: "C-7K3F9",
  firstName: "Anna",
  lastName: "de Vries",
  email: "anna@example.nl",
  birthYear: 1985,
  phone: "0612345678",
  employer: null,
  careStart: "2024-02-01",
  careEnd: null,
  remarks: "",
  consents: {
    healthDataConsentDate: "2024-02-01",
    employerReportingOptIn: false,
    employerReportingDate: null,
  },
  restricted: false,
  createdAt: "2024-02-01T09:00:00Z",
  updatedAt: "2024-02-01T09:00:00Z",
  version: 1,
};

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

function auditEvent(partial: Partial<AuditEvent>): AuditEvent {
  return {
    seq: 1,
    id: "e1",
    occurredAt: new Date(2025, 0, 13, 9, 5, 7).toISOString(),
    actorId: "p1",
    actorName: "Dr. A. de Vries",
    actorRole: "psychologist",
    deviceId: "d1",
    onBehalfOf: null,
    action: "read",
    clientId: "c1",
    recordPart: "client",
    recordId: "c1",
    outcome: "success",
    ...partial,
  };
}

function props(overrides: Record<string, unknown> = {}) {
  return {
    id: "c1",
    initial: CLIENT,
    onBack: vi.fn(),
    onEdit: vi.fn(),
    onNewNote: vi.fn(),
    onOpenNote: vi.fn(),
    ...overrides,
  };
}

beforeEach(() => {
  for (const mock of Object.values(commands)) mock.mockReset();
  commands.clientTimeline.mockResolvedValue({ status: "ok", data: TIMELINE });
  commands.clientAccessLog.mockResolvedValue({
    status: "ok",
    data: [
      auditEvent({ seq: 1 }),
      auditEvent({
        seq: 2,
        actorName: "L. Jansen",
        actorRole: "lifestyle_expert",
        recordPart: "note",
        outcome: "denied",
        occurredAt: new Date(2025, 0, 13, 11, 30, 0).toISOString(),
      }),
    ],
  });
  setLanguage("nl");
});

describe("ClientView", () => {
  it("opens on the profile with its fields", () => {
    render(ClientView, props());
    expect(screen.getByTestId("client-tab-profile")).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("client-view-first-name")).toHaveTextContent("Anna");
    expect(commands.clientTimeline).not.toHaveBeenCalled();
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
    expect(items[1]).toHaveTextContent("13-01-2025 11:00");
    expect(items[1]).toHaveTextContent("SOAP");
    expect(items[1]).toHaveTextContent("Ondertekend");
    expect(items[1]).toHaveTextContent("Dr. A. de Vries · Psycholoog");
    expect(items[1]).toHaveTextContent("Slaapt slecht");
    expect(items[2]).toHaveTextContent("Videoconsult");
    expect(items[2]).toHaveTextContent("Afgerond");
    expect(items[2]?.tagName).toBe("DIV");

    await fireEvent.click(items[1]!);
    expect(onOpenNote).toHaveBeenLastCalledWith("n1", "timeline");
    await fireEvent.click(items[0]!);
    expect(onOpenNote).toHaveBeenLastCalledWith("n1", "timeline");
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
    expect(rows[0]).toHaveTextContent("13-01-2025 12:30:00");
    expect(rows[0]).toHaveTextContent("L. Jansen · Leefstijlexpert");
    expect(rows[0]).toHaveTextContent("Notitie");
    expect(rows[0]).toHaveTextContent("Geweigerd");
    expect(rows[0]).toHaveAttribute("data-outcome", "denied");
    expect(rows[1]).toHaveTextContent("13-01-2025 10:05:07");
    expect(rows[1]).toHaveTextContent("Ingezien");
    expect(rows[1]).toHaveTextContent("Cliëntgegevens");
    expect(rows[1]).toHaveTextContent("Toegestaan");
  });

  it("checks the access log's chain", async () => {
    commands.verifyAccessLog.mockResolvedValue({
      status: "ok",
      data: { entries: 12, intact: false, brokenAtSeq: 7, problem: "hash mismatch" },
    });
    render(ClientView, props({ tab: "access-log" }));
    await fireEvent.click(await screen.findByTestId("access-log-verify"));
    expect(await screen.findByTestId("access-log-broken")).toHaveTextContent(
      "De keten is verbroken bij vermelding 7",
    );
  });
});
