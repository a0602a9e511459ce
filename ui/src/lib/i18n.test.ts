import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./bindings";
import {
  dictionaries,
  ERROR_CODES,
  errorDictionaries,
  interpolate,
  LANGUAGES,
  translate,
  type Message,
} from "./i18n";
import { en } from "./i18n/en";
import { nl } from "./i18n/nl";

/** The placeholder names of a text, sorted; a plural's forms together, with its `count`. */
function placeholders(message: Message): string[] {
  const texts = typeof message === "string" ? [message] : [message.one, message.other];
  const names = texts.flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ""));
  if (typeof message !== "string") names.push("count");
  return [...new Set(names)].sort();
}

/** Every text of a message: the string, or each form of a plural. */
function texts(message: Message): string[] {
  return typeof message === "string" ? [message] : [message.one, message.other];
}

describe("dictionaries", () => {
  const nlKeys = Object.keys(dictionaries.nl).sort();

  it("has the same keys in every language", () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(dictionaries[language]).sort()).toEqual(nlKeys);
    }
  });

  it("has the same keys in each language file, the Dutch file being the source", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
    expect(dictionaries.nl).toBe(nl);
    expect(dictionaries.en).toBe(en);
  });

  it("has no empty strings", () => {
    for (const language of LANGUAGES) {
      for (const [key, message] of Object.entries(dictionaries[language])) {
        for (const text of texts(message)) {
          expect(text.trim(), `${language}:${key}`).not.toBe("");
        }
      }
    }
  });

  it("has a plural where Dutch has one, and a string where Dutch has a string", () => {
    for (const key of nlKeys) {
      const dutch = dictionaries.nl[key as keyof typeof dictionaries.nl];
      const english = dictionaries.en[key as keyof typeof dictionaries.en];
      expect(typeof english, key).toBe(typeof dutch);
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
    "enrollment_token_invalid",
    "enrollment_token_unknown",
    "enrollment_token_used",
    "enrollment_token_expired",
    "enrollment_token_for_another_device",
    "enrollment_too_many_attempts",
    "store_unreachable",
    "store_not_trusted",
    "store_refused",
    "setting_managed",
    "vault_wiped",
    "offline_grace_expired",
    "not_allowed_by_policy",
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

  it("takes exactly the parameters a text names (checked by the compiler)", () => {
    // @ts-expect-error: a text with a placeholder needs its parameter.
    expect(translate("nl", "lock.demoHint")).toBe("Demoprofiel — wachtwoordzin: {passphrase}");
    // @ts-expect-error: a parameter the text does not name is refused.
    expect(translate("en", "lock.demoHint", { passphrase: "abc", seconds: 3 })).toBe(
      "Demo profile — passphrase: abc",
    );
    // @ts-expect-error: a text without placeholders takes no parameters.
    expect(translate("en", "nav.clients", { count: 2 })).toBe("Clients");
    // @ts-expect-error: a plural's count is a number.
    expect(translate("en", "clients.count", { count: "2" })).toBe("2 clients");
  });
});

describe("plurals", () => {
  // Each row: the key, the count, then the Dutch and the English text.
  const CASES = [
    ["clients.count", 1, "1 cliënt", "1 client"],
    ["clients.count", 0, "0 cliënten", "0 clients"],
    ["clients.count", 2, "2 cliënten", "2 clients"],
    ["today.planned", 1, "Consult gepland.", "Consult planned."],
    ["today.planned", 4, "4 consulten gepland.", "4 consults planned."],
    ["settings.idleMinutes", 1, "1 minuut", "1 minute"],
    ["settings.idleMinutes", 15, "15 minuten", "15 minutes"],
  ] as const;

  it.each(CASES)("picks the one form for 1 and the other form otherwise: %s, %i", (key, count, nl, en) => {
    expect(translate("nl", key, { count })).toBe(nl);
    expect(translate("en", key, { count })).toBe(en);
  });

  it("uses the other form for a fraction", () => {
    expect(translate("nl", "settings.idleMinutes", { count: 1.5 })).toBe("1.5 minuten");
    expect(translate("en", "settings.idleMinutes", { count: 1.5 })).toBe("1.5 minutes");
  });
});
