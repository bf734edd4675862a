import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EvalCase } from '@agent-chat/shared';
import { threadToCase } from '../evals/thread-to-case.ts';
import type { Storage } from '../store/storage.ts';
import { parseCommandArgs } from './command-args.ts';
import { commandConfig } from './command-config.ts';
import { type CommandIo, ExitCode } from './command-io.ts';
import { displayPath } from './display-path.ts';
import { openStoredData } from './stored-data.ts';

/** `agent-chat eval export --help`. */
export const EVAL_EXPORT_USAGE = `Usage: agent-chat eval export --thread <id> [--out <file>]
       agent-chat eval export --feedback down [--limit <n>] [--out <file>]

Writes stored threads as eval cases (JSONL, one case per thread) to edit: the visitor's
messages, the approvals as they were decided, and starter graders (tools called, handoffs,
guardrails that tripped, a few words of the final answer). Reads the database the server uses
(DATA_DIR or DATABASE_URL) and changes nothing in it.

  --thread <id>       the thread to export; repeatable
  --feedback down     every thread with a thumbs-down (newest first)
  --limit <n>         at most n threads with --feedback (default 100)
  --out <file>        write here (default: stdout); the file is replaced

Exit: 0 written, 1 a thread was not found, 2 bad arguments.`;

async function caseOf(storage: Storage, threadId: string): Promise<EvalCase | undefined> {
  const thread = await storage.threads.get(threadId);
  if (!thread) return undefined;
  const [items, decisions] = await Promise.all([storage.items.all(threadId), storage.approvals.forThread(threadId)]);
  return threadToCase(thread, items, decisions);
}

/** `agent-chat eval export`: stored threads as eval cases (see `EVAL_EXPORT_USAGE`). */
export async function evalExportCommand(args: string[], io: CommandIo): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    { thread: { type: 'string', multiple: true }, feedback: { type: 'string' }, limit: { type: 'string' }, out: { type: 'string' } },
    { usage: EVAL_EXPORT_USAGE, maxPositionals: 0 },
    io,
  );
  if (parsed === 'help') return ExitCode.ok;
  if (!parsed) return ExitCode.usage;
  const { thread: threads = [], feedback, out } = parsed.values;
  const fail = (message: string) => {
    io.stderr(`agent-chat eval export: ${message}\n${EVAL_EXPORT_USAGE}\n`);
    return ExitCode.usage;
  };
  if (feedback !== undefined && feedback !== 'down' && feedback !== 'up') return fail(`--feedback takes down (or up), not "${feedback}"`);
  if (threads.length === 0 && feedback === undefined) return fail('name a thread (--thread <id>) or --feedback down');
  const limit = parsed.values.limit === undefined ? 100 : Number(parsed.values.limit);
  if (!Number.isInteger(limit) || limit < 1) return fail(`--limit must be a positive whole number, not "${parsed.values.limit}"`);
  const config = commandConfig(io);
  if (!config) return ExitCode.usage;
  const storage = await openStoredData(config, io, 'agent-chat eval export');
  if (!storage) return ExitCode.failed;
  try {
    const ids = [...threads];
    if (feedback) for (const id of await storage.feedback.threadsRated(feedback, limit)) if (!ids.includes(id)) ids.push(id);
    const cases: EvalCase[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const found = await caseOf(storage, id);
      if (found) cases.push(found);
      else missing.push(id);
    }
    const text = cases.map((c) => `${JSON.stringify(c)}\n`).join('');
    if (out) writeFileSync(resolve(out), text);
    else io.stdout(text);
    for (const id of missing) io.stderr(`agent-chat eval export: no thread "${id}"\n`);
    if (out) io.stderr(`${cases.length} case${cases.length === 1 ? '' : 's'} written to ${displayPath(resolve(out))}\n`);
    return missing.length > 0 ? ExitCode.failed : ExitCode.ok;
  } finally {
    await storage.close();
  }
}
