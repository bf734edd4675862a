/** `$0.0123`: a cost small enough to matter keeps four decimals. */
export function formatUsd(usd: number): string {
  return `$${usd < 1 ? usd.toFixed(4) : usd.toFixed(2)}`;
}
