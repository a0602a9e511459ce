// Turns whatever a command returned or threw into words for the user.
//
// Only translated text is ever shown: the Rust `message` (English, for logs) and any
// JavaScript exception text stay out of the interface, so no stack trace reaches the user.

import type { AppError, ErrorCode, Language } from "./bindings";
import { ERROR_CODES, errorDictionaries, interpolate, translate } from "./i18n";

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const code = (value as { code?: unknown }).code;
  return typeof code === "string" && KNOWN_CODES.has(code);
}

/** The error as an `AppError`; anything unrecognised (a thrown Error, a string) becomes `internal`. */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) {
    return {
      code: value.code,
      message: typeof value.message === "string" ? value.message : "",
      retryAfterSeconds: positiveSeconds(value.retryAfterSeconds),
      field: typeof value.field === "string" && value.field !== "" ? value.field : null,
    };
  }
  return { code: "internal", message: "", retryAfterSeconds: null, field: null };
}

/**
 * The user-facing message for an error in the given language.
 * `secondsLeft` overrides `retryAfterSeconds` for a running countdown.
 */
export function errorMessage(language: Language, error: unknown, secondsLeft?: number): string {
  const appError = toAppError(error);
  const code: ErrorCode = appError.code;
  if (code === "throttled") {
    const seconds = secondsLeft ?? appError.retryAfterSeconds;
    if (seconds === null || seconds <= 0) return translate(language, "error.throttledUnknown");
    return interpolate(errorDictionaries[language].throttled, { seconds });
  }
  return errorDictionaries[language][code];
}

/**
 * Whether the back end refused a change because the client's processing is restricted
 * (AVG art. 18): the record is read-only, so trying again will not help.
 */
export function isRestrictedError(error: unknown): boolean {
  return isAppError(error) && error.code === "restricted";
}

/**
 * The form field an error points at, as a `ClientInput`/`Settings` key in camelCase.
 * Accepts what a Rust validator may send: `email`, `care_start`,
 * `consents.health_data_consent_date`, `input.consents.employerReportingDate`.
 */
export function errorField(error: unknown): string | null {
  const appError = toAppError(error);
  if (appError.field === null) return null;
  const last = appError.field.split(/[.\/]/).filter((part) => part !== "").pop();
  if (last === undefined) return null;
  return last.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function positiveSeconds(value: unknown): number | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return null;
  return Math.ceil(value);
}
