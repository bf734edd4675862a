/**
 * The question for a tool's missing required arguments, asking for exactly those: "What date
 * and time would you like?" only when both are missing, "What time would you like?" when only
 * the time is, "For how many people?" for a party size.
 */
import { fieldKind } from '../fill-arguments.ts';
import { unitGroupOf } from './quantities.ts';
import { allWords, nameWords } from './words.ts';

type Schema = Record<string, unknown>;

function joinWith(items: string[], last: string): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** How a field is asked for when the generic wording fits no better. */
export type DescribeField = (field: string) => string;

const GENERIC = new Set(allWords('genericNameWords'));

/**
 * The question (one or two sentences) for the `missing` fields of a tool with these
 * `parameters`. `describe` words the fields this module has no special wording for
 * ("your order number").
 */
export function askForMissing(missing: string[], parameters: Schema, describe: DescribeField): string {
  const properties = (parameters.properties ?? {}) as Record<string, Schema>;
  const kinds = missing.map((field) => fieldKind(field, properties[field] ?? {}));
  const date = kinds.some((k) => k === 'date' || k === 'datetime');
  const time = kinds.some((k) => k === 'time' || k === 'datetime');
  let people = false;
  const others: string[] = [];
  missing.forEach((field, i) => {
    const schema = properties[field] ?? {};
    const kind = kinds[i];
    if (kind === 'date' || kind === 'time' || kind === 'datetime') return;
    if (kind === 'number' && unitGroupOf(field, schema) === 'people') people = true;
    else if (kind === 'phone') others.push('your phone number');
    else if (kind === 'boolean') others.push(`whether you'd like ${nameWords(field).filter((w, _, all) => !GENERIC.has(w) || all.every((x) => GENERIC.has(x))).join(' ')}`);
    else if (kind === 'enum' && Array.isArray(schema.enum) && schema.enum.length <= 6) others.push(`which ${nameWords(field).join(' ')} (${joinWith(schema.enum.map(String), 'or')})`);
    else others.push(describe(field));
  });
  const when = date && time ? 'date and time' : date ? 'date' : time ? 'time' : '';
  const sentences = [when && people ? `What ${when} would you like, and for how many people?` : when ? `What ${when} would you like?` : people ? 'For how many people?' : ''].filter(Boolean);
  if (others.length > 0) sentences.push(`Could you ${sentences.length > 0 ? 'also ' : ''}tell me ${joinWith(others, 'and')}?`);
  return sentences.join(' ');
}
