/*
 * The site owner's look and starter attributes, checked. A bad value never breaks the widget:
 * it falls back to the default and the site owner reads one console warning per element and
 * attribute (not one per render).
 */

/** Where the launcher and its panel sit. */
export type AgentChatPosition = 'bottom-right' | 'bottom-left';
/** Spacing of the conversation: `compact` fits more on a small panel. */
export type AgentChatDensity = 'comfortable' | 'compact';

/** At most this many starters are shown. */
export const MAX_STARTERS = 6;
/** A starter longer than this is cut (it is a button label and a whole message). */
export const MAX_STARTER_CHARS = 200;

/** Warns about a bad attribute value once per element and attribute. */
export class AttributeWarnings {
  #warned = new Set<string>();
  #tag: string;

  constructor(tag = 'agent-chat') {
    this.#tag = tag;
  }

  /** Logs `why` for `attribute` the first time only; later calls are silent. */
  warn(attribute: string, why: string): void {
    if (this.#warned.has(attribute)) return;
    this.#warned.add(attribute);
    console.warn(`<${this.#tag}>: ${attribute}: ${why}`);
  }
}

/** The value of a parse: what to use, and why the given value was refused (if it was). */
export interface Checked<T> {
  value: T;
  problem?: string;
}

/**
 * `starters`: a JSON array of strings (the attribute) or an array (the property, as React and
 * Vue set it); each trimmed and capped, empty ones dropped, at most six.
 */
export function parseStarters(raw: string | readonly unknown[] | null | undefined): Checked<string[]> {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return { value: [] };
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { value: [], problem: 'not valid JSON (expected an array of strings, e.g. ["Where is my order?"]); showing none' };
    }
  }
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string')) {
    return { value: [], problem: 'expected a JSON array of strings; showing none' };
  }
  const value = parsed
    .map((s: string) => s.trim().slice(0, MAX_STARTER_CHARS))
    .filter((s) => s !== '')
    .slice(0, MAX_STARTERS);
  return parsed.length > MAX_STARTERS ? { value, problem: `only the first ${MAX_STARTERS} starters are shown` } : { value };
}

/** `position`: `bottom-right` (default) or `bottom-left`. */
export function parsePosition(raw: string | null | undefined): Checked<AgentChatPosition> {
  if (!raw || raw === 'bottom-right') return { value: 'bottom-right' };
  if (raw === 'bottom-left') return { value: 'bottom-left' };
  return { value: 'bottom-right', problem: `"${raw.slice(0, 40)}" is not bottom-right or bottom-left; using bottom-right` };
}

/** `density`: `comfortable` (default) or `compact`. */
export function parseDensity(raw: string | null | undefined): Checked<AgentChatDensity> {
  if (!raw || raw === 'comfortable') return { value: 'comfortable' };
  if (raw === 'compact') return { value: 'compact' };
  return { value: 'comfortable', problem: `"${raw.slice(0, 40)}" is not comfortable or compact; using comfortable` };
}

/** `radius`: a CSS length ("0", "4px", "0.5rem"); undefined keeps the theme's radius. */
export function parseRadius(raw: string | null | undefined): Checked<string | undefined> {
  if (!raw) return { value: undefined };
  const value = raw.trim();
  // A percentage would round a wide panel into an ellipse; "0" is a length by CSS rules.
  if (/%/.test(value) || !CSS.supports('border-radius', value) || /^(?:inherit|initial|unset|revert|revert-layer|var\()/i.test(value)) {
    return { value: undefined, problem: `"${raw.slice(0, 40)}" is not a CSS length; using the default` };
  }
  return { value };
}

/** `font`: a CSS font-family list ("Inter, sans-serif"); undefined keeps the theme's font. */
export function parseFont(raw: string | null | undefined): Checked<string | undefined> {
  if (!raw) return { value: undefined };
  const value = raw.trim();
  if (!CSS.supports('font-family', value) || /^(?:inherit|initial|unset|revert|revert-layer)$/i.test(value) || /var\(/i.test(value)) {
    return { value: undefined, problem: `"${raw.slice(0, 40)}" is not a CSS font-family; using the default` };
  }
  return { value };
}
