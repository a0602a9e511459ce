// Hand-written placeholder for the file that tauri-specta generates from the Rust
// commands in `src-tauri`. It will be overwritten by the generated file, so the rest
// of the UI imports only the names declared here.

/* eslint-disable */

import { invoke as TAURI_INVOKE } from "@tauri-apps/api/core";

/** user-defined commands **/

export const commands = {
  async appStatus(): Promise<AppStatus> {
    return await TAURI_INVOKE("app_status");
  },
  async passphraseStrength(passphrase: string): Promise<PassphraseStrength> {
    return await TAURI_INVOKE("passphrase_strength", { passphrase });
  },
  async createVault(request: CreateVaultRequest): Promise<Result<null, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("create_vault", { request }) };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async unlock(passphrase: string): Promise<Result<null, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("unlock", { passphrase }) };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async lock(): Promise<Result<null, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("lock") };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async recordActivity(): Promise<void> {
    await TAURI_INVOKE("record_activity");
  },
  async sessionInfo(): Promise<Result<SessionInfo, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("session_info") };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async listClients(): Promise<Result<ClientSummary[], AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("list_clients") };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async getClient(id: string): Promise<Result<Client, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("get_client", { id }) };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async createClient(input: ClientInput): Promise<Result<Client, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("create_client", { input }) };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async updateClient(id: string, input: ClientInput): Promise<Result<Client, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("update_client", { id, input }) };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async getSettings(): Promise<Settings> {
    return await TAURI_INVOKE("get_settings");
  },
  async updateSettings(settings: Settings): Promise<Result<Settings, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("update_settings", { settings }) };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
  async changePassphrase(current: string, next: string): Promise<Result<null, AppError>> {
    try {
      return { status: "ok", data: await TAURI_INVOKE("change_passphrase", { current, next }) };
    } catch (e) {
      if (e instanceof Error) throw e;
      else return { status: "error", error: e as any };
    }
  },
};

/** user-defined types **/

export type AppError = {
  code: ErrorCode;
  message: string;
  retryAfterSeconds: number | null;
  field: string | null;
};
export type AppStatus = {
  vaultExists: boolean;
  unlocked: boolean;
  demoPassphrase: string | null;
  language: Language;
};
export type Client = ClientInput & {
  id: string;
  clientCode: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};
export type ClientInput = {
  firstName: string;
  lastName: string | null;
  email: string;
  birthYear: number;
  phone: string;
  employer: string | null;
  careStart: string;
  careEnd: string | null;
  remarks: string;
  consents: Consents;
  restricted: boolean;
};
export type ClientSummary = {
  id: string;
  clientCode: string;
  firstName: string;
  lastName: string | null;
  careStart: string;
  careEnd: string | null;
  restricted: boolean;
};
export type Consents = {
  healthDataConsentDate: string;
  employerReportingOptIn: boolean;
  employerReportingDate: string | null;
};
export type CreateVaultRequest = { passphrase: string; practitionerName: string; role: Role };
export type ErrorCode =
  | "wrong_passphrase"
  | "throttled"
  | "vault_locked"
  | "vault_missing"
  | "vault_exists"
  | "keyring_unavailable"
  | "device_secret_missing"
  | "header_tampered"
  | "header_foreign"
  | "database_tampered"
  | "unsupported_vault_version"
  | "weak_passphrase"
  | "validation"
  | "permission_denied"
  | "not_found"
  | "restricted"
  | "storage"
  | "internal";
export type Language = "nl" | "en";
export type PassphraseStrength = {
  score: number;
  acceptable: boolean;
  warning: string | null;
  suggestions: string[];
};
export type Role = "psychologist" | "lifestyle_expert";
export type SessionInfo = { practitionerName: string; role: Role };
export type Settings = { idleTimeoutSeconds: number; lockOnMinimize: boolean; language: Language };

/** tauri-specta globals **/

export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };
