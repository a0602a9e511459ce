import { describe, expect, it } from "vitest";
import type { AgendaWeek, Consult } from "./bindings";
import {
  addDays,
  consultClientsLabel,
  consultCodes,
  isoWeekNumber,
  mondayOf,
  weekColumns,
  weekDates,
  weekdayIndex,
} from "./agenda";
import { translate } from "./i18n";
import { aConsult, WEEK_3_OF_2025 } from "../test-support/fixtures";

function consult(id: string, date: string, startTime: string, startsAt: string): Consult {
  return aConsult({ id, date, startTime, startsAt, endTime: "10:50" });
}

describe("week arithmetic", () => {
  it("starts weeks on Monday", () => {
    expect(weekdayIndex("2025-01-13")).toBe(0); // Monday
    expect(weekdayIndex("2025-01-19")).toBe(6); // Sunday
    expect(mondayOf("2025-01-19")).toBe("2025-01-13");
    expect(mondayOf("2025-01-13")).toBe("2025-01-13");
    expect(weekDates("2025-01-16")).toEqual(WEEK_3_OF_2025);
  });

  it("crosses months, years and clock changes without losing a day", () => {
    expect(mondayOf("2025-01-01")).toBe("2024-12-30");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2025-03-24", -7)).toBe("2025-03-17");
    // The week of the spring clock change (30 March 2025) still has seven dates.
    expect(weekDates("2025-03-30")).toEqual([
      "2025-03-24",
      "2025-03-25",
      "2025-03-26",
      "2025-03-27",
      "2025-03-28",
      "2025-03-29",
      "2025-03-30",
    ]);
  });

  it("numbers weeks the ISO way", () => {
    expect(isoWeekNumber("2025-01-13")).toBe(3);
    expect(isoWeekNumber("2024-12-30")).toBe(1);
    expect(isoWeekNumber("2021-01-03")).toBe(53);
    expect(isoWeekNumber("2020-12-31")).toBe(53);
  });
});

describe("weekColumns", () => {
  it("lays out seven columns Monday first, named in Dutch and English", () => {
    const columns = weekColumns(null, "2025-01-15");
    expect(columns.map((column) => column.date)).toEqual(weekDates("2025-01-13"));
    expect(columns.map((column) => translate("nl", column.weekdayKey))).toEqual([
      "maandag",
      "dinsdag",
      "woensdag",
      "donderdag",
      "vrijdag",
      "zaterdag",
      "zondag",
    ]);
    expect(translate("en", columns[0]!.weekdayKey)).toBe("Monday");
    expect(translate("en", columns[6]!.weekdayKey)).toBe("Sunday");
    expect(columns.every((column) => column.consults.length === 0)).toBe(true);
  });

  it("puts each consult under its day, in time order", () => {
    const week: AgendaWeek = {
      isoWeek: 3,
      days: [
        { date: "2025-01-19", consults: [consult("sun", "2025-01-19", "09:00", "2025-01-19T08:00:00Z")] },
        {
          date: "2025-01-13",
          consults: [
            consult("late", "2025-01-13", "14:00", "2025-01-13T13:00:00Z"),
            consult("early", "2025-01-13", "09:00", "2025-01-13T08:00:00Z"),
          ],
        },
      ],
    };
    const columns = weekColumns(week, "2025-01-13");
    expect(columns[0]!.consults.map((item) => item.id)).toEqual(["early", "late"]);
    expect(columns[6]!.consults.map((item) => item.id)).toEqual(["sun"]);
    expect(columns[3]!.consults).toEqual([]);
  });
});

describe("consult labels", () => {
  it("shows names with codes, or codes alone", () => {
    const item = consult("x", "2025-01-13", "09:00", "2025-01-13T08:00:00Z");
    expect(consultClientsLabel(item)).toBe("Anna de Vries (C-7K3F9)");
    expect(consultCodes(item)).toBe("C-7K3F9");
  });
});
