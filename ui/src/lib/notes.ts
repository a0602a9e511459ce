// Note templates and their sections, as the back end defines them
// (`NoteTemplate::section_keys` in kluis-core), plus the resume point of an open draft.

import type { Note, NoteSection, NoteTemplate, Role } from "./bindings";
import type { PlainMessageKey } from "./i18n";
import { WHO5_ITEMS } from "./who5";

export const NOTE_TEMPLATES: readonly NoteTemplate[] = ["free", "soap", "dap", "lifestyle_check_in"];

export const TEMPLATE_SECTIONS: Record<NoteTemplate, readonly string[]> = {
  free: ["text"],
  soap: ["subjective", "objective", "assessment", "plan"],
  dap: ["data", "assessment", "plan"],
  // The five WHO-5 statements follow the free-text sections (see `who5.ts`).
  lifestyle_check_in: ["sleep", "movement", "nutrition", "stress", "agreements", ...WHO5_ITEMS],
};

const SECTION_LABELS: Record<string, PlainMessageKey> = {
  text: "section.text",
  subjective: "section.subjective",
  objective: "section.objective",
  assessment: "section.assessment",
  plan: "section.plan",
  data: "section.data",
  sleep: "section.sleep",
  movement: "section.movement",
  nutrition: "section.nutrition",
  stress: "section.stress",
  agreements: "section.agreements",
  who5_cheerful: "section.who5_cheerful",
  who5_calm: "section.who5_calm",
  who5_active: "section.who5_active",
  who5_rested: "section.who5_rested",
  who5_interest: "section.who5_interest",
};

/** The translation key of a section's title, or null for a key this UI does not know. */
export function sectionLabelKey(key: string): PlainMessageKey | null {
  return Object.hasOwn(SECTION_LABELS, key) ? (SECTION_LABELS[key] ?? null) : null;
}

/** The template a new note starts with: what this role writes most. */
export function defaultTemplate(role: Role | null): NoteTemplate {
  return role === "lifestyle_expert" ? "lifestyle_check_in" : "soap";
}

/**
 * The note's sections in template order, an empty one for each section it lacks, and
 * any section the template does not name kept at the end, so no text is ever hidden.
 */
export function editorSections(note: Pick<Note, "template" | "sections">): NoteSection[] {
  const texts = new Map(note.sections.map((section) => [section.key, section.text]));
  const keys = TEMPLATE_SECTIONS[note.template] ?? [];
  const ordered = keys.map((key) => ({ key, text: texts.get(key) ?? "" }));
  const extra = note.sections.filter((section) => !keys.includes(section.key));
  return [...ordered, ...extra.map((section) => ({ key: section.key, text: section.text }))];
}

/** The first 12 hex characters of a content hash, enough to compare by eye. */
export function shortHash(hash: string | null | undefined): string {
  return (hash ?? "").slice(0, 12);
}

const RESUME_NOTE = "note:";

export function noteResumePoint(id: string): string {
  return `${RESUME_NOTE}${id}`;
}

/** The note id in a resume point such as `note:<id>`, or null. */
export function noteIdFromResumePoint(point: string | null | undefined): string | null {
  if (typeof point !== "string" || !point.startsWith(RESUME_NOTE)) return null;
  const id = point.slice(RESUME_NOTE.length).trim();
  return id === "" ? null : id;
}
