import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Client } from "../lib/bindings";
import { formatDate, todayIso } from "../lib/format";
import { setLanguage } from "../lib/locale.svelte";
import { aClient, aClientInput, failed, ok } from "../test-support/fixtures";
import ClientForm from "./ClientForm.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

const EXISTING: Client = aClient({
  createdAt: "2024-02-01T10:00:00Z",
  updatedAt: "2024-02-01T10:00:00Z",
  version: 3,
  phone: "06 12345678",
  employer: "Acme",
  remarks: "Voorkeur voor videobellen.",
  consents: {
    healthDataConsentDate: "2024-02-01",
    employerReportingOptIn: true,
    employerReportingDate: "2024-02-02",
    healthDataConsentWithdrawn: null,
  },
});

async function type(testid: string, value: string): Promise<void> {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } });
}

/** Types each value into the field with that test id, in order. */
async function typeAll(values: Record<string, string>): Promise<void> {
  for (const [testid, value] of Object.entries(values)) await type(testid, value);
}

function fieldError(field: string): HTMLElement | null {
  return document.querySelector(`[data-testid="client-field-error"][data-field="${field}"]`);
}

function renderForm(client: Client | null = null) {
  const onSaved = vi.fn();
  const onCancel = vi.fn();
  render(ClientForm, { client, onSaved, onCancel });
  return { onSaved, onCancel };
}

beforeEach(() => {
  commands.createClient.mockReset();
  commands.updateClient.mockReset();
  setLanguage("nl");
});

