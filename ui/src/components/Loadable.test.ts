import { fireEvent, render, screen } from "@testing-library/svelte";
import { createRawSnippet } from "svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../lib/locale.svelte";
import Loadable from "./Loadable.svelte";

// The content a screen passes in: the loaded list's length.
const content = createRawSnippet((items: () => string[]) => ({
  render: () => `<p data-testid="content">${items().length} items</p>`,
}));

function show(value: string[] | null, error: unknown = null, onRetry = vi.fn()) {
  render(Loadable<string[]>, {
    value,
    error,
    loading: "clients.loading",
    errorTestid: "load-error",
    onRetry,
    children: content,
  });
  return onRetry;
}

beforeEach(() => {
  setLanguage("nl");
});

describe("Loadable", () => {
  it("says it is loading until the data is there", () => {
    show(null);
    expect(screen.getByText("Cliënten worden geladen…")).toBeInTheDocument();
    expect(screen.queryByTestId("content")).toBeNull();
  });

  it("shows the content for the data", () => {
    show(["a", "b"]);
    expect(screen.getByTestId("content")).toHaveTextContent("2 items");
  });

  it("shows why reading failed, in words, and retries", async () => {
    const onRetry = show(null, { code: "vault_locked", message: "detail" });
    const error = screen.getByTestId("load-error");
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent("De kluis is vergrendeld.");
    expect(error).not.toHaveTextContent("detail");
    await fireEvent.click(screen.getByText("Opnieuw proberen"));
    expect(onRetry).toHaveBeenCalledOnce();
  });
});
