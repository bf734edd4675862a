import { describe, expect, it } from 'vitest';
import { decide, type BrainInput } from '../../src/models/offline/offline-brain.ts';
import { fillArguments } from '../../src/models/offline/fill-arguments.ts';
import { askForMissing } from '../../src/models/offline/arguments/ask-missing.ts';
import { utcOffset } from '../../src/models/offline/arguments/when.ts';
import { calls, text } from './brain-decisions.ts';
import { assistant, billing, product, technical, triage, user, weather } from './support-desk.ts';

/** Monday 30 November 2026, noon, in the server's zone: every relative date below counts from it. */
const now = new Date(2026, 10, 30, 12, 0);
const schema = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object' as const, properties, required });
const fill = (properties: Record<string, unknown>, texts: string[], required?: string[]) => fillArguments(schema(properties, required), texts, { now });
const one = (property: Record<string, unknown>, said: string, name = 'x') => fill({ [name]: property }, [said]).args[name];
const date = { type: 'string', format: 'date' };

describe('offline arguments: dates', () => {
  it.each([
    ['2026-12-24', '2026-12-24'],
    ['on 24 December', '2026-12-24'],
    ['the 24th of December 2027', '2027-12-24'],
    ['Dec 24', '2026-12-24'],
    ['December 24th, 2026', '2026-12-24'],
    ['24/12', '2026-12-24'],
    ['12/24/2026', '2026-12-24'],
    ['24.12.2026', '2026-12-24'],
    ['3 March', '2027-03-03'], // passed this year: next year's
    ['today', '2026-11-30'],
    ['tonight', '2026-11-30'],
    ['tomorrow', '2026-12-01'],
    ['the day after tomorrow', '2026-12-02'],
    ['next friday', '2026-12-04'],
    ['on monday', '2026-11-30'],
    ['next monday', '2026-12-07'],
    ['in 3 days', '2026-12-03'],
    ['in a week', '2026-12-07'],
    ['in two weeks', '2026-12-14'],
    ['the 2nd', '2026-12-02'],
    ['mañana', '2026-12-01'],
    ['pasado mañana', '2026-12-02'],
    ['el próximo viernes', '2026-12-04'],
    ['el 24 de diciembre', '2026-12-24'],
    ['dentro de 3 días', '2026-12-03'],
  ])('"%s" is %s', (said, expected) => {
    expect(one(date, said)).toBe(expected);
  });

  it.each([
    ['next sunday', '2026-12-06'], // a weekday is one of the coming seven days
    ['this friday', '2026-12-04'],
    ['next week', '2026-12-07'],
    ['in 2 weeks', '2026-12-14'],
    ['Friday 24th December', '2026-12-24'],
    ['el sábado', '2026-12-05'],
    ['el sabado', '2026-12-05'],
    ['el viernes', '2026-12-04'],
    ['mañana por la mañana', '2026-12-01'], // "tomorrow morning": the second "mañana" is the morning
    ['manana', '2026-12-01'],
    ['05/06', '2027-06-05'], // numbers are read day first, as "24/12" is
  ])('also "%s" is %s', (said, expected) => {
    expect(one(date, said)).toBe(expected);
  });

  it('is no date: an impossible day, "la mañana" (the morning), a number alone, a time', () => {
    for (const said of ['31/02', 'a las 10 de la mañana', 'for 2', 'at 19:30']) expect(one(date, said)).toBeUndefined();
  });

  it('without a clock, only a date with its year is read', () => {
    const props = { date };
    expect(fillArguments(schema(props), ['tomorrow']).missing).toEqual(['date']);
    expect(fillArguments(schema(props), ['on 2026-12-24']).args).toEqual({ date: '2026-12-24' });
  });

  it('a property named like a date is one without `format`, and its `pattern` picks the spelling', () => {
    expect(fill({ booking_date: { type: 'string' } }, ['tomorrow']).args).toEqual({ booking_date: '2026-12-01' });
    expect(fill({ day: { type: 'string', pattern: '^\\d{2}/\\d{2}/\\d{4}$' } }, ['tomorrow']).missing).toEqual(['day']);
  });
});

