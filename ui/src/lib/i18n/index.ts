// Every string the interface shows, in Dutch (the default, `nl.ts`) and English (`en.ts`).
//
// The Dutch file defines the keys; the English one is typed against it, so a missing or
// extra key or a different placeholder is a compile error (and `i18n.test.ts` checks the
// same at run time). `translate` takes exactly the parameters a text names: none for a
// plain text, its `{name}` placeholders otherwise, and a numeric `count` for a plural.

import { ERROR_CODES, type ErrorCode, type Language } from "../bindings";
import { en, enErrors } from "./en";
import type { Message, Placeholders } from "./message";
import { nl, nlErrors } from "./nl";

export type { Message, Plural } from "./message";

export const LANGUAGES: readonly Language[] = ["nl", "en"];

/** Language names in their own language, so they read the same in both dictionaries. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  nl: "Nederlands",
  en: "English",
};

type Source = typeof nl;

export type MessageKey = keyof Source;

/** The keys of texts that take no parameters: what a component may keep in a variable. */
export type PlainMessageKey = {
  [Key in MessageKey]: [Placeholders<Source[Key]>] extends [never] ? Key : never;
}[MessageKey];

/** The parameters of a text: each placeholder a string or number, a plural's `count` a number. */
export type MessageParams<Key extends MessageKey> = {
  [Name in Placeholders<Source[Key]>]: Name extends "count" ? number : string | number;
};

/** What follows the key in `translate` and `t`: nothing, or exactly the text's parameters. */
export type MessageArguments<Key extends MessageKey> = [Placeholders<Source[Key]>] extends [never]
  ? []
  : [params: MessageParams<Key>];

export type Dictionary = Record<MessageKey, Message>;

export const dictionaries: Record<Language, Dictionary> = { nl, en };
export const errorDictionaries: Record<Language, Record<ErrorCode, string>> = {
  nl: nlErrors,
  en: enErrors,
};

/**
 * All error codes of the contract, for run-time checks: generated from Rust with the
 * bindings (`ErrorCode::ALL`). `ERROR_CODES_COMPLETE` fails to compile when the list
 * misses a code of the type.
 */
export { ERROR_CODES };
export const ERROR_CODES_COMPLETE: [Exclude<ErrorCode, (typeof ERROR_CODES)[number]>] extends [never]
  ? true
  : false = true;

export type Params = Record<string, string | number>;

/** Fills `{name}` placeholders; unknown placeholders are left as written. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

const pluralRules: Record<Language, Intl.PluralRules> = {
  nl: new Intl.PluralRules("nl"),
  en: new Intl.PluralRules("en"),
};

/** The text of a message in a language: a plural's form chosen by `count`, placeholders filled. */
export function translate<Key extends MessageKey>(
  language: Language,
  key: Key,
  ...args: MessageArguments<Key>
): string {
  const message = dictionaries[language][key];
  const params: Params | undefined = args[0];
  if (typeof message === "string") return interpolate(message, params);
  const form = pluralRules[language].select(Number(params?.count)) === "one" ? "one" : "other";
  return interpolate(message[form], params);
}

export function isLanguage(value: unknown): value is Language {
  return value === "nl" || value === "en";
}
