import type { Model, ModelEvent, ModelProvider } from '../../server/src/models/model.ts';
import { sleep } from './env.ts';

/** How the next reply streams: how many tokens, and the pause before each (0: one burst). */
export interface TokenPlan {
  tokens: number;
  paceMs: number;
}

/** The text of token `i`: unique, so a client can tell which tokens a frame carried. */
export function tokenText(i: number): string {
  return `w${i} `;
}

/** The whole reply of `n` tokens, as a client rebuilds it. */
export function replyText(n: number): string {
  let text = '';
  for (let i = 0; i < n; i++) text += tokenText(i);
  return text;
}


/**
 * One scripted token stream shared by both sides of a relay comparison: each reply follows the
 * current plan, and the moment each token is handed over is kept (`performance.now()`, same
 * process as the client, so the clocks agree).
 */
export class TokenSource {
  plan: TokenPlan = { tokens: 12, paceMs: 0 };
  /** When each token of the latest reply was yielded. */
  stamps: number[] = [];

  /** The tokens of one reply, paced by the plan. */
  async *tokens(): AsyncGenerator<string> {
    const { tokens, paceMs } = this.plan;
    this.stamps = new Array<number>(tokens);
    for (let i = 0; i < tokens; i++) {
      if (paceMs > 0) await sleep(paceMs);
      this.stamps[i] = performance.now();
      yield tokenText(i);
    }
  }

  /** The same stream as our `Model`: text deltas, then `completed`. */
  model(): Model {
    const source = this;
    return {
      async *stream(_request, signal): AsyncGenerator<ModelEvent> {
        for await (const delta of source.tokens()) {
          if (signal.aborted) return;
          yield { type: 'text_delta', delta };
        }
        yield { type: 'completed', usage: { inputTokens: 10, outputTokens: source.plan.tokens } };
      },
    };
  }

  /** A provider whose every model is this source. */
  provider(): ModelProvider {
    const model = this.model();
    return { mode: 'offline', getModel: () => model };
  }
}
