import type { ThreadEvent } from '@agent-chat/shared';
import type { RunStep } from '../agents/run-step.ts';

/** An event a run appended, with when (ISO 8601). */
export interface TimedEvent {
  event: ThreadEvent;
  at: string;
}

/** A run step with its number in the run and the thread's last seq when it was recorded. */
export interface NumberedStep {
  step: number;
  afterSeq: number;
  data: RunStep;
}

/** What a run's trace is built from: the events it appended (no text deltas) and its steps. */
export interface RunTimeline {
  events: TimedEvent[];
  steps: NumberedStep[];
}
