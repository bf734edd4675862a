// A web-test-runner plugin that runs the REAL `agent-chat eval` command against the real server's
// data directory, so the console's Evals view has a stored run to show:
//   POST /__agent-chat-server/eval   plays console/test/support/eval-cases.jsonl on the demo's
//                                    support workflow (baseline) and its variant without the
//                                    inventory connector, stores the run, answers { id }

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../../server/src/cli.ts', import.meta.url));
const CASES = fileURLToPath(new URL('./eval-cases.jsonl', import.meta.url));
const RUN_TIMEOUT_MS = 60_000;

/** Runs the command; resolves with the id it stored the run as (it says so on stderr). */
function runEval(dataDir) {
  const env = { ...process.env, DATA_DIR: dataDir, WORKFLOWS_DIR: `${ROOT}demo/workflows`, CONNECTORS_FILE: `${ROOT}demo/connectors.json` };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'DATABASE_URL']) delete env[name];
  const args = ['--conditions=agent-chat-source', '--import', 'tsx', CLI, 'eval', CASES, '--tools', `${ROOT}demo/tools/index.ts`,
    '--variant', `baseline=${ROOT}demo/workflows/support.json`, '--variant', `no-inventory=${ROOT}demo/evals/support-variant.json`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', () => {
      clearTimeout(timer);
      const stored = /^eval: stored as (\S+) /m.exec(stderr);
      if (stored) resolve(stored[1]);
      else reject(new Error(`agent-chat eval stored nothing:\n${stderr}`));
    });
  });
}

/** `dataDir()` is the real server's DATA_DIR. */
export function evalSeedPlugin(dataDir) {
  return {
    name: 'agent-chat-eval-seed',
    async serve(context) {
      if (context.path === '/__agent-chat-server/eval' && context.method === 'POST') {
        return { body: JSON.stringify({ id: await runEval(dataDir()) }), type: 'json' };
      }
    },
  };
}
