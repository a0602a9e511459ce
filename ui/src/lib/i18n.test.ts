import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./bindings";
import {
  dictionaries,
  ERROR_CODES,
  errorDictionaries,
  interpolate,
  LANGUAGES,
  translate,
} from "./i18n";

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "").sort();
}

describe("dictionaries", () => {
  const nlKeys = Object.keys(dictionaries.nl).sort();

  it("has the same keys in every language", () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(dictionaries[language]).sort()).toEqual(nlKeys);
    }
  });

  it("has no empty strings", () => {
    for (const language of LANGUAGES) {
      for (const [key, text] of Object.entries(dictionaries[language])) {
        expect(text.trim(), `${language}:${key}`).not.toBe("");
      }
    }
  });

  it("uses the same placeholders in every language", () => {
    for (const key of nlKeys) {
      const expected = placeholders(dictionaries.nl[key as keyof typeof dictionaries.nl]);
      expect(placeholders(dictionaries.en[key as keyof typeof dictionaries.en]), key).toEqual(
        expected,
      );
    }
  });
});

describe("error texts", () => {
  // Written out here on purpose: a code added to the contract must be added in three places.
  const contract: ErrorCode[] = [
    "wrong_passphrase",
    "throttled",
    "vault_locked",
    "vault_missing",
    "vault_exists",
    "keyring_unavailable",
    "device_secret_missing",
    "header_tampered",
    "header_foreign",
    "database_tampered",
    "unsupported_vault_version",
    "weak_passphrase",
    "validation",
    "permission_denied",
    "not_found",
    "restricted",
    "note_signed",
    "storage",
    "internal",
  ];

  it("lists every error code of the contract", () => {
    expect([...ERROR_CODES].sort()).toEqual([...contract].sort());
  });

  it("translates every error code in every language", () => {
    for (const language of LANGUAGES) {
      const texts = errorDictionaries[language];
      expect(Object.keys(texts).sort()).toEqual([...contract].sort());
      for (const code of contract) {
        expect(texts[code].trim(), `${language}:${code}`).not.toBe("");
      }
    }
  });

  it("tells the user what to do, in the right language", () => {
    expect(errorDictionaries.nl.wrong_passphrase).toBe(
      "Onjuiste wachtwoordzin. Probeer het opnieuw.",
    );
    expect(errorDictionaries.nl.throttled).toBe("Te veel pogingen. Wacht {seconds} seconden.");
    expect(errorDictionaries.nl.keyring_unavailable).toContain("Secret Service");
    expect(errorDictionaries.en.keyring_unavailable).toContain("Secret Service");
    for (const code of ["header_tampered", "database_tampered"] as const) {
      expect(errorDictionaries.nl[code]).toContain("IT");
      expect(errorDictionaries.nl[code]).toContain("niets gewijzigd");
      expect(errorDictionaries.en[code]).toContain("nothing was changed");
    }
  });

  it("keeps the throttled placeholder in both languages", () => {
    for (const language of LANGUAGES) {
      expect(placeholders(errorDictionaries[language].throttled)).toEqual(["seconds"]);
    }
  });
});

describe("translate", () => {
  it("defaults to Dutch wording and switches to English", () => {
    expect(translate("nl", "nav.clients")).toBe("Cliënten");
    expect(translate("en", "nav.clients")).toBe("Clients");
  });

  it("fills placeholders and leaves unknown ones alone", () => {
    expect(translate("nl", "lock.demoHint", { passphrase: "abc" })).toBe(
      "Demoprofiel — wachtwoordzin: abc",
    );
    expect(interpolate("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });
});
