/**
 * `pnpm bench`: runs every section (bench/sections/), prints one table per section and the
 * machine it ran on, and writes bench/results.json (a `--quick` or `--only` run writes
 * .tmp/bench-results.json instead). Run it as
 * `node --expose-gc --import tsx bench/run.ts [--quick] [--only <section>]`
 * (`pnpm bench` does); `--expose-gc` lets the turn-cost section measure retained heap.
 *
 * Exit code 1 only when a section throws (it lost or reordered events, or could not run); a missed
 * goal is shown with ✗, never fails the command.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, machine } from './lib/machine.ts';
import type { SectionResult } from './section.ts';
import { SECTIONS } from './sections/index.ts';
import { formatTable } from './table.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true } } });
const only = values.only?.flatMap((name) => name.split(','));
const unknown = only?.filter((name) => !SECTIONS.some(([known]) => known === name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map(([name]) => name).join(', ')}`);
  process.exit(2);
}
if (!(globalThis as { gc?: unknown }).gc) console.error('[bench] started without --expose-gc: retained heap is not measured');

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const results: Record<string, SectionResult | { error: string }> = {};
let failed = false;
for (const [name, section] of SECTIONS) {
  if (only && !only.includes(name)) continue;
  log(`${name}…`);
  const started = performance.now();
  try {
    const result = await section({ quick: values.quick, log: (line) => log(`${name}: ${line}`) });
    results[name] = result;
    console.log(`${formatTable(result)}\n`);
    log(`${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed = true;
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    results[name] = { error: message };
    console.log(`## ${name}\n\nFAILED: ${message}\n`);
  }
}

const ranOn = machine();
console.log(`Machine: ${describeMachine(ranOn)}${values.quick ? ' (quick run)' : ''}`);
console.log('Command: pnpm bench' + (values.quick ? ' --quick' : '') + (only ? ` --only ${only.join(',')}` : ''));
// Only a full run replaces the committed figures; a quick or partial one goes to .tmp/.
const file = values.quick || only ? resolve(import.meta.dirname, '../.tmp/bench-results.json') : resolve(import.meta.dirname, 'results.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify({ machine: ranOn, quick: values.quick, sections: results }, null, 2)}\n`);
log(`wrote ${file}`);
process.exit(failed ? 1 : 0);