describe("ClientForm", () => {
  it("has every field with its test id", () => {
    renderForm();
    for (const testid of [
      "client-form",
      "client-first-name",
      "client-last-name",
      "client-email",
      "client-birth-year",
      "client-phone",
      "client-employer",
      "client-care-start",
      "client-care-end",
      "client-remarks",
      "client-health-consent-date",
      "client-health-consent-withdrawn",
      "client-employer-optin",
      "client-employer-date",
      "client-restricted",
      "client-save",
    ]) {
      expect(screen.getByTestId(testid), testid).toBeInTheDocument();
    }
    expect(screen.getByLabelText("Opmerkingen")).toBe(screen.getByTestId("client-remarks"));
  });

  it("refuses to save without the required fields", async () => {
    renderForm();
    await fireEvent.click(screen.getByTestId("client-save"));
    expect(commands.createClient).not.toHaveBeenCalled();
    expect(screen.getByTestId("client-error")).toHaveTextContent("Controleer de gemarkeerde velden");
    for (const field of ["firstName", "email", "birthYear", "phone", "careStart", "healthDataConsentDate"]) {
      expect(fieldError(field), field).not.toBeNull();
    }
    expect(fieldError("lastName")).toBeNull();
    expect(fieldError("employer")).toBeNull();
    expect(screen.getByTestId("client-first-name")).toHaveAttribute("aria-invalid", "true");
    expect(document.activeElement).toBe(screen.getByTestId("client-first-name"));
  });

  it("creates a client with ISO dates", async () => {
    const created = { ...EXISTING, id: "new" };
    commands.createClient.mockResolvedValue(ok(created));
    const { onSaved } = renderForm();
    await typeAll({
      "client-first-name": "Anna",
      "client-email": "anna@example.nl",
      "client-birth-year": "1985",
      "client-phone": "06 12345678",
      "client-care-start": "01-02-2024",
      "client-health-consent-date": "01-02-2024",
      "client-remarks": "Liever 's ochtends.",
    });
    await fireEvent.click(screen.getByTestId("client-save"));

    expect(commands.createClient).toHaveBeenCalledWith(
      aClientInput({ lastName: null, phone: "06 12345678", remarks: "Liever 's ochtends." }),
    );
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith(created));
  });

  it("shows a server field error next to that field", async () => {
    commands.updateClient.mockResolvedValue(
      failed("validation", { message: "email domain does not exist", field: "email" }),
    );
    renderForm(EXISTING);
    expect(screen.getByTestId("client-first-name")).toHaveValue("Anna");
    expect(screen.getByTestId("client-care-start")).toHaveValue("01-02-2024");
    await fireEvent.click(screen.getByTestId("client-save"));

    expect(commands.updateClient).toHaveBeenCalledWith("c1", expect.objectContaining({ email: "anna@example.nl" }));
    expect(await screen.findByTestId("client-error")).toHaveTextContent(
      "Niet alle gegevens zijn geldig.",
    );
    const error = fieldError("email");
    expect(error).toHaveTextContent("Vul een geldig e-mailadres in");
    expect(screen.getByTestId("client-email")).toHaveAttribute("aria-describedby", error?.id);
    expect(screen.getByTestId("client-error")).not.toHaveTextContent("domain");
  });

  it("maps a nested snake_case server field", async () => {
    commands.updateClient.mockResolvedValue(
      failed("validation", { field: "consents.health_data_consent_date" }),
    );
    renderForm(EXISTING);
    await fireEvent.click(screen.getByTestId("client-save"));
    await vi.waitFor(() => expect(fieldError("healthDataConsentDate")).not.toBeNull());
  });

  it("withdraws employer-reporting consent by clearing the checkbox", async () => {
    commands.updateClient.mockResolvedValue(ok(EXISTING));
    renderForm(EXISTING);
    expect(screen.getByTestId("client-employer-date")).toHaveValue("02-02-2024");
    await fireEvent.click(screen.getByTestId("client-employer-optin"));
    expect(screen.getByTestId("client-employer-date")).toBeDisabled();
    expect(screen.getByTestId("client-employer-date")).toHaveValue("");
    await fireEvent.click(screen.getByTestId("client-save"));
    expect(commands.updateClient).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({
        consents: {
          healthDataConsentDate: "2024-02-01",
          employerReportingOptIn: false,
          employerReportingDate: null,
          healthDataConsentWithdrawn: null,
        },
      }),
    );
  });

  it("lets a restricted record only be lifted, and says so", async () => {
    const restricted = { ...EXISTING, restricted: true };
    commands.updateClient.mockResolvedValue(ok({ ...restricted, restricted: false, version: 4 }));
    const { onSaved } = renderForm(restricted);
    expect(screen.getByTestId("client-form-restricted")).toHaveAttribute("role", "status");
    expect(screen.getByTestId("client-form-restricted")).toHaveTextContent(
      "U kunt hier alleen de toestemmingen en de beperking wijzigen. Om de beperking op te heffen zet u het vinkje bij ‘Verwerking beperken’ uit en slaat u op",
    );
    for (const testid of ["client-first-name", "client-phone", "client-remarks", "client-care-start", "client-care-end"]) {
      expect(screen.getByTestId(testid), testid).toBeDisabled();
    }
    // The privacy decisions stay open: the back end takes them on a restricted record.
    for (const testid of [
      "client-health-consent-date",
      "client-health-consent-withdrawn",
      "client-employer-optin",
      "client-employer-date",
    ]) {
      expect(screen.getByTestId(testid), testid).toBeEnabled();
    }
    const checkbox = screen.getByTestId("client-restricted");
    expect(checkbox).toBeEnabled();
    expect(checkbox).toBeChecked();
    await fireEvent.click(checkbox);
    await fireEvent.click(screen.getByTestId("client-save"));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(commands.updateClient).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({ restricted: false, phone: "06 12345678", remarks: "Voorkeur voor videobellen." }),
    );
  });

  it("leaves an unrestricted record's fields editable", () => {
    renderForm(EXISTING);
    expect(screen.queryByTestId("client-form-restricted")).toBeNull();
    expect(screen.getByTestId("client-phone")).toBeEnabled();
  });

  it("shows a non-field server error in the error area", async () => {
    commands.updateClient.mockResolvedValue(failed("restricted"));
    renderForm(EXISTING);
    await fireEvent.click(screen.getByTestId("client-save"));
    expect(await screen.findByTestId("client-error")).toHaveTextContent("beperkt");
    expect(document.querySelector('[data-testid="client-field-error"]')).toBeNull();
  });
});