describe('offline arguments: times and date-times', () => {
  const time = { type: 'string', pattern: '^\\d{2}:\\d{2}$' };
  it.each([
    ['19:30', '19:30'],
    ['at 7pm', '19:00'],
    ['7:30 pm', '19:30'],
    ['7 a.m.', '07:00'],
    ['12am', '00:00'],
    ['12 pm', '12:00'],
    ['19h30', '19:30'],
    ['at 19.30', '19:30'],
    ['at seven in the evening', '19:00'],
    ['tonight at 8', '20:00'],
    ['at noon', '12:00'],
    ['a las 19:00', '19:00'],
    ['a las 9 de la noche', '21:00'],
    ['a las 8 y media de la tarde', '20:30'],
    ['a las 10 de la mañana', '10:00'],
    ['at 8:30 in the morning', '08:30'],
    ['around 9 in the evening', '21:00'],
    ['friday at 19h', '19:00'],
    ['a las ocho', '08:00'],
    ['a las 9 y cuarto de la noche', '21:15'],
    ['el sábado a mediodía', '12:00'],
    ['a las ocho y media de la tarde', '20:30'],
    ['a la una y media de la tarde', '13:30'],
  ])('"%s" is %s', (said, expected) => {
    expect(one(time, said, 'time')).toBe(expected);
  });

  it('is no time: a duration ("for 20 minutes" is no 12:20), "2 y media kilos", "at once"', () => {
    // "once" is eleven in Spanish only: "at once" is no 11:00.
    for (const said of ['for 20 minutes', 'in 20 minutes', '2 y media kilos', 'please do it at once']) expect(one(time, said, 'time')).toBeUndefined();
    expect(fill({ duration: { type: 'integer', description: 'minutes' } }, ['for 20 minutes']).args).toEqual({ duration: 20 });
  });

  it('a date and a time said together, in English and in Spanish, resolve against the clock', () => {
    expect(fill({ date, time }, ['next monday at noon']).args).toEqual({ date: '2026-12-07', time: '12:00' });
    expect(fill({ date, time }, ['the day after tomorrow at 8pm']).args).toEqual({ date: '2026-12-02', time: '20:00' });
    expect(fill({ fecha: date, hora: time }, ['el viernes a las 8 de la tarde']).args).toEqual({ fecha: '2026-12-04', hora: '20:00' });
    expect(fill({ fecha: date, hora: time }, ['pasado mañana a las 21:30']).args).toEqual({ fecha: '2026-12-02', hora: '21:30' });
    const offset = utcOffset(new Date(2026, 11, 24, 21, 0));
    expect(one({ type: 'string', format: 'date-time' }, 'el 24 de diciembre a las 21:00')).toBe(`2026-12-24T21:00:00${offset}`);
    // A "this week" weekday already past its hour today is next week's: Monday 30 November, noon, "el lunes a las 8".
    expect(fill({ date, time }, ['el lunes a las 8']).args).toEqual({ date: '2026-12-07', time: '08:00' });
  });

  it('is no time: a count, a decimal, a date', () => {
    for (const said of ['for 2', 'for 2 in the evening', 'it weighs 2.5 kg', '2026-12-24', '25:00']) expect(one(time, said, 'time')).toBeUndefined();
  });

  it('"tomorrow at 7pm" gives the date and the time', () => {
    expect(fill({ date, time }, ['tomorrow at 7pm']).args).toEqual({ date: '2026-12-01', time: '19:00' });
    expect(fill({ fecha: date, hora: time }, ['mañana a las 19:00']).args).toEqual({ fecha: '2026-12-01', hora: '19:00' });
  });

  it('`format: time` and `format: date-time` are RFC 3339, with the server zone\'s offset', () => {
    const offset = utcOffset(new Date(2026, 11, 1, 19, 0));
    expect(one({ type: 'string', format: 'time' }, 'at 7pm')).toBe(`19:00:00${offset}`);
    expect(one({ type: 'string', format: 'date-time' }, 'tomorrow at 7pm')).toBe(`2026-12-01T19:00:00${offset}`);
    // A date-time needs both; each may come from a different message (newest first).
    const when = { when: { type: 'string', format: 'date-time' } };
    expect(fill(when, ['tomorrow']).missing).toEqual(['when']);
    expect(fill(when, ['tomorrow', 'at 7pm']).args).toEqual({ when: `2026-12-01T19:00:00${offset}` });
  });
});

describe('offline arguments: numbers with units, bounds', () => {
  const party = { party_size: { type: 'integer', minimum: 1, maximum: 12 } };
  it('the party size from "for 2", "2 people", "two guests", "4 personas", never from the date or the time', () => {
    expect(fill(party, ['book a table for 2 on 2026-12-24 at 19:30']).args).toEqual({ party_size: 2 });
    expect(fill(party, ['Dec 24 at 7pm, 3 people']).args).toEqual({ party_size: 3 });
    expect(fill(party, ['two guests tomorrow']).args).toEqual({ party_size: 2 });
    expect(fill(party, ['una mesa para 4 personas']).args).toEqual({ party_size: 4 });
    expect(fill(party, ['una mesa para dos']).args).toEqual({ party_size: 2 });
    expect(fill(party, ['tomorrow at 7pm']).missing).toEqual(['party_size']);
  });

  it('minimum and maximum: a number out of range is not taken', () => {
    expect(fill(party, ['for 40 people']).missing).toEqual(['party_size']);
    expect(fill(party, ['for 0 people']).missing).toEqual(['party_size']);
  });

  it('the property\'s name or description says which number: minutes, kg, people', () => {
    const props = {
      duration: { type: 'integer', description: 'Length of the call in minutes' },
      weight: { type: 'number', description: 'Parcel weight in kg' },
      guests: { type: 'integer' },
    };
    expect(fill(props, ['3 kg parcel, 20 minutes call, for 5 people']).args).toEqual({ duration: 20, weight: 3, guests: 5 });
    expect(fill(props, ['a 2.5kg parcel for 30 mins with 4 guests']).args).toEqual({ duration: 30, weight: 2.5, guests: 4 });
    // A number with another property's unit is never taken.
    expect(fill({ guests: { type: 'integer' } }, ['for 20 minutes']).missing).toEqual(['guests']);
  });
});

