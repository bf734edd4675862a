import type { RunStep } from '../agents/run-step.ts';
import type { Storage } from '../store/storage.ts';
import type { RunTimeline } from './run-timeline.ts';

/**
 * What storage still holds of a run that has not finished: its events (none is compacted
 * before the run's `run.finished` commits), each with the time its batch was stored, and its
 * steps. A run finished after a restart, or resumed, gets its trace from this.
 */
export async function storedRunTimeline(storage: Storage, threadId: string, runId: string): Promise<RunTimeline> {
  const [events, steps] = await Promise.all([storage.events.timedSince(threadId, 0), storage.runSteps.ofRun(runId)]);
  const start = events.findIndex(({ event }) => event.type === 'run.started' && event.runId === runId);
  const timeline: RunTimeline = { events: [], steps: [] };
  if (start >= 0) {
    for (const { event, createdAt } of events.slice(start)) {
      if (event.type === 'text.delta') continue;
      timeline.events.push({ event, at: createdAt });
      if (event.type === 'run.finished') break;
    }
  }
  for (const row of steps) timeline.steps.push({ step: row.step, afterSeq: row.afterSeq, data: JSON.parse(row.json) as RunStep });
  return timeline;
}
