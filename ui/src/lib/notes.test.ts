import { describe, expect, it } from "vitest";
import {
  NOTE_TEMPLATES,
  TEMPLATE_SECTIONS,
  defaultTemplate,
  editorSections,
  noteIdFromResumePoint,
  noteResumePoint,
  sectionLabelKey,
  shortHash,
} from "./notes";
import { translate } from "./i18n";

describe("templates", () => {
  it("names every section of every template in both languages", () => {
    for (const template of NOTE_TEMPLATES) {
      for (const key of TEMPLATE_SECTIONS[template]) {
        const label = sectionLabelKey(key);
        expect(label, `${template}.${key}`).not.toBeNull();
      }
    }
    const soap = TEMPLATE_SECTIONS.soap.map((key) => translate("nl", sectionLabelKey(key)!));
    expect(soap).toEqual(["Subjectief", "Objectief", "Analyse", "Plan"]);
    const dap = TEMPLATE_SECTIONS.dap.map((key) => translate("nl", sectionLabelKey(key)!));
    expect(dap).toEqual(["Data", "Analyse", "Plan"]);
    const lifestyle = TEMPLATE_SECTIONS.lifestyle_check_in.map((key) =>
      translate("nl", sectionLabelKey(key)!),
    );
    expect(lifestyle).toEqual([
      "Slaap",
      "Beweging",
      "Voeding",
      "Stress",
      "Afspraken",
      "WHO-5: opgewekt en in een goed humeur",
      "WHO-5: rustig en ontspannen",
      "WHO-5: actief en energiek",
      "WHO-5: fris en uitgerust wakker",
      "WHO-5: dagelijks leven gevuld met boeiende dingen",
    ]);
    expect(translate("nl", sectionLabelKey("text")!)).toBe("Tekst");
    expect(sectionLabelKey("toString")).toBeNull();
  });

  it("starts a note with the template the role writes most", () => {
    expect(defaultTemplate("psychologist")).toBe("soap");
    expect(defaultTemplate("lifestyle_expert")).toBe("lifestyle_check_in");
  });
});

describe("editorSections", () => {
  it("orders sections by template, fills gaps and keeps unknown ones", () => {
    expect(
      editorSections({
        template: "dap",
        sections: [
          { key: "plan", text: "P" },
          { key: "legacy", text: "L" },
          { key: "data", text: "D" },
        ],
      }),
    ).toEqual([
      { key: "data", text: "D" },
      { key: "assessment", text: "" },
      { key: "plan", text: "P" },
      { key: "legacy", text: "L" },
    ]);
  });

  it("gives a lifestyle check-in written before the WHO-5 its five empty answers", () => {
    const sections = editorSections({
      template: "lifestyle_check_in",
      sections: ["sleep", "movement", "nutrition", "stress", "agreements"].map((key) => ({
        key,
        text: key,
      })),
    });
    expect(sections.map((section) => section.key)).toEqual([...TEMPLATE_SECTIONS.lifestyle_check_in]);
    expect(sections.slice(5).map((section) => section.text)).toEqual(["", "", "", "", ""]);
  });
});

describe("shortHash and resume points", () => {
  it("shows 12 hex characters", () => {
    expect(shortHash("0123456789abcdef0123")).toBe("0123456789ab");
    expect(shortHash(null)).toBe("");
  });

  it("round-trips a note resume point", () => {
    expect(noteResumePoint("abc")).toBe("note:abc");
    expect(noteIdFromResumePoint("note:abc")).toBe("abc");
    expect(noteIdFromResumePoint("note:")).toBeNull();
    expect(noteIdFromResumePoint("client:abc")).toBeNull();
    expect(noteIdFromResumePoint(null)).toBeNull();
  });
});
