/**
 * The offline model's answer to a structured-output request (the llm_judge guardrail).
 *
 * Heuristic: the judge's instructions name forbidden terms in double quotes, curly quotes or
 * backticks (e.g. `Fail any text that mentions "competitor" or "lawsuit".`). The judged text
 * (the last user message, else the last assistant message) fails when it contains one of
 * them as a whole word, case-insensitively; with no quoted terms everything passes.
 * The verdict is shaped to the requested schema (see `shapeVerdict`).
 */
import { contentText, type ModelInputItem } from '../model.ts';

/** Terms quoted in the instructions. */
export function forbiddenTerms(instructions: string): string[] {
  const terms: string[] = [];
  for (const match of instructions.matchAll(/"([^"\n]{1,60})"|“([^”\n]{1,60})”|`([^`\n]{1,60})`/g)) {
    const term = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (term && !terms.includes(term)) terms.push(term);
  }
  return terms;
}

function judgedText(conversation: ModelInputItem[]): string {
  const messages = conversation.filter((item) => item.type === 'message');
  const user = messages.filter((m) => m.role === 'user').at(-1);
  const content = (user ?? messages.at(-1))?.content ?? '';
  return contentText(content);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Pass or fail, with a one-line reason. */
export function verdict(instructions: string, conversation: ModelInputItem[]): { pass: boolean; reason: string } {
  const text = judgedText(conversation);
  const hit = forbiddenTerms(instructions).find((term) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}(?![\\p{L}\\p{N}])`, 'iu').test(text),
  );
  return hit ? { pass: false, reason: `The text mentions "${hit}".` } : { pass: true, reason: 'No forbidden content found.' };
}

/**
 * Builds an object for the schema's properties: booleans named like pass/ok/allowed/safe get
 * `pass`, those named like fail/flagged/blocked/violation get `!pass`; strings get the reason
 * (or "pass"/"fail" for verdict-like names); numbers 1 or 0; enums a matching value.
 */
export function shapeVerdict(schema: Record<string, unknown>, result: { pass: boolean; reason: string }): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown; enum?: unknown }>;
  if (Object.keys(properties).length === 0) return { ...result };
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const n = name.toLowerCase();
    const negative = /fail|flag|block|violat|trip|unsafe|reject|harm/.test(n);
    if (Array.isArray(property.enum) && property.enum.length > 0) {
      const wanted = result.pass ? /pass|ok|allow|safe|yes|true/i : /fail|block|flag|unsafe|no|false/i;
      out[name] = property.enum.find((v) => wanted.test(String(v))) ?? property.enum[0];
    } else if (property.type === 'boolean') {
      out[name] = negative ? !result.pass : result.pass;
    } else if (property.type === 'number' || property.type === 'integer') {
      out[name] = (negative ? !result.pass : result.pass) ? 1 : 0;
    } else if (/^(?:verdict|decision|result|label)$/.test(n)) {
      out[name] = result.pass ? 'pass' : 'fail';
    } else {
      out[name] = result.reason;
    }
  }
  return out;
}

/** The JSON text the offline model returns for a structured-output request. */
export function judge(instructions: string, conversation: ModelInputItem[], schema: Record<string, unknown>): string {
  return JSON.stringify(shapeVerdict(schema, verdict(instructions, conversation)));
}
