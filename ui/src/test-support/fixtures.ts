// The records the tests share: one client (Anna de Vries, C-7K3F9), her consult on
// Monday 13 January 2025, a draft note, an access-log entry, and the answers commands
// give. Each builder takes the fields a test changes; the rest stay as written here.

import type {
  AppError,
  AuditEvent,
  Client,
  ClientInput,
  ClientSummary,
  Consult,
  EffectivePolicy,
  ErrorCode,
  Note,
  PrivacyEvent,
  SessionInfo,
  Settings,
} from "../lib/bindings";

/** A command's answer when it succeeds. */
export function ok<T>(data: T): { status: "ok"; data: T } {
  return { status: "ok", data };
}

/** A command's answer when it fails, as the Rust side sends it. */
export function failed(
  code: ErrorCode,
  changes: Partial<AppError> = {},
): { status: "error"; error: AppError } {
  return {
    status: "error",
    error: { code, message: "x", retryAfterSeconds: null, field: null, ...changes },
  };
}

/** What `ClientInput` a completely filled-in form for Anna gives. */
export function aClientInput(changes: Partial<ClientInput> = {}): ClientInput {
  return {
    firstName: "Anna",
    lastName: "de Vries",
    email: "anna@example.nl",
    birthYear: 1985,
    phone: "0612345678",
    employer: null,
    careStart: "2024-02-01",
    careEnd: null,
    remarks: "",
    consents: {
      healthDataConsentDate: "2024-02-01",
      employerReportingOptIn: false,
      employerReportingDate: null,
      healthDataConsentWithdrawn: null,
    },
    restricted: false,
    ...changes,
  };
}

export function aClient(changes: Partial<Client> = {}): Client {
  return {
    id: "c1",
    clientCode: "C-7K3F9",
    ...aClientInput(),
    privacyLog: [],
    createdAt: "2024-02-01T09:00:00Z",
    updatedAt: "2024-02-01T09:00:00Z",
    version: 1,
    ...changes,
  };
}

/** A privacy decision the psychologist recorded: by default, the consent given at intake. */
export function aPrivacyEvent(changes: Partial<PrivacyEvent> = {}): PrivacyEvent {
  return {
    on: "2024-02-01",
    kind: "health_data_consent_given",
    by: "Dr. A. de Vries",
    reason: null,
    ...changes,
  };
}

/** Anna as the client list shows her. */
export function aClientSummary(changes: Partial<ClientSummary> = {}): ClientSummary {
  const { id, clientCode, firstName, lastName, careStart, careEnd, restricted } = aClient(changes);
  return { id, clientCode, firstName, lastName, careStart, careEnd, restricted };
}

/** The settings of a new vault: lock after five minutes, not on minimise, in Dutch. */
export function someSettings(changes: Partial<Settings> = {}): Settings {
  return { idleTimeoutSeconds: 300, lockOnMinimize: false, language: "nl", ...changes };
}

/** The policy of a machine without a policy file: Kluis's defaults, nothing managed. */
export function aPolicy(changes: Partial<EffectivePolicy> = {}): EffectivePolicy {
  return {
    storeUrl: null,
    caFingerprint: null,
    allowedRegions: ["nl", "de", "be"],
    maxIdleLockSeconds: 300,
    lockOnMinimize: false,
    wipeAfterFailedUnlocks: null,
    offlineGraceDays: null,
    offlineGraceAction: "lock",
    clipboardClearSeconds: 60,
    managed: {
      maxIdleLockSeconds: false,
      lockOnMinimize: false,
      clipboardClearSeconds: false,
      wipeAfterFailedUnlocks: false,
      offlineGraceDays: false,
      allowedRegions: false,
    },
    ...changes,
  };
}

/** Who is signed in: a psychologist. */
export function aSession(practitionerName = "Dr. A. de Vries"): { status: "ok"; data: SessionInfo } {
  return ok({ practitionerName, role: "psychologist" });
}

/** Anna's video consult on Monday 13 January 2025, 09:00–09:50 Amsterdam time. */
export function aConsult(changes: Partial<Consult> = {}): Consult {
  return {
    id: "k1",
    clients: [{ id: "c1", clientCode: "C-7K3F9", displayName: "Anna de Vries", restricted: false }],
    practitionerId: "p1",
    kind: "video",
    startsAt: "2025-01-13T08:00:00Z",
    date: "2025-01-13",
    startTime: "09:00",
    endTime: "09:50",
    durationMinutes: 50,
    status: "planned",
    seriesId: null,
    link: null,
    version: 1,
    ...changes,
  };
}

/** A free-text draft of the psychologist's. */
export function aNote(changes: Partial<Note> = {}): Note {
  return {
    id: "note-1",
    clientId: "client-1",
    consultId: null,
    authorId: "p1",
    authorName: "Dr. A. de Vries",
    authorRole: "psychologist",
    template: "free",
    visibility: "care_team",
    status: "draft",
    sections: [{ key: "text", text: "Begin" }],
    createdAt: "2025-01-13T09:00:00Z",
    updatedAt: "2025-01-13T09:00:00Z",
    signedAt: null,
    signedBy: null,
    contentHash: null,
    version: 1,
    addenda: [],
    ...changes,
  };
}

/** The psychologist reading a note of client c1 at 10:05:07 Amsterdam time, allowed. */
export function anAuditEvent(changes: Partial<AuditEvent> = {}): AuditEvent {
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
    ...changes,
  };
}

/** The days of ISO week 3 of 2025, Monday to Sunday. */
export const WEEK_3_OF_2025 = [
  "2025-01-13",
  "2025-01-14",
  "2025-01-15",
  "2025-01-16",
  "2025-01-17",
  "2025-01-18",
  "2025-01-19",
];
