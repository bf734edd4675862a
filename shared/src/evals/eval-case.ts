import { z } from 'zod';

/**
 * Eval cases: one JSON object per line of a `.jsonl` file, read by `agent-chat eval`
 * (docs/evals.md). A case plays its turns as a fresh thread and grades what the runs produced.
 */

/** A visitor's message. */
export const EvalUserTurn = z.strictObject({ user: z.string().min(1) });

/** A decision on a tool call that waits for approval: the one named by `tool`, or the only one. */
export const EvalApprovalTurn = z.strictObject({
  approve: z.boolean(),
  tool: z.string().min(1).optional(),
  reason: z.string().optional(),
});

export const EvalTurn = z.union([EvalUserTurn, EvalApprovalTurn]);
export type EvalTurn = z.infer<typeof EvalTurn>;

/** The run (index into `turns`) a grader reads; absent, the whole conversation. */
const turn = { turn: z.number().int().nonnegative().optional() };

const TextGrader = z.strictObject({ type: z.enum(['contains', 'not_contains']), value: z.string().min(1), ignoreCase: z.boolean().optional(), ...turn });
const RegexGrader = z.strictObject({ type: z.literal('regex'), pattern: z.string().min(1), flags: z.string().regex(/^[dgimsuvy]*$/, 'only JavaScript regex flags').optional(), ...turn });
const ToolCalledGrader = z.strictObject({ type: z.literal('tool_called'), name: z.string().min(1), args: z.record(z.string(), z.unknown()).optional(), ...turn });
const ToolNotCalledGrader = z.strictObject({ type: z.literal('tool_not_called'), name: z.string().min(1), ...turn });
const HandedOffGrader = z.strictObject({ type: z.literal('handed_off_to'), agent: z.string().min(1), ...turn });
const GuardrailGrader = z.strictObject({
  type: z.literal('guardrail_tripped'),
  /** A guardrail's name or kind (`pii`, `prompt_injection`, `internal_notes`…). */
  name: z.string().min(1),
  stage: z.enum(['input', 'output']).optional(),
  ...turn,
});
const ApprovalGrader = z.strictObject({ type: z.literal('approval_requested'), tool: z.string().min(1), ...turn });
const MaxTurnsGrader = z.strictObject({ type: z.literal('max_turns'), max: z.number().int().positive(), ...turn });
const MaxLatencyGrader = z.strictObject({ type: z.literal('max_latency_ms'), max: z.number().positive(), ...turn });
const MaxTokensGrader = z.strictObject({ type: z.literal('max_tokens'), max: z.number().int().positive(), ...turn });
const JudgeGrader = z.strictObject({ type: z.literal('llm_judge'), rubric: z.string().min(1), model: z.string().min(1).optional(), ...turn });

/** What a case checks; each grader passes or fails with a message. */
export const EvalGrader = z.discriminatedUnion('type', [
  TextGrader,
  RegexGrader,
  ToolCalledGrader,
  ToolNotCalledGrader,
  HandedOffGrader,
  GuardrailGrader,
  ApprovalGrader,
  MaxTurnsGrader,
  MaxLatencyGrader,
  MaxTokensGrader,
  JudgeGrader,
]);
export type EvalGrader = z.infer<typeof EvalGrader>;

/** One case: a conversation to play and what its runs must show. */
export const EvalCase = z
  .strictObject({
    id: z.string().min(1),
    /** The workflow id; absent, the one `--workflow` names. */
    workflow: z.string().min(1).optional(),
    description: z.string().optional(),
    turns: z.array(EvalTurn).min(1),
    graders: z.array(EvalGrader).min(1),
  })
  .superRefine((value, ctx) => {
    // Refinements run on input the schema already flagged: each check guards its own shape.
    const first = value.turns?.[0];
    if (first && !('user' in first)) ctx.addIssue({ code: 'custom', path: ['turns', 0], message: 'the first turn must be a user message' });
    (value.graders ?? []).forEach((grader, i) => {
      if (grader?.turn !== undefined && grader.turn >= (value.turns?.length ?? 0)) {
        ctx.addIssue({ code: 'custom', path: ['graders', i, 'turn'], message: `no turn ${grader.turn} (the case has ${value.turns.length})` });
      }
    });
  });
export type EvalCase = z.infer<typeof EvalCase>;
