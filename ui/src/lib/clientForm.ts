// The client form's model: the text the user edits, its validation, and the conversion
// to and from `ClientInput`. The Rust side validates again; this only gives quick feedback.
//
// A withdrawn health-data consent is a tick (`healthDataConsentWithdrawal`) with its day
// (`healthDataConsentWithdrawn`, the `ClientInput` field the back end names in its
// errors). While it stands the record is restricted: the input always says so, whatever
// the restriction tick says, as the back end would make it anyway.

import type { ClientInput } from "./bindings";
import { formatDate, parseDateInput, todayIso } from "./format";
import type { PlainMessageKey } from "./i18n";

export type ClientFormValues = {
  firstName: string;
  lastName: string;
  email: string;
  birthYear: string;
  phone: string;
  employer: string;
  careStart: string;
  careEnd: string;
  remarks: string;
  healthDataConsentDate: string;
  healthDataConsentWithdrawal: boolean;
  healthDataConsentWithdrawn: string;
  employerReportingOptIn: boolean;
  employerReportingDate: string;
  restricted: boolean;
};

export type ClientField = keyof ClientFormValues;

export const CLIENT_FIELDS: readonly ClientField[] = [
  "firstName",
  "lastName",
  "email",
  "birthYear",
  "phone",
  "employer",
  "careStart",
  "careEnd",
  "remarks",
  "healthDataConsentDate",
  "healthDataConsentWithdrawal",
  "healthDataConsentWithdrawn",
  "employerReportingOptIn",
  "employerReportingDate",
  "restricted",
];

/**
 * The privacy decisions: the consents and the restriction itself. They are all a
 * restricted record takes (the back end's rule), so they stay editable on one.
 */
export const PRIVACY_DECISION_FIELDS: readonly ClientField[] = [
  "healthDataConsentDate",
  "healthDataConsentWithdrawal",
  "healthDataConsentWithdrawn",
  "employerReportingOptIn",
  "employerReportingDate",
  "restricted",
];

export function isPrivacyDecision(field: ClientField): boolean {
  return PRIVACY_DECISION_FIELDS.includes(field);
}

export function isClientField(name: string | null): name is ClientField {
  return name !== null && (CLIENT_FIELDS as readonly string[]).includes(name);
}

/** Field → the message key that explains what is wrong with it. */
export type FieldErrors = Partial<Record<ClientField, PlainMessageKey>>;

export function emptyClientForm(): ClientFormValues {
  return {
    firstName: "",
    lastName: "",
    email: "",
    birthYear: "",
    phone: "",
    employer: "",
    careStart: "",
    careEnd: "",
    remarks: "",
    healthDataConsentDate: "",
    healthDataConsentWithdrawal: false,
    healthDataConsentWithdrawn: "",
    employerReportingOptIn: false,
    employerReportingDate: "",
    restricted: false,
  };
}

export function clientToForm(client: ClientInput): ClientFormValues {
  return {
    firstName: client.firstName,
    lastName: client.lastName ?? "",
    email: client.email,
    birthYear: String(client.birthYear),
    phone: client.phone,
    employer: client.employer ?? "",
    careStart: formatDate(client.careStart),
    careEnd: formatDate(client.careEnd),
    remarks: client.remarks,
    healthDataConsentDate: formatDate(client.consents.healthDataConsentDate),
    healthDataConsentWithdrawal: isWithdrawn(client),
    healthDataConsentWithdrawn: formatDate(client.consents.healthDataConsentWithdrawn),
    employerReportingOptIn: client.consents.employerReportingOptIn,
    employerReportingDate: formatDate(client.consents.employerReportingDate),
    restricted: client.restricted,
  };
}

/** Whether the client has withdrawn consent to process health data (and not given it again). */
export function isWithdrawn(client: ClientInput): boolean {
  const withdrawn = client.consents.healthDataConsentWithdrawn;
  return withdrawn !== undefined && withdrawn !== null && withdrawn !== "";
}

/** Whether the restriction tick is held on by a withdrawn consent, so it cannot be cleared. */
export function restrictionForced(values: ClientFormValues): boolean {
  return values.healthDataConsentWithdrawal;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,}$/;

