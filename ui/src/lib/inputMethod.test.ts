import { describe, expect, it } from "vitest";
import { forgetInputMethodText } from "./inputMethod";

describe("forgetInputMethodText", () => {
  it("moves focus from the field that was typed in to an empty one, then removes it", async () => {
    const remarks = document.createElement("textarea");
    remarks.value = "Vertrouwelijke intake-notities";
    document.body.appendChild(remarks);
    remarks.focus();
    const focusedValues: string[] = [];
    document.addEventListener("focusin", (event) => {
      focusedValues.push((event.target as HTMLInputElement).value);
    });
    const done = forgetInputMethodText(5);
    expect(document.activeElement).not.toBe(remarks);
    expect((document.activeElement as HTMLInputElement).value).toBe("");
    await done;
    expect(focusedValues).toEqual([""]);
    expect(document.querySelector('[data-testid="input-method-reset"]')).toBeNull();
    expect(document.activeElement).not.toBe(remarks);
    remarks.remove();
  });
});
