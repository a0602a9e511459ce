import { describe, expect, it } from "vitest";
import type { RecordKind } from "./bindings";
import { conflictFieldLabelKey, conflictValue, refusalKey, type ConflictValue } from "./conflicts";
import { translate } from "./i18n";
import { NOTE_TEMPLATES, TEMPLATE_SECTIONS } from "./notes";

function label(kind: RecordKind, key: string): string | null {
  const labelKey = conflictFieldLabelKey(kind, key);
  return labelKey === null ? null : translate("nl", labelKey);
}

function shown(value: ConflictValue): string {
  return "key" in value ? translate("nl", value.key) : value.text;
}

describe("conflictFieldLabelKey", () => {
  it("names client fields by their wire names as the client form does", () => {
    expect(label("client", "first_name")).toBe("Voornaam");
    expect(label("client", "phone")).toBe("Telefoonnummer");
    expect(label("client", "remarks")).toBe("Opmerkingen");
    expect(label("client", "health_data_consent_date")).toBe(
      "Toestemming verwerking gezondheidsgegevens, gegeven op",
    );
    expect(translate("en", conflictFieldLabelKey("client", "birth_year")!)).toBe("Birth year");
  });

  it("names consult fields", () => {
    expect(label("consult", "starts_at")).toBe("Datum en begintijd");
    expect(label("consult", "status")).toBe("Status");
    expect(label("consult", "duration_minutes")).toBe("Duur in minuten");
    expect(label("consult", "kind")).toBe("Soort consult");
  });

  it("names every note section as the note editor does", () => {
    for (const template of NOTE_TEMPLATES) {
      for (const key of TEMPLATE_SECTIONS[template]) {
        expect(conflictFieldLabelKey("note", key), `${template}.${key}`).not.toBeNull();
      }
    }
    expect(label("note", "subjective")).toBe("Subjectief");
    expect(label("note", "text")).toBe("Tekst");
    expect(label("addendum", "reason")).toBe("Reden");
  });

  it("knows each name only for its own kind of record", () => {
    expect(label("note", "phone")).toBeNull();
    expect(label("client", "subjective")).toBeNull();
    expect(label("client", "status")).toBeNull();
    expect(label("client", "toString")).toBeNull();
    expect(label("consult", "response")).toBeNull();
  });
});

describe("conflictValue", () => {
  it("shows dates the Dutch way and instants in Amsterdam time", () => {
    expect(shown(conflictValue("client", "care_start", "2026-02-01"))).toBe("01-02-2026");
    expect(shown(conflictValue("consult", "starts_at", "2026-11-25T08:10:00Z"))).toBe(
      "25-11-2026 09:10",
    );
  });

  it("translates yes/no, consult kinds and statuses", () => {
    expect(shown(conflictValue("client", "restricted", "true"))).toBe("Ja");
    expect(shown(conflictValue("client", "employer_reporting_opt_in", "false"))).toBe("Nee");
    expect(shown(conflictValue("consult", "status", "no_show"))).toBe("Niet verschenen");
    expect(shown(conflictValue("consult", "kind", "video"))).toBe("Videoconsult");
  });

  it("shows anything else exactly as stored, and says when a side is empty", () => {
    expect(conflictValue("note", "plan", "true")).toEqual({ text: "true" });
    expect(conflictValue("client", "remarks", "2026-02-01")).toEqual({ text: "2026-02-01" });
    expect(conflictValue("consult", "status", "postponed")).toEqual({ text: "postponed" });
    expect(shown(conflictValue("note", "text", ""))).toBe("(leeg)");
  });
});

describe("refusalKey", () => {
  it("explains the store's refusal codes and any other one in general terms", () => {
    expect(translate("nl", refusalKey("forbidden"))).toContain("uw functie");
    expect(translate("nl", refusalKey("invalid"))).toContain("niet geldig");
    expect(translate("en", refusalKey("not_found"))).toContain("does not know this record");
    expect(refusalKey("too_large")).toBe("conflictRefusal.other");
    expect(refusalKey("constructor")).toBe("conflictRefusal.other");
  });
});
