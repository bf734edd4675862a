import { Workflow } from '../../shared/src/index.ts';
import type { Model, ModelEvent, ModelProvider } from '../../server/src/models/model.ts';
import { completedEvent, sleepUnlessAborted } from '../../server/src/testing/scripted-model.ts';
import { tokenText } from './token-source.ts';

/** The one workflow the bench servers run: a single agent that answers with text, no tools. */
export const BENCH_WORKFLOW = Workflow.parse({
  id: 'bench',
  name: 'Bench',
  entryAgent: 'writer',
  model: 'bench-model',
  agents: [{ id: 'writer', name: 'Writer', instructions: 'Answer.' }],
});

/**
 * A model that answers every call with `tokens` text deltas, `paceMs` apart (a hosted model's
 * pace), or all at once with `paceMs` 0. Unlike the test suite's scripted model it keeps no
 * record of the calls, so a thousand conversations cost the server nothing extra. The deltas
 * are `w0 w1 …`, or the first `tokens` of `reply`.
 */
export function pacedProvider({ tokens, paceMs, reply }: { tokens: number; paceMs: number; reply?: readonly string[] }): ModelProvider {
  const model: Model = {
    async *stream(_request, signal): AsyncGenerator<ModelEvent> {
      for (let i = 0; i < tokens; i++) {
        if (signal.aborted) return;
        if (paceMs > 0) await sleepUnlessAborted(paceMs, signal);
        yield { type: 'text_delta', delta: reply?.[i] ?? tokenText(i) };
      }
      yield completedEvent({ inputTokens: 10, outputTokens: tokens });
    },
  };
  return { mode: 'offline', getModel: () => model };
}
