import type { ModelEvent, ModelRequest } from '../../src/models/model.ts';

/** Everything a model stream yields, or the error it threw (with the events before it). */
export async function collect(stream: AsyncIterable<ModelEvent>): Promise<{ events: ModelEvent[]; error?: unknown }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

/** The text of all text deltas joined. */
export function textOf(events: ModelEvent[]): string {
  return events.map((e) => (e.type === 'text_delta' ? e.delta : '')).join('');
}

/** Tool calls only. */
export function callsOf(events: ModelEvent[]): Array<Extract<ModelEvent, { type: 'tool_call' }>> {
  return events.filter((e) => e.type === 'tool_call');
}

export const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  parameters: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

/** A request with a previous tool round trip, to check what goes upstream. */
export const roundTripRequest: ModelRequest = {
  model: 'gpt-4o',
  instructions: 'You are a friendly weather assistant.',
  input: [
    { type: 'message', role: 'user', content: 'Weather in Beijing?' },
    { type: 'message', role: 'assistant', content: 'Let me check.' },
    { type: 'function_call', callId: 'call_1', name: 'get_weather', arguments: '{"city":"Beijing"}' },
    { type: 'function_call_output', callId: 'call_1', output: '{"temperature_c":21}' },
  ],
  tools: [weatherTool],
};

export function simpleRequest(text = 'Hello'): ModelRequest {
  return { model: 'gpt-4o', instructions: 'Be brief.', input: [{ type: 'message', role: 'user', content: text }], tools: [] };
}
