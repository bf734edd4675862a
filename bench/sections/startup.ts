/**
 * Start-up: from spawning the process to its start-up line (it listens then), for the release
 * (`node server/dist/cli.js serve`, compiled, no loader) and the development path (`npm start`'s
 * server: TypeScript through tsx), with a bare `node -e 0` as the floor. Interleaved; needs
 * `npm run build` (which `pnpm bench` runs first).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, assertBuilt, writeHelpdeskWorkflow } from '../../server/test/helpers/release.ts';
import { removeDir, tempDataDir } from '../../server/test/helpers/temp-dir.ts';
import { ms } from '../lib/format.ts';
import { interleave } from '../lib/interleave.ts';
import { stats } from '../lib/stats.ts';
import type { Section } from '../section.ts';

const GOAL_MS = 1000;

/** Milliseconds from spawn to the line matching `ready` (or to exit when `ready` is undefined). */
function timeStart(args: string[], env: Record<string, string>, ready?: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready?.test(out)) {
        const elapsed = performance.now() - started;
        child.once('exit', () => resolve(elapsed));
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      if (!ready) resolve(performance.now() - started);
      else if (!ready.test(out)) reject(new Error(`exited (${code}) before it listened:\n${out}`));
    });
  });
}

export const startup: Section = async ({ quick, log }) => {
  assertBuilt();
  const dir = tempDataDir();
  const workflows = writeHelpdeskWorkflow(join(dir, 'workflows'));
  const env = { PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' };
  const listening = /"msg":"agent-chat http/;
  try {
    let n = 0;
    const samples = await interleave(
      {
        node: () => timeStart(['-e', '0'], {}),
        release: () => timeStart(['server/dist/cli.js', 'serve'], { ...env, DATA_DIR: join(dir, `r${n++}`), WORKFLOWS_DIR: workflows }, listening),
        tsx: () => timeStart(['--conditions=agent-chat-source', '--import', 'tsx', 'demo/server.ts'], { ...env, DATA_DIR: join(dir, `t${n++}`) }, listening),
      },
      { warmup: quick ? 0 : 1, rounds: quick ? 1 : 10, onRound: (round) => log(`round ${round}`) },
    );
    const node = stats(samples.node);
    const release = stats(samples.release);
    const tsx = stats(samples.tsx);
    return {
      title: 'Start-up: spawn to listening',
      rows: [
        { figure: 'release (node server/dist/cli.js serve), median / min', value: `${ms(release.median)} / ${ms(release.min)}`, goal: `≤ ${ms(GOAL_MS)}`, met: release.median <= GOAL_MS },
        { figure: 'development (tsx demo/server.ts, as npm start), median / min', value: `${ms(tsx.median)} / ${ms(tsx.min)}` },
        { figure: 'bare node -e 0 (the floor), median / min', value: `${ms(node.median)} / ${ms(node.min)}` },
        { figure: 'release ÷ development, median', value: `${(release.median / tsx.median).toFixed(2)}×` },
      ],
      data: { releaseMs: release, tsxMs: tsx, nodeMs: node },
    };
  } finally {
    removeDir(dir);
  }
};
