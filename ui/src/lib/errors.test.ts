import { describe, expect, it } from "vitest";
import type { AppError } from "./bindings";
import { errorField, errorMessage, isAppError, isRestrictedError, toAppError } from "./errors";

function appError(partial: Partial<AppError> & Pick<AppError, "code">): AppError {
  return { message: "english detail", retryAfterSeconds: null, field: null, ...partial };
}

describe("errorMessage", () => {
  it("translates a known code", () => {
    expect(errorMessage("nl", appError({ code: "wrong_passphrase" }))).toBe(
      "Onjuiste wachtwoordzin. Probeer het opnieuw.",
    );
    expect(errorMessage("en", appError({ code: "wrong_passphrase" }))).toBe(
      "Wrong passphrase. Please try again.",
    );
  });

  it("puts the wait into a throttled message", () => {
    const error = appError({ code: "throttled", retryAfterSeconds: 30 });
    expect(errorMessage("nl", error)).toBe("Te veel pogingen. Wacht 30 seconden.");
    expect(errorMessage("en", error)).toBe("Too many attempts. Wait 30 seconds.");
    expect(errorMessage("nl", error, 12)).toBe("Te veel pogingen. Wacht 12 seconden.");
  });

  it("rounds a fractional wait up", () => {
    expect(errorMessage("nl", appError({ code: "throttled", retryAfterSeconds: 2.2 }))).toBe(
      "Te veel pogingen. Wacht 3 seconden.",
    );
  });

  it("handles a throttled error without a wait", () => {
    expect(errorMessage("nl", appError({ code: "throttled" }))).toBe(
      "Te veel pogingen. Wacht even en probeer het dan opnieuw.",
    );
  });

  it("never shows the Rust message, an exception or a stack trace", () => {
    const internal = errorMessage("nl", appError({ code: "internal" }));
    expect(internal).toContain("Er ging iets mis");
    const thrown = new Error("TypeError: x is undefined\n    at foo (app.js:1:1)");
    expect(errorMessage("nl", thrown)).toBe(internal);
    expect(errorMessage("nl", "command unlock not found")).toBe(internal);
    expect(errorMessage("nl", { code: "something_new", message: "boom" })).toBe(internal);
    expect(errorMessage("nl", null)).toBe(internal);
    expect(errorMessage("nl", appError({ code: "storage" }))).not.toContain("english detail");
  });
});

describe("isAppError / toAppError", () => {
  it("recognises the contract's shape", () => {
    expect(isAppError(appError({ code: "validation" }))).toBe(true);
    expect(isAppError({ code: "nope" })).toBe(false);
    expect(isAppError("validation")).toBe(false);
  });

  it("normalises odd values", () => {
    expect(toAppError({ code: "throttled", retryAfterSeconds: -1, field: "" })).toEqual({
      code: "throttled",
      message: "",
      retryAfterSeconds: null,
      field: null,
    });
    expect(toAppError(new Error("x")).code).toBe("internal");
  });
});

describe("errorField", () => {
  it("maps what the back end may send onto form keys", () => {
    expect(errorField(appError({ code: "validation", field: "email" }))).toBe("email");
    expect(errorField(appError({ code: "validation", field: "care_start" }))).toBe("careStart");
    expect(
      errorField(appError({ code: "validation", field: "consents.health_data_consent_date" })),
    ).toBe("healthDataConsentDate");
    expect(
      errorField(appError({ code: "validation", field: "input.consents.employerReportingDate" })),
    ).toBe("employerReportingDate");
    expect(errorField(appError({ code: "validation" }))).toBeNull();
    expect(errorField("oops")).toBeNull();
  });
});

describe("isRestrictedError", () => {
  it("is true only for the restricted code", () => {
    const error = (code: string) => ({ code, message: "x", retryAfterSeconds: null, field: null });
    expect(isRestrictedError(error("restricted"))).toBe(true);
    expect(isRestrictedError(error("note_signed"))).toBe(false);
    expect(isRestrictedError(new Error("restricted"))).toBe(false);
    expect(isRestrictedError(null)).toBe(false);
  });
});
