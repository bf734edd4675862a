/**
 * The offline model's languages: one data file per language (`en.json`, `es.json`), read once,
 * and detection over their stop words. Adding a language is adding a data file here.
 */
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };

/**
 * The word lists of one language (space-separated words): data, not logic. The model reads the
 * visitor's words through them and writes its own sentences from their phrases.
 */
export interface Lexicon {
  /** Words that say nothing about the topic. */
  stopWords: string;
  /** Words that say little about the topic: they count a third. */
  weakWords: string;
  /** Words of this language mapped to the English words the matcher knows ("cobraron" → "charged"). */
  glossary: Record<string, string>;
  /** A request for a person: a person word together with a contact verb, or a word that says it alone. */
  human: { persons: string; contactVerbs: string; alone: string };
  greetings: string;
  thanks: string;
  /** Words that open a question ("how", "cómo"); `infoWords` those asking for information, not an action. */
  questionWords: string;
  infoWords: string;
  /** Verbs that ask for an action (in English through the glossary): one no tool takes is said to be impossible. */
  requestVerbs: string;
  /**
   * The model's own sentences; `{name}`, `{topics}`, `{capabilities}`, `{verb}` and `{action}` are
   * filled in. `answersInEnglish` comes before what this language has no words for (tool results).
   */
  phrases: Record<'greeting' | 'handedOff' | 'welcome' | 'offTopic' | 'human' | 'canHelpWith' | 'canDo' | 'whatCanIDo' | 'tellMeMore' | 'unable' | 'canOffer' | 'answersInEnglish', string>;
  /** English only, the language tools are described in: sets of words that mean about the same to a visitor. */
  topics?: string[];
  /** English only: the verbs tool names start with, as "infinitive|past"; `readVerbs` only read. */
  verbs?: Record<string, string>;
  readVerbs?: string;
}

/** The languages the offline model reads, English first (the default). */
export const LEXICONS: Readonly<Record<string, Lexicon>> = { en, es };
const ENGLISH: Lexicon = en;

/** The space-separated words of a list field. */
export function list(words: string | undefined): string[] {
  return (words ?? '').split(/\s+/).filter(Boolean);
}

/** Lower case without accents: "Sesión" → "sesion". */
export function fold(word: string): string {
  return word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

/** The folded words of one list, over every language. */
export function union(pick: (lexicon: Lexicon) => string | undefined): Set<string> {
  return new Set(Object.values(LEXICONS).flatMap((lexicon) => list(pick(lexicon)).map(fold)));
}

/** English's topic sets, verbs and read-only verbs. */
export const TOPIC_SETS = (ENGLISH.topics ?? []).map(list);
export const VERBS = new Map(Object.entries(ENGLISH.verbs ?? {}).map(([verb, forms]) => [verb, forms.split('|') as [string, string]]));
export const READ_VERBS = new Set(list(ENGLISH.readVerbs));

const STOPS = new Map(Object.entries(LEXICONS).map(([lang, lexicon]) => [lang, new Set(list(lexicon.stopWords).map(fold))]));
const ALL_STOPS = union((l) => l.stopWords);
/** Every language's words mapped to English. */
export const GLOSSARY = new Map(Object.values(LEXICONS).flatMap((l) => Object.entries(l.glossary)));

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
    const score = words.filter((w) => stops.has(w) || w in lexicon.glossary).length + (lang === 'es' && /[¿¡ñ]/i.test(text) ? 2 : 0);
    if (score > bestScore) [best, bestScore] = [lang, score];
  }
  return best;
}

/** A language's lexicon (English for one not known). */
export function lexicon(lang: string): Lexicon {
  return LEXICONS[lang] ?? ENGLISH;
}

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
