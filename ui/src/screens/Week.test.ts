import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgendaWeek } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import Week from "./Week.svelte";

const commands = vi.hoisted(() => ({ agendaWeek: vi.fn(), exportAgenda: vi.fn() }));
// The generated constants stay real; the commands are this test's.
vi.mock("../lib/bindings", async (importOriginal) => ({ ...(await importOriginal<object>()), commands }));

const WEEK: AgendaWeek = {
  isoWeek: 3,
  days: [
    {
      date: "2025-01-15",
      consults: [
        {
          id: "k1",
          clients: [{ id: "c1", clientCode: "C-7K3F9", displayName: "Anna de Vries" }],
          practitionerId: "p1",
          kind: "video",
          startsAt: "2025-01-15T08:00:00Z",
          date: "2025-01-15",
          startTime: "09:00",
          endTime: "09:50",
          durationMinutes: 50,
          status: "planned",
          seriesId: null,
          link: null,
          version: 1,
        },
      ],
    },
  ],
};

beforeEach(() => {
  for (const mock of Object.values(commands)) mock.mockReset();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2025, 0, 16, 12, 0)); // a Thursday
  commands.agendaWeek.mockResolvedValue({ status: "ok", data: WEEK });
  setLanguage("nl");
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Week", () => {
  it("shows seven days, Monday first, with the ISO week number", async () => {
    render(Week);
    expect(commands.agendaWeek).toHaveBeenCalledWith("2025-01-13");
    const days = await screen.findAllByTestId("week-day");
    expect(days.map((day) => day.dataset.date)).toEqual([
      "2025-01-13",
      "2025-01-14",
      "2025-01-15",
      "2025-01-16",
      "2025-01-17",
      "2025-01-18",
      "2025-01-19",
    ]);
    expect(days[0]).toHaveTextContent("maandag");
    expect(days[0]).toHaveTextContent("13-01");
    expect(days[6]).toHaveTextContent("zondag");
    expect(screen.getByTestId("week-number")).toHaveTextContent("Week 3");
    expect(days[2]).toHaveTextContent("09:00–09:50");
    expect(days[2]).toHaveTextContent("C-7K3F9");
    // Client codes only in the week view.
    expect(days[2]).not.toHaveTextContent("Anna");
  });

  it("shows English weekday names", async () => {
    setLanguage("en");
    render(Week);
    const days = await screen.findAllByTestId("week-day");
    expect(days[0]).toHaveTextContent("Monday");
  });

  it("moves a week back and forth", async () => {
    render(Week);
    await screen.findAllByTestId("week-day");
    await fireEvent.click(screen.getByTestId("week-prev"));
    expect(commands.agendaWeek).toHaveBeenLastCalledWith("2025-01-06");
    await fireEvent.click(screen.getByTestId("week-next"));
    await fireEvent.click(screen.getByTestId("week-next"));
    expect(commands.agendaWeek).toHaveBeenLastCalledWith("2025-01-20");
  });

  it("exports the week and shows where the file went", async () => {
    commands.exportAgenda.mockResolvedValue({
      status: "ok",
      data: "/home/anna/Downloads/kluis-agenda-2025-01-13.ics",
    });
    render(Week);
    expect(screen.getByText("De export bevat alleen cliëntcodes, geen namen.")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("week-export"));
    expect(commands.exportAgenda).toHaveBeenCalledWith("2025-01-13", 7);
    expect(await screen.findByTestId("week-export-path")).toHaveTextContent(
      "/home/anna/Downloads/kluis-agenda-2025-01-13.ics",
    );
  });
});