describe("ClientForm's withdrawal of health-data consent", () => {
  const TODAY = todayIso();

  /** Anna as stored after withdrawing consent on 10 January 2025: restricted. */
  const WITHDRAWN: Client = {
    ...EXISTING,
    restricted: true,
    consents: { ...EXISTING.consents, healthDataConsentWithdrawn: "2025-01-10" },
  };

  it("is a checkbox that reveals its date, today by default, and says what follows", async () => {
    renderForm(EXISTING);
    const checkbox = screen.getByTestId("client-health-consent-withdrawn");
    expect(checkbox).not.toBeChecked();
    expect(screen.getByLabelText("De cliënt heeft deze toestemming ingetrokken")).toBe(checkbox);
    expect(checkbox).toHaveAccessibleDescription(
      "Zonder toestemming mag het dossier niet verder worden verwerkt: het wordt beperkt (alleen-lezen op elk apparaat, niet in rapportages). Wissen kan apart, op het tabblad Privacy. Geeft de cliënt later opnieuw toestemming, vul dan de nieuwe datum in en haal het vinkje weg.",
    );
    expect(screen.queryByTestId("client-health-consent-withdrawn-date")).toBeNull();

    await fireEvent.click(checkbox);
    const date = screen.getByTestId("client-health-consent-withdrawn-date");
    expect(date).toHaveValue(formatDate(TODAY));
    expect(screen.getByLabelText("Ingetrokken op")).toBe(date);
  });

  it("holds the restriction ticked while it stands, and says why", async () => {
    renderForm(EXISTING);
    const restricted = screen.getByTestId("client-restricted");
    expect(restricted).not.toBeChecked();
    expect(restricted).toBeEnabled();
    expect(screen.queryByTestId("client-restricted-held")).toBeNull();

    await fireEvent.click(screen.getByTestId("client-health-consent-withdrawn"));
    expect(restricted).toBeChecked();
    expect(restricted).toBeDisabled();
    expect(screen.getByTestId("client-restricted-held")).toHaveTextContent(
      "Blijft aangevinkt zolang de toestemming voor het verwerken van gezondheidsgegevens is ingetrokken.",
    );
    expect(restricted).toHaveAccessibleDescription(
      expect.stringContaining("Blijft aangevinkt zolang de toestemming"),
    );

    // A slip: clearing the withdrawal gives the restriction back as it was.
    await fireEvent.click(screen.getByTestId("client-health-consent-withdrawn"));
    expect(restricted).not.toBeChecked();
    expect(restricted).toBeEnabled();
    expect(screen.queryByTestId("client-health-consent-withdrawn-date")).toBeNull();
  });

  it("sends the withdrawal with its day, and the record restricted", async () => {
    commands.updateClient.mockResolvedValue(ok(WITHDRAWN));
    const { onSaved } = renderForm(EXISTING);
    await fireEvent.click(screen.getByTestId("client-health-consent-withdrawn"));
    await type("client-health-consent-withdrawn-date", "10-01-2025");
    await fireEvent.click(screen.getByTestId("client-save"));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledWith(WITHDRAWN));
    expect(commands.updateClient).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({
        consents: {
          healthDataConsentDate: "2024-02-01",
          employerReportingOptIn: true,
          employerReportingDate: "2024-02-02",
          healthDataConsentWithdrawn: "2025-01-10",
        },
        restricted: true,
        phone: "06 12345678",
      }),
    );
  });

  it("checks the withdrawal's date before sending", async () => {
    renderForm(EXISTING);
    await fireEvent.click(screen.getByTestId("client-health-consent-withdrawn"));
    await type("client-health-consent-withdrawn-date", "31-01-2024");
    await fireEvent.click(screen.getByTestId("client-save"));
    expect(commands.updateClient).not.toHaveBeenCalled();
    expect(fieldError("healthDataConsentWithdrawn")).toHaveTextContent(
      "De toestemming kan niet zijn ingetrokken vóórdat ze werd gegeven.",
    );
    const date = screen.getByTestId("client-health-consent-withdrawn-date");
    expect(date).toHaveAttribute("aria-invalid", "true");
    expect(document.activeElement).toBe(date);

    await type("client-health-consent-withdrawn-date", "");
    expect(fieldError("healthDataConsentWithdrawn")).toBeNull();
    await fireEvent.click(screen.getByTestId("client-save"));
    expect(fieldError("healthDataConsentWithdrawn")).toHaveTextContent(
      "Vul de datum in waarop de cliënt de toestemming introk (dd-mm-jjjj)",
    );
  });

  it("shows the back end's objection to the date beside it", async () => {
    commands.updateClient.mockResolvedValue(
      failed("validation", { field: "consents.health_data_consent_withdrawn" }),
    );
    renderForm(EXISTING);
    await fireEvent.click(screen.getByTestId("client-health-consent-withdrawn"));
    await fireEvent.click(screen.getByTestId("client-save"));
    await vi.waitFor(() =>
      expect(fieldError("healthDataConsentWithdrawn")).toHaveTextContent(
        "niet vóór de toestemming en niet in de toekomst",
      ),
    );
  });

  it("shows a standing withdrawal on a restricted record, which keeps its consents editable", () => {
    renderForm(WITHDRAWN);
    expect(screen.getByTestId("client-health-consent-withdrawn")).toBeChecked();
    expect(screen.getByTestId("client-health-consent-withdrawn")).toBeEnabled();
    expect(screen.getByTestId("client-health-consent-withdrawn-date")).toHaveValue("10-01-2025");
    expect(screen.getByTestId("client-health-consent-withdrawn-date")).toBeEnabled();
    expect(screen.getByTestId("client-health-consent-date")).toBeEnabled();
    expect(screen.getByTestId("client-restricted")).toBeChecked();
    expect(screen.getByTestId("client-restricted")).toBeDisabled();
    expect(screen.getByTestId("client-first-name")).toBeDisabled();
  });

  it("takes a new consent, then lets the restriction be lifted", async () => {
    commands.updateClient.mockResolvedValue(ok({ ...EXISTING, version: 5 }));
    const { onSaved } = renderForm(WITHDRAWN);
    await fireEvent.click(screen.getByTestId("client-health-consent-withdrawn"));
    const restricted = screen.getByTestId("client-restricted");
    // Still restricted as stored, but no longer held.
    expect(restricted).toBeChecked();
    expect(restricted).toBeEnabled();

    // The old consent date is no new consent.
    await fireEvent.click(restricted);
    await fireEvent.click(screen.getByTestId("client-save"));
    expect(commands.updateClient).not.toHaveBeenCalled();
    expect(fieldError("healthDataConsentDate")).toHaveTextContent(
      "De cliënt geeft opnieuw toestemming: vul de datum van die nieuwe toestemming in.",
    );

    await type("client-health-consent-date", "03-02-2025");
    await fireEvent.click(screen.getByTestId("client-save"));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(commands.updateClient).toHaveBeenCalledWith(
      "c1",
      expect.objectContaining({
        consents: {
          healthDataConsentDate: "2025-02-03",
          employerReportingOptIn: true,
          employerReportingDate: "2024-02-02",
          healthDataConsentWithdrawn: null,
        },
        restricted: false,
        remarks: "Voorkeur voor videobellen.",
      }),
    );
  });

  it("speaks English in English", async () => {
    setLanguage("en");
    renderForm(EXISTING);
    const checkbox = screen.getByTestId("client-health-consent-withdrawn");
    expect(screen.getByLabelText("The client has withdrawn this consent")).toBe(checkbox);
    expect(checkbox).toHaveAccessibleDescription(
      expect.stringContaining("Without consent the record may not be processed any further"),
    );
    await fireEvent.click(checkbox);
    expect(screen.getByLabelText("Withdrawn on")).toHaveValue(formatDate(TODAY));
    expect(screen.getByTestId("client-restricted-held")).toHaveTextContent(
      "Stays ticked while consent to processing of health data is withdrawn.",
    );
  });
});
