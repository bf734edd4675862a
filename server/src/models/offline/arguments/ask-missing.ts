/**
 * The question for a tool's missing required arguments, asking for exactly those: "What date and time
 * would you like?" only when both are missing, "What time would you like?" when only the time is, "For how many people?".
 */
import { fieldKind } from '../fill-arguments.ts';
import { GENERIC } from './choices.ts';
import { unitGroupOf } from './quantities.ts';
import { nameWords } from './words.ts';
import { AND_LIST, OR_LIST } from '../summarize-output.ts';

/** The question for the `missing` fields of a tool with these `parameters`; `describe` words a field no generic wording fits ("your order number"). */
export function askForMissing(missing: string[], parameters: Record<string, unknown>, describe: (field: string) => string): string {
  const properties = (parameters.properties ?? {}) as Record<string, Record<string, unknown>>;
  const kinds = missing.map((field) => fieldKind(field, properties[field] ?? {}));
  const [date, time] = [kinds.some((k) => k === 'date' || k === 'datetime'), kinds.some((k) => k === 'time' || k === 'datetime')];
  const isPeople = (field: string, kind: string | undefined): boolean => kind === 'number' && unitGroupOf(field, properties[field] ?? {}) === 'people';
  const people = missing.some((field, i) => isPeople(field, kinds[i]));
  const others = missing.flatMap((field, i) => {
    const [schema, kind] = [properties[field] ?? {}, kinds[i]];
    if (kind === 'date' || kind === 'time' || kind === 'datetime' || isPeople(field, kind)) return [];
    if (kind === 'phone') return ['your phone number'];
    if (kind === 'boolean') return [`whether you'd like ${nameWords(field).filter((w, _, all) => !GENERIC.has(w) || all.every((x) => GENERIC.has(x))).join(' ')}`];
    if (kind === 'enum' && Array.isArray(schema.enum) && schema.enum.length <= 6) return [`which ${nameWords(field).join(' ')} (${OR_LIST.format(schema.enum.map(String))})`];
    return [describe(field)];
  });
  const when = date && time ? 'date and time' : date ? 'date' : time ? 'time' : '';
  const sentences = [when && people ? `What ${when} would you like, and for how many people?` : when ? `What ${when} would you like?` : people ? 'For how many people?' : ''].filter(Boolean);
  if (others.length > 0) sentences.push(`Could you ${sentences.length > 0 ? 'also ' : ''}tell me ${AND_LIST.format(others)}?`);
  return sentences.join(' ');
}
