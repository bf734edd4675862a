import type { BenchRow } from '../section.ts';

/** `1.23 ms` (two decimals below 10, one below 100, none above). */
export function ms(value: number): string {
  return `${fixed(value)} ms`;
}

/** `12.3 µs`. */
export function us(value: number): string {
  return `${fixed(value)} µs`;
}

/** `4.1 KB`. */
export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** `0.62×`. */
export function times(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** A number with as many decimals as its size deserves. */
export function fixed(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  return value.toFixed(abs < 10 ? 2 : abs < 100 ? 1 : 0);
}

/** A row held to a goal: `met` is computed, never asserted (a missed goal is reported, not thrown). */
export function goalRow(figure: string, value: string, goal: string, met: boolean): BenchRow {
  return { figure, value, goal, met };
}
