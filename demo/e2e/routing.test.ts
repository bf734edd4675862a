import { readFileSync } from 'node:fs';
import type { Tool } from '@agent-chat/server';
import { describe, expect, it } from 'vitest';
import type { ModelInputItem, ModelTool } from '../../server/src/models/model.ts';
import { withLocalizedText } from '../../server/src/models/localized-text.ts';
import { lexicon } from '../../server/src/models/offline/lexicon/index.ts';
import { decide } from '../../server/src/models/offline/offline-brain.ts';
import { inventoryTools } from '../../server/test/models/mcp-inventory.ts';
import { demoTools, getWeatherTool } from '../tools/index.ts';

// The labelled routing set (demo/evals/routing.jsonl) against the offline model, unit-level: each
// visitor message starts at an agent of the demo support desk (triage unless `from` says
// otherwise), handoffs are followed the way the run loop follows them, built-in tools are run
// for real, and where the conversation ends is compared with the label: a team, "off_topic"
// (an honest "I can help with … here") or "human" (an honest "no person here").

interface Labelled {
  text: string;
  from?: string;
  /** Earlier visitor messages of the conversation, each followed through to its reply first. */
  before?: string[];
  expect: string;
}

interface AgentFile {
  id: string;
  instructions: string;
  localizedText?: Record<string, string>;
  tools?: Array<string | { name: string } | { kind: 'mcp'; tools: string[] }>;
  handoffs?: Array<{ agent: string; description: string }>;
}

