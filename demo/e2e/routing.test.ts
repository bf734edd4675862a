import { readFileSync } from 'node:fs';
import type { Tool } from '@agent-chat/server';
import { describe, expect, it } from 'vitest';
import type { ModelInputItem, ModelTool } from '../../server/src/models/model.ts';
import { decide } from '../../server/src/models/offline/offline-brain.ts';
import { inventoryTools } from '../../server/test/models/mcp-inventory.ts';
import { demoTools } from '../tools/index.ts';

// The labelled routing set (demo/evals/routing.jsonl) against the offline model, unit-level: each
// visitor message starts at an agent of the demo support desk (triage unless `from` says
// otherwise), handoffs are followed the way the run loop follows them, built-in tools are run
// for real, and where the conversation ends is compared with the label: a team, "off_topic"
// (an honest "I can help with … here") or "human" (an honest "no person here").

interface Labelled {
  text: string;
  from?: string;
  expect: string;
}

interface AgentFile {
  id: string;
  instructions: string;
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
    return [agent.id, { instructions: agent.instructions, tools: [...tools, ...handoffs] }];
  }),
);

/** Where a message ends up, and the replies the visitor would read on the way. */
async function route(c: Labelled): Promise<{ team: string; replies: string[] }> {
  let agent = c.from ?? 'triage';
  const conversation: ModelInputItem[] = [{ type: 'message', role: 'user', content: c.text }];
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
  return { team: team ?? agent, replies };
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
      if (team !== c.expect) misses.push(`${c.from ?? 'triage'}: "${c.text}" → ${team} (expected ${c.expect})`);
    }
    const accuracy = (cases.length - misses.length) / cases.length;
    console.log(`routing accuracy: ${accuracy.toFixed(3)} (${cases.length - misses.length}/${cases.length})${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
