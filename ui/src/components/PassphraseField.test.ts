import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import { StrengthCheck } from "../lib/strength.svelte";
import PassphraseField from "./PassphraseField.svelte";

function field(props: Partial<Parameters<typeof PassphraseField>[1]> = {}) {
  return render(PassphraseField, {
    id: "p-new",
    label: "Wachtwoordzin",
    autocomplete: "new-password",
    value: "",
    ...props,
  });
}

beforeEach(() => {
  setLanguage("nl");
});

describe("PassphraseField", () => {
  it("is a labelled password input that spelling checks and keyboards leave alone", () => {
    field();
    const input = screen.getByLabelText("Wachtwoordzin");
    expect(input).toBe(screen.getByTestId("p-new"));
    expect(input).toHaveAttribute("type", "password");
    expect(input).toHaveAttribute("autocomplete", "new-password");
    expect(input).toHaveAttribute("spellcheck", "false");
    expect(input).toHaveAttribute("autocapitalize", "off");
    expect(input).not.toHaveAttribute("autofocus");
    expect(input).toHaveAttribute("aria-invalid", "false");
    expect(screen.queryByRole("meter")).toBeNull();
  });

  it("shows its error line and marks the input invalid", () => {
    field({ error: "firstRun.passphraseRequired", errorTestid: "p-error" });
    expect(screen.getByTestId("p-error")).toHaveTextContent("Vul een wachtwoordzin in.");
    expect(screen.getByLabelText("Wachtwoordzin")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Wachtwoordzin")).toHaveAccessibleDescription(
      "Vul een wachtwoordzin in.",
    );
  });

  it("is marked invalid from outside when its error shows elsewhere", () => {
    field({ autocomplete: "current-password", invalid: true, describedby: "elsewhere" });
    const input = screen.getByLabelText("Wachtwoordzin");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAttribute("aria-describedby", "elsewhere");
    expect(input).toHaveAttribute("autocomplete", "current-password");
  });

  it("shows the strength meter under the field, with the field's width class", () => {
    const strength = new StrengthCheck();
    strength.result = { score: 1, acceptable: false, warning: null, suggestions: [] };
    const { container } = field({ class: "narrow", meter: { id: "p-strength", strength } });
    const [wrapper, meter] = [...container.children];
    expect(wrapper).toHaveClass("field", "narrow");
    expect(meter).toBe(screen.getByTestId("p-strength"));
    expect(meter).toHaveAttribute("id", "p-strength");
    expect(meter).toHaveClass("strength", "narrow");
    expect(meter).toHaveAttribute("data-score", "1");
    expect(screen.getByText("Nog niet sterk genoeg", { exact: false })).toBeInTheDocument();
  });

  it("takes what is typed, reports the blur and can be disabled", async () => {
    const onblur = vi.fn();
    const { rerender } = field({ onblur });
    const input = screen.getByLabelText("Wachtwoordzin") as HTMLInputElement;
    await fireEvent.input(input, { target: { value: "paard batterij" } });
    expect(input.value).toBe("paard batterij");
    await fireEvent.blur(input);
    expect(onblur).toHaveBeenCalledOnce();
    await rerender({ disabled: true });
    expect(input).toBeDisabled();
  });
});
