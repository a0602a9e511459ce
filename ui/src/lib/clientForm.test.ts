import { describe, expect, it } from "vitest";
import { clientToForm, emptyClientForm, validateClientForm, type ClientFormValues } from "./clientForm";
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
      },
    });
    const form = clientToForm(client);
    expect(form.careStart).toBe("01-02-2024");
    expect(form.healthDataConsentDate).toBe("31-01-2024");
    expect(form.employerReportingDate).toBe("02-02-2024");
    expect(form.lastName).toBe("");
    expect(validateClientForm(form, 2025)).toMatchObject({ ok: true });
  });
});
