import type { RunError, RunStatus } from '@agent-chat/shared';

/**
 * What the run does after a phase: the loop switches on it exhaustively.
 * `run_again` and `handoff` call the model again; every other step ends the run.
 */
export type NextStep =
  | { type: 'run_again' }
  | { type: 'handoff'; from: string; to: string }
  | { type: 'final_output' }
  | { type: 'interruption' }
  | { type: 'blocked' }
  | { type: 'max_turns' }
  | { type: 'aborted' }
  | { type: 'failed'; error: RunError };

/** How a run that ends on `step` finishes. `aborted` is a cancel unless the run timed out. */
export function finishOf(step: Exclude<NextStep, { type: 'run_again' | 'handoff' }>, timedOut: boolean): { status: RunStatus; error?: RunError } {
  switch (step.type) {
    case 'final_output':
      return { status: 'completed' };
    case 'interruption':
      return { status: 'interrupted' };
    case 'blocked':
      return { status: 'blocked' };
    case 'max_turns':
      return { status: 'max_turns' };
    case 'failed':
      return { status: 'failed', error: step.error };
    case 'aborted':
      return timedOut
        ? { status: 'failed', error: { code: 'run_timeout', message: 'The assistant took too long to answer. Please try again.' } }
        : { status: 'cancelled' };
  }
}
