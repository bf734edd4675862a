/**
 * The offline model's languages: detection over stop words, and the lexicon of each.
 * Adding a language is adding a data module here.
 */
import { en } from './en.ts';
import { es } from './es.ts';
import { list, type Lexicon } from './lexicon.ts';

export type { Lexicon } from './lexicon.ts';
export { list } from './lexicon.ts';

/** The languages the offline model reads, English first (the default). */
export const LEXICONS: Readonly<Record<string, Lexicon>> = { en, es };
export type Language = keyof typeof LEXICONS & string;

/** Lower case without accents: "Sesión" → "sesion". */
export function fold(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

const STOPS = new Map(Object.entries(LEXICONS).map(([lang, lexicon]) => [lang, new Set(list(lexicon.stopWords).map(fold))]));

/**
 * The language of a text: the one whose stop words (and glossary words) cover most of its
 * words. Spanish punctuation (¿ ¡) and letters (ñ) count too. English when nothing stands out.
 */
export function detectLanguage(text: string): string {
  const words = (text.match(/\p{L}+/gu) ?? []).map(fold);
  let best = 'en';
  let bestScore = 0;
  for (const [lang, lexicon] of Object.entries(LEXICONS)) {
    const stops = STOPS.get(lang)!;
    let score = words.filter((w) => stops.has(w) || w in lexicon.glossary).length;
    if (lang === 'es' && /[¿¡ñ]/i.test(text)) score += 2;
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  return best;
}

/** A language's lexicon (English for one not known). */
export function lexicon(lang: string): Lexicon {
  return LEXICONS[lang] ?? en;
}

/** Every language's words mapped to English. */
export const GLOSSARY = new Map(Object.values(LEXICONS).flatMap((l) => Object.entries(l.glossary)));
const ALL_STOPS = new Set([...STOPS.values()].flatMap((set) => [...set]));

/**
 * The English topic words of a message in another language ("No puedo iniciar sesión en mi
 * cuenta" → "login account"), for a search over English documents. Words it does not know stay.
 */
export function englishGist(text: string): string {
  const out: string[] = [];
  for (const word of text.match(/[\p{L}\p{N}-]+/gu) ?? []) {
    const folded = fold(word);
    const english = GLOSSARY.get(folded) ?? (ALL_STOPS.has(folded) ? undefined : word);
    if (english && !out.includes(english)) out.push(english);
  }
  return out.join(' ');
}
