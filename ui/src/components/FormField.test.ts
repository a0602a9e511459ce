import { render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { beforeEach, describe, expect, it } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import FormField, { type FieldAria } from "./FormField.svelte";

// The control the forms pass in, as a raw snippet: an input that takes `aria` the way
// the forms' inputs do (drawn once, which is all these tests need).
const input = createRawSnippet((aria: () => FieldAria) => ({
  render: () => {
    const { invalid, describedby } = aria();
    const described = describedby === undefined ? "" : ` aria-describedby="${describedby}"`;
    return `<input id="f-name" data-testid="f-name" aria-invalid="${invalid}"${described}>`;
  },
}));

function field(props: Partial<Parameters<typeof FormField>[1]> = {}) {
  return render(FormField, { id: "f-name", label: "Naam", children: input, ...props });
}

beforeEach(() => {
  setLanguage("nl");
});

describe("FormField", () => {
  it("labels the control", () => {
    const { container } = field({ class: "narrow" });
    expect(screen.getByLabelText("Naam")).toBe(screen.getByTestId("f-name"));
    expect(container.firstElementChild).toHaveClass("field", "narrow");
  });

  it("marks an optional field in the label", () => {
    field({ optional: true });
    expect(screen.getByLabelText("Naam (optioneel)")).toBe(screen.getByTestId("f-name"));
  });

  it("can hide the label and still label the control", () => {
    field({ labelClass: "visually-hidden" });
    expect(screen.getByText("Naam")).toHaveClass("visually-hidden");
    expect(screen.getByLabelText("Naam")).toBe(screen.getByTestId("f-name"));
  });

  it("shows no error line and a valid, undescribed control without an error", () => {
    const { container } = field({ error: null });
    expect(container.querySelector(".field-error")).toBeNull();
    const control = screen.getByTestId("f-name");
    expect(control).toHaveAttribute("aria-invalid", "false");
    expect(control).not.toHaveAttribute("aria-describedby");
  });

  it("shows the error in the page's language and links it to the control", () => {
    field({ error: "firstRun.nameRequired", errorTestid: "f-field-error", errorField: "name" });
    const line = screen.getByTestId("f-field-error");
    expect(line).toHaveTextContent("Vul uw naam in.");
    expect(line).toHaveClass("field-error");
    expect(line).toHaveAttribute("id", "f-name-error");
    expect(line).toHaveAttribute("data-field", "name");
    const control = screen.getByLabelText("Naam");
    expect(control).toHaveAttribute("aria-invalid", "true");
    expect(control).toHaveAttribute("aria-describedby", "f-name-error");
    expect(control).toHaveAccessibleDescription("Vul uw naam in.");
  });

  it("takes the error line's id", () => {
    field({ error: "firstRun.nameRequired", errorId: "elsewhere" });
    expect(screen.getByText("Vul uw naam in.")).toHaveAttribute("id", "elsewhere");
    expect(screen.getByLabelText("Naam")).toHaveAccessibleDescription("Vul uw naam in.");
  });

  it("leaves the error line without an id, and unnamed, when told", () => {
    field({ error: "firstRun.nameRequired", errorId: null });
    expect(screen.getByText("Vul uw naam in.")).not.toHaveAttribute("id");
    expect(screen.getByLabelText("Naam")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Naam")).not.toHaveAttribute("aria-describedby");
  });

  it("shows the hint and describes the control by it", () => {
    field({ hint: "Zoals in het paspoort." });
    const hint = screen.getByText("Zoals in het paspoort.");
    expect(hint).toHaveClass("hint");
    expect(hint).toHaveAttribute("id", "f-name-hint");
    expect(screen.getByLabelText("Naam")).toHaveAccessibleDescription("Zoals in het paspoort.");
  });

  it("puts the hint before the error, and keeps the hint as the description", () => {
    const { container } = field({ hint: "Zoals in het paspoort.", error: "firstRun.nameRequired" });
    const lines = [...container.querySelectorAll("p")].map((p) => p.className);
    expect(lines).toEqual(["hint", "field-error"]);
    const control = screen.getByLabelText("Naam");
    expect(control).toHaveAttribute("aria-invalid", "true");
    expect(control).toHaveAttribute("aria-describedby", "f-name-hint");
  });

  it("describes the control by the ids it is given", () => {
    field({
      hint: "Vier of meer woorden.",
      describedby: "f-name-hint f-strength",
      error: "firstRun.notAcceptable",
    });
    expect(screen.getByLabelText("Naam")).toHaveAttribute("aria-describedby", "f-name-hint f-strength");
  });

  it("shows and hides the error line as the error changes", async () => {
    const { rerender } = field({ error: null });
    expect(screen.queryByText("Vul uw naam in.")).toBeNull();
    await rerender({ error: "firstRun.nameRequired" });
    expect(screen.getByText("Vul uw naam in.")).toHaveAttribute("id", "f-name-error");
    await rerender({ error: null });
    expect(screen.queryByText("Vul uw naam in.")).toBeNull();
  });
});
