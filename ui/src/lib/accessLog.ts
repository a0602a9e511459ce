// One row of a client's access log (NEN 7513), ready to show.

import type { AuditEvent } from "./bindings";
import { formatDateTimeSeconds } from "./format";
import type { PlainMessageKey } from "./i18n";

export type AccessLogRow = {
  seq: number;
  /** Local time, `dd-mm-yyyy HH:MM:SS`. */
  when: string;
  who: string;
  roleKey: PlainMessageKey;
  actionKey: PlainMessageKey;
  partKey: PlainMessageKey;
  outcomeKey: PlainMessageKey;
  denied: boolean;
};

export function accessLogRow(event: AuditEvent): AccessLogRow {
  return {
    seq: event.seq,
    when: formatDateTimeSeconds(event.occurredAt),
    who: event.actorName,
    roleKey: `role.${event.actorRole}`,
    actionKey: `auditAction.${event.action}`,
    partKey: `recordPart.${event.recordPart}`,
    outcomeKey: `auditOutcome.${event.outcome}`,
    denied: event.outcome === "denied",
  };
}

/** Newest first. */
export function accessLogRows(events: readonly AuditEvent[]): AccessLogRow[] {
  return [...events].sort((a, b) => b.seq - a.seq).map(accessLogRow);
}
