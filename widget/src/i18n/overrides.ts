import type { UiStrings } from './en.ts';

/** Site-owner replacements for some of the texts: the same keys and kinds (text or function) as {@link UiStrings}. */
export type UiStringsOverride = Partial<UiStrings>;

/**
 * The table with the site owner's replacements applied. A key the widget does not have, or a
 * value of the wrong kind (text for a function, or the reverse), is left out and reported
 * through `warn`, so one mistake never blanks the interface.
 */
export function applyOverrides(base: UiStrings, overrides: UiStringsOverride | null | undefined, warn: (message: string) => void): UiStrings {
  if (!overrides || typeof overrides !== 'object') return base;
  const merged: Record<string, unknown> = { ...base };
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    const expected = Object.hasOwn(base, key) ? typeof base[key as keyof UiStrings] : undefined;
    if (expected && typeof value === expected && value !== '') merged[key] = value;
    else ignored.push(key);
  }
  if (ignored.length) warn(`strings: ignored ${ignored.map((k) => `"${k}"`).join(', ')} (not a text the widget has, an empty text, or not of the same kind: a string, or a function for texts with values).`);
  return merged as unknown as UiStrings;
}
