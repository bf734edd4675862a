/**
 * Picks how to write a value when the property's `pattern` decides between several spellings
 * (`19:30` or `19:30:00`, `+34600123456` or `+34 600 123 456`).
 */

/** The first candidate the pattern accepts, or the first candidate when there is no usable pattern; undefined when none fits. */
export function choose(candidates: string[], pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return candidates[0];
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
  } catch {
    return candidates[0];
  }
  return candidates.find((candidate) => regex.test(candidate));
}
