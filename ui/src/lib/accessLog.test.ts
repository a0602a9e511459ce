import { describe, expect, it } from "vitest";
import { accessLogRow, accessLogRows } from "./accessLog";
import { translate } from "./i18n";
import { anAuditEvent } from "../test-support/fixtures";

describe("accessLogRow", () => {
  it("shows Amsterdam time to the second, who, action and record part", () => {
    const row = accessLogRow(anAuditEvent({}));
    expect(row.when).toBe("13-01-2025 10:05:07");
    expect(row.who).toBe("Dr. A. de Vries");
    expect(translate("nl", row.roleKey)).toBe("Psycholoog");
    expect(translate("nl", row.actionKey)).toBe("Ingezien");
    expect(translate("en", row.actionKey)).toBe("Viewed");
    expect(translate("nl", row.partKey)).toBe("Notitie");
    expect(translate("en", row.partKey)).toBe("Note");
    expect(translate("nl", row.outcomeKey)).toBe("Toegestaan");
    expect(row.denied).toBe(false);
  });

  it("marks a denied access", () => {
    const row = accessLogRow(
      anAuditEvent({ outcome: "denied", actorRole: "lifestyle_expert", recordPart: "note_addendum" }),
    );
    expect(row.denied).toBe(true);
    expect(translate("nl", row.outcomeKey)).toBe("Geweigerd");
    expect(translate("en", row.outcomeKey)).toBe("Denied");
    expect(translate("nl", row.roleKey)).toBe("Leefstijlexpert");
    expect(translate("nl", row.partKey)).toBe("Addendum");
  });

  it("has words for every action and record part in both languages", () => {
    const actions = ["create", "read", "update", "delete", "sign", "export", "search", "print"] as const;
    const parts = [
      "client",
      "client_list",
      "consult",
      "agenda",
      "note",
      "note_addendum",
      "timeline",
      "access_log",
      "search",
    ] as const;
    for (const language of ["nl", "en"] as const) {
      for (const action of actions) {
        const text = translate(language, accessLogRow(anAuditEvent({ action })).actionKey);
        expect(text, `${language}:${action}`).not.toMatch(/^auditAction\./);
      }
      for (const recordPart of parts) {
        const text = translate(language, accessLogRow(anAuditEvent({ recordPart })).partKey);
        expect(text, `${language}:${recordPart}`).not.toMatch(/^recordPart\./);
      }
    }
  });
});

describe("accessLogRows", () => {
  it("lists the newest entry first", () => {
    const rows = accessLogRows([anAuditEvent({ seq: 1 }), anAuditEvent({ seq: 3 }), anAuditEvent({ seq: 2 })]);
    expect(rows.map((row) => row.seq)).toEqual([3, 2, 1]);
  });
});
