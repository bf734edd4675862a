import type { UsageRow } from '@agent-chat/shared';
import { html, nothing, svg } from 'lit';

/** A number as the console prints counts: grouped digits in the reader's locale. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** US dollars: cents for whole amounts, four decimals for the small ones models cost. */
export function formatUsd(n: number): string {
  return `$${n.toFixed(n !== 0 && n < 1 ? 4 : 2)}`;
}

/** Every UTC day from `from` to `to` (`YYYY-MM-DD`, inclusive). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const tokens = (r: UsageRow) => r.inputTokens + r.outputTokens;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The legend both charts share: input tokens, then output tokens on top. */
export const legend = html`<p class="legend" aria-hidden="true"><span class="key input"></span> input tokens <span class="key output"></span> output tokens</p>`;

/**
 * Tokens per day as stacked columns (input, output on top), every day of the period drawn, an
 * empty one too; one image to a screen reader, described in a sentence (the table follows it).
 */
export function dayChart(rows: UsageRow[], days: string[]) {
  const byDay = new Map(rows.map((r) => [r.day ?? '', r]));
  const max = Math.max(1, ...rows.map(tokens));
  const width = 720;
  const height = 180;
  const top = 16;
  const bottom = 22;
  const slot = width / days.length;
  const bar = Math.max(2, slot * 0.7);
  const scale = (n: number) => (n / max) * (height - top - bottom);
  const busiest = rows.reduce<UsageRow | undefined>((best, r) => (best && tokens(best) >= tokens(r) ? best : r), undefined);
  const total = rows.reduce((sum, r) => sum + tokens(r), 0);
  const cost = rows.reduce((sum, r) => sum + r.costUsd, 0);
  const label = `Tokens per day from ${days[0]} to ${days.at(-1)}: ${formatCount(total)} in all, costing ${formatUsd(cost)}${busiest ? `; most on ${busiest.day}, ${formatCount(tokens(busiest))}` : ''}.`;
  const every = Math.ceil(days.length / 8);
  return svg`<svg class="chart day-chart" role="img" aria-label=${label} viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet">
    <line class="axis" x1="0" x2=${width} y1=${height - bottom} y2=${height - bottom}></line>
    <text class="tick" x="2" y="11">${formatCount(max)}</text>
    ${days.map((day, i) => {
      const row = byDay.get(day);
      const x = i * slot + (slot - bar) / 2;
      const input = row ? scale(row.inputTokens) : 0;
      const output = row ? scale(row.outputTokens) : 0;
      const base = height - bottom;
      return svg`<g data-day=${day}>
        <title>${day}: ${formatCount(row ? tokens(row) : 0)} tokens, ${formatUsd(row?.costUsd ?? 0)}</title>
        <rect class="input" x=${x} y=${base - input} width=${bar} height=${input}></rect>
        <rect class="output" x=${x} y=${base - input - output} width=${bar} height=${output}></rect>
        ${i % every === 0 ? svg`<text class="tick" x=${x + bar / 2} y=${height - 6} text-anchor="middle">${day.slice(5)}</text>` : nothing}
      </g>`;
    })}
  </svg>`;
}

/**
 * Tokens per group (a site, workflow or model) as horizontal stacked bars, largest first, the
 * group's name on the left and its total on the right; described in a sentence for a screen reader.
 */
export function groupChart(rows: UsageRow[], nameOf: (r: UsageRow) => string, what: string) {
  const sorted = [...rows].sort((a, b) => tokens(b) - tokens(a));
  const max = Math.max(1, ...sorted.map(tokens));
  const width = 720;
  const rowHeight = 26;
  const labelWidth = 190;
  const valueWidth = 110;
  const span = width - labelWidth - valueWidth;
  const height = Math.max(1, sorted.length) * rowHeight + 4;
  const label = sorted.length
    ? `Tokens per ${what}: ${sorted.map((r) => `${nameOf(r)} ${formatCount(tokens(r))}`).join(', ')}.`
    : `No tokens per ${what} in this period.`;
  return svg`<svg class="chart group-chart" role="img" aria-label=${label} viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet">
    ${sorted.map((r, i) => {
      const y = i * rowHeight + 4;
      const input = (r.inputTokens / max) * span;
      const output = (r.outputTokens / max) * span;
      const name = nameOf(r);
      return svg`<g>
        <text class="name" x="0" y=${y + 15}>${name.length > 24 ? svg`<title>${name}</title>` : nothing}${clip(name, 24)}</text>
        <rect class="input" x=${labelWidth} y=${y} width=${input} height="18"></rect>
        <rect class="output" x=${labelWidth + input} y=${y} width=${output} height="18"></rect>
        <text class="value" x=${labelWidth + input + output + 6} y=${y + 15}>${formatCount(tokens(r))}</text>
      </g>`;
    })}
  </svg>`;
}
