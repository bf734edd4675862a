import { describe, expect, it } from 'vitest';
import { ToolAbortedError, ToolArgumentsError, ToolTimeoutError } from '../../src/agents/errors.ts';
import { defineTool, ToolRegistry, z } from '../../src/agents/tool.ts';

const ctx = (signal = new AbortController().signal) => ({ signal, threadId: 't', runId: 'r', agent: 'a', callId: 'c1' });

describe('defineTool', () => {
  const add = defineTool({
    name: 'add',
    description: 'Adds two numbers',
    parameters: z.object({ a: z.number().describe('first'), b: z.number().default(1) }),
    execute: ({ a, b }, context) => ({ sum: a + b, agent: context.agent }),
  });

  it('describes its parameters as a JSON schema (input side)', () => {
    expect(add.parameters).toEqual({
      type: 'object',
      properties: { a: { type: 'number', description: 'first' }, b: { type: 'number', default: 1 } },
      required: ['a'],
    });
    expect(add.needsApproval).toBe(false);
  });

  it('validates arguments before executing', async () => {
    await expect(add.invoke({ a: 2 }, ctx())).resolves.toEqual({ sum: 3, agent: 'a' });
    await expect(add.invoke({ a: 'two' }, ctx())).rejects.toBeInstanceOf(ToolArgumentsError);
    await expect(add.invoke(undefined, ctx())).rejects.toThrow(/Invalid arguments for "add": a: /);
  });

  it('times out and aborts the signal it gave the tool', async () => {
    let seen: AbortSignal | undefined;
    const slow = defineTool({ name: 'slow', description: 'x', parameters: z.object({}), timeoutMs: 30, execute: (_a, c) => ((seen = c.signal), new Promise(() => {})) });
    await expect(slow.invoke({}, ctx())).rejects.toBeInstanceOf(ToolTimeoutError);
    expect(seen?.aborted).toBe(true);
  });

  it('stops at once when the run is aborted, and refuses to start on an aborted run', async () => {
    const controller = new AbortController();
    const hang = defineTool({ name: 'hang', description: 'x', parameters: z.object({}), execute: () => new Promise(() => {}) });
    const pending = hang.invoke({}, ctx(controller.signal));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(ToolAbortedError);
    await expect(hang.invoke({}, ctx(controller.signal))).rejects.toBeInstanceOf(ToolAbortedError);
  });

  it('rejects names the model cannot call and the reserved transfer_to_ prefix', () => {
    expect(() => defineTool({ name: 'bad name', description: 'x', parameters: z.object({}), execute: () => 1 })).toThrow(/Invalid tool name/);
    expect(() => defineTool({ name: 'transfer_to_x', description: 'x', parameters: z.object({}), execute: () => 1 })).toThrow(/reserved/);
  });
});

describe('ToolRegistry', () => {
  const one = defineTool({ name: 'one', description: 'x', parameters: z.object({}), execute: () => 1 });
  it('looks tools up by name and refuses duplicates', () => {
    const registry = new ToolRegistry([one]);
    expect(registry.get('one')).toBe(one);
    expect(registry.has('two')).toBe(false);
    expect(() => new ToolRegistry([one, one])).toThrow(/Duplicate tool name "one"/);
    expect(() => registry.extend([one])).toThrow(/Duplicate/);
    expect(registry.list()).toEqual([one]);
  });
});
