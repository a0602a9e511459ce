import { describe, expect, it } from "vitest";
import type { AuditEvent } from "./bindings";
import { accessLogRow, accessLogRows } from "./accessLog";
import { translate } from "./i18n";

function event(partial: Partial<AuditEvent>): AuditEvent {
  return {
    seq: 1,
    id: "e1",
    occurredAt: new Date(2025, 0, 13, 9, 5, 7).toISOString(),
    actorId: "p1",
    actorName: "Dr. A. de Vries",
    actorRole: "psychologist",
    deviceId: "d1",
    onBehalfOf: null,
    action: "read",
    clientId: "c1",
    recordPart: "note",
    recordId: "n1",
    outcome: "success",
    ...partial,
  };
}

describe("accessLogRow", () => {
  it("shows Amsterdam time to the second, who, action and record part", () => {
    const row = accessLogRow(event({}));
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
      event({ outcome: "denied", actorRole: "lifestyle_expert", recordPart: "note_addendum" }),
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
        const text = translate(language, accessLogRow(event({ action })).actionKey);
        expect(text, `${language}:${action}`).not.toMatch(/^auditAction\./);
      }
      for (const recordPart of parts) {
        const text = translate(language, accessLogRow(event({ recordPart })).partKey);
        expect(text, `${language}:${recordPart}`).not.toMatch(/^recordPart\./);
      }
    }
  });
});

describe("accessLogRows", () => {
  it("lists the newest entry first", () => {
    const rows = accessLogRows([event({ seq: 1 }), event({ seq: 3 }), event({ seq: 2 })]);
    expect(rows.map((row) => row.seq)).toEqual([3, 2, 1]);
  });
});
