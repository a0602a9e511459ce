import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, parseDateInput, todayIso } from "./format";

describe("formatDate", () => {
  it("shows ISO dates the Dutch way", () => {
    expect(formatDate("2024-02-01")).toBe("01-02-2024");
    expect(formatDate(null)).toBe("");
  });
});

describe("formatDateTime", () => {
  it("uses a 24-hour clock in local time", () => {
    const local = new Date(2024, 1, 1, 14, 5);
    expect(formatDateTime(local.toISOString())).toBe("01-02-2024 14:05");
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
  it("uses the local calendar date", () => {
    expect(todayIso(new Date(2024, 0, 5, 23, 59))).toBe("2024-01-05");
  });
});
