/**
 * The shape of the offline model's word lists for one language: data, not logic. The model
 * reads the visitor's words through them and writes its own sentences from their phrases.
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
  /** Words that open a question ("how", "cómo"). */
  questionWords: string;
  /** Words that open a question for information, not a request ("how do I cancel…?"). */
  infoWords: string;
  /** Verbs that ask for an action (mapped to English by the glossary): one no tool takes is said to be impossible here. */
  requestVerbs: string;
  /** The model's own sentences; `{name}`, `{topics}` and `{capabilities}` are filled in. */
  phrases: {
    greeting: string;
    handedOff: string;
    welcome: string;
    offTopic: string;
    human: string;
    canHelpWith: string;
    canDo: string;
    whatCanIDo: string;
    tellMeMore: string;
    /** An action no tool takes; `{verb}` is its English verb. */
    unable: string;
    /** A call that could help instead; `{action}` is in English ("look up order **1234**"). */
    canOffer: string;
    /** Said before an answer this language has no words for (tool results, the workflow's own text). */
    answersInEnglish: string;
  };
}

/** The space-separated words of a list field. */
export function list(words: string): string[] {
  return words.split(/\s+/).filter(Boolean);
}
