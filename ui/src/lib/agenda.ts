// Calendar arithmetic for the agenda screens. Dates are ISO `YYYY-MM-DD` strings and
// are computed in UTC, so a clock change never moves a day. Weeks start on Monday.

import type { AgendaDay, AgendaWeek, Consult } from "./bindings";
import type { PlainMessageKey } from "./i18n";

/** Monday first, as Dutch calendars are. */
export const WEEKDAY_KEYS: readonly PlainMessageKey[] = [
  "weekday.mon",
  "weekday.tue",
  "weekday.wed",
  "weekday.thu",
  "weekday.fri",
  "weekday.sat",
  "weekday.sun",
];

function toUtc(iso: string): Date {
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1));
}

function fromUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  const date = toUtc(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return fromUtc(date);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayIndex(iso: string): number {
  return (toUtc(iso).getUTCDay() + 6) % 7;
}

export function weekdayKey(iso: string): PlainMessageKey {
  return WEEKDAY_KEYS[weekdayIndex(iso)] ?? "weekday.mon";
}

/** The Monday of the week that holds `iso`. */
export function mondayOf(iso: string): string {
  return addDays(iso, -weekdayIndex(iso));
}

/** The seven dates of the week that holds `iso`, Monday first. */
export function weekDates(iso: string): string[] {
  const monday = mondayOf(iso);
  return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
}

/** ISO 8601 week number: the week with the year's first Thursday is week 1. */
export function isoWeekNumber(iso: string): number {
  const thursday = toUtc(addDays(iso, 3 - weekdayIndex(iso)));
  const firstOfYear = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - firstOfYear) / 86_400_000 / 7) + 1;
}

export type WeekColumn = {
  date: string;
  weekdayKey: PlainMessageKey;
  consults: Consult[];
};

function byStartTime(a: Consult, b: Consult): number {
  return a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0;
}

/**
 * Seven columns, Monday to Sunday, for the week that holds `anchor`, each with its
 * consults in time order. Days the back end did not send are empty columns.
 */
export function weekColumns(week: AgendaWeek | null, anchor: string): WeekColumn[] {
  const byDate = new Map<string, AgendaDay>();
  for (const day of week?.days ?? []) byDate.set(day.date, day);
  return weekDates(anchor).map((date) => ({
    date,
    weekdayKey: weekdayKey(date),
    consults: [...(byDate.get(date)?.consults ?? [])].sort(byStartTime),
  }));
}

/** "Anna de Vries (C-7K3F9), Jan (C-ABCDE)". */
export function consultClientsLabel(consult: Pick<Consult, "clients">): string {
  return consult.clients
    .map((client) => `${client.displayName} (${client.clientCode})`)
    .join(", ");
}

/** Client codes only, for places where names must not appear. */
export function consultCodes(consult: Pick<Consult, "clients">): string {
  return consult.clients.map((client) => client.clientCode).join(", ");
}
