import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Note } from "../lib/bindings";
import { answerFlushRequest, hasDraftFlusher } from "../lib/drafts";
import { setLanguage } from "../lib/locale.svelte";
import { aClient, aNote, failed, ok } from "../test-support/fixtures";
import NoteEditor from "./NoteEditor.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

function localIso(hours: number, minutes: number): string {
  return new Date(2025, 0, 13, hours, minutes).toISOString();
}

const DRAFT: Note = aNote({
  template: "soap",
  sections: [{ key: "subjective", text: "Slaapt slecht" }],
  createdAt: localIso(9, 0),
  updatedAt: localIso(9, 1),
});

const SIGNED: Note = {
  ...DRAFT,
  status: "signed",
  sections: [
    { key: "subjective", text: "Slaapt slecht" },
    { key: "objective", text: "" },
    { key: "assessment", text: "Stress" },
    { key: "plan", text: "Over twee weken" },
  ],
  signedAt: localIso(10, 15),
  signedBy: "Dr. A. de Vries",
  contentHash: "abcdef0123456789abcdef0123456789",
  version: 3,
};

beforeEach(() => {
  resetCommands();
  commands.getNote.mockResolvedValue(ok(DRAFT));
  // Opened without saying whether the client is restricted, the editor reads the client.
  commands.getClient.mockResolvedValue(ok(aClient({ id: "client-1" })));
  commands.saveDraft.mockResolvedValue(ok({ version: 2, updatedAt: localIso(9, 7) }));
  commands.setResumePoint.mockResolvedValue(ok(null));
  commands.draftsFlushed.mockResolvedValue(undefined);
  setLanguage("nl");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("NoteEditor on a draft", () => {
  it("shows one labelled field per template section and remembers the draft", async () => {
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    expect(await screen.findByTestId("note-section-subjective")).toHaveValue("Slaapt slecht");
    expect(screen.getByLabelText("Subjectief")).toBe(screen.getByTestId("note-section-subjective"));
    expect(screen.getByLabelText("Objectief")).toHaveValue("");
    expect(screen.getByLabelText("Analyse")).toBeInTheDocument();
    expect(screen.getByLabelText("Plan")).toBeInTheDocument();
    expect(screen.getByTestId("note-save-status")).toHaveTextContent("Opgeslagen om 10:01");
    expect(commands.setResumePoint).toHaveBeenCalledWith("note:note-1");
    expect(hasDraftFlusher()).toBe(true);
  });

  it("autosaves 300 ms after typing stops and says when", async () => {
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const field = await screen.findByTestId("note-section-plan");
    vi.useFakeTimers();
    await fireEvent.input(field, { target: { value: "Vervolg" } });
    expect(screen.getByTestId("note-save-status")).toHaveTextContent("Opslaan…");
    await vi.advanceTimersByTimeAsync(299);
    expect(commands.saveDraft).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);
    expect(commands.saveDraft).toHaveBeenCalledWith("note-1", [
      { key: "subjective", text: "Slaapt slecht" },
      { key: "objective", text: "" },
      { key: "assessment", text: "" },
      { key: "plan", text: "Vervolg" },
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(screen.getByTestId("note-save-status")).toHaveTextContent("Opgeslagen om 10:07");
  });

  it("saves at once when the back end asks before a lock", async () => {
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const field = await screen.findByTestId("note-section-subjective");
    await fireEvent.input(field, { target: { value: "Slaapt slecht sinds" } });
    expect(commands.saveDraft).not.toHaveBeenCalled();
    await answerFlushRequest();
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);
    expect(commands.saveDraft.mock.calls[0]![1][0]).toEqual({
      key: "subjective",
      text: "Slaapt slecht sinds",
    });
    expect(commands.draftsFlushed).toHaveBeenCalledTimes(1);
  });

  it("shows a failed save in words and keeps the text", async () => {
    commands.saveDraft.mockResolvedValue({
      status: "error",
      error: { code: "note_signed", message: "x", retryAfterSeconds: null, field: null },
    });
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const field = await screen.findByTestId("note-section-subjective");
    await fireEvent.input(field, { target: { value: "Nieuwe tekst" } });
    await answerFlushRequest();
    expect(await screen.findByTestId("note-save-error")).toHaveTextContent(
      "Deze notitie is al ondertekend",
    );
    expect(screen.getByTestId("note-save-status")).toHaveTextContent("Niet opgeslagen");
    expect(field).toHaveValue("Nieuwe tekst");
  });

  it("signs after confirmation, then shows the note read-only with signer and hash", async () => {
    commands.signNote.mockResolvedValue(ok(SIGNED));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const field = await screen.findByTestId("note-section-plan");
    await fireEvent.input(field, { target: { value: "Over twee weken" } });
    await fireEvent.click(screen.getByTestId("note-sign"));
    expect(commands.signNote).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("note-sign-confirm"));

    const banner = await screen.findByTestId("note-signed-banner");
    expect(banner).toHaveTextContent("Ondertekend door Dr. A. de Vries op 13-01-2025 11:15");
    expect(banner).toHaveTextContent("abcdef012345");
    expect(banner).not.toHaveTextContent("abcdef0123456");
    // What was typed was saved before signing.
    expect(commands.saveDraft.mock.invocationCallOrder[0]).toBeLessThan(
      commands.signNote.mock.invocationCallOrder[0]!,
    );
    expect(screen.queryByRole("textbox", { name: "Plan" })).toBeNull();
    expect(screen.getByTestId("note-section-plan")).toHaveTextContent("Over twee weken");
    expect(screen.queryByTestId("note-sign")).toBeNull();
    expect(commands.setResumePoint).toHaveBeenLastCalledWith(null);
    expect(hasDraftFlusher()).toBe(false);
  });

  it("discards after confirmation and closes", async () => {
    commands.discardDraft.mockResolvedValue(ok(null));
    const onClose = vi.fn();
    render(NoteEditor, { id: "note-1", onClose });
    await screen.findByTestId("note-section-plan");
    await fireEvent.click(screen.getByTestId("note-discard"));
    expect(commands.discardDraft).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByTestId("note-discard-confirm"));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(commands.discardDraft).toHaveBeenCalledWith("note-1");
    expect(commands.setResumePoint).toHaveBeenLastCalledWith(null);
  });

  it("saves and forgets the resume point when closed", async () => {
    const onClose = vi.fn();
    render(NoteEditor, { id: "note-1", onClose });
    const field = await screen.findByTestId("note-section-plan");
    await fireEvent.input(field, { target: { value: "Tot slot" } });
    await fireEvent.click(screen.getByTestId("note-close"));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);
    expect(commands.setResumePoint).toHaveBeenLastCalledWith(null);
    expect(hasDraftFlusher()).toBe(false);
  });
});

