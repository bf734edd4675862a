/**
 * How the offline model talks about a tool: its verb, its object, the subject of a call
 * ("order **1234**", "**Paris**") and its schema's fields. Shared by the decision logic and the reply writer.
 */
import type { ModelTool } from '../model.ts';
import { fieldKind } from './fill-arguments.ts';
import { READ_VERBS, VERBS } from './lexicon/index.ts';
import { stem } from './text-match.ts';

/** A tool name taken apart: `refund_order` → verb refund, object "order"; an action changes something (the visitor must have said it). */
export type ToolWords = { verb: string; infinitive: string; past: string; object: string; isAction: boolean };

/** The properties of a tool's parameters schema. */
export const propertiesOf = (tool: ModelTool): Record<string, { type?: unknown }> => (tool.parameters.properties ?? {}) as Record<string, { type?: unknown }>;
/** The required fields of a tool's parameters schema. */
export const requiredOf = (tool: ModelTool): string[] => (Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : []);

/** The tool's own name without the connector it comes from: `inventory__check_stock` → `check_stock`. */
export function ownName(name: string): string {
  const at = name.lastIndexOf('__');
  return at > 0 && at < name.length - 2 ? name.slice(at + 2) : name;
}

export function toolWords(name: string): ToolWords {
  const parts = ownName(name).replace(/([a-z])([A-Z])/g, '$1 $2').split(/[_\-.\s]+/).map((p) => p.toLowerCase()).filter(Boolean);
  const first = parts[0] ?? name;
  const known = VERBS.get(first);
  if (known) return { verb: first, infinitive: known[0], past: known[1], object: parts.slice(1).join(' '), isAction: !READ_VERBS.has(first) };
  // A noun name such as `service_status`: reading it is "checking" it.
  return { verb: 'check', infinitive: 'check', past: 'checked', object: parts.join(' '), isAction: false };
}

/** The stem a visitor must use for an action tool to be called, e.g. "refund". */
export function actionStem(name: string): string | undefined {
  const words = toolWords(name);
  return words.isAction ? stem(words.verb) : undefined;
}

/** `sku`, `product_code`: a code for a thing on sale, not the visitor's own reference. */
export const isProductCode = (field: string): boolean => /(?:^|_)(?:sku|code)$/i.test(field);

/** What a call is about, for a sentence: `order **1234**`, `**Paris**`, `“reset password”`. */
export function callSubject(name: string, args: Record<string, unknown>): { text: string; kind: 'id' | 'place' | 'query' } | undefined {
  for (const [field, value] of Object.entries(args)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const kind = fieldKind(field, { type: typeof value === 'number' ? 'number' : 'string' });
    // A product code names the thing by the tool's object ("item **TN-2002**"), not as "sku".
    if (kind === 'id') return { text: `${(isProductCode(field) ? '' : field.replace(/_?id$/i, '').replace(/_/g, ' ')) || toolWords(name).object || 'item'} **${String(value)}**`, kind };
    if (kind === 'place') return { text: `**${String(value)}**`, kind };
    if (kind === 'query') return { text: `“${String(value).slice(0, 80)}”`, kind };
  }
  return undefined;
}

/** "look up order **1234**", "get the weather for **Paris**", "check service status". */
export function actionPhrase(name: string, args: Record<string, unknown>): string {
  const { infinitive, object } = toolWords(name);
  const subject = callSubject(name, args);
  if (subject?.kind === 'id') return `${infinitive} ${subject.text}`;
  const base = object ? `${infinitive} the ${object}` : infinitive;
  return subject ? `${base} for ${subject.text}` : base;
}
