/**
 * The offline model's languages: one data file per language (`en.json`, `es.json`), read once,
 * and detection over their stop words. Adding a language is adding a data file here.
 */
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };

/**
 * One language's word lists (space-separated words) and the model's own sentences in it:
 * stop and weak words (a third of a topic word), a glossary to the English words tools are
 * described with, words for a person and contact verbs, greetings, thanks, question words
 * (`infoWords` ask for information, not an action), verbs that ask for an action, and phrases
 * with `{name}`, `{topics}`, `{capabilities}`, `{verb}` or `{action}` filled in. English also
 * holds the topic sets (words that mean about the same to a visitor) and the verbs tool names
 * start with ("infinitive|past"; `readVerbs` only read).
 */
export type Lexicon = Omit<typeof en, 'glossary' | 'topics' | 'verbs' | 'readVerbs'> & { glossary: Record<string, string> };

/** The languages the offline model reads, English first (the default). */
export const LEXICONS: Readonly<Record<string, Lexicon>> = { en, es };

/** The space-separated words of a list field. */
function list(words: string): string[] {
  return words.split(/\s+/).filter(Boolean);
}

/** Lower case without accents: "Sesión" → "sesion". */
export function fold(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

/** The folded words of one list, over every language. */
export function union(pick: (lexicon: Lexicon) => string): Set<string> {
  return new Set(Object.values(LEXICONS).flatMap((lexicon) => list(pick(lexicon)).map(fold)));
}

/** English's topic sets, verbs and read-only verbs. */
export const TOPIC_SETS = en.topics.map(list);
export const VERBS = new Map(Object.entries(en.verbs).map(([verb, forms]) => [verb, forms.split('|') as [string, string]]));
export const READ_VERBS = new Set(list(en.readVerbs));

const STOPS = new Map(Object.entries(LEXICONS).map(([lang, lexicon]) => [lang, new Set(list(lexicon.stopWords).map(fold))]));
/** Every language's stop words. */
export const STOP_WORDS = union((l) => l.stopWords);
/** Every language's words mapped to English. */
export const GLOSSARY = new Map(Object.values(LEXICONS).flatMap((l) => Object.entries(l.glossary)));

/** The language of a text: the one whose stop and glossary words (and its own marks, as ¿ ¡ ñ) cover most of it; English when none does. */
export function detectLanguage(text: string): string {
  const words = (text.match(/\p{L}+/gu) ?? []).map(fold);
  const score = ([lang, lexicon]: [string, Lexicon]): number =>
    words.filter((w) => STOPS.get(lang)!.has(w) || w in lexicon.glossary).length + ([...lexicon.marks].some((m) => text.toLowerCase().includes(m)) ? 2 : 0);
  // English comes first: only a language that scores above it (so above 0) replaces it.
  return Object.entries(LEXICONS).reduce((a, b) => (score(b) > score(a) ? b : a))[0];
}

/** A language's lexicon (English for one not known). */
export const lexicon = (lang: string): Lexicon => LEXICONS[lang] ?? en;

/** The English topic words of a message in another language ("No puedo iniciar sesión" → "login"), for a search over English documents. Unknown words stay. */
export function englishGist(text: string): string {
  const out = new Set<string>();
  for (const word of text.match(/[\p{L}\p{N}-]+/gu) ?? []) {
    const english = GLOSSARY.get(fold(word)) ?? (STOP_WORDS.has(fold(word)) ? undefined : word);
    if (english) out.add(english);
  }
  return [...out].join(' ');
}
