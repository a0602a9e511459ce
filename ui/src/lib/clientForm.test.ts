import { describe, expect, it } from "vitest";
import {
  CLIENT_FIELDS,
  clientToForm,
  emptyClientForm,
  isPrivacyDecision,
  isWithdrawn,
  restrictionForced,
  validateClientForm,
  type ClientFormValues,
} from "./clientForm";
import { aClient, aClientInput } from "../test-support/fixtures";

function filled(partial: Partial<ClientFormValues> = {}): ClientFormValues {
  return {
    ...emptyClientForm(),
    firstName: " Anna ",
    email: "anna@example.nl",
    birthYear: "1985",
    phone: "06 12345678",
    careStart: "01-02-2024",
    healthDataConsentDate: "01-02-2024",
    ...partial,
  };
}

describe("validateClientForm", () => {
  it("requires the required fields", () => {
    const result = validateClientForm(emptyClientForm(), 2025);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      ["birthYear", "careStart", "email", "firstName", "healthDataConsentDate", "phone"].sort(),
    );
  });

  it("builds the ClientInput with ISO dates and nulls for empty optional fields", () => {
    const result = validateClientForm(filled(), 2025);
    expect(result).toEqual({
      ok: true,
      input: aClientInput({ lastName: null, phone: "06 12345678" }),
    });
  });

  it("checks dates, the birth year and the employer-reporting date", () => {
    const result = validateClientForm(
      filled({
        birthYear: "2030",
        careEnd: "01-01-2024",
        employerReportingOptIn: true,
        employerReportingDate: "",
      }),
      2025,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      birthYear: "invalid.birthYear",
      careEnd: "invalid.careEndBeforeStart",
      employerReportingDate: "invalid.employerReportingDate",
    });
  });

  it("drops the employer-reporting date when consent is withdrawn", () => {
    const result = validateClientForm(
      filled({ employerReportingOptIn: false, employerReportingDate: "01-03-2024" }),
      2025,
    );
    expect(result.ok && result.input.consents.employerReportingDate).toBeNull();
  });
});

describe("clientToForm", () => {
  it("shows dates the Dutch way and empty strings for nulls", () => {
    const client = aClient({
      lastName: null,
      consents: {
        healthDataConsentDate: "2024-01-31",
        employerReportingOptIn: true,
        employerReportingDate: "2024-02-02",
        healthDataConsentWithdrawn: null,
      },
    });
    const form = clientToForm(client);
    expect(form.careStart).toBe("01-02-2024");
    expect(form.healthDataConsentDate).toBe("31-01-2024");
    expect(form.employerReportingDate).toBe("02-02-2024");
    expect(form.lastName).toBe("");
    expect(form.healthDataConsentWithdrawal).toBe(false);
    expect(form.healthDataConsentWithdrawn).toBe("");
    expect(validateClientForm(form, 2025)).toMatchObject({ ok: true });
  });

  it("shows a withdrawn consent ticked with its date", () => {
    const input = aClientInput({ restricted: true });
    input.consents.healthDataConsentWithdrawn = "2025-01-10";
    const form = clientToForm(input);
    expect(form.healthDataConsentWithdrawal).toBe(true);
    expect(form.healthDataConsentWithdrawn).toBe("10-01-2025");
    expect(restrictionForced(form)).toBe(true);
    expect(validateClientForm(form, 2025, { today: "2025-01-20", previousWithdrawal: "2025-01-10" })).toEqual({
      ok: true,
      input,
    });
  });

  it("reads a record from before withdrawals existed (no field) as not withdrawn", () => {
    const input = aClientInput();
    delete input.consents.healthDataConsentWithdrawn;
    expect(isWithdrawn(input)).toBe(false);
    expect(clientToForm(input).healthDataConsentWithdrawal).toBe(false);
  });
});

describe("the withdrawal of health-data consent", () => {
  const TODAY = "2025-01-20";

  it("sends no withdrawal while it is not ticked, whatever the date field holds", () => {
    const result = validateClientForm(filled({ healthDataConsentWithdrawn: "10-01-2025" }), 2025, { today: TODAY });
    expect(result.ok && result.input.consents.healthDataConsentWithdrawn).toBeNull();
    expect(result.ok && result.input.restricted).toBe(false);
  });

  it("sends the day it was withdrawn, and the record restricted even if the tick says not", () => {
    const result = validateClientForm(
      filled({ healthDataConsentWithdrawal: true, healthDataConsentWithdrawn: "10-1-2025", restricted: false }),
      2025,
      { today: TODAY },
    );
    expect(result).toEqual({
      ok: true,
      input: aClientInput({
        lastName: null,
        phone: "06 12345678",
        restricted: true,
        consents: { ...aClientInput().consents, healthDataConsentWithdrawn: "2025-01-10" },
      }),
    });
  });

  it("may be withdrawn on the day it was given and on today", () => {
    for (const day of ["01-02-2024", "20-01-2025"]) {
      const result = validateClientForm(
        filled({ healthDataConsentWithdrawal: true, healthDataConsentWithdrawn: day }),
        2025,
        { today: TODAY },
      );
      expect(result.ok, day).toBe(true);
    }
  });

  it("needs a real date, not before the consent and not in the future", () => {
    const cases: [string, string][] = [
      ["", "invalid.healthDataConsentWithdrawn"],
      ["31-02-2025", "invalid.healthDataConsentWithdrawn"],
      ["31-01-2024", "invalid.healthDataConsentWithdrawnBeforeConsent"],
      ["21-01-2025", "invalid.healthDataConsentWithdrawnInFuture"],
    ];
    for (const [day, key] of cases) {
      const result = validateClientForm(
        filled({ healthDataConsentWithdrawal: true, healthDataConsentWithdrawn: day }),
        2025,
        { today: TODAY },
      );
      expect(result, day).toEqual({ ok: false, errors: { healthDataConsentWithdrawn: key } });
    }
  });

  it("is cleared only with a new consent, not dated before the withdrawal", () => {
    const context = { today: TODAY, previousWithdrawal: "2025-01-10" };
    expect(validateClientForm(filled(), 2025, context)).toEqual({
      ok: false,
      errors: { healthDataConsentDate: "invalid.healthDataConsentDateBeforeWithdrawal" },
    });
    for (const day of ["10-01-2025", "15-01-2025"]) {
      const result = validateClientForm(filled({ healthDataConsentDate: day }), 2025, context);
      expect(result.ok, day).toBe(true);
      expect(result.ok && result.input.consents.healthDataConsentWithdrawn).toBeNull();
    }
  });

  it("holds the restriction only while it is ticked", () => {
    expect(restrictionForced(filled({ healthDataConsentWithdrawal: true }))).toBe(true);
    expect(restrictionForced(filled({ restricted: true }))).toBe(false);
  });
});

describe("isPrivacyDecision", () => {
  it("is the consents and the restriction: what a restricted record still takes", () => {
    expect(CLIENT_FIELDS.filter(isPrivacyDecision)).toEqual([
      "healthDataConsentDate",
      "healthDataConsentWithdrawal",
      "healthDataConsentWithdrawn",
      "employerReportingOptIn",
      "employerReportingDate",
      "restricted",
    ]);
  });
});
