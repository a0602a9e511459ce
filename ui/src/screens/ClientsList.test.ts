import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientSummary } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import { expectTexts } from "../test-support/assertions";
import { aClientSummary, failed, ok } from "../test-support/fixtures";
import ClientsList from "./ClientsList.svelte";

const { commands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

const CLIENTS: ClientSummary[] = [
  aClientSummary({ id: "1" }),
  aClientSummary({
    id: "2",
    clientCode: "C-ABCDE",
    firstName: "Jan",
    lastName: "Jansen",
    careStart: "2023-01-15",
    careEnd: "2023-06-30",
  }),
  aClientSummary({
    id: "3",
    clientCode: "C-QWERT",
    firstName: "Piet",
    lastName: null,
    careStart: "2024-03-01",
    restricted: true,
  }),
];

beforeEach(() => {
  commands.listClients.mockReset();
  commands.listClients.mockResolvedValue(ok(CLIENTS));
  setLanguage("nl");
});

describe("ClientsList", () => {
  it("shows code, name, care start and status per row", async () => {
    render(ClientsList, { onOpen: vi.fn(), onNew: vi.fn() });
    const rows = await screen.findAllByTestId("client-row");
    expect(rows.map((row) => row.getAttribute("data-client-code"))).toEqual([
      "C-ABCDE",
      "C-QWERT",
      "C-7K3F9",
    ]);
    expectTexts(rows[0], ["Jan Jansen", "15-01-2023", "Afgesloten"]);
    expect(rows[1]).toHaveTextContent("Beperkt");
    expect(rows[2]).toHaveTextContent("Actief");
  });

  it("marks a restricted client as read-only, to the eye and to a screen reader", async () => {
    render(ClientsList, { onOpen: vi.fn(), onNew: vi.fn() });
    const rows = await screen.findAllByTestId("client-row");
    const badge = within(rows[1]!).getByTestId("status-restricted");
    expect(badge).toHaveAttribute("title", "Verwerking beperkt: alleen-lezen");
    expect(within(badge).getByText("Beperkt")).toHaveAttribute("aria-hidden", "true");
    expect(within(badge).getByText("Verwerking beperkt: alleen-lezen")).toHaveClass("visually-hidden");
    expect(within(rows[0]!).queryByTestId("status-restricted")).toBeNull();
    expect(within(rows[2]!).queryByTestId("status-restricted")).toBeNull();
  });

  it("names the restriction in English", async () => {
    setLanguage("en");
    render(ClientsList, { onOpen: vi.fn(), onNew: vi.fn() });
    const rows = await screen.findAllByTestId("client-row");
    const badge = within(rows[1]!).getByTestId("status-restricted");
    expect(badge).toHaveAttribute("title", "Processing restricted: read-only");
    expect(badge).toHaveTextContent("Restricted");
  });

  it("filters on name and code", async () => {
    render(ClientsList, { onOpen: vi.fn(), onNew: vi.fn() });
    await screen.findAllByTestId("client-row");
    await fireEvent.input(screen.getByTestId("clients-search"), { target: { value: "vries" } });
    expect(screen.getAllByTestId("client-row").map((row) => row.dataset.clientCode)).toEqual([
      "C-7K3F9",
    ]);
    await fireEvent.input(screen.getByTestId("clients-search"), { target: { value: "c-qw" } });
    expect(screen.getAllByTestId("client-row").map((row) => row.dataset.clientCode)).toEqual([
      "C-QWERT",
    ]);
    await fireEvent.input(screen.getByTestId("clients-search"), { target: { value: "zzz" } });
    expect(screen.queryAllByTestId("client-row")).toEqual([]);
    expect(screen.getByText("Geen cliënten gevonden voor ‘zzz’.")).toBeInTheDocument();
  });

  it("opens a client on a row click and starts a new one", async () => {
    const onOpen = vi.fn();
    const onNew = vi.fn();
    render(ClientsList, { onOpen, onNew });
    const rows = await screen.findAllByTestId("client-row");
    await fireEvent.click(rows[2]!);
    expect(onOpen).toHaveBeenCalledWith("1");
    await fireEvent.click(screen.getByTestId("clients-new"));
    expect(onNew).toHaveBeenCalled();
  });

  it("shows a load error in words", async () => {
    commands.listClients.mockResolvedValue(failed("vault_locked"));
    render(ClientsList, { onOpen: vi.fn(), onNew: vi.fn() });
    expect(await screen.findByText(/De kluis is vergrendeld/)).toBeInTheDocument();
  });
});
