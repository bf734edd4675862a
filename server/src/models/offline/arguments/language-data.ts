/**
 * The words the argument filler reads, per language: months, weekdays, relative days, times of
 * day, number words, yes/no, units. Data only: adding a language is adding an entry here, the
 * readers (`dates.ts`, `times.ts`, `quantities.ts`, `choices.ts`) take every language at once.
 * Words are lower case; accents are written as visitors type them, with and without.
 */

/** The words of one language. */
export interface LanguageWords {
  /** Month names and abbreviations, January first. */
  months: string[][];
  /** Weekday names (no abbreviations: "sat", "mar" are words too), Sunday first (the order of `Date.getDay`). */
  weekdays: string[][];
  /** Day offsets from today: "today" 0, "tomorrow" 1, "day after tomorrow" 2. */
  relativeDays: Record<string, number>;
  /** Words before a weekday that mean "the one after this week's": "next". */
  nextWords: string[];
  /** Words before a weekday or a day that mean "the coming one": "this", "on", "el". */
  thisWords: string[];
  /** Words that open "in 3 days": "in", "en", "dentro de". */
  inWords: string[];
  /** Units of a span of days, with their length in days. */
  dayUnits: Record<string, number>;
  /** "de" in "24 de diciembre", "of" in "24th of December". */
  ofWords: string[];
  /** Ordinal endings after a day number: "24th", "1st". */
  ordinalSuffixes: string[];
  /** Words before a clock time: "at", "a las". */
  atWords: string[];
  /** Words after an hour that make it morning or afternoon/evening. */
  amWords: string[];
  pmWords: string[];
  /** Named times: "noon" 12:00, "midnight" 00:00. */
  namedTimes: Record<string, string>;
  /** Words that mean "this evening" on their own (a date of today, and a hint that an hour is pm). */
  tonightWords: string[];
  /** A word that is a relative day, except after these words ("por la mañana" is "in the morning"). */
  notRelativeAfter: string[];
  /** Minutes said after the hour: "a las 7 y media". */
  minuteWords: Record<string, number>;
  /** Number words: "two" 2. */
  numbers: Record<string, number>;
  /** Articles that count one, only before a unit: "in a week", "una persona" ("una mesa" is no count). */
  articles: string[];
  yes: string[];
  no: string[];
  /** Words within a few words before a thing that turn it down: "no", "without". */
  negations: string[];
}

export const LANGUAGES: Record<string, LanguageWords> = {
  en: {
    months: [
      ['january', 'jan'], ['february', 'feb'], ['march', 'mar'], ['april', 'apr'], ['may'], ['june', 'jun'], ['july', 'jul'],
      ['august', 'aug'], ['september', 'sep', 'sept'], ['october', 'oct'], ['november', 'nov'], ['december', 'dec'],
    ],
    weekdays: [
      ['sunday'], ['monday'], ['tuesday'], ['wednesday'], ['thursday'], ['friday'], ['saturday'],
    ],
    relativeDays: { today: 0, tonight: 0, tomorrow: 1, 'day after tomorrow': 2, 'the day after tomorrow': 2 },
    nextWords: ['next'],
    thisWords: ['this coming', 'this', 'on', 'coming'],
    inWords: ['in'],
    dayUnits: { day: 1, days: 1, week: 7, weeks: 7 },
    ofWords: ['of'],
    ordinalSuffixes: ['st', 'nd', 'rd', 'th'],
    atWords: ['at', 'around'],
    amWords: ['am', 'a.m.', 'a.m', 'in the morning'],
    pmWords: ['pm', 'p.m.', 'p.m', 'in the evening', 'in the afternoon', 'at night'],
    namedTimes: { noon: '12:00', midday: '12:00', midnight: '00:00' },
    tonightWords: ['tonight'],
    notRelativeAfter: [],
    minuteWords: {},
    numbers: {
      one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
      'a couple': 2, 'a pair': 2,
    },
    articles: ['a', 'an'],
    yes: ['yes', 'yeah', 'yep', 'sure', 'please do', 'ok', 'okay', 'of course', 'correct'],
    no: ['no', 'nope', 'no thanks', 'no thank you', 'not needed'],
    negations: ['no', 'not', 'without', "don't", 'dont', 'do not', "doesn't", 'never', 'skip'],
  },
  es: {
    months: [
      ['enero', 'ene'], ['febrero', 'feb'], ['marzo', 'mar'], ['abril', 'abr'], ['mayo', 'may'], ['junio', 'jun'], ['julio', 'jul'],
      ['agosto', 'ago'], ['septiembre', 'setiembre', 'sep', 'sept'], ['octubre', 'oct'], ['noviembre', 'nov'], ['diciembre', 'dic'],
    ],
    weekdays: [
      ['domingo'], ['lunes'], ['martes'], ['miércoles', 'miercoles'], ['jueves'], ['viernes'], ['sábado', 'sabado'],
    ],
    relativeDays: { hoy: 0, 'esta noche': 0, mañana: 1, manana: 1, 'pasado mañana': 2, 'pasado manana': 2 },
    nextWords: ['el próximo', 'el proximo', 'próximo', 'proximo', 'el siguiente'],
    thisWords: ['el día', 'el dia', 'este', 'el'],
    inWords: ['en', 'dentro de'],
    dayUnits: { día: 1, dia: 1, días: 1, dias: 1, semana: 7, semanas: 7 },
    ofWords: ['de'],
    ordinalSuffixes: [],
    atWords: ['a las', 'a la', 'sobre las', 'hacia las'],
    amWords: ['de la mañana', 'de la manana', 'de la madrugada'],
    pmWords: ['de la tarde', 'de la noche', 'por la tarde', 'por la noche', 'esta noche'],
    namedTimes: { mediodía: '12:00', mediodia: '12:00', medianoche: '00:00' },
    tonightWords: ['esta noche'],
    notRelativeAfter: ['la', 'por la', 'de la', 'esta'],
    minuteWords: { 'y media': 30, 'y cuarto': 15 },
    numbers: {
      dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12,
    },
    articles: ['un', 'una', 'uno'],
    yes: ['sí', 'si', 'claro', 'vale', 'de acuerdo', 'por supuesto'],
    no: ['no', 'no gracias'],
    negations: ['no', 'sin', 'nunca'],
  },
};

