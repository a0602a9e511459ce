import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import {
  aClient,
  aClientSummary,
  aConsult,
  aNote,
  aPolicy,
  aSession,
  failed,
  ok,
  someSettings,
} from "../test-support/fixtures";
import Shell from "./Shell.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

// The Tauri event bus: the test plays the back end that emits `kluis://flush-drafts`.
const events = vi.hoisted(() => ({
  handlers: new Map<string, () => void>(),
  unlisten: vi.fn(),
}));
vi.mock("@tauri-apps/api/event", () => ({
  listen: vi.fn(async (name: string, handler: () => void) => {
    events.handlers.set(name, handler);
    return events.unlisten;
  }),
}));

const DRAFT = aNote();

function syncStatus(state: string, conflicts = 0) {
  return { state, pending: 0, lastSuccessAt: null, message: null, conflicts, progress: null };
}

beforeEach(() => {
  resetCommands();
  events.handlers.clear();
  events.unlisten.mockReset();
  commands.sessionInfo.mockResolvedValue(aSession());
  commands.getSettings.mockResolvedValue(someSettings());
  commands.managedPolicy.mockResolvedValue(aPolicy());
  commands.listClients.mockResolvedValue(ok([]));
  commands.lock.mockReturnValue(new Promise(() => {}));
  commands.recordActivity.mockResolvedValue(undefined);
  commands.resumePoint.mockResolvedValue(ok(null));
  commands.setResumePoint.mockResolvedValue(ok(null));
  commands.agendaDay.mockResolvedValue(ok({ date: "2025-01-13", consults: [] }));
  commands.agendaWeek.mockResolvedValue(ok({ isoWeek: 3, days: [] }));
  commands.getNote.mockResolvedValue(ok(DRAFT));
  commands.getClient.mockResolvedValue(ok(aClient({ id: "client-1" })));
  commands.saveDraft.mockResolvedValue({
    status: "ok",
    data: { version: 2, updatedAt: "2025-01-13T09:05:00Z" },
  });
  commands.draftsFlushed.mockResolvedValue(undefined);
  commands.syncStatus.mockResolvedValue(syncStatus("not_configured"));
  commands.syncConflicts.mockResolvedValue(ok([]));
  setLanguage("nl");
});

afterEach(() => {
  vi.useRealTimers();
});

/** Opens Shell on the draft that was open at the lock and types into it. */
async function typeInReopenedDraft(text: string): Promise<void> {
  commands.resumePoint.mockResolvedValue(ok("note:note-1"));
  render(Shell);
  const field = await screen.findByTestId("note-section-text");
  await fireEvent.input(field, { target: { value: text } });
}

/** Asserts that the draft was saved with the text before `next` was called. */
function expectSavedBefore(next: (typeof commands)["lock"], text: string): void {
  expect(commands.saveDraft).toHaveBeenCalledWith("note-1", [{ key: "text", text }]);
  expect(commands.saveDraft.mock.invocationCallOrder[0]).toBeLessThan(
    next.mock.invocationCallOrder[0]!,
  );
}

async function flushRequest(): Promise<void> {
  await vi.waitFor(() => expect(events.handlers.has("kluis://flush-drafts")).toBe(true));
  events.handlers.get("kluis://flush-drafts")?.();
}