export type ValidationResult =
  | { ok: true; input: ClientInput }
  | { ok: false; errors: FieldErrors };

function optional(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

/** What the checks need besides the form. */
export type ValidationContext = {
  /** Today as ISO `YYYY-MM-DD`: a withdrawal cannot be dated later. */
  today?: string;
  /**
   * The withdrawal the record holds now (ISO), if any. Clearing it means the client
   * gave consent again, so the consent date must then be that new consent's: not
   * before the withdrawal.
   */
  previousWithdrawal?: string | null;
};

/** Checks the form and, when it is valid, builds the `ClientInput` to send. */
export function validateClientForm(
  values: ClientFormValues,
  currentYear: number,
  context: ValidationContext = {},
): ValidationResult {
  const errors: FieldErrors = {};
  const today = context.today ?? todayIso();

  const firstName = values.firstName.trim();
  if (firstName === "") errors.firstName = "invalid.firstName";

  const email = values.email.trim();
  if (!EMAIL.test(email)) errors.email = "invalid.email";

  const birthYearText = values.birthYear.trim();
  const birthYear = Number(birthYearText);
  if (!/^\d{4}$/.test(birthYearText) || birthYear < 1900 || birthYear > currentYear) {
    errors.birthYear = "invalid.birthYear";
  }

  const phone = values.phone.trim();
  if (!PHONE.test(phone)) errors.phone = "invalid.phone";

  const careStart = parseDateInput(values.careStart);
  if (careStart === null) errors.careStart = "invalid.careStart";

  let careEnd: string | null = null;
  if (values.careEnd.trim() !== "") {
    careEnd = parseDateInput(values.careEnd);
    if (careEnd === null) errors.careEnd = "invalid.careEnd";
    else if (careStart !== null && careEnd < careStart) errors.careEnd = "invalid.careEndBeforeStart";
  }

  const healthDataConsentDate = parseDateInput(values.healthDataConsentDate);
  if (healthDataConsentDate === null) errors.healthDataConsentDate = "invalid.healthDataConsentDate";

  let healthDataConsentWithdrawn: string | null = null;
  if (values.healthDataConsentWithdrawal) {
    healthDataConsentWithdrawn = parseDateInput(values.healthDataConsentWithdrawn);
    if (healthDataConsentWithdrawn === null) {
      errors.healthDataConsentWithdrawn = "invalid.healthDataConsentWithdrawn";
    } else if (healthDataConsentWithdrawn > today) {
      errors.healthDataConsentWithdrawn = "invalid.healthDataConsentWithdrawnInFuture";
    } else if (healthDataConsentDate !== null && healthDataConsentWithdrawn < healthDataConsentDate) {
      errors.healthDataConsentWithdrawn = "invalid.healthDataConsentWithdrawnBeforeConsent";
    }
  } else if (
    context.previousWithdrawal &&
    healthDataConsentDate !== null &&
    healthDataConsentDate < context.previousWithdrawal
  ) {
    errors.healthDataConsentDate = "invalid.healthDataConsentDateBeforeWithdrawal";
  }

  let employerReportingDate: string | null = null;
  if (values.employerReportingOptIn) {
    employerReportingDate = parseDateInput(values.employerReportingDate);
    if (employerReportingDate === null) errors.employerReportingDate = "invalid.employerReportingDate";
  }

  if (Object.keys(errors).length > 0 || careStart === null || healthDataConsentDate === null) {
    return { ok: false, errors };
  }

  return {
    ok: true,
    input: {
      firstName,
      lastName: optional(values.lastName),
      email,
      birthYear,
      phone,
      employer: optional(values.employer),
      careStart,
      careEnd,
      remarks: values.remarks,
      consents: {
        healthDataConsentDate,
        employerReportingOptIn: values.employerReportingOptIn,
        employerReportingDate,
        healthDataConsentWithdrawn,
      },
      restricted: values.restricted || healthDataConsentWithdrawn !== null,
    },
  };
}

/** The message key for a field the server rejected. */
export function serverFieldMessage(field: ClientField): PlainMessageKey {
  return `invalid.${field}`;
}
