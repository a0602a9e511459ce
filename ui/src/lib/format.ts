// Dates the Dutch way: dd-mm-jjjj and a 24-hour clock, in both languages, so what the
// user types and what the app shows always have the same shape. The back end stores
// calendar dates as ISO `YYYY-MM-DD` and moments as RFC 3339 timestamps.

import type { Language } from "./bindings";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DUTCH_DATE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** `2024-02-01` → `01-02-2024`; anything else is returned unchanged. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const match = ISO_DATE.exec(iso.slice(0, 10));
  if (!match) return iso;
  const [, year, month, day] = match;
  return `${day}-${month}-${year}`;
}

/** The practice's clock: the core plans consults in Europe/Amsterdam, so the
 *  UI shows every instant there too, whatever time zone the machine is set to. */
export const PRACTICE_TIME_ZONE = "Europe/Amsterdam";

const wallClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: PRACTICE_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

type WallClock = { year: string; month: string; day: string; hour: string; minute: string; second: string };

/** An instant as Amsterdam wall-clock parts, or null for an invalid date. */
function amsterdam(date: Date): WallClock | null {
  if (Number.isNaN(date.getTime())) return null;
  const parts: Record<string, string> = {};
  for (const part of wallClock.formatToParts(date)) parts[part.type] = part.value;
  return {
    year: parts.year ?? "",
    month: parts.month ?? "",
    day: parts.day ?? "",
    hour: parts.hour ?? "",
    minute: parts.minute ?? "",
    second: parts.second ?? "",
  };
}

/** An RFC 3339 timestamp in Amsterdam time: `01-02-2024 14:05`. */
export function formatDateTime(timestamp: string | null | undefined): string {
  if (!timestamp) return "";
  const clock = amsterdam(new Date(timestamp));
  if (!clock) return timestamp;
  return `${clock.day}-${clock.month}-${clock.year} ${clock.hour}:${clock.minute}`;
}

/**
 * What the user typed as a date → ISO `YYYY-MM-DD`, or null when it is not a real date.
 * Accepts `1-2-2024`, `01-02-2024`, `01/02/2024`, `01.02.2024` and `2024-02-01`.
 */
export function parseDateInput(text: string): string | null {
  const trimmed = text.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = ISO_DATE.exec(trimmed);
  const dutch = DUTCH_DATE.exec(trimmed);
  if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
  } else if (dutch) {
    day = Number(dutch[1]);
    month = Number(dutch[2]);
    year = Number(dutch[3]);
  } else {
    return null;
  }
  if (!isRealDate(year, month, day)) return null;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Today's date in Amsterdam as ISO `YYYY-MM-DD`. */
export function todayIso(now: Date = new Date()): string {
  const clock = amsterdam(now);
  if (!clock) return "";
  return `${clock.year}-${clock.month}-${clock.day}`;
}

/** An RFC 3339 timestamp in Amsterdam time, to the second: `01-02-2024 14:05:09`. */
export function formatDateTimeSeconds(timestamp: string | null | undefined): string {
  if (!timestamp) return "";
  const clock = amsterdam(new Date(timestamp));
  if (!clock) return timestamp;
  return `${formatDateTime(timestamp)}:${clock.second}`;
}

/** The Amsterdam calendar date of an RFC 3339 timestamp: `01-02-2024`. */
export function formatLocalDate(timestamp: string | null | undefined): string {
  if (!timestamp) return "";
  const clock = amsterdam(new Date(timestamp));
  if (!clock) return timestamp;
  return `${clock.day}-${clock.month}-${clock.year}`;
}

/** The Amsterdam clock time of an RFC 3339 timestamp: `14:05`. */
export function formatTime(timestamp: string | null | undefined): string {
  if (!timestamp) return "";
  const clock = amsterdam(new Date(timestamp));
  if (!clock) return timestamp;
  return `${clock.hour}:${clock.minute}`;
}

/** `2024-02-01` → `01-02`, for week headers. */
export function formatDayMonth(iso: string): string {
  const match = ISO_DATE.exec(iso.slice(0, 10));
  if (!match) return iso;
  return `${match[3]}-${match[2]}`;
}

const TIME = /^(\d{1,2})[:.](\d{2})$/;

/** What the user typed as a time → `HH:MM` (24-hour), or null. Accepts `9:30` and `09.30`. */
export function parseTimeInput(text: string): string | null {
  const match = TIME.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return null;
  return `${pad(hours)}:${pad(minutes)}`;
}

const counts: Record<Language, Intl.NumberFormat> = {
  nl: new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 }),
};

/**
 * A count with the thousands separator of the interface language (`1.200`, `1,200`).
 * Unlike dates, nothing the user types has to match it, so it follows the language.
 */
export function formatCount(value: number, language: Language): string {
  return counts[language].format(value);
}
