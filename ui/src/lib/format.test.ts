import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDateTimeSeconds,
  formatDayMonth,
  formatLocalDate,
  formatTime,
  parseDateInput,
  parseTimeInput,
  todayIso,
} from "./format";

describe("formatDate", () => {
  it("shows ISO dates the Dutch way", () => {
    expect(formatDate("2024-02-01")).toBe("01-02-2024");
    expect(formatDate(null)).toBe("");
  });
});

describe("formatDateTime", () => {
  it("uses a 24-hour clock in Amsterdam time, whatever the machine's zone", () => {
    expect(formatDateTime("2024-02-01T13:05:00Z")).toBe("01-02-2024 14:05");
    expect(formatDateTime("2024-07-01T13:05:00Z")).toBe("01-07-2024 15:05");
    // The autumn clock change: 00:30 and 01:30 UTC are both 02:30 local.
    expect(formatDateTime("2026-10-25T00:30:00Z")).toBe("25-10-2026 02:30");
    expect(formatDateTime("2026-10-25T01:30:00Z")).toBe("25-10-2026 02:30");
  });
});

describe("parseDateInput", () => {
  it("accepts Dutch and ISO input", () => {
    expect(parseDateInput("01-02-2024")).toBe("2024-02-01");
    expect(parseDateInput(" 1-2-2024 ")).toBe("2024-02-01");
    expect(parseDateInput("01/02/2024")).toBe("2024-02-01");
    expect(parseDateInput("01.02.2024")).toBe("2024-02-01");
    expect(parseDateInput("2024-02-01")).toBe("2024-02-01");
  });

  it("refuses dates that do not exist", () => {
    expect(parseDateInput("30-02-2024")).toBeNull();
    expect(parseDateInput("29-02-2023")).toBeNull();
    expect(parseDateInput("29-02-2024")).toBe("2024-02-29");
    expect(parseDateInput("2024-13-01")).toBeNull();
    expect(parseDateInput("")).toBeNull();
    expect(parseDateInput("morgen")).toBeNull();
  });
});

describe("todayIso", () => {
  it("uses the Amsterdam calendar date", () => {
    expect(todayIso(new Date("2024-01-05T22:59:00Z"))).toBe("2024-01-05");
    expect(todayIso(new Date("2024-01-05T23:01:00Z"))).toBe("2024-01-06");
  });
});

describe("local times", () => {
  it("shows seconds, the Amsterdam date and the clock time", () => {
    const local = "2024-02-01T06:05:09Z";
    expect(formatDateTimeSeconds(local)).toBe("01-02-2024 07:05:09");
    expect(formatLocalDate(local)).toBe("01-02-2024");
    expect(formatTime(local)).toBe("07:05");
    expect(formatTime(null)).toBe("");
    expect(formatDayMonth("2024-02-01")).toBe("01-02");
  });
});

describe("parseTimeInput", () => {
  it("accepts a 24-hour time and pads it", () => {
    expect(parseTimeInput("9:30")).toBe("09:30");
    expect(parseTimeInput("09.30")).toBe("09:30");
    expect(parseTimeInput(" 23:59 ")).toBe("23:59");
    expect(parseTimeInput("24:00")).toBeNull();
    expect(parseTimeInput("9:3")).toBeNull();
    expect(parseTimeInput("half tien")).toBeNull();
  });
});

describe("formatCount", () => {
  it("groups thousands the way the interface language does", () => {
    expect(formatCount(1200, "nl")).toBe("1.200");
    expect(formatCount(10000, "en")).toBe("10,000");
    expect(formatCount(999, "nl")).toBe("999");
  });
});
