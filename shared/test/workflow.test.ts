import { describe, expect, it } from 'vitest';
import { GuardrailSpec, HttpToolSpec, Workflow, toolRefName } from '@agent-chat/shared';

const minimal = {
  id: 'support',
  name: 'Support',
  entryAgent: 'triage',
  agents: [{ id: 'triage', name: 'Triage', instructions: 'Route the visitor.' }],
};

describe('workflow schema', () => {
  it('fills defaults for limits, history and agent lists', () => {
    const wf = Workflow.parse(minimal);
    expect(wf.limits).toEqual({ maxTurns: 10, maxToolCalls: 20, runTimeoutMs: 120_000 });
    expect(wf.agents[0]).toMatchObject({ tools: [], handoffs: [], inputGuardrails: [], outputGuardrails: [], outputMode: 'stream' });
    expect(wf.api).toBe('responses');
  });

  it('reports the field path of a bad agent id', () => {
    const result = Workflow.safeParse({ ...minimal, agents: [{ ...minimal.agents[0], id: 'Bad Id' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['agents', 0, 'id']);
  });

  it('accepts every guardrail kind and rejects an unknown one', () => {
    for (const kind of ['pii', 'blocklist', 'max_length', 'prompt_injection', 'moderation']) {
      expect(GuardrailSpec.safeParse({ kind }).success).toBe(true);
    }
    expect(GuardrailSpec.safeParse({ kind: 'llm_judge', instructions: 'Is it polite?' }).success).toBe(true);
    expect(GuardrailSpec.safeParse({ kind: 'custom', ref: 'no_refunds' }).success).toBe(true);
    expect(GuardrailSpec.safeParse({ kind: 'llm_judge' }).success).toBe(false);
    expect(GuardrailSpec.safeParse({ kind: 'telepathy' }).success).toBe(false);
  });

  it('validates HTTP tools: name, allowlist and env-var headers', () => {
    const tool = {
      name: 'get_forecast', description: 'Forecast', kind: 'http', url: 'https://api.example.com/{city}',
      allowedHosts: ['api.example.com'], headers: { Authorization: { env: 'WEATHER_KEY', prefix: 'Bearer ' } },
    };
    expect(HttpToolSpec.parse(tool)).toMatchObject({ method: 'GET', timeoutMs: 10_000, needsApproval: false });
    expect(HttpToolSpec.safeParse({ ...tool, allowedHosts: [] }).success).toBe(false);
    expect(HttpToolSpec.safeParse({ ...tool, headers: { Authorization: { env: 'lower-case' } } }).success).toBe(false);
    expect(HttpToolSpec.safeParse({ ...tool, name: 'has space' }).success).toBe(false);
  });

  it('names tool references the same either way', () => {
    expect(toolRefName('lookup_order')).toBe('lookup_order');
    expect(toolRefName({ name: 'refund_order', needsApproval: true })).toBe('refund_order');
  });
});
