/**
 * Reads a Responses or Chat Completions request body into the offline model's normalized
 * input. The body comes from our own client, but it is still checked field by field: a
 * malformed one gets an OpenAI-shaped 400, never a crash.
 */
import type { ModelContentPart, ModelInputItem, ModelTool } from '../model.ts';
import type { BrainInput } from './offline-brain.ts';

/** A request the offline model can answer. */
export interface OfflineRequest {
  model: string;
  stream: boolean;
  /** Chat only: `stream_options.include_usage`. */
  includeUsage: boolean;
  brain: BrainInput;
  /** Echoed back in the Responses `response` object. */
  tools: unknown[];
}

/** Thrown for a body the offline model cannot read; becomes a 400. */
export class BadRequest extends Error {
  readonly param: string | null;
  constructor(message: string, param: string | null = null) {
    super(message);
    this.param = param;
  }
}

type Json = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text of a message's content or a tool's output: a string, or the text of its parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : isObject(part) && typeof part.refusal === 'string' ? part.refusal : ''))
    .join('');
}

/**
 * A user message's content: its text, or its parts when it has several (a message with
 * attachments), so the brain can tell the visitor's words from the files.
 */
function userContent(content: unknown): string | ModelContentPart[] {
  if (!Array.isArray(content)) return contentText(content);
  return content.flatMap((part): ModelContentPart[] => {
    if (!isObject(part)) return [];
    if (typeof part.text === 'string') return [{ type: 'text', text: part.text }];
    if (part.type === 'input_image' && typeof part.image_url === 'string') return [{ type: 'image', url: part.image_url }];
    if (part.type === 'image_url' && isObject(part.image_url) && typeof part.image_url.url === 'string') return [{ type: 'image', url: part.image_url.url }];
    return [];
  });
}

function requireModel(body: Json): string {
  if (typeof body.model !== 'string' || body.model === '') throw new BadRequest("Missing required parameter: 'model'.", 'model');
  return body.model;
}

function readSchemaFormat(format: unknown): BrainInput['responseFormat'] {
  if (!isObject(format) || format.type !== 'json_schema') return undefined;
  return { name: typeof format.name === 'string' ? format.name : 'output', schema: isObject(format.schema) ? format.schema : {} };
}

/** A function definition (`name`, `description`, `parameters`, in either API's tool); undefined without a name. */
function readTool(definition: unknown): ModelTool | undefined {
  if (!isObject(definition) || typeof definition.name !== 'string' || !definition.name) return undefined;
  const params = isObject(definition.parameters) ? definition.parameters : { type: 'object', properties: {} };
  return {
    name: definition.name,
    description: typeof definition.description === 'string' ? definition.description : '',
    parameters: { ...params, type: 'object', properties: isObject(params.properties) ? params.properties : {} },
  };
}

/** `POST /responses` */
export function readResponsesRequest(body: Json): OfflineRequest {
  const model = requireModel(body);
  const instructions: string[] = typeof body.instructions === 'string' ? [body.instructions] : [];
  const conversation: ModelInputItem[] = [];
  if (typeof body.input === 'string') conversation.push({ type: 'message', role: 'user', content: body.input });
  else if (Array.isArray(body.input)) {
    for (const item of body.input) {
      if (!isObject(item)) throw new BadRequest('Invalid input item: expected an object.', 'input');
      if (item.type === 'function_call') {
        conversation.push({ type: 'function_call', callId: String(item.call_id ?? ''), name: String(item.name ?? ''), arguments: String(item.arguments ?? '{}') });
      } else if (item.type === 'function_call_output') {
        conversation.push({ type: 'function_call_output', callId: String(item.call_id ?? ''), output: contentText(item.output) });
      } else if (item.type === undefined || item.type === 'message') {
        if (item.role === 'system' || item.role === 'developer') instructions.push(contentText(item.content));
        else if (item.role === 'user') conversation.push({ type: 'message', role: 'user', content: userContent(item.content) });
        else if (item.role === 'assistant') conversation.push({ type: 'message', role: 'assistant', content: contentText(item.content) });
        else throw new BadRequest(`Invalid role: ${JSON.stringify(item.role)}.`, 'input');
      }
      // Other item types (reasoning, web search…) carry nothing the offline model uses.
    }
  } else throw new BadRequest("Missing required parameter: 'input'.", 'input');
  const rawTools = Array.isArray(body.tools) ? body.tools : [];
  const tools = rawTools.flatMap((t) => (isObject(t) && t.type === 'function' ? (readTool(t) ?? []) : []));
  const responseFormat = readSchemaFormat(isObject(body.text) ? body.text.format : undefined);
  return {
    model,
    stream: body.stream === true,
    includeUsage: true,
    tools: rawTools,
    brain: { instructions: instructions.join('\n\n'), conversation, tools, responseFormat },
  };
}

/** `POST /chat/completions` */
export function readChatRequest(body: Json): OfflineRequest {
  const model = requireModel(body);
  if (!Array.isArray(body.messages)) throw new BadRequest("Missing required parameter: 'messages'.", 'messages');
  const instructions: string[] = [];
  const conversation: ModelInputItem[] = [];
  for (const message of body.messages) {
    if (!isObject(message)) throw new BadRequest('Invalid message: expected an object.', 'messages');
    const text = contentText(message.content);
    switch (message.role) {
      case 'system':
      case 'developer':
        instructions.push(text);
        break;
      case 'user':
        conversation.push({ type: 'message', role: 'user', content: userContent(message.content) });
        break;
      case 'assistant':
        if (text) conversation.push({ type: 'message', role: 'assistant', content: text });
        for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
          if (!isObject(call) || !isObject(call.function)) continue;
          conversation.push({ type: 'function_call', callId: String(call.id ?? ''), name: String(call.function.name ?? ''), arguments: String(call.function.arguments ?? '{}') });
        }
        break;
      case 'tool':
        conversation.push({ type: 'function_call_output', callId: String(message.tool_call_id ?? ''), output: text });
        break;
      default:
        throw new BadRequest(`Invalid role: ${JSON.stringify(message.role)}.`, 'messages');
    }
  }
  const rawTools = Array.isArray(body.tools) ? body.tools : [];
  const tools = rawTools.flatMap((t) => (isObject(t) && t.type === 'function' ? (readTool(t.function) ?? []) : []));
  // The Chat format nests the Responses one: { type: 'json_schema', json_schema: { name, schema } }.
  const format = isObject(body.response_format) && body.response_format.type === 'json_schema' ? body.response_format.json_schema : undefined;
  const responseFormat = isObject(format) ? readSchemaFormat({ type: 'json_schema', ...format }) : undefined;
  return {
    model,
    stream: body.stream === true,
    includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true,
    tools: rawTools,
    brain: { instructions: instructions.join('\n\n'), conversation, tools, responseFormat },
  };
}
