/** One side of a comparison: runs once and returns its sample (a time, a rate, bytes…). */
export type Side = () => Promise<number>;

export interface InterleaveOptions {
  /** Rounds run first and thrown away (JIT, caches, SQLite pages). */
  warmup: number;
  /** Rounds kept. */
  rounds: number;
  /** Called after each kept round (progress lines). */
  onRound?: (round: number) => void;
}

/**
 * Runs every side once per round, in the same process, and keeps one sample per side per round.
 * The order flips each round (A B, B A, A B…) so neither side always runs right after the other's
 * garbage; a slow moment of the shared machine lands on both sides instead of on one.
 */
export async function interleave<K extends string>(sides: Record<K, Side>, options: InterleaveOptions): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < options.warmup + options.rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const value = await sides[name]();
      if (round >= options.warmup) samples[name].push(value);
    }
    if (round >= options.warmup) options.onRound?.(round - options.warmup + 1);
  }
  return samples;
}

/** Milliseconds `fn` took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}
