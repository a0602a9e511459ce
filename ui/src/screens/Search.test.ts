import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SearchHit } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import { ok } from "../test-support/fixtures";
import Search from "./Search.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

const HITS: SearchHit[] = [
  {
    kind: "note",
    id: "n1",
    clientId: "c1",
    clientCode: "C-7K3F9",
    clientName: "Anna de Vries",
    clientRestricted: false,
    noteTemplate: "soap",
    noteCreatedAt: new Date(2025, 0, 13, 9, 0).toISOString(),
    snippet: "slaapt slecht sinds de verhuizing",
  },
  {
    kind: "client",
    id: "c2",
    clientId: "c2",
    clientCode: "C-ABCDE",
    clientName: "Jan Slaap",
    clientRestricted: true,
    noteTemplate: null,
    noteCreatedAt: null,
    snippet: "",
  },
];

beforeEach(() => {
  commands.search.mockReset();
  commands.search.mockResolvedValue(ok(HITS));
  setLanguage("nl");
});

describe("Search", () => {
  it("searches on Enter and shows note and client results", async () => {
    render(Search, { onOpenNote: vi.fn(), onOpenClient: vi.fn() });
    const input = screen.getByTestId("search-input");
    await fireEvent.input(input, { target: { value: " slaap " } });
    await fireEvent.submit(input.closest("form")!);
    expect(commands.search).toHaveBeenCalledWith("slaap");
    const results = await screen.findAllByTestId("search-result");
    expect(results).toHaveLength(2);
    expect(results[0]).toHaveTextContent("Notitie");
    expect(results[0]).toHaveTextContent("Anna de Vries");
    expect(results[0]).toHaveTextContent("C-7K3F9");
    expect(results[0]).toHaveTextContent("SOAP · 13-01-2025");
    expect(results[0]).toHaveTextContent("slaapt slecht sinds de verhuizing");
    expect(results[1]).toHaveTextContent("Cliënt");
    // A restricted client's hit says so; the other does not.
    expect(results[1]!.querySelector('[data-testid="status-restricted"]')).not.toBeNull();
    expect(results[0]!.querySelector('[data-testid="status-restricted"]')).toBeNull();
  });

  it("opens a note or a client", async () => {
    const onOpenNote = vi.fn();
    const onOpenClient = vi.fn();
    render(Search, { onOpenNote, onOpenClient });
    await fireEvent.input(screen.getByTestId("search-input"), { target: { value: "slaap" } });
    await fireEvent.click(screen.getByTestId("search-submit"));
    const results = await screen.findAllByTestId("search-result");
    await fireEvent.click(results[0]!);
    expect(onOpenNote).toHaveBeenCalledWith("n1");
    await fireEvent.click(results[1]!);
    expect(onOpenClient).toHaveBeenCalledWith("c2");
  });

  it("says when nothing was found and does not search for nothing", async () => {
    commands.search.mockResolvedValue(ok([]));
    render(Search, { onOpenNote: vi.fn(), onOpenClient: vi.fn() });
    await fireEvent.click(screen.getByTestId("search-submit"));
    expect(commands.search).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByTestId("search-input"), { target: { value: "xyz" } });
    await fireEvent.click(screen.getByTestId("search-submit"));
    expect(await screen.findByTestId("search-empty")).toHaveTextContent("Niets gevonden voor ‘xyz’.");
  });
});
