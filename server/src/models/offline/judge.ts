/**
 * The offline model's answer to a structured-output request (the llm_judge guardrail). The judge's
 * instructions name forbidden terms in double quotes, curly quotes or backticks (`Fail any text
 * that mentions "competitor".`); the judged text (the last user message, else the last assistant
 * message) fails when it contains one as a whole word, case-insensitively. With no quoted terms
 * everything passes. The verdict is shaped to the requested schema.
 */
import { contentText, type ModelInputItem } from '../model.ts';
import { END, escapeRegExp, START } from './arguments/words.ts';

/** Terms quoted in the instructions. */
export function forbiddenTerms(instructions: string): string[] {
  const terms = [...instructions.matchAll(/"([^"\n]{1,60})"|“([^”\n]{1,60})”|`([^`\n]{1,60})`/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').trim());
  return [...new Set(terms.filter(Boolean))];
}

/** Pass or fail, with a one-line reason. */
function verdict(instructions: string, conversation: ModelInputItem[]): { pass: boolean; reason: string } {
  const messages = conversation.filter((item) => item.type === 'message');
  const text = contentText((messages.filter((m) => m.role === 'user').at(-1) ?? messages.at(-1))?.content ?? '');
  const hit = forbiddenTerms(instructions).find((term) => new RegExp(`${START}${escapeRegExp(term)}${END}`, 'iu').test(text));
  return hit ? { pass: false, reason: `The text mentions "${hit}".` } : { pass: true, reason: 'No forbidden content found.' };
}

/**
 * An object for the schema's properties: booleans named like pass/ok get `pass`, those named like
 * fail/flagged `!pass`; numbers 1 or 0 the same way; enums a matching value; strings the reason
 * (or "pass"/"fail" for verdict-like names).
 */
function shapeVerdict(schema: Record<string, unknown>, result: { pass: boolean; reason: string }): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown; enum?: unknown }>;
  if (Object.keys(properties).length === 0) return { ...result };
  return Object.fromEntries(Object.entries(properties).map(([name, property]) => {
    const n = name.toLowerCase();
    const yes = /fail|flag|block|violat|trip|unsafe|reject|harm/.test(n) ? !result.pass : result.pass;
    if (Array.isArray(property.enum) && property.enum.length > 0) {
      const wanted = result.pass ? /pass|ok|allow|safe|yes|true/i : /fail|block|flag|unsafe|no|false/i;
      return [name, property.enum.find((v) => wanted.test(String(v))) ?? property.enum[0]];
    }
    if (property.type === 'boolean') return [name, yes];
    if (property.type === 'number' || property.type === 'integer') return [name, yes ? 1 : 0];
    return [name, /^(?:verdict|decision|result|label)$/.test(n) ? (result.pass ? 'pass' : 'fail') : result.reason];
  }));
}

/** The JSON text the offline model returns for a structured-output request. */
export function judge(instructions: string, conversation: ModelInputItem[], schema: Record<string, unknown>): string {
  return JSON.stringify(shapeVerdict(schema, verdict(instructions, conversation)));
}