/** Every language's words of one kind, flattened. */
export function allWords<K extends keyof LanguageWords>(key: K): Array<LanguageWords[K]> {
  return Object.values(LANGUAGES).map((language) => language[key]);
}

/**
 * Units a number may carry, grouped by what they count. `hints` are words of a property's name
 * or description that say it wants this kind of number ("party_size" → people).
 */
export const UNIT_GROUPS: Array<{ group: string; units: string[]; hints: string[] }> = [
  {
    group: 'people',
    units: ['people', 'persons', 'person', 'guests', 'guest', 'pax', 'adults', 'diners', 'of us', 'covers', 'personas', 'persona', 'comensales', 'invitados', 'adultos'],
    hints: ['party', 'people', 'guests', 'guest', 'persons', 'covers', 'diners', 'pax', 'adults', 'seats', 'personas', 'comensales'],
  },
  { group: 'minutes', units: ['minutes', 'minute', 'mins', 'min', 'minutos', 'minuto'], hints: ['minutes', 'minute', 'mins', 'minutos'] },
  { group: 'hours', units: ['hours', 'hour', 'hrs', 'hr', 'horas', 'hora'], hints: ['hours', 'hour', 'horas'] },
  { group: 'nights', units: ['nights', 'night', 'noches', 'noche'], hints: ['nights', 'noches'] },
  { group: 'days', units: ['days', 'day', 'días', 'dias', 'día', 'dia'], hints: ['days', 'días', 'dias'] },
  { group: 'weight', units: ['kg', 'kgs', 'kilos', 'kilo', 'kilograms', 'kilogramos', 'g', 'grams', 'gramos', 'lb', 'lbs', 'pounds'], hints: ['weight', 'kg', 'kilos', 'kilograms', 'peso', 'grams', 'lbs', 'pounds'] },
  { group: 'distance', units: ['km', 'kilometers', 'kilometres', 'miles', 'mi', 'kilómetros', 'kilometros'], hints: ['distance', 'km', 'miles', 'distancia'] },
  { group: 'money', units: ['$', '€', '£', 'usd', 'eur', 'gbp', 'dollars', 'euros', 'pounds sterling', 'dólares', 'dolares'], hints: ['amount', 'price', 'cost', 'total', 'budget', 'importe', 'precio'] },
  { group: 'items', units: ['units', 'unit', 'items', 'item', 'pieces', 'pcs', 'unidades', 'of them', 'of those'], hints: ['quantity', 'qty', 'units', 'count', 'items', 'cantidad'] },
];
