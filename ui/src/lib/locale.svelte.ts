// The current interface language, shared by every component.
//
// `t` and `errorText` read the rune, so markup that calls them re-renders when the
// language changes (for example right after it is changed in Settings).

import type { Language } from "./bindings";
import { errorMessage } from "./errors";
import { translate, type MessageArguments, type MessageKey } from "./i18n";

let current = $state<Language>("nl");

export function language(): Language {
  return current;
}

export function setLanguage(next: Language): void {
  current = next;
}

export function t<Key extends MessageKey>(key: Key, ...args: MessageArguments<Key>): string {
  return translate(current, key, ...args);
}

export function errorText(error: unknown, secondsLeft?: number): string {
  return errorMessage(current, error, secondsLeft);
}
