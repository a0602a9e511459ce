// Assertions the component tests share.

import { expect } from "vitest";

/** Asserts that an element shows each of the texts, one assertion per text. */
export function expectTexts(element: Element | undefined, texts: readonly string[]): void {
  for (const text of texts) expect(element).toHaveTextContent(text);
}
