import { decide, type BrainInput, type BrainOutput } from '../../src/models/offline/offline-brain.ts';

/** What the offline model decides for an agent (its instructions and tools) at this point of a conversation. */
export function ask(agent: { instructions: string; tools: BrainInput['tools'] }, conversation: BrainInput['conversation']): BrainOutput {
  return decide({ instructions: agent.instructions, tools: agent.tools, conversation });
}

/** The tool calls of a decision, with parsed arguments; throws if it answered in text. */
export function calls(out: BrainOutput): Array<{ name: string; args: unknown }> {
  if (out.kind !== 'tool_calls') throw new Error(`expected tool calls, got text: ${out.kind === 'text' ? out.text : ''}`);
  return out.calls.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) }));
}

/** The text of a decision; throws if it called tools. */
export function text(out: BrainOutput): string {
  if (out.kind !== 'text') throw new Error(`expected text, got calls: ${JSON.stringify(out.calls)}`);
  return out.text;
}