describe("NoteEditor on a signed note", () => {
  it("lists addenda under the original and adds one", async () => {
    const withAddendum: Note = {
      ...SIGNED,
      addenda: [
        {
          id: "a1",
          noteId: "note-1",
          authorId: "p1",
          authorName: "Dr. A. de Vries",
          reason: "Typfout",
          text: "Lees: drie weken",
          createdAt: localIso(11, 0),
        },
      ],
    };
    commands.getNote.mockResolvedValue(ok(SIGNED));
    commands.addAddendum.mockResolvedValue(ok(withAddendum));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });

    expect(await screen.findByTestId("note-signed-banner")).toBeInTheDocument();
    expect(commands.setResumePoint).not.toHaveBeenCalled();
    expect(screen.queryAllByTestId("addendum")).toEqual([]);

    await fireEvent.click(screen.getByTestId("addendum-save"));
    expect(screen.getByText("Vul een reden en een tekst in.")).toBeInTheDocument();
    expect(commands.addAddendum).not.toHaveBeenCalled();

    await fireEvent.input(screen.getByTestId("addendum-reason"), { target: { value: "Typfout" } });
    await fireEvent.input(screen.getByTestId("addendum-text"), {
      target: { value: "Lees: drie weken" },
    });
    await fireEvent.click(screen.getByTestId("addendum-save"));
    const addenda = await screen.findAllByTestId("addendum");
    expect(commands.addAddendum).toHaveBeenCalledWith("note-1", "Typfout", "Lees: drie weken");
    expect(addenda).toHaveLength(1);
    expect(addenda[0]).toHaveTextContent("Reden: Typfout");
    expect(addenda[0]).toHaveTextContent("Dr. A. de Vries · 13-01-2025 12:00");
    expect(addenda[0]).toHaveTextContent("Lees: drie weken");
    expect(screen.getByTestId("addendum-reason")).toHaveValue("");
  });
});

