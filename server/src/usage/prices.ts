import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** USD per 1M tokens, by model name. */
export const ModelPrice = z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() });
export type ModelPrice = z.infer<typeof ModelPrice>;
export const PriceTable = z.record(z.string().min(1), ModelPrice);
export type PriceTable = z.infer<typeof PriceTable>;

/**
 * List prices of a few common models, USD per 1M input/output tokens, as a starting point:
 * `--prices prices.json` replaces entries (or adds models) for your account's real prices.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

/**
 * Reads a prices file (`{ "model": { "input": 0.4, "output": 1.6 } }`) over the defaults.
 * @throws Error naming the file and the field when it is not such an object.
 */
export function loadPrices(file: string, shown: string = file): PriceTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${shown}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = PriceTable.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${shown}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return { ...DEFAULT_PRICES, ...result.data };
}

/** What tokens cost in USD; the offline model (and a model not in the table) costs 0. */
export function costOf(prices: PriceTable, model: string, usage: { inputTokens: number; outputTokens: number }, offline: boolean): number {
  const price = offline ? undefined : prices[model];
  if (!price) return 0;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
