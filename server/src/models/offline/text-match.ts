/**
 * Word matching for the offline model: a tiny stemmer, stop words, topic sets and a score of how
 * well a visitor's words fit a tool's name and description. The word lists are data (`lexicon/`).
 */
import { fold, GLOSSARY, STOP_WORDS, TOPIC_SETS, union } from './lexicon/index.ts';

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
  return w.endsWith('e') && w.length > 4 ? w.slice(0, -1) : w;
}

/** Word tokens of a text (letters and digits, with inner apostrophes). */
export const words = (text: string): string[] => text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];

/** Content stems of a text: no stop words, no numbers, each once, in order; other languages' topic words in English. */
export function contentStems(text: string): string[] {
  const out = new Set<string>();
  for (const word of words(text)) {
    const lower = fold(word).replace(/['’]/g, '');
    const s = STOP_WORDS.has(lower) || /\d/.test(lower) ? '' : stem(GLOSSARY.get(lower) ?? word);
    if (s.length > 1) out.add(s);
  }
  return [...out];
}

/** The words of an identifier: `lookup_order` → lookup, order; `getWeather` → get, weather. */
export const identifierStems = (name: string): string[] => contentStems(name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' '));

/** Each stem's synonyms: the other stems of its topic sets. */
const SYNONYMS = new Map<string, Set<string>>();
for (const stems of TOPIC_SETS.map((set) => set.map(stem))) {
  for (const s of stems) SYNONYMS.set(s, new Set([...(SYNONYMS.get(s) ?? []), ...stems.filter((other) => other !== s)]));
}

/** A target to score: the words of a tool's name and of its description. */
export type MatchTarget = { nameStems: string[]; descriptionStems: string[] };

/** How much a stem says among the texts of one request (an IDF weight; 1 for a stem only one has): the shop's name in every description tells little apart. */
export type Rarity = ReadonlyMap<string, number>;

export function rarity(targets: MatchTarget[]): Rarity {
  const df = new Map<string, number>();
  for (const target of targets) for (const s of new Set([...target.nameStems, ...target.descriptionStems])) df.set(s, (df.get(s) ?? 0) + 1);
  const idf = (d: number): number => Math.log((targets.length - d + 0.5) / (d + 0.5) + 1);
  return new Map([...df].filter(([, d]) => d > 1).map(([s, d]) => [s, idf(d) / idf(1)]));
}

const WEIGHTS = { name: { direct: 3, synonym: 1.5 }, description: { direct: 1, synonym: 0.5 } } as const;

/**
 * The score of a target against the visitor's stems, and which name words were hit directly. Each
 * stem adds its best match: a name word more than a description word, a direct match more than
 * a synonym; weak words count a third, and words many texts share less (`weights`).
 */
export function scoreMatch(visitorStems: string[], target: MatchTarget, weights: Rarity = new Map()): { score: number; directNameHits: string[] } {
  let score = 0;
  const directNameHits = new Set<string>();
  for (const v of visitorStems) {
    let best = 0;
    for (const [part, stems] of [['name', target.nameStems], ['description', target.descriptionStems]] as const) {
      for (const t of stems) {
        const r = v === t ? 'direct' : SYNONYMS.get(v)?.has(t) ? 'synonym' : undefined;
        if (r) best = Math.max(best, WEIGHTS[part][r]);
        if (r === 'direct' && part === 'name') directNameHits.add(t);
      }
    }
    score += (weights.get(v) ?? 1) * (WEAK_WORDS.has(v) ? best / 3 : best);
  }
  return { score, directNameHits: [...directNameHits] };
}
