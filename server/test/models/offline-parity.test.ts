import { describe, expect, it } from 'vitest';
import type { ModelEvent, ModelRequest } from '../../src/models/model.ts';
import { createModelProvider } from '../../src/models/openai-provider.ts';
import { collect, textOf } from './collect.ts';
import { billing, call, handoff, order1234, output, technical, triage, user, weather } from './support-desk.ts';

const provider = createModelProvider({ offlineDelayMs: 0 });

const charged = user('I was charged twice for order 1234');
const scripts: Array<{ name: string; request: ModelRequest }> = [
  { name: 'greeting', request: { model: 'gpt-4.1-mini', ...triage, input: [user('Hi there')] } },
  { name: 'handoff', request: { model: 'gpt-4.1-mini', ...triage, input: [charged] } },
  { name: 'lookup', request: { model: 'gpt-4.1-mini', ...billing, input: [charged, ...handoff('billing')] } },
  {
    name: 'reply using the order',
    request: { model: 'gpt-4.1-mini', ...billing, input: [charged, ...handoff('billing'), call('c1', 'lookup_order', { order_id: '1234' }), output('c1', order1234)] },
  },
  { name: 'weather', request: { model: 'gpt-4.1-mini', ...weather, input: [user("What's the weather in Paris?")] } },
  {
    name: 'parallel calls',
    request: {
      model: 'gpt-4.1-mini',
      instructions: 'You are a travel helper.',
      tools: [...weather.tools, ...technical.tools],
      input: [user('Search the docs for packing lists and tell me the weather in Rome')],
    },
  },
  {
    name: 'judge',
    request: {
      model: 'gpt-4.1-mini',
      instructions: 'Fail any text that mentions "lawsuit".',
      tools: [],
      input: [user('I will start a lawsuit')],
      responseFormat: { name: 'verdict', schema: { type: 'object', properties: { pass: { type: 'boolean' }, reason: { type: 'string' } }, required: ['pass', 'reason'], additionalProperties: false } },
    },
  },
];

/** Call ids are random per response: replace them by their order of appearance. */
function normalize(events: ModelEvent[]): ModelEvent[] {
  let n = 0;
  return events.map((e) => (e.type === 'tool_call' ? { ...e, callId: `call_${n++}` } : e));
}

describe('the offline model through both adapters', () => {
  for (const { name, request } of scripts) {
    it(`gives the same events on Responses and Chat Completions: ${name}`, async () => {
      const viaResponses = await collect(provider.getModel('gpt-4.1-mini', 'responses').stream(request, new AbortController().signal));
      const viaChat = await collect(provider.getModel('gpt-4.1-mini', 'chat').stream(request, new AbortController().signal));
      expect(viaResponses.error).toBeUndefined();
      expect(viaChat.error).toBeUndefined();
      expect(normalize(viaChat.events)).toEqual(normalize(viaResponses.events));
      const last = viaResponses.events.at(-1);
      expect(last?.type).toBe('completed');
      if (last?.type === 'completed') expect(last.usage?.inputTokens).toBeGreaterThan(0);
      for (const e of viaResponses.events) if (e.type === 'tool_call') expect(e.callId).toMatch(/^call_[0-9a-f]{24}$/);
    });
  }

  it('decides what the support desk should do', async () => {
    const run = async (i: number) => (await collect(provider.getModel('m', 'chat').stream(scripts[i]!.request, new AbortController().signal))).events;
    expect((await run(1)).filter((e) => e.type === 'tool_call').map((e) => e.type === 'tool_call' && e.name)).toEqual(['transfer_to_billing']);
    expect((await run(2)).find((e) => e.type === 'tool_call')).toMatchObject({ name: 'lookup_order', arguments: '{"order_id":"1234"}' });
    expect(textOf(await run(3))).toContain('order **1234**');
    expect(JSON.parse(textOf(await run(6)))).toEqual({ pass: false, reason: 'The text mentions "lawsuit".' });
  });

  it('streams word-sized deltas at the configured pace, and stops at once on abort', async () => {
    const paced = createModelProvider({ offlineDelayMs: 40 }).getModel('m', 'responses');
    const controller = new AbortController();
    const deltas: string[] = [];
    let caught: unknown;
    const started = Date.now();
    try {
      for await (const event of paced.stream(scripts[0]!.request, controller.signal)) {
        if (event.type !== 'text_delta') continue;
        deltas.push(event.delta);
        if (deltas.length === 4) controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).name).toBe('AbortError');
    expect(deltas).toHaveLength(4);
    expect(deltas.every((d) => /^\s*\S+\s*$/.test(d))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 40 - 5);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
