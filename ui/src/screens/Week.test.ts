import { fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AgendaWeek } from "../lib/bindings";
import { setLanguage } from "../lib/locale.svelte";
import { expectTexts } from "../test-support/assertions";
import { aConsult, ok, WEEK_3_OF_2025 } from "../test-support/fixtures";
import Week from "./Week.svelte";

const { commands, resetCommands } = await vi.hoisted(() => import("../test-support/commands"));
vi.mock("../lib/bindings", async (real) => ({ ...(await real<object>()), commands }));

const WEEK: AgendaWeek = {
  isoWeek: 3,
  days: [
    {
      date: "2025-01-15",
      consults: [aConsult({ startsAt: "2025-01-15T08:00:00Z", date: "2025-01-15" })],
    },
  ],
};

beforeEach(() => {
  resetCommands();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2025, 0, 16, 12, 0)); // a Thursday
  commands.agendaWeek.mockResolvedValue(ok(WEEK));
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
    expect(days.map((day) => day.dataset.date)).toEqual(WEEK_3_OF_2025);
    expectTexts(days[0], ["maandag", "13-01"]);
    expect(days[6]).toHaveTextContent("zondag");
    expect(screen.getByTestId("week-number")).toHaveTextContent("Week 3");
    expectTexts(days[2], ["09:00–09:50", "C-7K3F9"]);
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
    commands.exportAgenda.mockResolvedValue(ok("/home/anna/Downloads/kluis-agenda-2025-01-13.ics"));
    render(Week);
    expect(screen.getByText("De export bevat alleen cliëntcodes, geen namen.")).toBeInTheDocument();
    await fireEvent.click(screen.getByTestId("week-export"));
    expect(commands.exportAgenda).toHaveBeenCalledWith("2025-01-13", 7);
    expect(await screen.findByTestId("week-export-path")).toHaveTextContent(
      "/home/anna/Downloads/kluis-agenda-2025-01-13.ics",
    );
  });
});