describe("NoteEditor on a lifestyle check-in", () => {
  const TEXT_KEYS = ["sleep", "movement", "nutrition", "stress", "agreements"] as const;
  const WHO5_KEYS = ["who5_cheerful", "who5_calm", "who5_active", "who5_rested", "who5_interest"];

  /** A check-in whose WHO-5 sections hold these five texts. */
  function checkIn(answers: readonly string[], changes: Partial<Note> = {}): Note {
    return aNote({
      template: "lifestyle_check_in",
      authorRole: "lifestyle_expert",
      sections: [
        ...TEXT_KEYS.map((key) => ({ key, text: key === "sleep" ? "Slaapt beter" : "" })),
        ...WHO5_KEYS.map((key, index) => ({ key, text: answers[index] ?? "" })),
      ],
      createdAt: localIso(9, 0),
      updatedAt: localIso(9, 1),
      ...changes,
    });
  }

  /** The WHO-5 texts the last save sent, in order. */
  function savedAnswers(): string[] {
    const sections = commands.saveDraft.mock.lastCall![1] as { key: string; text: string }[];
    expect(sections.map((section) => section.key)).toEqual([...TEXT_KEYS, ...WHO5_KEYS]);
    return sections.slice(TEXT_KEYS.length).map((section) => section.text);
  }

  it("asks the WHO-5 with radio buttons, not text fields", async () => {
    commands.getNote.mockResolvedValue(ok(checkIn(["3", "", "", "", "1"])));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    expect(await screen.findByTestId("note-section-sleep")).toHaveValue("Slaapt beter");
    for (const key of TEXT_KEYS) expect(screen.getByTestId(`note-section-${key}`).tagName).toBe("TEXTAREA");
    for (const key of WHO5_KEYS) expect(screen.queryByTestId(`note-section-${key}`)).toBeNull();

    const index = screen.getByRole("group", { name: "WHO-5-welzijnsindex" });
    expect(index).toHaveTextContent("Hoe voelde de cliënt zich de afgelopen twee weken?");
    const calm = screen.getByRole("group", { name: "Ik voelde me rustig en ontspannen" });
    expect(calm).toHaveTextContent("Nooit");
    expect(calm).toHaveTextContent("Altijd");
    expect(screen.getByTestId("who5-who5_calm-5")).toHaveAccessibleName("5 (Altijd)");
    expect(screen.getByTestId("who5-who5_calm-2")).toHaveAccessibleName(
      "2 (Minder dan de helft van de tijd)",
    );
    expect(screen.getByTestId("who5-who5_cheerful-3")).toBeChecked();
    expect(screen.getByTestId("who5-who5_interest-1")).toBeChecked();
    expect(screen.getByTestId("who5-who5_calm-3")).not.toBeChecked();
    expect(screen.getByTestId("who5-score")).toHaveTextContent("2 van 5 beantwoord");
    expect(screen.getByTestId("who5-incomplete")).toHaveTextContent("alle vijf");
  });

  it("saves a chosen answer as the section's digit, and shows the score once all five are in", async () => {
    commands.getNote.mockResolvedValue(ok(checkIn(["3", "2", "4", "1", ""])));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const radio = await screen.findByTestId("who5-who5_interest-3");
    expect(screen.getByTestId("who5-score")).toHaveTextContent("4 van 5 beantwoord");
    vi.useFakeTimers();
    await fireEvent.click(radio);
    expect(radio).toBeChecked();
    expect(screen.getByTestId("who5-score")).toHaveTextContent("Score: 52 / 100");
    expect(screen.queryByTestId("who5-incomplete")).toBeNull();
    expect(screen.getByTestId("note-save-status")).toHaveTextContent("Opslaan…");
    await vi.advanceTimersByTimeAsync(300);
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);
    expect(savedAnswers()).toEqual(["3", "2", "4", "1", "3"]);
    expect(commands.saveDraft.mock.lastCall![1][0]).toEqual({ key: "sleep", text: "Slaapt beter" });
  });

  it("clears an answer back to not answered", async () => {
    commands.getNote.mockResolvedValue(ok(checkIn(["5", "5", "5", "5", "5"])));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    expect(await screen.findByTestId("who5-score")).toHaveTextContent("Score: 100 / 100");
    expect(screen.getByTestId("who5-who5_calm-clear")).toHaveAccessibleName(
      "Antwoord wissen: Ik voelde me rustig en ontspannen",
    );
    await fireEvent.click(screen.getByTestId("who5-who5_calm-clear"));
    expect(screen.getByTestId("who5-who5_calm-5")).not.toBeChecked();
    expect(screen.getByTestId("who5-who5_calm-clear")).toBeDisabled();
    expect(screen.getByTestId("who5-score")).toHaveTextContent("4 van 5 beantwoord");
    await answerFlushRequest();
    expect(savedAnswers()).toEqual(["5", "", "5", "5", "5"]);
  });

  it("names the statements and the scale in English", async () => {
    setLanguage("en");
    commands.getNote.mockResolvedValue(ok(checkIn([])));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const index = await screen.findByRole("group", { name: "WHO-5 wellbeing index" });
    expect(index).toHaveTextContent("How has the client felt over the last two weeks?");
    expect(screen.getByRole("group", { name: "I woke up feeling fresh and rested" })).toBeInTheDocument();
    expect(screen.getByTestId("who5-who5_rested-0")).toHaveAccessibleName("0 (At no time)");
    expect(screen.getByTestId("who5-who5_rested-5")).toHaveAccessibleName("5 (All of the time)");
    expect(screen.getByTestId("who5-score")).toHaveTextContent("0 of 5 answered");
    expect(screen.queryByTestId("who5-incomplete")).toBeNull();
  });

  it("shows a signed check-in's answers compactly with the score", async () => {
    commands.getNote.mockResolvedValue(
      ok(checkIn(["3", "2", "4", "1", "3"], { status: "signed", signedAt: localIso(10, 0), signedBy: "L. Jansen" })),
    );
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const answers = await screen.findByTestId("who5-answers");
    expect(screen.queryAllByRole("radio")).toEqual([]);
    expect(screen.getByTestId("who5-answer-who5_calm")).toHaveTextContent("2 (Minder dan de helft van de tijd)");
    expect(screen.getByTestId("who5-score")).toHaveTextContent("Score: 52 / 100");
    expect(answers).toHaveTextContent("Ik voelde me actief en energiek");
    expect(answers).not.toHaveTextContent("(leeg)");
    expect(screen.getByTestId("note-section-sleep")).toHaveTextContent("Slaapt beter");
    expect(screen.getByTestId("note-section-movement")).toHaveTextContent("(leeg)");
  });

  it("says once that a signed check-in's WHO-5 was not taken", async () => {
    commands.getNote.mockResolvedValue(ok(checkIn([], { status: "signed", signedAt: localIso(10, 0) })));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    expect(await screen.findByTestId("who5-not-taken")).toHaveTextContent(
      "De WHO-5-welzijnsindex is niet afgenomen.",
    );
    expect(screen.queryByTestId("who5-score")).toBeNull();
    expect(screen.getAllByText("(leeg)")).toHaveLength(4);
  });
});

