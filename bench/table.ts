import type { SectionResult } from './section.ts';

/** One section as a plain-text table: figure | value | goal | met. */
export function formatTable(result: SectionResult): string {
  const header = ['figure', 'value', 'goal', 'met'];
  const lines = result.rows.map((row) => [row.figure, row.value, row.goal ?? '', row.met === undefined ? '' : row.met ? '✓' : '✗']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [`## ${result.title}`, '', line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n');
}
