/**
 * Word matching for the offline model: a tiny stemmer, stop words, synonym sets and a score
 * of how well a visitor's words fit a tool's name and description. Pure and deterministic.
 */

const STOP_WORDS = new Set(
  `a an the i im me my mine we our us you your yours it its this that these those is am are was were be been being
  do does did done doing have has had having will would shall should can could may might must to of in on at by for
  from with about into over under and or but if then so than too very just also not no yes please thank thanks
  hi hello hey there here what whats which who whom whose when where why how's get got give let like want wanted need
  needs some any all more most other such only own same as up out off again once he she they them their his her
  ok okay dont doesnt didnt cant wont im ive id ill youre`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words that say little about the topic: they count a third. */
const WEAK_WORDS = new Set(['how', 'help', 'problem', 'issue', 'question', 'thing', 'work', 'use', 'new', 'know', 'tell', 'make', 'now', 'today']);

/** Small hand-made synonym sets: the words a visitor uses for what a tool or team covers. */
const SYNONYM_SETS: readonly string[][] = [
  ['charge', 'charged', 'bill', 'billing', 'billed', 'refund', 'invoice', 'receipt', 'payment', 'pay', 'paid', 'card', 'money', 'transaction', 'overcharged', 'debit', 'credit'],
  ['broken', 'error', 'down', 'outage', 'status', 'incident', 'crash', 'bug', 'fail', 'failure', 'working', 'unavailable', 'slow', 'glitch', 'offline', 'uptime'],
  ['login', 'log', 'signin', 'sign', 'password', 'account', 'access', 'locked', 'authenticate', '2fa', 'mfa'],
  ['weather', 'forecast', 'temperature', 'rain', 'sunny', 'snow', 'wind', 'hot', 'cold', 'umbrella', 'degrees', 'humid', 'storm', 'cloudy'],
  ['feature', 'plan', 'pricing', 'price', 'cost', 'tier', 'upgrade', 'downgrade', 'subscription', 'pro', 'premium', 'enterprise', 'trial', 'compare'],
  ['order', 'purchase', 'package', 'shipment', 'delivery', 'shipping', 'track', 'parcel', 'bought'],
  ['docs', 'documentation', 'guide', 'manual', 'article', 'tutorial', 'howto', 'instructions', 'setup', 'configure', 'install', 'faq'],
  ['lookup', 'look', 'check', 'find', 'show', 'view', 'detail', 'info', 'information'],
  ['search', 'query', 'find'],
  ['cancel', 'cancellation', 'terminate', 'stop'],
  ['stock', 'inventory', 'available', 'availability', 'instock', 'supply'],
  ['reserve', 'reservation', 'hold', 'aside'],
];

/** A light suffix-stripping stemmer: "charged", "charges" and "charge" all become "charg". */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '').replace(/['’]/g, '');
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(?:sses|ches|shes|xes|zes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  if (/([b-df-hj-km-np-rtv-z])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Lower-case word tokens of a text (letters and digits, with inner apostrophes). */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** Content stems of a text: no stop words, no numbers, each once, in order. */
export function contentStems(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const lower = word.toLowerCase().replace(/['’]/g, '');
    if (STOP_WORDS.has(lower) || /\d/.test(lower)) continue;
    const s = stem(word);
    if (s.length > 1 && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The words of an identifier: `lookup_order` → lookup, order; `getWeather` → get, weather. */
export function identifierStems(name: string): string[] {
  return contentStems(name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' '));
}

const SYNONYMS = new Map<string, Set<string>>();
for (const set of SYNONYM_SETS) {
  const stems = set.map(stem);
  for (const s of stems) {
    const known = SYNONYMS.get(s) ?? new Set<string>();
    for (const other of stems) if (other !== s) known.add(other);
    SYNONYMS.set(s, known);
  }
}

/** How one visitor stem relates to one target stem. */
export function relation(a: string, b: string): 'direct' | 'synonym' | null {
  if (a === b) return 'direct';
  if (SYNONYMS.get(a)?.has(b)) return 'synonym';
  return null;
}

/** A target to score: the words of a tool's name and of its description. */
export interface MatchTarget {
  nameStems: string[];
  descriptionStems: string[];
}

/** The score of a target against the visitor's stems, and which name words were hit directly. */
export interface MatchScore {
  score: number;
  directNameHits: string[];
}

const WEIGHTS = { nameDirect: 3, nameSynonym: 1.5, descriptionDirect: 1, descriptionSynonym: 0.5 } as const;

/**
 * Each visitor stem adds its best match: a name word counts more than a description word, a
 * direct match more than a synonym, and weak words a third.
 */
export function scoreMatch(visitorStems: string[], target: MatchTarget): MatchScore {
  let score = 0;
  const directNameHits: string[] = [];
  for (const v of visitorStems) {
    let best = 0;
    for (const n of target.nameStems) {
      const r = relation(v, n);
      if (r === 'direct') {
        best = Math.max(best, WEIGHTS.nameDirect);
        if (!directNameHits.includes(n)) directNameHits.push(n);
      } else if (r === 'synonym') best = Math.max(best, WEIGHTS.nameSynonym);
    }
    for (const d of target.descriptionStems) {
      const r = relation(v, d);
      if (r === 'direct') best = Math.max(best, WEIGHTS.descriptionDirect);
      else if (r === 'synonym') best = Math.max(best, WEIGHTS.descriptionSynonym);
    }
    score += WEAK_WORDS.has(v) ? best / 3 : best;
  }
  return { score, directNameHits };
}