describe("NoteEditor on a restricted client's note", () => {
  const BANNER =
    "De verwerking van dit dossier is beperkt (AVG art. 18): het dossier is alleen-lezen op elk apparaat en in de centrale opslag, en telt niet mee in rapportages aan de werkgever. Een psycholoog kan de beperking opheffen via Gegevens bewerken (na een ingetrokken toestemming pas als de cliënt opnieuw toestemming geeft); het opheffen wordt vastgelegd in de privacygeschiedenis en de toegangslog.";

  it("opens a draft read-only with the banner when the opening page says so", async () => {
    const onClose = vi.fn();
    render(NoteEditor, { id: "note-1", restricted: true, onClose });
    const field = await screen.findByTestId("note-section-subjective");
    const banner = screen.getByTestId("restricted-banner");
    expect(banner).toHaveAttribute("role", "status");
    expect(banner).toHaveTextContent(BANNER);
    expect(field).toHaveValue("Slaapt slecht");
    expect(field).toHaveAttribute("readonly");
    expect(field).toHaveAccessibleDescription(BANNER);
    expect(screen.queryByTestId("note-sign")).toBeNull();
    expect(screen.queryByTestId("note-discard")).toBeNull();
    expect(screen.getByTestId("note-restricted-draft")).toHaveTextContent(
      "Dit concept kan niet worden bewerkt, ondertekend of verwijderd zolang de verwerking beperkt is.",
    );
    // Known from the page: the client is not read again; nothing to save before a lock.
    expect(commands.getClient).not.toHaveBeenCalled();
    expect(commands.setResumePoint).not.toHaveBeenCalledWith("note:note-1");
    expect(hasDraftFlusher()).toBe(false);

    await fireEvent.input(field, { target: { value: "Toch iets" } });
    await fireEvent.click(screen.getByTestId("note-close"));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(commands.saveDraft).not.toHaveBeenCalled();
  });

  it("reads the client when the opening page does not know, and goes read-only", async () => {
    commands.getClient.mockResolvedValue(ok(aClient({ id: "client-1", restricted: true })));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    expect(await screen.findByTestId("restricted-banner")).toBeInTheDocument();
    expect(commands.getClient).toHaveBeenCalledWith("client-1");
    expect(screen.getByTestId("note-section-subjective")).toHaveAttribute("readonly");
    expect(screen.queryByTestId("note-sign")).toBeNull();
  });

  it("does not read the client when the opening page knows it is not restricted", async () => {
    render(NoteEditor, { id: "note-1", restricted: false, onClose: vi.fn() });
    const field = await screen.findByTestId("note-section-subjective");
    expect(field).not.toHaveAttribute("readonly");
    expect(screen.queryByTestId("restricted-banner")).toBeNull();
    expect(screen.getByTestId("note-sign")).toBeInTheDocument();
    expect(commands.getClient).not.toHaveBeenCalled();
  });

  it("stays editable when the client cannot be read; the back end decides", async () => {
    commands.getClient.mockResolvedValue(failed("not_found"));
    render(NoteEditor, { id: "note-1", onClose: vi.fn() });
    const field = await screen.findByTestId("note-section-subjective");
    expect(field).not.toHaveAttribute("readonly");
    expect(screen.queryByTestId("restricted-banner")).toBeNull();
  });

  it("turns read-only when a save is refused as restricted, and does not save again", async () => {
    commands.saveDraft.mockResolvedValue(failed("restricted"));
    const onClose = vi.fn();
    render(NoteEditor, { id: "note-1", restricted: false, onClose });
    const field = await screen.findByTestId("note-section-subjective");
    await fireEvent.input(field, { target: { value: "Slaapt slecht sinds maandag" } });
    await answerFlushRequest();
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);

    const error = await screen.findByTestId("note-save-error");
    expect(error).toHaveTextContent("De verwerking van dit dossier is beperkt (AVG art. 18)");
    expect(error).toHaveTextContent("Wat u na het laatste opslaan typte, is niet opgeslagen.");
    expect(screen.getByTestId("restricted-banner")).toHaveTextContent(BANNER);
    expect(field).toHaveAttribute("readonly");
    expect(field).toHaveValue("Slaapt slecht sinds maandag");
    expect(screen.queryByTestId("note-sign")).toBeNull();
    expect(hasDraftFlusher()).toBe(false);

    // Neither another flush, nor typing, nor closing sends the refused text again.
    await answerFlushRequest();
    await fireEvent.input(field, { target: { value: "Nog meer" } });
    await fireEvent.click(screen.getByTestId("note-close"));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);
  });

  it("shows a refusal met while closing before it closes, without asking to try again", async () => {
    commands.saveDraft.mockResolvedValue(failed("restricted"));
    const onClose = vi.fn();
    render(NoteEditor, { id: "note-1", restricted: false, onClose });
    const field = await screen.findByTestId("note-section-plan");
    await fireEvent.input(field, { target: { value: "Vervolg" } });
    await fireEvent.click(screen.getByTestId("note-close"));
    const error = await screen.findByTestId("note-save-error");
    expect(onClose).not.toHaveBeenCalled();
    expect(error).toHaveTextContent("Wat u na het laatste opslaan typte, is niet opgeslagen.");
    expect(error).not.toHaveTextContent("Probeer het opnieuw");
    expect(screen.getByTestId("note-close")).toHaveTextContent("Toch sluiten");
    await fireEvent.click(screen.getByTestId("note-close"));
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(commands.saveDraft).toHaveBeenCalledTimes(1);
  });

  it("turns read-only when signing is refused as restricted", async () => {
    commands.signNote.mockResolvedValue(failed("restricted"));
    render(NoteEditor, { id: "note-1", restricted: false, onClose: vi.fn() });
    await screen.findByTestId("note-section-plan");
    await fireEvent.click(screen.getByTestId("note-sign"));
    await fireEvent.click(screen.getByTestId("note-sign-confirm"));
    expect(await screen.findByTestId("note-action-error")).toHaveTextContent(
      "Een psycholoog kan de beperking opheffen via Gegevens bewerken.",
    );
    expect(screen.getByTestId("restricted-banner")).toBeInTheDocument();
    expect(screen.queryByTestId("note-sign-question")).toBeNull();
    expect(screen.queryByTestId("note-sign")).toBeNull();
    expect(screen.getByTestId("note-section-plan")).toHaveAttribute("readonly");
  });

  it("offers no addendum on a restricted client's signed note, and says why", async () => {
    commands.getNote.mockResolvedValue(ok(SIGNED));
    render(NoteEditor, { id: "note-1", restricted: true, onClose: vi.fn() });
    expect(await screen.findByTestId("note-signed-banner")).toBeInTheDocument();
    expect(screen.getByTestId("restricted-banner")).toBeInTheDocument();
    expect(screen.queryByTestId("addendum-form")).toBeNull();
    expect(screen.getByTestId("note-restricted-addendum")).toHaveTextContent(
      "Een addendum kan niet worden toegevoegd zolang de verwerking beperkt is.",
    );
  });

  it("turns read-only when an addendum is refused as restricted", async () => {
    commands.getNote.mockResolvedValue(ok(SIGNED));
    commands.addAddendum.mockResolvedValue(failed("restricted"));
    render(NoteEditor, { id: "note-1", restricted: false, onClose: vi.fn() });
    await screen.findByTestId("addendum-form");
    await fireEvent.input(screen.getByTestId("addendum-reason"), { target: { value: "Typfout" } });
    await fireEvent.input(screen.getByTestId("addendum-text"), { target: { value: "Lees: drie" } });
    await fireEvent.click(screen.getByTestId("addendum-save"));
    expect(await screen.findByTestId("note-action-error")).toHaveTextContent("beperkt (AVG art. 18)");
    expect(screen.getByTestId("restricted-banner")).toBeInTheDocument();
    expect(screen.queryByTestId("addendum-form")).toBeNull();
    expect(screen.getByTestId("note-restricted-addendum")).toBeInTheDocument();
    expect(commands.addAddendum).toHaveBeenCalledTimes(1);
  });

  it("explains the restriction in English", async () => {
    setLanguage("en");
    render(NoteEditor, { id: "note-1", restricted: true, onClose: vi.fn() });
    expect(await screen.findByTestId("restricted-banner")).toHaveTextContent(
      "Processing of this record is restricted (GDPR art. 18): the record is read-only on every device and in the central store, and is not counted in reports to the employer. A psychologist can lift the restriction with Edit details (after a withdrawn consent only once the client consents again); lifting it is recorded in the privacy history and the access log.",
    );
    expect(screen.getByTestId("note-restricted-draft")).toHaveTextContent(
      "This draft cannot be edited, signed or discarded while processing is restricted.",
    );
  });
});