describe("Shell", () => {
  it("shows the sidebar and the session, and opens on Today", async () => {
    render(Shell);
    expect(screen.getByTestId("app-shell")).toBeInTheDocument();
    expect(screen.getByTestId("nav-today")).toHaveTextContent("Vandaag");
    expect(screen.getByTestId("nav-week")).toHaveTextContent("Week");
    expect(screen.getByTestId("nav-clients")).toHaveTextContent("Cliënten");
    expect(screen.getByTestId("nav-search")).toHaveTextContent("Zoeken");
    expect(screen.getByTestId("nav-settings")).toHaveTextContent("Instellingen");
    expect(screen.getByTestId("lock-button")).toHaveTextContent("Vergrendelen");
    expect(await screen.findByText("Dr. A. de Vries")).toBeInTheDocument();
    expect(screen.getByText("Psycholoog")).toBeInTheDocument();
    expect(await screen.findByTestId("today-screen")).toBeInTheDocument();
    expect(screen.getByTestId("nav-today")).toHaveAttribute("aria-current", "page");
  });

  it("takes the language from the settings after unlock", async () => {
    commands.getSettings.mockResolvedValue(someSettings({ language: "en" }));
    render(Shell);
    expect(await screen.findByText("Clients", { selector: "button" })).toBeInTheDocument();
  });

  it("locks on Ctrl+L and hides the content meanwhile", async () => {
    render(Shell);
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    await vi.waitFor(() => expect(commands.lock).toHaveBeenCalledTimes(1));
    // How long ago the key was pressed, in whole milliseconds: the steps before
    // the lock (draft, input method) take at least the input method's 20 ms.
    const [requestedMsAgo] = commands.lock.mock.calls[0]!;
    expect(Number.isInteger(requestedMsAgo)).toBe(true);
    expect(requestedMsAgo).toBeGreaterThanOrEqual(15);
    expect(await screen.findByText("Kluis wordt vergrendeld…")).toBeInTheDocument();
    expect(screen.queryByTestId("app-shell")).toBeNull();
  });

  it("locks on Cmd+L from inside a text field", async () => {
    commands.lock.mockResolvedValue(ok(null));
    render(Shell);
    await fireEvent.click(screen.getByTestId("nav-clients"));
    const search = await screen.findByTestId("clients-search");
    await fireEvent.keyDown(search, { key: "L", metaKey: true });
    await vi.waitFor(() => expect(commands.lock).toHaveBeenCalledTimes(1));
  });

  it("locks with the button and shows a failed lock", async () => {
    commands.lock.mockResolvedValue(failed("internal"));
    render(Shell);
    await fireEvent.click(screen.getByTestId("lock-button"));
    expect(await screen.findByTestId("lock-failed")).toHaveTextContent("Er ging iets mis");
    expect(screen.getByTestId("app-shell")).toBeInTheDocument();
  });

  it("reports activity at most once every 2 seconds", async () => {
    vi.useFakeTimers();
    render(Shell);
    for (let i = 0; i < 20; i++) await fireEvent.mouseMove(document.body);
    await fireEvent.keyDown(document.body, { key: "a" });
    expect(commands.recordActivity).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    await fireEvent.wheel(document.body);
    expect(commands.recordActivity).toHaveBeenCalledTimes(2);
  });

  it("navigates to every section", async () => {
    render(Shell);
    await fireEvent.click(screen.getByTestId("nav-settings"));
    expect(await screen.findByTestId("settings-idle")).toBeInTheDocument();
    expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
    await fireEvent.click(screen.getByTestId("nav-week"));
    expect(await screen.findByTestId("week-screen")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("nav-search"));
    expect(await screen.findByTestId("search-screen")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("nav-clients"));
    expect(await screen.findByTestId("clients-list")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("nav-today"));
    expect(await screen.findByTestId("today-screen")).toBeInTheDocument();
  });

  it("opens the conflicts from the sync indicator, with no menu item marked", async () => {
    commands.syncStatus.mockResolvedValue(syncStatus("up_to_date", 1));
    render(Shell);
    await fireEvent.click(await screen.findByTestId("sync-conflicts"));
    expect(await screen.findByTestId("conflicts-screen")).toBeInTheDocument();
    expect(await screen.findByTestId("conflicts-empty")).toBeInTheDocument();
    expect(commands.syncConflicts).toHaveBeenCalledOnce();
    for (const item of ["nav-today", "nav-week", "nav-clients", "nav-search", "nav-settings"]) {
      expect(screen.getByTestId(item)).not.toHaveAttribute("aria-current");
    }

    // Opened again from the indicator, it reads the list again.
    await fireEvent.click(screen.getByTestId("sync-conflicts"));
    await vi.waitFor(() => expect(commands.syncConflicts).toHaveBeenCalledTimes(2));

    await fireEvent.click(screen.getByTestId("nav-today"));
    expect(await screen.findByTestId("today-screen")).toBeInTheDocument();
    expect(screen.queryByTestId("conflicts-screen")).toBeNull();
  });

  it("answers a flush request at once when no draft is open", async () => {
    render(Shell);
    await flushRequest();
    await vi.waitFor(() => expect(commands.draftsFlushed).toHaveBeenCalledTimes(1));
    expect(commands.saveDraft).not.toHaveBeenCalled();
  });

  it("reopens the draft that was open at the lock", async () => {
    commands.resumePoint.mockResolvedValue(ok("note:note-1"));
    render(Shell);
    expect(await screen.findByTestId("note-section-text")).toHaveValue("Begin");
    expect(commands.getNote).toHaveBeenCalledWith("note-1");
    expect(screen.queryByTestId("today-screen")).toBeNull();
    expect(commands.setResumePoint).toHaveBeenCalledWith("note:note-1");
  });

  it("saves the text being typed before answering a flush request", async () => {
    await typeInReopenedDraft("Begin van een zin");
    await flushRequest();
    await vi.waitFor(() => expect(commands.draftsFlushed).toHaveBeenCalledTimes(1));
    expectSavedBefore(commands.draftsFlushed, "Begin van een zin");
  });

  it("saves the open draft before a manual lock", async () => {
    await typeInReopenedDraft("Laatste woorden");
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    await vi.waitFor(() => expect(commands.lock).toHaveBeenCalledTimes(1));
    expectSavedBefore(commands.lock, "Laatste woorden");
  });

  it("locks even when the draft cannot be saved in time", async () => {
    commands.saveDraft.mockReturnValue(new Promise(() => {}));
    await typeInReopenedDraft("Blijft hangen");
    await fireEvent.click(screen.getByTestId("lock-button"));
    await vi.waitFor(() => expect(commands.lock).toHaveBeenCalledTimes(1), { timeout: 2000 });
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);
  });

  it("forgets the resume point when the note is left by the sidebar", async () => {
    commands.resumePoint.mockResolvedValue(ok("note:note-1"));
    render(Shell);
    await screen.findByTestId("note-section-text");
    await fireEvent.click(screen.getByTestId("nav-today"));
    expect(await screen.findByTestId("today-screen")).toBeInTheDocument();
    expect(commands.setResumePoint).toHaveBeenLastCalledWith(null);
  });

  it("writes a note for a consult of today and comes back to Today", async () => {
    const clients = [{ id: "client-1", clientCode: "C-7K3F9", displayName: "Anna de Vries", restricted: false }];
    commands.agendaDay.mockResolvedValue(ok({ date: "2025-01-13", consults: [aConsult({ clients })] }));
    commands.createNote.mockResolvedValue(ok(DRAFT));
    render(Shell);
    await fireEvent.click(await screen.findByTestId("consult-write-note"));
    expect(screen.getByTestId("note-new-dialog")).toHaveTextContent("Anna de Vries (C-7K3F9)");
    await fireEvent.click(screen.getByTestId("note-create"));
    expect(await screen.findByTestId("note-editor")).toBeInTheDocument();
    expect(commands.createNote).toHaveBeenCalledWith({
      clientId: "client-1",
      consultId: "k1",
      template: "soap",
      visibility: "care_team",
    });
    expect(screen.queryByTestId("note-new-dialog")).toBeNull();
    expect(screen.getByTestId("nav-today")).toHaveAttribute("aria-current", "page");

    await fireEvent.click(await screen.findByTestId("note-close"));
    expect(await screen.findByTestId("today-screen")).toBeInTheDocument();
    expect(commands.setResumePoint).toHaveBeenLastCalledWith(null);
  });

  it("opens a restricted client's note read-only, from what the client view knows", async () => {
    commands.listClients.mockResolvedValue(ok([aClientSummary({ id: "client-1", restricted: true })]));
    commands.getClient.mockResolvedValue(ok(aClient({ id: "client-1", restricted: true })));
    commands.clientTimeline.mockResolvedValue(
      ok([
        {
          kind: "note",
          id: "note-1",
          at: "2025-01-13T09:00:00Z",
          authorName: "Dr. A. de Vries",
          authorRole: "psychologist",
          consultKind: null,
          consultStatus: null,
          noteTemplate: "free",
          noteStatus: "draft",
          visibility: "care_team",
          summary: "Begin",
          wellbeingScore: null,
        },
      ]),
    );
    render(Shell);
    await fireEvent.click(screen.getByTestId("nav-clients"));
    await fireEvent.click(await screen.findByTestId("client-row"));
    expect(await screen.findByTestId("restricted-banner")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("client-tab-timeline"));
    await fireEvent.click(await screen.findByTestId("timeline-item"));

    const field = await screen.findByTestId("note-section-text");
    expect(field).toHaveAttribute("readonly");
    expect(screen.getByTestId("restricted-banner")).toBeInTheDocument();
    // Once by the client view; the editor was told.
    expect(commands.getClient).toHaveBeenCalledTimes(1);
    await fireEvent.keyDown(window, { key: "l", ctrlKey: true });
    await vi.waitFor(() => expect(commands.lock).toHaveBeenCalledTimes(1));
    expect(commands.saveDraft).not.toHaveBeenCalled();
  });

  it("opens the new-note dialog with Ctrl+N on a client", async () => {
    commands.getClient.mockResolvedValue(ok(aClient({ id: "client-1" })));
    commands.listClients.mockResolvedValue(ok([aClientSummary({ id: "client-1" })]));
    render(Shell);
    await fireEvent.click(screen.getByTestId("nav-clients"));
    await fireEvent.click(await screen.findByTestId("client-row"));
    await screen.findByTestId("client-view-first-name");
    await fireEvent.keyDown(window, { key: "n", ctrlKey: true });
    expect(await screen.findByTestId("note-new-dialog")).toHaveTextContent("Anna de Vries (C-7K3F9)");
  });
});
