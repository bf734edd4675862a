/**
 * The question for a tool's missing required arguments, asking for exactly those: "What date
 * and time would you like?" only when both are missing, "What time would you like?" when only
 * the time is, "For how many people?" for a party size.
 */
import { fieldKind } from '../fill-arguments.ts';
import { nameWords } from './patterns.ts';
import { unitGroupOf } from './quantities.ts';

type Schema = Record<string, unknown>;

function joinWith(items: string[], last: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

/** How a field is asked for when the generic wording fits no better. */
export type DescribeField = (field: string) => string;

/**
 * The question (one or two sentences) for the `missing` fields of a tool with these
 * `parameters`. `describe` words the fields this module has no special wording for
 * ("your order number").
 */
export function askForMissing(missing: string[], parameters: Schema, describe: DescribeField): string {
  const properties = (parameters.properties ?? {}) as Record<string, Schema>;
  let date = false;
  let time = false;
  let people = false;
  const others: string[] = [];
  for (const field of missing) {
    const schema = properties[field] ?? {};
    const kind = fieldKind(field, schema);
    if (kind === 'date' || kind === 'datetime') date = true;
    if (kind === 'time' || kind === 'datetime') time = true;
    if (kind === 'date' || kind === 'time' || kind === 'datetime') continue;
    if (kind === 'number' && unitGroupOf(field, schema) === 'people') people = true;
    else if (kind === 'phone') others.push('your phone number');
    else if (kind === 'boolean') others.push(`whether you'd like ${nameWords(field).filter((w) => !['is', 'has', 'needs', 'wants', 'include', 'with'].includes(w)).join(' ')}`);
    else if (kind === 'enum' && Array.isArray(schema.enum) && schema.enum.length <= 6) {
      others.push(`which ${nameWords(field).join(' ')} (${joinWith(schema.enum.map(String), 'or')})`);
    } else others.push(describe(field));
  }
  const when = date && time ? 'date and time' : date ? 'date' : time ? 'time' : '';
  const sentences: string[] = [];
  if (when && people) sentences.push(`What ${when} would you like, and for how many people?`);
  else if (when) sentences.push(`What ${when} would you like?`);
  else if (people) sentences.push('For how many people?');
  if (others.length > 0) sentences.push(`Could you ${sentences.length > 0 ? 'also ' : ''}tell me ${joinWith(others, 'and')}?`);
  return sentences.join(' ');
}
