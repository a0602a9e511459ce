// The current interface language, shared by every component.
//
// `t` and `errorText` read the rune, so markup that calls them re-renders when the
// language changes (for example right after it is changed in Settings).

import type { Language } from "./bindings";
import { errorMessage } from "./errors";
import { translate, type MessageKey, type Params } from "./i18n";

let current = $state<Language>("nl");

export function language(): Language {
  return current;
}

export function setLanguage(next: Language): void {
  current = next;
}

export function t(key: MessageKey, params?: Params): string {
  return translate(current, key, params);
}

export function errorText(error: unknown, secondsLeft?: number): string {
  return errorMessage(current, error, secondsLeft);
}
