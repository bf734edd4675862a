/**
 * Values that earlier tool results in the conversation carry: after "is the Alpine 2 tent in
 * stock?" found one product with `sku: "TN-2002"`, "reserve 2 of them" can fill a required
 * `sku` from it, the way a person reads back what they just looked up. Pure and deterministic.
 */
import type { ModelInputItem } from '../model.ts';

/** How deep into a result, and how many values, are looked at: tool output is untrusted and may be large. */
const MAX_DEPTH = 4;
const MAX_VALUES = 50;
/** Only this many of the latest results are read. */
const MAX_RESULTS = 6;

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Every string or number stored under `field` in `value`, at most MAX_DEPTH levels down. */
function collect(value: unknown, field: string, depth: number, out: Array<string | number>): void {
  if (depth > MAX_DEPTH || out.length >= MAX_VALUES || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, field, depth + 1, out);
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === field && (typeof v === 'string' || typeof v === 'number')) out.push(v);
    else collect(v, field, depth + 1, out);
  }
}

/**
 * The value of `field` in the latest tool result that mentions it, when that result names
 * exactly one (one product found); several different values there (three tents) are a choice
 * for the visitor, so nothing is returned and the model asks instead.
 */
export function valueFromResults(conversation: readonly ModelInputItem[], field: string): string | number | undefined {
  let read = 0;
  for (let i = conversation.length - 1; i >= 0 && read < MAX_RESULTS; i--) {
    const item = conversation[i];
    if (item?.type !== 'function_call_output') continue;
    read++;
    const values: Array<string | number> = [];
    collect(parse(item.output), field, 0, values);
    const distinct = new Set(values);
    if (distinct.size === 1) return values[0];
    if (distinct.size > 1) return undefined;
  }
  return undefined;
}
