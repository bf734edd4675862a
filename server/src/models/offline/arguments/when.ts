/**
 * Reads when the visitor means, a calendar date and a time of day, with chrono-node's English and
 * Spanish parsers against the clock: "24/12", "Dec 24", "tomorrow at 7pm", "next monday at noon", "el 24 de diciembre", "mañana a las 19:00".
 */
import * as chrono from 'chrono-node';
import { allWords, alternation, END, REWRITES, START } from './words.ts';

/** A time of day (24-hour); what a text says of when: an ISO date, a time, the text with both blanked (their digits are no count, id or phone). */
export type ClockTime = { hour: number; minute: number };
export type When = { date?: string | undefined; time?: ClockTime | undefined; rest: string };

const english = chrono.en.casual.clone();
// "the 2nd": this month's, or next month's once it has passed (chrono reads "2nd" only with a month).
english.parsers.push({
  pattern: () => /(?<![\p{L}\p{N}])the\s+(\d{1,2})(?:st|nd|rd|th)(?![\p{L}\p{N}])/iu,
  extract: ({ refDate: ref }, [, day]) => {
    const on = new Date(ref.getFullYear(), ref.getMonth() + (Number(day) < ref.getDate() ? 1 : 0), Number(day));
    return on.getDate() === Number(day) ? { year: on.getFullYear(), month: on.getMonth() + 1, day: on.getDate() } : null;
  },
});
// Spanish first: on a tie "05/06" is read day first (5 June), as most of the world writes it (English chrono alone: May 6).
const PARSERS = [chrono.es.casual, english];
// An hour alone is a time only when said like one: "at 8", "a las 8", "8pm", "20:30", "noon"; not the "a 2" of "a 2.5kg parcel".
const SAID_AS_TIME = new RegExp(`\\d[:.]\\d|${START}${alternation(allWords('timeWords'))}${END}`, 'iu');

/** `2026-12-24`, in the server's zone. */
export const isoDate = (on: Date): string => `${on.getFullYear()}-${String(on.getMonth() + 1).padStart(2, '0')}-${String(on.getDate()).padStart(2, '0')}`;

/** The first date and time the text names; relative dates count from `now`, without a clock only a date with its year is read. */
export function findWhen(text: string, now: Date | undefined): When {
  // In forms chrono reads: "at seven" → "at 7", "a las 8 y media de la tarde" → "a las 8:30 pm".
  const said = REWRITES.reduce((out, [from, to]) => out.replace(from, to), text);
  const results = PARSERS.flatMap((parser) => parser.parse(said, now ?? new Date(), { forwardDate: true }))
    .filter((r) => !r.tags().has('result/relativeDateAndTime')) // "for 20 minutes" is a duration, not a time
    .sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const dated = results.find((r) => (now ? r.start.isCertain('day') || r.start.isCertain('weekday') : /\d{4}/.test(r.text)));
  const timed = results.find((r) => r.start.isCertain('hour') && (r.start.isCertain('meridiem') || SAID_AS_TIME.test(r.text)));
  const date = dated?.start.date();
  // A weekday is one of the coming seven days: "next friday" said on a Monday is this week's (chrono: next week's).
  const day = (d: Date): number => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000;
  if (date && now && dated?.start.isCertain('weekday') && !dated.start.isCertain('day') && day(date) - day(now) > 7) date.setDate(date.getDate() - 7);
  let rest = said;
  for (const r of [dated, timed]) if (r) rest = rest.slice(0, r.index) + ' '.repeat(r.text.length) + rest.slice(r.index + r.text.length);
  return { date: date && isoDate(date), time: timed && { hour: timed.start.get('hour') ?? 0, minute: timed.start.get('minute') ?? 0 }, rest };
}

/** `19:30`. */
export const hhmm = (time: ClockTime): string => `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;

/** The UTC offset of the server's zone at that local moment: `Z`, `+01:00`. */
export function utcOffset(at: Date): string {
  const minutes = -at.getTimezoneOffset();
  return minutes === 0 ? 'Z' : `${minutes > 0 ? '+' : '-'}${hhmm({ hour: Math.floor(Math.abs(minutes) / 60), minute: Math.abs(minutes) % 60 })}`;
}
