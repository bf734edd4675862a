/**
 * Reads a calendar date from the visitor's words, in any language of `language-data.ts`:
 * absolute ("2026-12-24", "24 December", "Dec 24", "24/12", "24 de diciembre") and relative
 * ("today", "tomorrow", "next friday", "in 3 days", "mañana"), resolved against today's date.
 */
import { allWords } from './language-data.ts';
import { alternation, END, START, type Span } from './patterns.ts';

/** A day of the calendar (month 1–12). */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** A date found in a text, and where. */
export interface FoundDate extends Span {
  date: CalendarDay;
}

/** The calendar day of a clock reading, in the server's time zone. */
export function calendarDay(now: Date): CalendarDay {
  return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
}

/** `2026-12-24`. */
export function isoDate(date: CalendarDay): string {
  return `${String(date.year).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function addDays(date: CalendarDay, days: number): CalendarDay {
  const d = new Date(date.year, date.month - 1, date.day + days);
  return calendarDay(d);
}

function weekday(date: CalendarDay): number {
  return new Date(date.year, date.month - 1, date.day).getDay();
}

/** A real day ("31/02" is not). */
function valid(year: number, month: number, day: number): CalendarDay | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const d = new Date(year, month - 1, day);
  return d.getMonth() === month - 1 ? { year, month, day } : undefined;
}

function before(a: CalendarDay, b: CalendarDay): boolean {
  return a.year !== b.year ? a.year < b.year : a.month !== b.month ? a.month < b.month : a.day < b.day;
}

/** A day and month without a year: this year's, unless it has passed, then next year's (none without a clock). */
function nextOccurrence(today: CalendarDay | undefined, month: number, day: number, year?: number): CalendarDay | undefined {
  if (year !== undefined) return valid(year < 100 ? 2000 + year : year, month, day);
  if (!today) return undefined;
  const thisYear = valid(today.year, month, day);
  if (thisYear && !before(thisYear, today)) return thisYear;
  return valid(today.year + 1, month, day);
}

const monthIndex = new Map<string, number>();
for (const months of allWords('months')) months.forEach((names, i) => names.forEach((name) => monthIndex.set(name, i + 1)));
const weekdayIndex = new Map<string, number>();
for (const days of allWords('weekdays')) days.forEach((names, i) => names.forEach((name) => weekdayIndex.set(name, i)));
const relative = new Map<string, number>();
for (const days of allWords('relativeDays')) for (const [word, offset] of Object.entries(days)) relative.set(word, offset);
const dayUnits = new Map<string, number>();
for (const units of allWords('dayUnits')) for (const [word, days] of Object.entries(units)) dayUnits.set(word, days);
const numberWords = new Map<string, number>();
for (const numbers of allWords('numbers')) for (const [word, n] of Object.entries(numbers)) numberWords.set(word, n);
for (const article of allWords('articles').flat()) numberWords.set(article, 1);

const MONTH = alternation(monthIndex.keys());
const WEEKDAY = alternation(weekdayIndex.keys());
const ORDINAL = `(?:${alternation(allWords('ordinalSuffixes').flat())})?`;
const OF = `(?:\\s+${alternation(allWords('ofWords').flat())})?`;
const NEXT = alternation(allWords('nextWords').flat());
const THIS = alternation(allWords('thisWords').flat());
const COUNT = `(\\d{1,3}|${alternation(numberWords.keys())})`;
const NOT_RELATIVE_AFTER = allWords('notRelativeAfter').flat();

// Readers that need today's date get it; without a clock they read nothing.
type Read = (m: RegExpExecArray, today: CalendarDay | undefined) => CalendarDay | undefined;
const relativeTo = (read: (m: RegExpExecArray, today: CalendarDay) => CalendarDay | undefined): Read => (m, today) => (today ? read(m, today) : undefined);

const PATTERNS: Array<{ pattern: RegExp; read: Read }> = [
  // 2026-12-24
  {
    pattern: new RegExp(`${START}(\\d{4})-(\\d{1,2})-(\\d{1,2})${END}`, 'gu'),
    read: (m) => valid(Number(m[1]), Number(m[2]), Number(m[3])),
  },
  // 24/12, 24/12/2026, 24.12.2026 (day first, unless the first number cannot be a day of that month order: 12/24)
  {
    pattern: new RegExp(`${START}(\\d{1,2})(?:/(\\d{1,2})(?:/(\\d{2}|\\d{4}))?|\\.(\\d{1,2})\\.(\\d{4}))${END}`, 'gu'),
    read: (m, today) => {
      const a = Number(m[1]);
      const b = Number(m[2] ?? m[4]);
      const year = m[3] ?? m[5];
      const y = year === undefined ? undefined : Number(year);
      return b <= 12 ? nextOccurrence(today, b, a, y) : nextOccurrence(today, a, b, y);
    },
  },
  // 24 December, the 24th of December 2026, 24 de diciembre de 2026
  {
    pattern: new RegExp(`${START}(?:the\\s+)?(\\d{1,2})${ORDINAL}${OF}\\s*(${MONTH})\\.?(?:,?${OF}\\s+(\\d{4}))?${END}`, 'giu'),
    read: (m, today) => nextOccurrence(today, monthIndex.get((m[2] ?? '').toLowerCase()) ?? 0, Number(m[1]), m[3] ? Number(m[3]) : undefined),
  },
  // December 24, Dec 24th, 2026
  {
    pattern: new RegExp(`${START}(${MONTH})\\.?\\s+(\\d{1,2})${ORDINAL}(?:,?\\s+(\\d{4}))?${END}`, 'giu'),
    read: (m, today) => nextOccurrence(today, monthIndex.get((m[1] ?? '').toLowerCase()) ?? 0, Number(m[2]), m[3] ? Number(m[3]) : undefined),
  },
  // the 24th: this month's, or next month's once it has passed
  {
    pattern: new RegExp(`${START}the\\s+(\\d{1,2})(?:st|nd|rd|th)${END}`, 'giu'),
    read: relativeTo((m, today) => {
      const day = Number(m[1]);
      const here = valid(today.year, today.month, day);
      if (here && !before(here, today)) return here;
      return today.month === 12 ? valid(today.year + 1, 1, day) : valid(today.year, today.month + 1, day);
    }),
  },
  // today, tomorrow, the day after tomorrow, mañana (but not "por la mañana": the morning)
  {
    pattern: new RegExp(`${START}(${alternation(relative.keys())})${END}`, 'giu'),
    read: relativeTo((m, today) => {
      const head = m.input.slice(0, m.index).toLowerCase();
      if (NOT_RELATIVE_AFTER.some((word) => new RegExp(`${START}${word}\\s+$`, 'u').test(head))) return undefined;
      return addDays(today, relative.get((m[1] ?? '').toLowerCase().replace(/\s+/g, ' ')) ?? 0);
    }),
  },
  // in 3 days, in a week, dentro de 2 semanas
  {
    pattern: new RegExp(`${START}${alternation(allWords('inWords').flat())}\\s+${COUNT}\\s+(${alternation(dayUnits.keys())})${END}`, 'giu'),
    read: relativeTo((m, today) => {
      const raw = (m[1] ?? '').toLowerCase();
      const count = /^\d+$/.test(raw) ? Number(raw) : numberWords.get(raw);
      const unit = dayUnits.get((m[2] ?? '').toLowerCase());
      return count === undefined || unit === undefined ? undefined : addDays(today, count * unit);
    }),
  },
  // next friday, this friday, on friday, friday, el próximo viernes
  {
    pattern: new RegExp(`${START}(?:(${NEXT})\\s+|${THIS}\\s+)?(${WEEKDAY})${END}`, 'giu'),
    read: relativeTo((m, today) => {
      const target = weekdayIndex.get((m[2] ?? '').toLowerCase()) ?? 0;
      let ahead = (target - weekday(today) + 7) % 7;
      // "next friday" is never today; "friday" said on a Friday is today.
      if (m[1] && ahead === 0) ahead = 7;
      return addDays(today, ahead);
    }),
  },
];

/** The first date the text names (by position), resolved against `today` (without it: only dates with a year). */
export function findDate(text: string, today: CalendarDay | undefined): FoundDate | undefined {
  let best: FoundDate | undefined;
  for (const { pattern, read } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const date = read(match as RegExpExecArray, today);
      if (!date) continue;
      const start = match.index;
      if (!best || start < best.start) best = { date, start, end: start + match[0].length };
      break;
    }
  }
  return best;
}
