import { describe, expect, it } from 'vitest';
import { childLogger, formatError, formatFields } from './logger.ts';
import { createMemoryLogger } from './testing/memory-logger.ts';

describe('Logger', () => {
  it('prints fields as key=value, quoting values with spaces or quotes, skipping unset ones', () => {
    expect(formatFields({ threadId: 'thr_1', status: 401, retry: false, tool: undefined, reason: 'two words', json: '{"a":1}' })).toBe(
      ' threadId=thr_1 status=401 retry=false reason="two words" json="{\\"a\\":1}"',
    );
    expect(formatFields(undefined)).toBe('');
  });

  it('a child adds its fields to every line; a call’s own fields win', () => {
    const log = createMemoryLogger();
    const run = childLogger(childLogger(log, { threadId: 't1' }), { runId: 'r1', agentId: 'a' });
    run.info('guardrail tripped', { guardrail: 'pii' });
    run.warn('tool call failed', new Error('boom'), { agentId: 'b' });
    expect(log.entries).toEqual([
      { level: 'info', message: 'guardrail tripped', fields: { threadId: 't1', runId: 'r1', agentId: 'a', guardrail: 'pii' } },
      { level: 'warn', message: 'tool call failed', error: expect.any(Error), fields: { threadId: 't1', runId: 'r1', agentId: 'b' } },
    ]);
  });

  it('formats an error with its own properties and its cause chain', () => {
    const cause = Object.assign(new Error('401 Incorrect API key'), { status: 401, body: { code: 'invalid_api_key' } });
    const text = formatError(new Error('The assistant is not available right now.', { cause }));
    expect(text).toContain('The assistant is not available right now.');
    expect(text).toContain('401 Incorrect API key');
    expect(text).toContain("code: 'invalid_api_key'");
  });
});
