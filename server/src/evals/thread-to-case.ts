import type { EvalCase, EvalGrader, EvalTurn, Item } from '@agent-chat/shared';
import type { StoredDecision, ThreadRecord } from '../store/records.ts';

/** The first few words of an answer's first line of text, exactly as written (a `contains` that holds for this answer). */
export function leadingWords(text: string, count = 5): string | undefined {
  const line = text.split('\n').find((l) => /[\p{L}\p{N}]/u.test(l));
  if (!line) return undefined;
  const words = line.trim().split(/\s+/);
  // Fewer words until the phrase is in the text as it is (spacing inside the line may differ).
  for (let n = Math.min(count, words.length); n > 0; n--) {
    const phrase = words.slice(0, n).join(' ');
    if (text.includes(phrase)) return phrase;
  }
  return undefined;
}

/**
 * A stored thread as a case to edit: its visitor messages and approval decisions as turns, and
 * starter graders for what happened (tools called, handoffs, guardrails that tripped, a few words
 * of the final answer).
 */
export function threadToCase(thread: ThreadRecord, items: readonly Item[], decisions: ReadonlyMap<string, StoredDecision>): EvalCase {
  const turns: EvalTurn[] = [];
  const graders: EvalGrader[] = [];
  const seen = new Set<string>();
  const once = (key: string, grader: EvalGrader) => {
    if (seen.has(key)) return;
    seen.add(key);
    graders.push(grader);
  };
  for (const item of items) {
    switch (item.type) {
      case 'user_message':
        turns.push({ user: item.text });
        break;
      case 'tool_call': {
        const decision = decisions.get(item.callId);
        if (decision) turns.push({ approve: decision.approved, tool: item.name, ...(decision.reason ? { reason: decision.reason } : {}) });
        if (decision) once(`approval:${item.name}`, { type: 'approval_requested', tool: item.name });
        if (item.status !== 'denied') once(`tool:${item.name}`, { type: 'tool_called', name: item.name });
        break;
      }
      case 'handoff':
        once(`handoff:${item.to}`, { type: 'handed_off_to', agent: item.to });
        break;
      case 'guardrail':
        once(`guardrail:${item.name}:${item.stage}`, { type: 'guardrail_tripped', name: item.name, stage: item.stage });
        break;
      case 'assistant_message':
        break;
    }
  }
  const answer = items.filter((item) => item.type === 'assistant_message').at(-1);
  const words = answer?.type === 'assistant_message' ? leadingWords(answer.text) : undefined;
  if (words) graders.push({ type: 'contains', value: words });
  // A case needs one grader: a thread with nothing to check gets a bound on its size.
  if (graders.length === 0) graders.push({ type: 'max_turns', max: 8 });
  return { id: thread.id, workflow: thread.workflow, ...(thread.title ? { description: thread.title } : {}), turns, graders };
}
