import type { Item, ThreadEventBody } from '@agent-chat/shared';
import { Workflow } from '@agent-chat/shared';
import type { RunAgent, RunInput } from '../../src/agents/run-types.ts';

/** A two-agent workflow for tests that do not need the demo's. */
export const TEST_WORKFLOW: Workflow = Workflow.parse({
  id: 'support',
  name: 'Support',
  entryAgent: 'triage',
  agents: [
    { id: 'triage', name: 'Triage', instructions: 'Route the visitor.' },
    { id: 'billing', name: 'Billing', instructions: 'Answer billing questions.' },
  ],
});

export const TEST_WORKFLOWS: ReadonlyMap<string, Workflow> = new Map([[TEST_WORKFLOW.id, TEST_WORKFLOW]]);

export interface ScriptedAgentOptions {
  /** Pause between deltas, in ms (0: yield without waiting on a timer). */
  delayMs?: number;
  /** Reply words; the reply streams one word (plus a space) per delta. Default: an echo. */
  reply?: (input: RunInput) => string;
  /** Every input the agent received, in order. */
  inputs?: RunInput[];
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A deterministic run loop for transport and conversation tests:
 * - a message containing "transfer" hands off to `billing` first (a handoff item);
 * - a message containing "approve" asks for approval of `refund_order` and stops `interrupted`;
 *   the approval run then completes (or denies) it and replies;
 * - otherwise it streams the reply word by word; a cancel keeps the partial text `incomplete`.
 */
export function createScriptedAgent(options: ScriptedAgentOptions = {}): RunAgent {
  const { delayMs = 0 } = options;
  return async function* scripted(input, ctx): AsyncGenerator<ThreadEventBody> {
    options.inputs?.push(structuredClone(input));
    const now = () => ctx.now().toISOString();
    let agent = input.agentId;
    yield { type: 'run.started', runId: input.runId, agent };

    if (input.trigger.kind === 'approval') {
      for (const d of input.trigger.decisions) {
        const call = input.history.find((i): i is Extract<Item, { type: 'tool_call' }> => i.type === 'tool_call' && i.callId === d.callId);
        if (!call) continue;
        yield {
          type: 'item.done',
          item: d.approved ? { ...call, status: 'completed', output: { refunded: true } } : { ...call, status: 'denied', error: d.reason ?? 'denied' },
        };
      }
      const approved = input.trigger.decisions.every((d) => d.approved);
      yield* say(approved ? 'Refund done.' : 'Refund not done.');
      yield { type: 'run.finished', runId: input.runId, status: 'completed' };
      return;
    }

    if (input.trigger.kind === 'resume') {
      // A run continued after its server stopped, as the real run loop does it: the partial
      // answer is closed as incomplete and the reply continues as a new item.
      for (const item of input.history) {
        if (item.type === 'assistant_message' && item.status === 'in_progress') yield { type: 'item.done', item: { ...item, status: 'incomplete' } };
      }
      yield* say('Continued after a restart.');
      yield { type: 'run.finished', runId: input.runId, status: 'completed' };
      return;
    }

    const text = input.trigger.message.text;
    if (/transfer/i.test(text) && agent !== 'billing') {
      const handoff: Item = { id: ctx.newId(), type: 'handoff', createdAt: now(), agent, from: agent, to: 'billing' };
      yield { type: 'item.added', item: handoff };
      yield { type: 'item.done', item: handoff };
      agent = 'billing';
    }
    if (/approve/i.test(text)) {
      const call: Item = {
        id: ctx.newId(),
        type: 'tool_call',
        createdAt: now(),
        agent,
        callId: `call_${ctx.newId()}`,
        name: 'refund_order',
        arguments: { order_id: '1234' },
        status: 'awaiting_approval',
      };
      yield { type: 'item.added', item: call };
      yield { type: 'run.finished', runId: input.runId, status: 'interrupted' };
      return;
    }
    const reply = options.reply?.(input) ?? `You said: ${text}`;
    const finished = yield* say(reply);
    yield { type: 'run.finished', runId: input.runId, status: finished ? 'completed' : 'cancelled' };

    /** Streams `words` into one assistant message; false when cancelled midway. */
    async function* say(words: string): AsyncGenerator<ThreadEventBody, boolean> {
      const item: Extract<Item, { type: 'assistant_message' }> = {
        id: ctx.newId(),
        type: 'assistant_message',
        createdAt: now(),
        agent,
        text: '',
        status: 'in_progress',
      };
      yield { type: 'item.added', item };
      const parts = words.match(/\S+\s*/g) ?? [];
      for (const part of parts) {
        if (ctx.signal.aborted) break;
        if (delayMs > 0) await sleep(delayMs, ctx.signal);
        if (ctx.signal.aborted) break;
        item.text += part; // mutated on purpose: the event log must have copied what was yielded
        yield { type: 'text.delta', itemId: item.id, delta: part };
      }
      const completed = !ctx.signal.aborted;
      yield { type: 'item.done', item: { ...item, status: completed ? 'done' : 'incomplete' } };
      return completed;
    }
  };
}
