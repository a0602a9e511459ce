// The WHO-5 wellbeing index (WHO, 1998) in the lifestyle check-in, as the back end
// defines it (`WHO5_ITEMS`, `check_who5` and `who5_score` in kluis-protocol's
// `records.rs`): five statements about the last two weeks, each a note section whose
// text is "" (not answered) or one digit "0" to "5". The score is the sum times four
// (0 to 100), and only when all five are answered. The core checks the answers; this
// only reads them for the editor, and lays the scores out for the timeline's graph.

import type { NoteSection, TimelineItem } from "./bindings";

/** The five statements, in the order the template names them. */
export const WHO5_ITEMS = [
  "who5_cheerful",
  "who5_calm",
  "who5_active",
  "who5_rested",
  "who5_interest",
] as const;

export type Who5Item = (typeof WHO5_ITEMS)[number];

/** The answers a statement takes, as the section's text: 0 = at no time, 5 = all of the time. */
export const WHO5_VALUES = ["0", "1", "2", "3", "4", "5"] as const;

export type Who5Value = (typeof WHO5_VALUES)[number];

/** The highest score; the scale the graph is drawn on. */
export const WHO5_MAX_SCORE = 100;

/** Below this score wellbeing is considered poor (the index's usual cut-off). */
export const WHO5_CUT_OFF = 50;

export function isWho5Item(key: string): key is Who5Item {
  return (WHO5_ITEMS as readonly string[]).includes(key);
}

/** A section's text as an answer: exactly one digit 0 to 5, else null (not answered). */
export function who5Answer(text: string): Who5Value | null {
  return WHO5_VALUES.find((value) => value === text) ?? null;
}

/** Each statement's answer, or null; a later section with the same key wins, as in Rust. */
export function who5Answers(
  sections: readonly Pick<NoteSection, "key" | "text">[],
): Record<Who5Item, Who5Value | null> {
  const answers: Record<Who5Item, Who5Value | null> = {
    who5_cheerful: null,
    who5_calm: null,
    who5_active: null,
    who5_rested: null,
    who5_interest: null,
  };
  for (const section of sections) {
    if (isWho5Item(section.key)) answers[section.key] = who5Answer(section.text);
  }
  return answers;
}

/** How many of the five statements have an answer. */
export function who5AnsweredCount(sections: readonly Pick<NoteSection, "key" | "text">[]): number {
  return Object.values(who5Answers(sections)).filter((answer) => answer !== null).length;
}

/** The score (0 to 100) when all five statements are answered; null otherwise. */
export function who5Score(sections: readonly Pick<NoteSection, "key" | "text">[]): number | null {
  let sum = 0;
  for (const answer of Object.values(who5Answers(sections))) {
    if (answer === null) return null;
    sum += Number(answer);
  }
  return sum * 4;
}

/** Whether the sections hold any of the five statements (a lifestyle check-in). */
export function hasWho5(sections: readonly Pick<NoteSection, "key">[]): boolean {
  return sections.some((section) => isWho5Item(section.key));
}

/** One score on the timeline. */
export type Who5Measurement = { at: string; score: number };

/** The timeline's scores, oldest first; items without a score (or a valid time) are left out. */
export function who5Series(
  items: readonly Pick<TimelineItem, "at" | "wellbeingScore">[],
): Who5Measurement[] {
  return items
    .flatMap((item) => {
      const score = item.wellbeingScore;
      if (score === null || !Number.isFinite(score) || Number.isNaN(Date.parse(item.at))) return [];
      return [{ at: item.at, score: Math.min(Math.max(score, 0), WHO5_MAX_SCORE) }];
    })
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/**
 * The drawing area of the graph and the margins around the plot, in the units the
 * graph is drawn in (the timeline's graph: percent of its width across, pixels down).
 */
export type ChartBox = {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
};

/** Where a score sits vertically: 100 at the top of the plot, 0 at its bottom. */
export function chartY(score: number, box: ChartBox): number {
  const plotHeight = box.height - box.top - box.bottom;
  return box.top + (1 - score / WHO5_MAX_SCORE) * plotHeight;
}

/**
 * Each measurement's place in the box: time runs left to right in proportion (oldest
 * at the left edge, newest at the right), so a long gap between check-ins shows as one.
 * A single measurement, or several at one moment, sit in the middle.
 */
export function chartPoints(
  series: readonly Who5Measurement[],
  box: ChartBox,
): (Who5Measurement & { x: number; y: number })[] {
  const times = series.map((measurement) => Date.parse(measurement.at));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const plotWidth = box.width - box.left - box.right;
  return series.map((measurement, index) => {
    const time = times[index] ?? first;
    const x = last === first ? box.left + plotWidth / 2 : box.left + ((time - first) / (last - first)) * plotWidth;
    return { ...measurement, x, y: chartY(measurement.score, box) };
  });
}
