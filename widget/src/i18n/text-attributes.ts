/** The site owner's texts, by attribute, with the longest each may be (longer is a mistake, not a title). */
export const TEXT_LIMITS = {
  title: 200,
  subtitle: 200,
  greeting: 500,
  placeholder: 200,
  'launcher-label': 200,
} as const;

/** An attribute that replaces one of the widget's texts. */
export type TextAttribute = keyof typeof TEXT_LIMITS;

/**
 * The text to show for a text attribute: undefined when it is absent or blank (the default
 * shows), or with `problem` when it cannot be used (the default shows, and the page is told why).
 */
export function checkText(name: TextAttribute, value: string | null | undefined): { text?: string; problem?: string } {
  const text = value?.trim();
  if (!text) return {};
  if (text.length > TEXT_LIMITS[name]) return { problem: `${name} is ${text.length} characters long (at most ${TEXT_LIMITS[name]})` };
  return { text };
}
