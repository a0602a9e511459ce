import { describe, expect, it } from "vitest";
import { translate } from "./i18n";
import {
  WHO5_ITEMS,
  WHO5_VALUES,
  chartPoints,
  chartY,
  hasWho5,
  isWho5Item,
  who5Answer,
  who5AnsweredCount,
  who5Answers,
  who5Score,
  who5Series,
  type ChartBox,
} from "./who5";

/** A check-in's WHO-5 sections with these five texts, after one free-text section. */
function checkIn(texts: readonly string[]): { key: string; text: string }[] {
  return [
    { key: "sleep", text: "Slaapt beter" },
    ...WHO5_ITEMS.map((key, index) => ({ key, text: texts[index] ?? "" })),
  ];
}

describe("the WHO-5 answers", () => {
  it("knows the five statements, in the back end's order", () => {
    expect(WHO5_ITEMS).toEqual([
      "who5_cheerful",
      "who5_calm",
      "who5_active",
      "who5_rested",
      "who5_interest",
    ]);
    expect(isWho5Item("who5_calm")).toBe(true);
    expect(isWho5Item("sleep")).toBe(false);
    expect(isWho5Item("who5")).toBe(false);
    expect(hasWho5(checkIn([]))).toBe(true);
    expect(hasWho5([{ key: "text" }])).toBe(false);
  });

  it("takes only one digit from 0 to 5 as an answer, as the back end does", () => {
    for (const value of WHO5_VALUES) expect(who5Answer(value)).toBe(value);
    for (const text of ["", "6", "-1", " 3", "3 ", "03", "3.0", "drie", "Jan de Boer"]) {
      expect(who5Answer(text), JSON.stringify(text)).toBeNull();
    }
  });

  it("reads each statement's answer and counts the answered ones", () => {
    const sections = checkIn(["3", "", "x", "5", "0"]);
    expect(who5Answers(sections)).toEqual({
      who5_cheerful: "3",
      who5_calm: null,
      who5_active: null,
      who5_rested: "5",
      who5_interest: "0",
    });
    expect(who5AnsweredCount(sections)).toBe(3);
    expect(who5AnsweredCount(checkIn([]))).toBe(0);
    expect(who5AnsweredCount([{ key: "text", text: "4" }])).toBe(0);
  });

  it("scores four times the sum, only when all five are answered", () => {
    expect(who5Score(checkIn(["5", "5", "5", "5", "5"]))).toBe(100);
    expect(who5Score(checkIn(["0", "0", "0", "0", "0"]))).toBe(0);
    expect(who5Score(checkIn(["3", "2", "4", "1", "3"]))).toBe(52);
    expect(who5Score(checkIn(["", "", "", "", ""]))).toBeNull();
    expect(who5Score(checkIn(["3", "", "", "", ""]))).toBeNull();
    expect(who5Score(checkIn(["3", "2", "4", "1", "6"]))).toBeNull();
    // A section missing altogether is not answered either.
    expect(who5Score(checkIn(["3", "2", "4", "1", "3"]).slice(0, 5))).toBeNull();
  });

  it("names every statement and every answer in both languages", () => {
    for (const language of ["nl", "en"] as const) {
      for (const item of WHO5_ITEMS) expect(translate(language, `who5Item.${item}`)).not.toBe("");
      for (const value of WHO5_VALUES) expect(translate(language, `who5Scale.${value}`)).not.toBe("");
    }
    expect(translate("nl", "who5Scale.0")).toBe("Nooit");
    expect(translate("en", "who5Scale.5")).toBe("All of the time");
  });
});

describe("the WHO-5 graph", () => {
  const BOX: ChartBox = { width: 300, height: 120, left: 30, right: 10, top: 10, bottom: 10 };

  it("takes the timeline's scores, oldest first", () => {
    expect(
      who5Series([
        { at: "2025-03-01T09:00:00Z", wellbeingScore: 72 },
        { at: "2025-02-01T09:00:00Z", wellbeingScore: null },
        { at: "2025-01-01T09:00:00Z", wellbeingScore: 40 },
        { at: "not a time", wellbeingScore: 60 },
      ]),
    ).toEqual([
      { at: "2025-01-01T09:00:00Z", score: 40 },
      { at: "2025-03-01T09:00:00Z", score: 72 },
    ]);
    expect(who5Series([])).toEqual([]);
  });

  it("puts 100 at the top of the plot and 0 at its bottom", () => {
    expect(chartY(100, BOX)).toBe(10);
    expect(chartY(0, BOX)).toBe(110);
    expect(chartY(50, BOX)).toBe(60);
  });

  it("spreads the points over the width in proportion to time", () => {
    const points = chartPoints(
      [
        { at: "2025-01-01T00:00:00Z", score: 40 },
        { at: "2025-01-04T00:00:00Z", score: 60 },
        { at: "2025-01-11T00:00:00Z", score: 100 },
      ],
      BOX,
    );
    expect(points.map((point) => point.x)).toEqual([30, 30 + 0.3 * 260, 290]);
    expect(points.map((point) => point.y)).toEqual([70, 50, 10]);
  });

  it("puts a single point in the middle", () => {
    const [point] = chartPoints([{ at: "2025-01-01T00:00:00Z", score: 52 }], BOX);
    expect(point?.x).toBe(160);
  });
});
