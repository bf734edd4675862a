/**
 * Values that earlier tool results in the conversation carry: after "is the Alpine 2 tent in
 * stock?" found one product with `sku: "TN-2002"`, "reserve 2 of them" can fill a required `sku`
 * from it, the way a person reads back what they just looked up.
 */
import type { ModelInputItem } from '../model.ts';
import { parseJson } from './summarize-output.ts';

/** How deep into a result, how many values and how many of the latest results are read: tool output is untrusted and may be large. */
const MAX_DEPTH = 4;
const MAX_VALUES = 50;
const MAX_RESULTS = 6;

/** Every string or number stored under `field` in `value`, at most MAX_DEPTH levels down. */
function collect(value: unknown, field: string, depth: number, out: Array<string | number>): void {
  if (depth > MAX_DEPTH || out.length >= MAX_VALUES || !value || typeof value !== 'object') return;
  // An array's keys are indexes, which no id field is named like.
  for (const [key, v] of Object.entries(value)) {
    if (key === field && (typeof v === 'string' || typeof v === 'number')) out.push(v);
    else collect(v, field, depth + 1, out);
  }
}

/**
 * The value of `field` in the latest tool result that mentions it, when that result names exactly
 * one (one product found); several (three tents) are a choice for the visitor: none is returned.
 */
export function valueFromResults(conversation: readonly ModelInputItem[], field: string): string | number | undefined {
  const outputs = conversation.flatMap((item) => (item.type === 'function_call_output' ? [item.output] : [])).slice(-MAX_RESULTS).reverse();
  for (const output of outputs) {
    const values: Array<string | number> = [];
    collect(parseJson(output, undefined), field, 0, values);
    if (values.length > 0) return new Set(values).size === 1 ? values[0] : undefined;
  }
  return undefined;
}
