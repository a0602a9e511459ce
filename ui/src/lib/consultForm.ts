// The plan-a-consult form: what the user types, checked and turned into a ConsultInput.
// The Rust side checks again and has the last word.

import type { ConsultInput, ConsultKind, RecurrenceFrequency } from "./bindings";
import { formatDate, parseDateInput, parseTimeInput } from "./format";
import type { PlainMessageKey } from "./i18n";

export const CONSULT_KINDS: readonly ConsultKind[] = [
  "video",
  "phone",
  "group_session",
  "self_check_in",
];

export type RecurrenceChoice = "none" | RecurrenceFrequency;
export const RECURRENCE_CHOICES: readonly RecurrenceChoice[] = ["none", "weekly", "biweekly"];

export type ConsultForm = {
  clientIds: string[];
  kind: ConsultKind;
  date: string;
  time: string;
  durationMinutes: string;
  recurrence: RecurrenceChoice;
  count: string;
  link: string;
};

export type ConsultField = "clientIds" | "date" | "time" | "durationMinutes" | "count" | "link";
export type ConsultErrors = Partial<Record<ConsultField, PlainMessageKey>>;

export const DEFAULT_DURATION_MINUTES = 50;

export function emptyConsultForm(todayIso: string): ConsultForm {
  return {
    clientIds: [],
    kind: "video",
    date: formatDate(todayIso),
    time: "",
    durationMinutes: String(DEFAULT_DURATION_MINUTES),
    recurrence: "none",
    count: "6",
    link: "",
  };
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,4}$/.test(trimmed) ? Number(trimmed) : null;
}

export function validateConsultForm(
  form: ConsultForm,
): { ok: true; input: ConsultInput } | { ok: false; errors: ConsultErrors } {
  const errors: ConsultErrors = {};
  const clientIds = form.clientIds.filter((id) => id !== "");
  const group = form.kind === "group_session";
  if (group ? clientIds.length < 2 || clientIds.length > 20 : clientIds.length !== 1) {
    errors.clientIds = group ? "invalid.groupClients" : "invalid.clientIds";
  }
  const date = parseDateInput(form.date);
  if (date === null) errors.date = "invalid.date";
  const time = parseTimeInput(form.time);
  if (time === null) errors.time = "invalid.time";
  const duration = wholeNumber(form.durationMinutes);
  if (duration === null || duration < 5 || duration > 480) errors.durationMinutes = "invalid.durationMinutes";
  const count = wholeNumber(form.count);
  if (form.recurrence !== "none" && (count === null || count < 2 || count > 52)) {
    errors.count = "invalid.count";
  }
  const link = form.link.trim();
  if (link !== "" && !/^https:\/\/\S+$/i.test(link)) errors.link = "invalid.link";

  if (Object.keys(errors).length > 0 || date === null || time === null || duration === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    input: {
      clientIds,
      kind: form.kind,
      date,
      time,
      durationMinutes: duration,
      link: link === "" ? null : link,
      recurrence:
        form.recurrence === "none" ? null : { frequency: form.recurrence, count: count ?? 2 },
    },
  };
}

/** The form field a back-end validation error points at (`errorField` output). */
export function consultFieldOf(field: string | null): ConsultField | null {
  switch (field) {
    case "clientIds":
    case "date":
    case "time":
    case "durationMinutes":
    case "link":
      return field;
    case "recurrence":
    case "count":
      return "count";
    default:
      return null;
  }
}
