import { render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { TimelineItem } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import { ok } from "../test-support/fixtures";
import ClientTimeline from "./ClientTimeline.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

/** A signed lifestyle check-in of L. Jansen's on a day in 2025 at 10:00, with this score. */
function checkIn(id: string, month: number, day: number, wellbeingScore: number | null): TimelineItem {
  return {
    kind: "check_in",
    id,
    at: new Date(2025, month - 1, day, 10, 0).toISOString(),
    authorName: "L. Jansen",
    authorRole: "lifestyle_expert",
    consultKind: null,
    consultStatus: null,
    noteTemplate: "lifestyle_check_in",
    noteStatus: "signed",
    visibility: "care_team",
    summary: "Slaapt beter",
    wellbeingScore,
  };
}

const ADDENDUM: TimelineItem = {
  ...checkIn("n2", 3, 5, null),
  kind: "addendum",
  noteTemplate: null,
  noteStatus: null,
  visibility: null,
  authorRole: null,
  summary: "Typfout",
};

beforeEach(() => {
  resetCommands();
  setLanguage("nl");
});

describe("ClientTimeline's WHO-5 graph", () => {
  it("draws the scores oldest first, with the cut-off and a text alternative", async () => {
    // The timeline comes newest first.
    commands.clientTimeline.mockResolvedValue(
      ok([ADDENDUM, checkIn("n3", 3, 1, 72), checkIn("n2", 2, 1, null), checkIn("n1", 1, 13, 40)]),
    );
    render(ClientTimeline, { clientId: "c1", onOpenNote: vi.fn() });
    const graph = await screen.findByTestId("who5-graph");
    expect(screen.getAllByTestId("timeline-item")).toHaveLength(4);
    // Above the list.
    expect(
      graph.compareDocumentPosition(screen.getAllByTestId("timeline-item")[0]!) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();

    const points = within(graph).getAllByTestId("who5-point");
    expect(points.map((point) => point.querySelector("title")?.textContent)).toEqual([
      "13-01-2025: 40 / 100",
      "01-03-2025: 72 / 100",
    ]);
    expect(points.map((point) => point.getAttribute("cx"))).toEqual(["2%", "98%"]);
    // 0 to 100 upwards: the higher score sits higher.
    expect(Number(points[1]!.getAttribute("cy"))).toBeLessThan(Number(points[0]!.getAttribute("cy")));
    expect(points[0]).toHaveClass("low");
    expect(points[1]).not.toHaveClass("low");

    expect(within(graph).getByTestId("who5-cut-off")).toBeInTheDocument();
    expect(graph).toHaveTextContent("50: grens");
    expect(within(graph).getByRole("img")).toHaveAccessibleName(
      "WHO-5-welzijnsscore: 2 metingen; de eerste 40, de laatste 72 van 100 op 01-03-2025.",
    );
    const rows = within(within(graph).getByRole("table")).getAllByRole("row");
    expect(rows.map((row) => row.textContent)).toEqual(["DatumScore", "13-01-202540", "01-03-202572"]);
  });

  it("puts a single score in the middle and says so in English", async () => {
    setLanguage("en");
    commands.clientTimeline.mockResolvedValue(ok([checkIn("n1", 1, 13, 52)]));
    render(ClientTimeline, { clientId: "c1", onOpenNote: vi.fn() });
    const graph = await screen.findByTestId("who5-graph");
    const [point] = within(graph).getAllByTestId("who5-point");
    expect(point).toHaveAttribute("cx", "50%");
    expect(within(graph).getByRole("img")).toHaveAccessibleName(
      "WHO-5 wellbeing score: 1 measurement, 52 out of 100 on 13-01-2025.",
    );
    expect(graph).toHaveTextContent("50: cut-off");
  });

  it("shows no graph when no item has a score", async () => {
    commands.clientTimeline.mockResolvedValue(ok([checkIn("n1", 1, 13, null), ADDENDUM]));
    render(ClientTimeline, { clientId: "c1", onOpenNote: vi.fn() });
    expect(await screen.findAllByTestId("timeline-item")).toHaveLength(2);
    expect(screen.queryByTestId("who5-graph")).toBeNull();
  });
});
