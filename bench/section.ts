/**
 * What every `pnpm bench` section gives back: rows for the printed table and data for
 * `bench/results.json`. Timings on shared 2-core machines are noisy, so a section compares its
 * two sides interleaved in one process (A, B, A, B…) after a warm-up, and reports median and min.
 */

/** One line of the table: a figure, what was measured, and the goal it is held to (if any). */
export interface BenchRow {
  /** What is measured, e.g. "latency added per token, p50 / p99". */
  figure: string;
  /** The measured value, formatted for people, e.g. "1.2 / 3.4 ms". */
  value: string;
  /** The goal, formatted, e.g. "≤ 2 / 5 ms"; omitted for figures without one. */
  goal?: string;
  /** Whether the goal is met; omitted when there is no goal. */
  met?: boolean;
}

export interface SectionResult {
  /** The section's title, e.g. "Relay: full pipeline vs bare ws". */
  title: string;
  rows: BenchRow[];
  /** Raw numbers (samples' medians, mins, counts…) written to bench/results.json. */
  data: Record<string, unknown>;
}

export interface BenchOptions {
  /**
   * The quick version run by the test command: small sizes, a few repetitions, no speed
   * assertions — only that the section runs end to end and loses nothing.
   */
  quick: boolean;
  /** Where progress lines go (stderr in the CLI, silent in tests). */
  log: (line: string) => void;
}

/** A bench section. Throws if the run it measures lost or reordered anything. */
export type Section = (options: BenchOptions) => Promise<SectionResult>;
