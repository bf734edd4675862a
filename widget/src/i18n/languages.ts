import ar from './ar.ts';
import en, { type UiStrings } from './en.ts';
import es from './es.ts';
import ja from './ja.ts';
import ko from './ko.ts';

/** The languages the widget speaks. */
export const LANGUAGES = { en, es, ko, ja, ar } satisfies Record<string, UiStrings>;

/** A language the widget has a table for. */
export type Language = keyof typeof LANGUAGES;

/** Languages written right to left: the panel gets `dir="rtl"` and mirrors. */
const RTL: ReadonlySet<Language> = new Set(['ar']);

/** The writing direction of a language. */
export function direction(language: Language): 'ltr' | 'rtl' {
  return RTL.has(language) ? 'rtl' : 'ltr';
}

/** The table for a BCP 47 tag, by its primary subtag (`es-MX` → `es`); undefined for one the widget does not speak. */
export function matchLanguage(tag: string | null | undefined): Language | undefined {
  const primary = /^([a-z]{2,3})(?:[-_]|$)/i.exec(tag?.trim() ?? '')?.[1]?.toLowerCase();
  return primary && Object.hasOwn(LANGUAGES, primary) ? (primary as Language) : undefined;
}

/** The `lang` in effect around `element` (closest ancestor, across shadow roots, then the document), or ''. */
export function pageLanguage(element: Element): string {
  let node: Element | null = element.parentElement ?? (element.parentNode instanceof ShadowRoot ? element.parentNode.host : null);
  while (node) {
    const found = node.closest('[lang]');
    if (found) return found.getAttribute('lang') ?? '';
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return element.ownerDocument.documentElement.lang;
}

/**
 * The language to show: the element's own `lang` if the widget speaks it, else the page's
 * `lang`, else the first of the visitor's browser languages it speaks, else English.
 * `rejected` is the element's own `lang` when it was set but is not one the widget speaks.
 */
export function resolveLanguage(
  own: string | null,
  element: Element,
  browser: readonly string[] = navigator.languages?.length ? navigator.languages : [navigator.language],
): { language: Language; rejected?: string } {
  const set = own?.trim() ? own.trim() : undefined;
  const mine = matchLanguage(set);
  if (mine) return { language: mine };
  const language = matchLanguage(pageLanguage(element)) ?? browser.map(matchLanguage).find((l) => l !== undefined) ?? 'en';
  return set ? { language, rejected: set } : { language };
}

/**
 * The locale for dates and numbers in `language`: the first of `tags` (the element's `lang`,
 * the page's, the browser's) in that language, so `en-GB` keeps its day-month order; else the
 * language itself.
 */
export function localeFor(language: Language, tags: readonly (string | null | undefined)[]): string {
  for (const tag of tags) {
    if (!tag || matchLanguage(tag) !== language) continue;
    try {
      return Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0] ?? language;
    } catch {
      // A malformed tag ("es-!!"): try the next one.
    }
  }
  return language;
}
