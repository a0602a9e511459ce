// Changes the central store did not take as they were, ready to show: what each
// differing field or note section is called, its two values in the user's terms, and
// why the store refused a change. The core decides what a choice does; this only names.

import type { RecordKind, ConsultStatus } from "./bindings";
import { CONSULT_KINDS } from "./consultForm";
import { formatDate, formatDateTime } from "./format";
import type { PlainMessageKey } from "./i18n";
import { sectionLabelKey } from "./notes";

/**
 * Client and consult fields by their wire name (`ClientRecord` and `ConsultRecord` in
 * kluis-protocol), named as the client form and the consult form name them.
 */
const FIELD_LABELS: Record<"client" | "consult" | "addendum", Record<string, PlainMessageKey>> = {
  client: {
    first_name: "field.firstName",
    last_name: "field.lastName",
    email: "field.email",
    birth_year: "field.birthYear",
    phone: "field.phone",
    employer: "field.employer",
    care_start: "field.careStart",
    care_end: "field.careEnd",
    remarks: "field.remarks",
    health_data_consent_date: "field.healthDataConsentDate",
    employer_reporting_opt_in: "field.employerReportingOptIn",
    employer_reporting_date: "field.employerReportingDate",
    restricted: "field.restricted",
  },
  consult: {
    client_ids: "consultForm.clients",
    kind: "consultForm.kind",
    starts_at: "conflictField.startsAt",
    duration_minutes: "consultForm.duration",
    status: "conflictField.status",
    link: "consultForm.link",
  },
  addendum: {
    reason: "addendum.reason",
    text: "addendum.text",
  },
};

/** Client fields that hold a calendar date (`YYYY-MM-DD`). */
const CLIENT_DATES: ReadonlySet<string> = new Set([
  "care_start",
  "care_end",
  "health_data_consent_date",
  "employer_reporting_date",
]);

/** Client fields that hold `true` or `false`. */
const CLIENT_FLAGS: ReadonlySet<string> = new Set(["employer_reporting_opt_in", "restricted"]);

const CONSULT_STATUSES: readonly ConsultStatus[] = ["planned", "completed", "cancelled", "no_show"];

/** The store's refusal codes this screen explains; any other gets a general sentence. */
const REFUSALS: Record<string, PlainMessageKey> = {
  forbidden: "conflictRefusal.forbidden",
  invalid: "conflictRefusal.invalid",
  not_found: "conflictRefusal.not_found",
};

/**
 * The translation key of a differing field's or section's name, or null for a key this
 * UI does not know (the screen then shows the key itself, so no difference is hidden).
 */
export function conflictFieldLabelKey(kind: RecordKind, key: string): PlainMessageKey | null {
  if (kind === "note") return sectionLabelKey(key);
  const labels = FIELD_LABELS[kind];
  return Object.hasOwn(labels, key) ? (labels[key] ?? null) : null;
}

/** A value as the screen shows it: words to translate, or text to show as it is. */
export type ConflictValue = { key: PlainMessageKey } | { text: string };

/**
 * One side of a difference in the user's terms: dates the Dutch way, instants in
 * Amsterdam time, yes/no and consult kinds and statuses translated. Anything else,
 * note text included, is shown exactly as stored.
 */
export function conflictValue(kind: RecordKind, key: string, value: string): ConflictValue {
  if (value === "") return { key: "conflicts.emptyValue" };
  if (kind === "client") {
    if (CLIENT_DATES.has(key)) return { text: formatDate(value) };
    if (CLIENT_FLAGS.has(key) && value === "true") return { key: "common.yes" };
    if (CLIENT_FLAGS.has(key) && value === "false") return { key: "common.no" };
  }
  if (kind === "consult") {
    if (key === "starts_at") return { text: formatDateTime(value) };
    const kindOfConsult = CONSULT_KINDS.find((known) => known === value);
    if (key === "kind" && kindOfConsult !== undefined) {
      return { key: `consultKind.${kindOfConsult}` };
    }
    const status = CONSULT_STATUSES.find((known) => known === value);
    if (key === "status" && status !== undefined) return { key: `consultStatus.${status}` };
  }
  return { text: value };
}

/** Why the store refused a change, for its refusal code. */
export function refusalKey(refusal: string): PlainMessageKey {
  return Object.hasOwn(REFUSALS, refusal)
    ? (REFUSALS[refusal] ?? "conflictRefusal.other")
    : "conflictRefusal.other";
}
