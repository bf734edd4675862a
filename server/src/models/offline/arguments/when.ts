/**
 * Reads when the visitor means, a calendar date and a time of day, with chrono-node's English
 * and Spanish parsers resolved against the clock: "2026-12-24", "24/12", "Dec 24", "tomorrow at
 * 7pm", "next monday at noon", "the day after tomorrow", "el 24 de diciembre", "mañana a las 19:00".
 */
import * as chrono from 'chrono-node';
import { allWords, alternation, END, NUMBER_WORDS, REWRITES, START } from './words.ts';

/** A time of day (24-hour). */
export interface ClockTime {
  hour: number;
  minute: number;
}

/** What a text says of when: an ISO date, a time, and the text with both blanked (their digits are no count, id or phone). */
export interface When {
  date?: string | undefined;
  time?: ClockTime | undefined;
  rest: string;
}

const english = chrono.en.casual.clone();
// "the 2nd": this month's, or next month's once it has passed (chrono reads "2nd" only with a month).
english.parsers.push({
  pattern: () => /(?<![\p{L}\p{N}])the\s+(\d{1,2})(?:st|nd|rd|th)(?![\p{L}\p{N}])/iu,
  extract: ({ refDate }, m) => {
    const day = Number(m[1]);
    const on = new Date(refDate.getFullYear(), refDate.getMonth() + (day < refDate.getDate() ? 1 : 0), day);
    return on.getDate() === day ? { year: on.getFullYear(), month: on.getMonth() + 1, day } : null;
  },
});
// Spanish first: on a tie it reads "05/06" day first, as the visitors of most of the world write it.
const PARSERS = [chrono.es.casual, english];
const AT_NUMBER = new RegExp(`${START}(${alternation(allWords('atWords'))})\\s+(${alternation(NUMBER_WORDS.keys())})${END}`, 'giu');
// An hour alone is a time only when said like one: "at 8", "a las 8", "8pm", "20:30", "noon"; not the "a 2" of "a 2.5kg parcel".
const SAID_AS_TIME = new RegExp(`\\d[:.]\\d|${START}${alternation(allWords('timeWords'))}${END}`, 'iu');
const DAY_MS = 86_400_000;

/** The text in forms chrono reads: "at seven" → "at 7", "a las 8 y media de la tarde" → "a las 8:30 pm". */
function rewrite(text: string): string {
  let out = text.replace(AT_NUMBER, (_, at: string, word: string) => `${at} ${NUMBER_WORDS.get(word.toLowerCase().replace(/\s+/g, ' '))}`);
  for (const [from, to] of REWRITES) out = out.replace(from, to);
  return out;
}

function isoDate(on: Date): string {
  return `${on.getFullYear()}-${String(on.getMonth() + 1).padStart(2, '0')}-${String(on.getDate()).padStart(2, '0')}`;
}

/**
 * The first date and the first time the text names. With `now`, relative dates count from it;
 * without a clock only a date with its year is read.
 */
export function findWhen(text: string, now: Date | undefined): When {
  const said = rewrite(text);
  const results = PARSERS.flatMap((parser) => parser.parse(said, now ?? new Date(), { forwardDate: true }))
    // "for 20 minutes" is a duration, not a time.
    .filter((r) => !r.tags().has('result/relativeDateAndTime'))
    .sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const dated = results.find((r) => (now ? r.start.isCertain('day') || r.start.isCertain('weekday') : /\d{4}/.test(r.text)));
  const timed = results.find((r) => r.start.isCertain('hour') && (r.start.isCertain('meridiem') || SAID_AS_TIME.test(r.text)));
  let date = dated?.start.date();
  // A weekday names one of the coming seven days: "next friday" said on a Monday is this week's (chrono: next week's).
  if (date && now && dated?.start.isCertain('weekday') && !dated.start.isCertain('day')) {
    const ahead = Math.round((Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / DAY_MS);
    if (ahead > 7) date = new Date(date.getFullYear(), date.getMonth(), date.getDate() - 7);
  }
  let rest = said;
  for (const r of [dated, timed]) if (r) rest = rest.slice(0, r.index) + ' '.repeat(r.text.length) + rest.slice(r.index + r.text.length);
  const time = timed ? { hour: timed.start.get('hour') ?? 0, minute: timed.start.get('minute') ?? 0 } : undefined;
  return { date: date && isoDate(date), time, rest };
}

/** `19:30`. */
export function hhmm(time: ClockTime): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

/** The UTC offset of the server's zone at that local moment: `Z`, `+01:00`. */
export function utcOffset(at: Date): string {
  const minutes = -at.getTimezoneOffset();
  if (minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  return `${minutes > 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
