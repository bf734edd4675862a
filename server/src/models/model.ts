import type { Usage } from '@agent-chat/shared';
import type { JsonSchemaObject, ModelApi } from '@agent-chat/shared';

/**
 * A piece of a user message: text, or an image as base64 bytes (`dataBase64`) or a data URL
 * (`url`), which the adapters send as `data:` URLs (the thread is in our storage, never at a URL
 * the provider could fetch).
 */
export type ModelContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mime: string; dataBase64: string }
  | { type: 'image'; url: string };

/** One entry of the conversation as the model sees it, independent of the OpenAI API flavour. */
export type ModelInputItem =
  | { type: 'message'; role: 'user' | 'assistant'; content: string | ModelContentPart[] }
  | { type: 'function_call'; callId: string; name: string; arguments: string }
  | { type: 'function_call_output'; callId: string; output: string };

/** A function the model may call. `parameters` is a JSON-schema object. */
export interface ModelTool {
  name: string;
  description: string;
  parameters: JsonSchemaObject;
}

/** Everything one model call needs. */
export interface ModelRequest {
  model: string;
  instructions: string;
  input: ModelInputItem[];
  tools: ModelTool[];
  /** Ask for a JSON object matching this schema instead of free text (used by the llm_judge guardrail). */
  responseFormat?: { name: string; schema: JsonSchemaObject };
}

/**
 * What a model stream yields, normalized over both APIs. Tool calls are yielded whole, once
 * their argument fragments are complete; `completed` comes last.
 */
export type ModelEvent =
  | { type: 'text_delta'; delta: string }
  | { type: 'tool_call'; callId: string; name: string; arguments: string }
  | { type: 'completed'; usage?: Usage };

/** A model the run loop can stream from. Throws `UpstreamError` on provider failures; stops on abort. */
export interface Model {
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent>;
}

/** Result of a moderation check. */
export interface ModerationResult {
  flagged: boolean;
  categories: string[];
}

/** Where models come from: the offline model, OpenAI, or any OpenAI-compatible base URL. */
export interface ModelProvider {
  readonly mode: 'offline' | 'openai' | 'base_url';
  getModel(name: string, api: ModelApi): Model;
  /** OpenAI's moderation endpoint; undefined where none is available (offline, most compatible servers). */
  moderate?(text: string, model: string, signal: AbortSignal): Promise<ModerationResult>;
}

/** The `data:` URL of an image part. */
export function imageUrl(part: Extract<ModelContentPart, { type: 'image' }>): string {
  return 'url' in part ? part.url : `data:${part.mime};base64,${part.dataBase64}`;
}

/** The text of a message's content: the string, or its text parts joined (images left out). */
export function contentText(content: string | readonly ModelContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n');
}