describe('offline arguments: email, phone, enum, boolean', () => {
  it('an email (by name or `format`) and a phone number (by name), never a date read as a phone', () => {
    expect(fill({ contact: { type: 'string', format: 'email' } }, ['write to jane.doe@example.com please']).args).toEqual({ contact: 'jane.doe@example.com' });
    expect(fill({ phone: { type: 'string' } }, ['call me on +34 600 123 456']).args).toEqual({ phone: '+34600123456' });
    expect(fill({ phone_number: { type: 'string', pattern: '^\\(\\d{3}\\) \\d{3}-\\d{4}$' } }, ['(555) 123-4567']).args).toEqual({ phone_number: '(555) 123-4567' });
    expect(fill({ mobile: { type: 'string' } }, ['on 2026-12-24 at 19:30']).missing).toEqual(['mobile']);
  });

  it('an enum value named, or by its own words, case-insensitive', () => {
    const seating = { type: 'string', enum: ['indoor', 'outdoor_terrace', 'bar_counter'] };
    expect(one(seating, 'INDOOR please')).toBe('indoor');
    expect(one(seating, 'on the terrace')).toBe('outdoor_terrace');
    expect(one(seating, 'at the bar counter')).toBe('bar_counter');
    expect(one(seating, 'anywhere')).toBeUndefined();
  });

  it('a boolean from words tied to its name, a negation before them, or a bare yes/no', () => {
    const chair = { high_chair: { type: 'boolean' } };
    expect(fill(chair, ['we need a high chair']).args).toEqual({ high_chair: true });
    expect(fill(chair, ['no high chair needed']).args).toEqual({ high_chair: false });
    expect(fill(chair, ['without a high chair']).args).toEqual({ high_chair: false });
    expect(fill(chair, ['yes please']).args).toEqual({ high_chair: true });
    expect(fill(chair, ['no']).args).toEqual({ high_chair: false });
    // Not mentioned, no default: asked for, never guessed.
    expect(fill(chair, ['a table for 2']).missing).toEqual(['high_chair']);
    // Optional: only set when the visitor named it.
    expect(fill({ ...chair, newsletter: { type: 'boolean', default: false } }, ['a high chair please'], ['high_chair']).args).toEqual({ high_chair: true });
  });

  it('a choice named in an earlier message wins over its default; unnamed, a required choice takes its default', () => {
    const props = { order_id: { type: 'string' }, priority: { type: 'string', enum: ['normal', 'high'], default: 'normal' }, gift_wrap: { type: 'boolean', default: true } };
    expect(fill(props, ['1234', 'no gift wrap, high priority please']).args).toEqual({ order_id: '1234', priority: 'high', gift_wrap: false });
    expect(fill(props, ['1234']).args).toEqual({ order_id: '1234', priority: 'normal', gift_wrap: true });
  });
});

describe('offline arguments: asking for exactly what is missing', () => {
  const book = schema({ date, time: { type: 'string' }, party_size: { type: 'integer' }, phone: { type: 'string' } });
  const ask = (missing: string[]) => askForMissing(missing, book, (field) => `the ${field}`);
  it('names the missing fields only', () => {
    expect(ask(['date', 'time'])).toBe('What date and time would you like?');
    expect(ask(['time'])).toBe('What time would you like?');
    expect(ask(['date'])).toBe('What date would you like?');
    expect(ask(['date', 'time', 'party_size'])).toBe('What date and time would you like, and for how many people?');
    expect(ask(['party_size'])).toBe('For how many people?');
    expect(ask(['time', 'phone'])).toBe('What time would you like? Could you also tell me your phone number?');
  });
});

/** A booking desk for the brain itself. */
const host = {
  instructions: 'You are the host at Casa Lucía.',
  tools: [
    {
      name: 'book_table',
      description: 'Book a table at the restaurant for a date, a time and a number of people.',
      parameters: schema({ date, time: { type: 'string', pattern: '^\\d{2}:\\d{2}$' }, party_size: { type: 'integer', minimum: 1, maximum: 12 } }),
    },
  ],
};
const brain = (conversation: BrainInput['conversation'], clock: Date | undefined = now) => decide({ ...host, conversation, now: clock });