const support = JSON.parse(readFileSync(new URL('../workflows/support.json', import.meta.url), 'utf8')) as { agents: AgentFile[] };
const cases = readFileSync(new URL('../evals/routing.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Labelled);

const builtins = new Map<string, Tool>(demoTools.map((tool) => [tool.name, tool]));
const modelTool = (tool: Tool): ModelTool => ({ name: tool.name, description: tool.description, parameters: tool.parameters as ModelTool['parameters'] });

/** Each agent as the run loop offers it to the model: instructions, own tools, then transfer tools. */
const agents = new Map(
  support.agents.map((agent) => {
    const tools = (agent.tools ?? []).flatMap((ref): ModelTool[] => {
      if (typeof ref === 'string') return [modelTool(builtins.get(ref)!)];
      if ('kind' in ref) return inventoryTools.filter((t) => ref.tools.some((name) => t.name.endsWith(`__${name}`)));
      return [modelTool(builtins.get(ref.name)!)];
    });
    const handoffs = (agent.handoffs ?? []).map((h): ModelTool => ({
      name: `transfer_to_${h.agent}`,
      description: h.description,
      parameters: { type: 'object', properties: {}, additionalProperties: false },
    }));
    // The instructions as the run loop sends them, with the agent's localized text.
    return [agent.id, { instructions: withLocalizedText(agent.instructions, agent.localizedText), tools: [...tools, ...handoffs] }];
  }),
);

/** Where a message ends up, and the replies the visitor would read on the way. */
async function route(c: Labelled): Promise<{ team: string; replies: string[] }> {
  const conversation: ModelInputItem[] = [];
  let agent = c.from ?? 'triage';
  for (const text of c.before ?? []) {
    const earlier = await follow(agent, conversation, text);
    agent = earlier.agent;
    conversation.push({ type: 'message', role: 'assistant', content: earlier.replies.at(-1) ?? '' });
  }
  const { team, replies } = await follow(agent, conversation, c.text);
  return { team, replies };
}

/** Follows one visitor message from `agent` to its reply, adding every step to `conversation`. */
async function follow(from: string, conversation: ModelInputItem[], text: string): Promise<{ team: string; agent: string; replies: string[] }> {
  let agent = from;
  conversation.push({ type: 'message', role: 'user', content: text });
  const replies: string[] = [];
  let team: string | undefined;
  for (let step = 0; step < 8; step++) {
    const spec = agents.get(agent)!;
    const out = decide({ instructions: spec.instructions, tools: spec.tools, conversation });
    if (out.kind === 'text') {
      replies.push(out.text);
      team ??= classify(out.text, agent);
      break;
    }
    const transfer = out.calls.find((call) => call.name.startsWith('transfer_to_'));
    if (transfer) {
      const to = transfer.name.slice('transfer_to_'.length);
      conversation.push({ type: 'function_call', callId: `h${step}`, name: transfer.name, arguments: '{}' });
      conversation.push({ type: 'function_call_output', callId: `h${step}`, output: JSON.stringify({ assistant: to, status: 'transferred' }) });
      agent = to;
      continue;
    }
    team ??= agent;
    // Built-in tools run for real, so the reply that uses their results is checked too; MCP tools stop here.
    if (!out.calls.every((call) => builtins.has(call.name))) break;
    for (const [i, call] of out.calls.entries()) {
      const id = `c${step}_${i}`;
      conversation.push({ type: 'function_call', callId: id, name: call.name, arguments: call.arguments });
      let output: string;
      try {
        output = JSON.stringify(await builtins.get(call.name)!.invoke(JSON.parse(call.arguments), { signal: new AbortController().signal } as never));
      } catch (error) {
        output = JSON.stringify({ status: 'failed', error: (error as Error).message });
      }
      conversation.push({ type: 'function_call_output', callId: id, output });
    }
  }
  return { team: team ?? agent, agent, replies };
}

/** An honest "not here" answer: a person was asked for, or the question is outside what the desk covers. */
function classify(text: string, agent: string): string {
  if (/\bno person\b|\bninguna persona\b/i.test(text)) return 'human';
  if (/\bnot sure I can help with that\b|\bcan't help with that\b|\bno puedo ayudar con eso\b/i.test(text)) return 'off_topic';
  return agent;
}

describe('offline model: routing the demo support desk', () => {
  it(`routes the labelled set (${cases.length} messages) with accuracy of at least 0.9`, async () => {
    const misses: string[] = [];
    for (const c of cases) {
      const { team } = await route(c);
      if (team !== c.expect) misses.push(`${c.from ?? 'triage'}${c.before ? ` after "${c.before.join('", "')}"` : ''}: "${c.text}" → ${team} (expected ${c.expect})`);
    }
    const accuracy = (cases.length - misses.length) / cases.length;
    console.log(`routing accuracy: ${accuracy.toFixed(3)} (${cases.length - misses.length}/${cases.length})${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('never repeats the visitor: no reply over the whole set contains the message', async () => {
    let replies = 0;
    for (const c of cases) {
      const asked = c.text.replace(/[?!.]+$/, '').toLowerCase();
      for (const reply of (await route(c)).replies) {
        replies++;
        expect(reply.toLowerCase(), c.text).not.toContain(asked);
      }
    }
    expect(replies).toBeGreaterThan(40);
  });

  it('answers Spanish in Spanish, or says first, in Spanish, that it answers in English', async () => {
    const openings = Object.values(lexicon('es').phrases).map((phrase) => phrase.split(/[{:]/)[0]!.slice(0, 12));
    const spanish = cases.filter((c) => /[¿¡ñáéíóú]|\b(?:mi|el|un|una|con|de)\b/i.test(c.text));
    expect(spanish.length).toBeGreaterThanOrEqual(5);
    for (const c of spanish) {
      for (const reply of (await route(c)).replies) expect(openings.some((o) => reply.startsWith(o)), reply).toBe(true);
    }
  });

  it('routes a message that answers the greeting\'s question like a first message', () => {
    const triage = agents.get('triage')!;
    const conversation: ModelInputItem[] = [{ type: 'message', role: 'user', content: 'hi' }];
    const greeting = decide({ instructions: triage.instructions, tools: triage.tools, conversation });
    expect(greeting.kind === 'text' && greeting.text.trim().endsWith('?')).toBe(true);
    conversation.push({ type: 'message', role: 'assistant', content: greeting.kind === 'text' ? greeting.text : '' });
    conversation.push({ type: 'message', role: 'user', content: 'I cannot log in to my account' });
    const next = decide({ instructions: triage.instructions, tools: triage.tools, conversation });
    expect(next).toEqual({ kind: 'tool_calls', calls: [{ name: 'transfer_to_technical', arguments: '{}' }] });
  });

  it('greets "buenas tardes" in Spanish, and does not quote back a search it put into English words', async () => {
    const greeting = await route({ text: 'buenas tardes', expect: 'triage' });
    expect(greeting.replies[0]).toMatch(/^¡Hola! /);
    const shipping = await route({ text: '¿hacéis envíos a Canadá?', from: 'product', expect: 'product' });
    expect(shipping.team).toBe('product');
    expect(shipping.replies.at(-1)).toContain('Canada');
    expect(shipping.replies.at(-1)).not.toMatch(/found for “/);
  });

  it('answers Spanish with the workflow\'s own Spanish text where it gives one, not a note that it answers in English', async () => {
    const greeting = await route({ text: 'Hola', expect: 'triage' });
    expect(greeting.replies[0]).toMatch(/^¡Hola! Soy el mostrador de Northwind Outfitters, .* ¿En qué puedo ayudarte\?$/);
    const offTopic = await route({ text: '¿Quién ganó el partido de fútbol de ayer?', from: 'billing', expect: 'off_topic' });
    expect(offTopic.replies[0]).toBe('Lo siento, no puedo ayudar con eso aquí. Soy el especialista de facturación de Northwind Outfitters: puedo consultar tus pedidos y sus cobros, y pedir un reembolso con tu aprobación.');
    for (const reply of [...greeting.replies, ...offTopic.replies]) expect(reply).not.toMatch(/en inglés|I can/);
  });

  it('off topic: says plainly it cannot help with that and what it can help with, from the workflow', async () => {
    const { replies } = await route({ text: 'who won the football match', from: 'billing', expect: 'off_topic' });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/^Sorry, I can't help with that here\. I can look up your order and refund your order\. I can also help with technical support and products and plans\.$/);
  });

  it('a person asked for: there is none in this demo, said honestly with what it can do', async () => {
    const { replies } = await route({ text: 'Can I talk to a human?', expect: 'human' });
    expect(replies[0]).toMatch(/^There's no person on this chat: I'm the front desk of Northwind Outfitters, an automated assistant/);
    expect(replies[0]).toContain('I can help with billing and orders, technical support and products and plans.');
  });

  it('mid-conversation at a specialist, another desk\'s topic is handed there: the shop\'s name and its own search do not keep it', async () => {
    const after = ['I cannot log in to my account'];
    expect((await route({ text: 'what does Northwind Plus include?', before: after, expect: 'product' })).team).toBe('product');
    expect((await route({ text: 'how much is the Summit plan?', before: after, expect: 'product' })).team).toBe('product');
    // A question of its own topic stays, and is searched.
    const own = await route({ text: 'how do I reset my Northwind password?', before: after, expect: 'technical' });
    expect(own.team).toBe('technical');
    expect(own.replies[0]).toMatch(/^Here's what I found/);
  });

  it('after an answer that ends "Is there anything else…?", a new message is a new request: off topic, or another desk, in either language', async () => {
    const offTopic = await route({ text: 'who won the football match yesterday?', before: ['do you have hiking boots in size 42?'], expect: 'off_topic' });
    expect(offTopic.team).toBe('off_topic');
    expect(offTopic.replies.join('\n')).not.toContain('football');
    const after = ['no puedo iniciar sesión en mi cuenta'];
    expect((await route({ text: '¿dónde está mi pedido 1234?', before: after, expect: 'billing' })).team).toBe('billing');
    expect((await route({ text: '¿qué incluye Northwind Plus?', before: after, expect: 'product' })).team).toBe('product');
  });

  it('an action no tool takes ("cancel my order 1234"): said honestly, with what it can do instead', async () => {
    for (const text of ['cancel my order 1234', 'Could you cancel order 1234 please?', 'I need to delete my order 1234']) {
      const { team, replies } = await route({ text, expect: 'billing' });
      expect(team, text).toBe('billing');
      expect(replies, text).toHaveLength(1);
      expect(replies[0], text).toMatch(/^Sorry, I can't (?:cancel|delete) that from this chat\. If you'd like, I can look up order \*\*1234\*\* for you\.$/);
    }
    // Where a tool takes the action, it is taken; a question about how to do it is not a request.
    expect((await route({ text: 'refund order 1234', from: 'billing', expect: 'billing' })).replies[0]).toMatch(/^Done: I refunded order/);
    expect((await route({ text: 'how do I cancel my membership?', from: 'product', expect: 'product' })).replies[0]).not.toMatch(/can't cancel/);
    const spanish = await route({ text: 'Quiero cancelar mi pedido 1234', expect: 'billing' });
    expect(spanish.replies[0]).toMatch(/^Lo siento, eso no lo puedo hacer desde este chat\..*look up order \*\*1234\*\*/);
  });

  it('puts tool results in words without internal ids or where the data came from', async () => {
    const refund = await route({ text: 'Please refund the duplicate charge on order 1234', from: 'billing', expect: 'billing' });
    expect(refund.replies[0]).toMatch(/^Done: I refunded order \*\*1234\*\*/);
    expect(refund.replies[0]).not.toMatch(/ch_1234|charge_id/);
    const lookup = await route({ text: 'I was charged twice for order 1234', from: 'billing', expect: 'billing' });
    expect(lookup.replies[0]).toContain('Charged twice: two captured charges of $59.00');
    expect(lookup.replies[0]).not.toMatch(/ch_1234/);
    // The weather demo tool says where its data came from; that is for the operator, not the visitor.
    const weather = modelTool(getWeatherTool);
    const conversation: ModelInputItem[] = [{ type: 'message', role: 'user', content: 'Weather in Paris?' }];
    const out = decide({ instructions: 'You are a friendly weather assistant.', tools: [weather], conversation });
    expect(out.kind).toBe('tool_calls');
    const call = out.kind === 'tool_calls' ? out.calls[0]! : undefined;
    const result = await getWeatherTool.invoke(JSON.parse(call!.arguments), { signal: new AbortController().signal } as never);
    expect(JSON.stringify(result)).toMatch(/demo data/);
    conversation.push({ type: 'function_call', callId: 'w', name: call!.name, arguments: call!.arguments }, { type: 'function_call_output', callId: 'w', output: JSON.stringify(result) });
    const reply = decide({ instructions: 'You are a friendly weather assistant.', tools: [weather], conversation });
    expect(reply.kind === 'text' && reply.text).toMatch(/^Here's the weather for \*\*Paris\*\*/);
    expect(reply.kind === 'text' && reply.text).not.toMatch(/source|demo data/i);
  });
});
