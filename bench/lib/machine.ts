import { cpus } from 'node:os';

/** What a run was measured on, printed under the tables and kept in results.json. */
export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  date: string;
}

/** The machine this process runs on, and now. */
export function machine(): Machine {
  const list = cpus();
  return { cpu: list[0]?.model.trim() ?? 'unknown', cores: list.length, node: process.version, date: new Date().toISOString() };
}

/** `Intel Xeon … · 2 cores · Node v20.19.0 · 2026-11-30`. */
export function describeMachine(m: Machine): string {
  return `${m.cpu} · ${m.cores} cores · Node ${m.node} · ${m.date.slice(0, 16).replace('T', ' ')} UTC`;
}