describe('offline brain: bookings', () => {
  it('books in one go, asks for what is missing, and carries earlier answers over', () => {
    expect(calls(brain([user('book a table for 2 on 2026-12-24 at 19:30')]))).toEqual([
      { name: 'book_table', args: { date: '2026-12-24', time: '19:30', party_size: 2 } },
    ]);
    const first = text(brain([user('book a table for 2')]));
    expect(first).toBe('I can book the table for you. What date and time would you like?');
    const second = [user('book a table for 2'), assistant(first), user('tomorrow')];
    expect(text(brain(second))).toBe('I can book the table for you. What time would you like?');
    const third = [...second, assistant('I can book the table for you. What time would you like?'), user('7pm')];
    expect(calls(brain(third))).toEqual([{ name: 'book_table', args: { date: '2026-12-01', time: '19:00', party_size: 2 } }]);
    expect(calls(brain([user('reservar una mesa, book for 4 personas mañana a las 21:00')]))).toEqual([
      { name: 'book_table', args: { date: '2026-12-01', time: '21:00', party_size: 4 } },
    ]);
  });

  it('a bare "8" answering "What time?" is the hour, not a party of eight', () => {
    const asked = [user('book a table for 2 tomorrow'), assistant('I can book the table for you. What time would you like?')];
    expect(calls(brain([...asked, user('8')]))).toEqual([{ name: 'book_table', args: { date: '2026-12-01', time: '08:00', party_size: 2 } }]);
    expect(calls(brain([...asked, user('20.30')]))).toEqual([{ name: 'book_table', args: { date: '2026-12-01', time: '20:30', party_size: 2 } }]);
    // With the time known, a bare number is the party size again.
    const timed = [user('book a table tomorrow at 7pm'), assistant('I can book the table for you. For how many people?'), user('4')];
    expect(calls(brain(timed))).toEqual([{ name: 'book_table', args: { date: '2026-12-01', time: '19:00', party_size: 4 } }]);
  });

  it('a finished request is not carried into the next one', () => {
    const conversation = [
      user('book a table for 2 tomorrow at 7pm'),
      { type: 'function_call' as const, callId: 'b1', name: 'book_table', arguments: '{"date":"2026-12-01","time":"19:00","party_size":2}' },
      { type: 'function_call_output' as const, callId: 'b1', output: '{"booking_id":"B-1"}' },
      assistant('Done: I booked the table. Is there anything else I can help with?'),
      user('book another table for 6'),
    ];
    expect(text(brain(conversation))).toBe('I can book the table for you. What date and time would you like?');
    // Two answers on, an earlier request's time is still not carried: the chain of answers stops at "anything else?".
    const later = [
      user('I need a table tomorrow at 7pm'), assistant('Is there anything else I can help with?'), user('book a table for 6'),
      assistant('I can book the table for you. What date and time would you like?'), user('on friday'),
    ];
    expect(text(brain(later))).toBe('I can book the table for you. What time would you like?');
  });
});

describe('offline brain: never a call with a required argument missing', () => {
  const desks = [triage, billing, technical, product, weather, host];
  const messages = [
    'book a table for 2', 'book a table tomorrow', 'book at 7pm', 'refund order 1234', 'refund my order', 'I was charged twice',
    'what is the weather', 'weather in Paris', 'is the service down?', 'how do I reset my password?', 'tomorrow at 7pm', 'yes',
    'reservar una mesa para 4 mañana', '1234', 'hello', 'book a table for 40 people tomorrow at 7pm', 'book for 2.5 people',
  ];
  it('every call of every desk, for every message (alone, and as an answer to a question), has its required arguments', () => {
    let made = 0;
    for (const desk of desks) {
      for (const first of messages) {
        for (const conversation of [[user(first)], ...messages.map((next) => [user(first), assistant('Could you tell me more?'), user(next)])]) {
          const out = decide({ instructions: desk.instructions, tools: desk.tools, conversation, now });
          if (out.kind !== 'tool_calls') continue;
          for (const call of out.calls) {
            const tool = desk.tools.find((t) => t.name === call.name);
            expect(tool, call.name).toBeDefined();
            const required = (tool?.parameters.required ?? []) as string[];
            const args = JSON.parse(call.arguments) as Record<string, unknown>;
            for (const field of required) expect(args[field], `${call.name}.${field} for ${JSON.stringify(conversation)}`).toBeDefined();
            made++;
          }
        }
      }
    }
    expect(made).toBeGreaterThan(50); // the check ran on real calls, not only on text replies
  });
});
