/**
 * Word matching for the offline model: a tiny stemmer, stop words, topic sets and a score
 * of how well a visitor's words fit a tool's name and description. The word lists are data
 * (`lexicon/`). Pure and deterministic.
 */
import { fold, GLOSSARY, TOPIC_SETS, union } from './lexicon/index.ts';

const STOP_WORDS = union((l) => l.stopWords);
const WEAK_WORDS = union((l) => l.weakWords);

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
    const lower = fold(word).replace(/['’]/g, '');
    if (STOP_WORDS.has(lower) || /\d/.test(lower)) continue;
    const s = stem(GLOSSARY.get(lower) ?? word);
    if (s.length > 1 && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The words of an identifier: `lookup_order` → lookup, order; `getWeather` → get, weather. */
export function identifierStems(name: string): string[] {
  return contentStems(name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' '));
}

const SYNONYMS = new Map<string, Set<string>>();
for (const set of TOPIC_SETS) {
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
 * How much a stem says among the tools of one request, for those several tools mention: the
 * shop's name in every description tells them apart less than a word only one has (an IDF
 * weight, 1 for a stem of one tool).
 */
export type Rarity = ReadonlyMap<string, number>;

export function rarity(targets: MatchTarget[]): Rarity {
  const df = new Map<string, number>();
  for (const target of targets) for (const s of new Set([...target.nameStems, ...target.descriptionStems])) df.set(s, (df.get(s) ?? 0) + 1);
  const idf = (d: number): number => Math.log((targets.length - d + 0.5) / (d + 0.5) + 1);
  return new Map([...df].filter(([, d]) => d > 1).map(([s, d]) => [s, idf(d) / idf(1)]));
}

/**
 * Each visitor stem adds its best match: a name word counts more than a description word, a
 * direct match more than a synonym, weak words a third, and words many tools share less.
 */
export function scoreMatch(visitorStems: string[], target: MatchTarget, weights: Rarity = new Map()): MatchScore {
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
    score += (weights.get(v) ?? 1) * (WEAK_WORDS.has(v) ? best / 3 : best);
  }
  return { score, directNameHits };
}
