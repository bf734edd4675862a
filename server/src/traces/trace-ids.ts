import { createHash } from 'node:crypto';

/**
 * Trace and span ids derived from what identifies a span in the thread (the seq of the event
 * that opened it, or the run's step number), never random: a trace built or exported twice
 * (after a crash, a restart, a resumed run) gets the same ids, so a receiver sees one trace.
 */
export function traceIdOf(threadId: string, runStartSeq: number): string {
  return hex(`trace\u0000${threadId}\u0000${runStartSeq}`, 32);
}

/** The span opened by the thread's event `seq`. */
export function eventSpanId(threadId: string, seq: number): string {
  return hex(`event\u0000${threadId}\u0000${seq}`, 16);
}

/** The span of the run's `step`-th model call or guardrail check. */
export function stepSpanId(runId: string, step: number): string {
  return hex(`step\u0000${runId}\u0000${step}`, 16);
}

function hex(key: string, length: number): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, length);
  // An all-zero id is invalid in OpenTelemetry; a sha256 prefix of zeros is astronomically rare.
  return /^0+$/.test(digest) ? `${digest.slice(0, -1)}1` : digest;
}
