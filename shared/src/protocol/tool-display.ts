import { z } from 'zod';

/**
 * How the widget shows one argument's value: `text` as it is, `number` and `currency` with the
 * visitor's number format, `date` as a date in the visitor's language.
 */
export const ArgFormat = z.enum(['text', 'number', 'currency', 'date']);
export type ArgFormat = z.infer<typeof ArgFormat>;

/** A tool argument as the visitor reads it: a label instead of the JSON key, and a format. */
export const ArgDisplay = z
  .object({
    label: z.string().min(1).max(80).optional(),
    format: ArgFormat.default('text'),
    /** ISO 4217 code (`USD`, `EUR`); required with `format: "currency"`. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "USD"')
      .optional(),
  })
  .refine((arg) => arg.format !== 'currency' || arg.currency !== undefined, {
    message: 'format "currency" needs a currency code, e.g. "currency": "USD"',
    path: ['currency'],
  });
export type ArgDisplay = z.infer<typeof ArgDisplay>;

/**
 * What a tool call looks like to the visitor: a title template such as
 * `Refund order {order_id} — {amount}` (each `{name}` is an argument, shown in its format) and
 * labels and formats per argument. Untrusted on the widget side like any text: rendered as text.
 */
export const ToolDisplay = z.object({
  title: z.string().min(1).max(200).optional(),
  args: z.record(z.string(), ArgDisplay).optional(),
});
export type ToolDisplay = z.infer<typeof ToolDisplay>;

/** `{name}` placeholders of a title template, in order (a name is letters, digits and `_`). */
export function titlePlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g)].map((match) => match[1] as string);
}

/**
 * What is wrong with a tool's display metadata, given its parameters' names: each placeholder of
 * the title and each key of `args` must be a declared parameter. `path` is relative to the
 * object holding `title` and `args` (`title`, `args.amount`).
 */
export function toolDisplayProblems(display: ToolDisplay, parameterNames: readonly string[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const declared = new Set(parameterNames);
  if (display.title !== undefined) {
    for (const name of new Set(titlePlaceholders(display.title))) {
      if (!declared.has(name)) problems.push({ path: 'title', message: `{${name}} is not a declared parameter` });
    }
  }
  for (const name of Object.keys(display.args ?? {})) {
    if (!declared.has(name)) problems.push({ path: `args.${name}`, message: `"${name}" is not a declared parameter` });
  }
  return problems;
}
