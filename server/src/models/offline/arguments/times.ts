/**
 * Reads a time of day from the visitor's words: "19:30", "7pm", "7:30 pm", "at 7 in the
 * evening", "noon", "a las 19:00", "a las 7 de la tarde", "a las 8 y media".
 */
import { allWords } from './language-data.ts';
import { alternation, END, START, type Span } from './patterns.ts';

/** A time of day (24-hour). */
export interface ClockTime {
  hour: number;
  minute: number;
}

/** A time found in a text, and where. */
export interface FoundTime extends Span {
  time: ClockTime;
}

const AM = allWords('amWords').flat();
const PM = allWords('pmWords').flat();
const AMPM = `(${alternation([...AM, ...PM])})`;
// Right after a bare number only the short markers: "for 2 in the evening" is a party of two, not 14:00.
const SHORT_AMPM = `(${alternation([...AM, ...PM].filter((w) => !w.includes(' ')))})`;
const AT = alternation(allWords('atWords').flat());
const named = new Map<string, string>();
for (const times of allWords('namedTimes')) for (const [word, time] of Object.entries(times)) named.set(word, time);
const minuteWords = new Map<string, number>();
for (const words of allWords('minuteWords')) for (const [word, minutes] of Object.entries(words)) minuteWords.set(word, minutes);
const numberWords = new Map<string, number>();
for (const numbers of allWords('numbers')) for (const [word, n] of Object.entries(numbers)) if (n >= 1 && n <= 12) numberWords.set(word, n);
const TONIGHT = new RegExp(`${START}${alternation(allWords('tonightWords').flat())}${END}`, 'iu');
const MINUTES = minuteWords.size > 0 ? `(?:\\s+(${alternation(minuteWords.keys())}))?` : '()';
const HOUR_WORD = `(\\d{1,2}|${alternation(numberWords.keys())})`;

function isPm(word: string | undefined): boolean | undefined {
  if (!word) return undefined;
  const w = word.toLowerCase().replace(/\s+/g, ' ');
  if (PM.includes(w)) return true;
  return AM.includes(w) ? false : undefined;
}

/** 7 + pm → 19; 12 am → 0; no marker: as said, or evening when the text says "tonight". */
function clock(hour: number, minute: number, pm: boolean | undefined, tonight: boolean): ClockTime | undefined {
  if (!Number.isInteger(hour) || minute < 0 || minute > 59) return undefined;
  let h = hour;
  if (pm !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    h = pm ? (hour % 12) + 12 : hour % 12;
  } else if (tonight && hour >= 1 && hour < 12) h = hour + 12;
  return h >= 0 && h <= 23 ? { hour: h, minute } : undefined;
}

function hourOf(raw: string | undefined): number {
  const text = (raw ?? '').toLowerCase();
  return /^\d+$/.test(text) ? Number(text) : (numberWords.get(text) ?? Number.NaN);
}

const PATTERNS: Array<{ pattern: RegExp; read: (m: RegExpExecArray, tonight: boolean) => ClockTime | undefined }> = [
  // 19:30, 7:30 pm, 19h30, at 19.30 (a dot only after "at": "2.5" is a number)
  {
    pattern: new RegExp(`${START}(?:${AT}\\s+)?(\\d{1,2})(?::|h)(\\d{2})(?::\\d{2})?(?:\\s*${AMPM})?${END}`, 'giu'),
    read: (m, tonight) => clock(Number(m[1]), Number(m[2]), isPm(m[3]), tonight),
  },
  {
    pattern: new RegExp(`${START}${AT}\\s+(\\d{1,2})\\.(\\d{2})(?:\\s*${AMPM})?${END}`, 'giu'),
    read: (m, tonight) => clock(Number(m[1]), Number(m[2]), isPm(m[3]), tonight),
  },
  // 7pm, 7 p.m.
  {
    pattern: new RegExp(`${START}(?:${AT}\\s+)?(\\d{1,2})\\s*${SHORT_AMPM}(?![\\p{L}\\p{N}])`, 'giu'),
    read: (m, tonight) => clock(Number(m[1]), 0, isPm(m[2]), tonight),
  },
  // at 7, at seven, a las 8 y media, a las 7 de la tarde
  {
    pattern: new RegExp(`${START}${AT}\\s+${HOUR_WORD}${MINUTES}(?:\\s*${AMPM})?${END}`, 'giu'),
    read: (m, tonight) => clock(hourOf(m[1]), minuteWords.get((m[2] ?? '').toLowerCase().replace(/\s+/g, ' ')) ?? 0, isPm(m[3]), tonight),
  },
  // 19h
  { pattern: new RegExp(`${START}(\\d{1,2})h${END}`, 'giu'), read: (m) => clock(Number(m[1]), 0, undefined, false) },
  // noon, midnight, mediodía
  {
    pattern: new RegExp(`${START}(?:${AT}\\s+)?(${alternation(named.keys())})${END}`, 'giu'),
    read: (m) => {
      const [h, min] = (named.get((m[1] ?? '').toLowerCase()) ?? '').split(':').map(Number);
      return h === undefined || min === undefined ? undefined : { hour: h, minute: min };
    },
  },
];

/** The first time of day the text names (by position; the longer reading when two start together). */
export function findTime(text: string): FoundTime | undefined {
  const tonight = TONIGHT.test(text);
  let best: FoundTime | undefined;
  for (const { pattern, read } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const time = read(match as RegExpExecArray, tonight);
      if (!time) continue;
      const start = match.index;
      const end = start + match[0].length;
      if (!best || start < best.start || (start === best.start && end > best.end)) best = { time, start, end };
      break;
    }
  }
  return best;
}

/** `19:30`. */
export function hhmm(time: ClockTime): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/** The UTC offset of the server's zone at that local moment: `Z`, `+01:00`. */
export function utcOffset(at: Date): string {
  const minutes = -at.getTimezoneOffset();
  if (minutes === 0) return 'Z';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
