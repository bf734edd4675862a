import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolImage } from '../agents/tool.ts';

/** An image a tool returned, for a model that can look at it: the run loop's own `ToolImage`. */
export type McpImage = ToolImage;

/**
 * An MCP tool result as the run loop uses it: `output` is what the model reads (a string, or
 * the tool's structured JSON), `images` go alongside, `isError` says the tool itself reported
 * a failure (its text then explains it to the model).
 */
export interface McpCallResult {
  output: unknown;
  images: McpImage[];
  isError: boolean;
}

/** Images kept per result, and the largest one kept (decoded bytes). */
export const MAX_IMAGES = 4;
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

/** Image types the model providers accept; others are described instead. */
const MODEL_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const TRUNCATED = '… (truncated)';

/** Decoded size of a base64 text, without decoding it. */
function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `text` cut to `max` characters, the cut said in the text itself. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - TRUNCATED.length)) + TRUNCATED;
}

/**
 * Whether the text parts only render data as JSON. Servers repeat structured content as JSON text
 * for older clients, not always in the same shape (`[…]` for `{ "entities": […] }`), so any
 * all-JSON text counts as a rendering; prose is kept.
 */
function onlyJson(parts: readonly string[]): boolean {
  return parts.every((part) => {
    try {
      JSON.parse(part);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Turns an MCP `tools/call` result into what the model reads:
 *
 * - text parts are joined with a blank line; resource links and embedded text resources become
 *   short text (`[resource link: name <uri>]`, `[resource <uri>]` then its text); audio and
 *   binary resources are described, never inlined (the model cannot use the bytes);
 * - images (PNG, JPEG, GIF, WebP) go to `images`, at most 4 of at most 4 MB each; others are
 *   skipped with a note in the text, so the model knows something was there;
 * - `structuredContent`, when present, is the output (JSON the model reads as such). Text parts
 *   that are all JSON are dropped as a rendering of it (the spec asks servers to repeat it as
 *   text for older clients); prose beside it is kept: the output is then `{ data, text }`;
 * - the output is capped to `maxOutputChars` characters, ending with "… (truncated)"; a
 *   structured output too long to keep whole becomes its cut JSON text.
 *
 * `isError` results keep their text: the caller reports it to the model as the tool's error.
 */
export function toToolResult(result: CallToolResult, maxOutputChars: number): McpCallResult {
  const texts: string[] = [];
  const plainTexts: string[] = [];
  const images: McpImage[] = [];
  for (const part of result.content ?? []) {
    switch (part.type) {
      case 'text':
        texts.push(part.text);
        plainTexts.push(part.text);
        break;
      case 'image': {
        const bytes = base64Bytes(part.data);
        const mime = part.mimeType.toLowerCase();
        if (!MODEL_IMAGE_TYPES.has(mime)) texts.push(`[image omitted: ${part.mimeType} is not a supported image type]`);
        else if (bytes > MAX_IMAGE_BYTES) texts.push(`[image omitted: ${part.mimeType}, ${sizeText(bytes)} is over the ${MAX_IMAGE_BYTES / 1024 / 1024} MB limit]`);
        else if (images.length >= MAX_IMAGES) texts.push(`[image omitted: more than ${MAX_IMAGES} images]`);
        else images.push({ mime, dataBase64: part.data });
        break;
      }
      case 'audio':
        texts.push(`[audio: ${part.mimeType}, ${sizeText(base64Bytes(part.data))}, not shown]`);
        break;
      case 'resource_link': {
        const about = [part.mimeType, part.description].filter(Boolean).join(', ');
        texts.push(`[resource link: ${part.title ?? part.name} <${part.uri}>${about ? ` (${about})` : ''}]`);
        break;
      }
      case 'resource': {
        const resource = part.resource;
        if ('text' in resource && typeof resource.text === 'string') texts.push(`[resource <${resource.uri}>]\n${resource.text}`);
        else if ('blob' in resource && typeof resource.blob === 'string') {
          texts.push(`[resource <${resource.uri}>: ${resource.mimeType ?? 'binary'}, ${sizeText(base64Bytes(resource.blob))}, not shown]`);
        }
        break;
      }
      default:
        // A content type newer than this client: say so rather than drop it silently.
        texts.push(`[${String((part as { type?: unknown }).type)} content not shown]`);
    }
  }
  const text = texts.join('\n\n');
  const isError = result.isError === true;
  const structured = result.structuredContent;
  if (isError) {
    // The text explains the failure; structured content only stands in when there is none.
    const said = text.trim() === '' && structured !== undefined ? JSON.stringify(structured) : text;
    return { output: capText(said, maxOutputChars), images, isError };
  }
  if (structured === undefined) return { output: capText(text, maxOutputChars), images, isError };

  const output = texts.length === 0 || (texts.length === plainTexts.length && onlyJson(plainTexts)) ? structured : { data: structured, text };
  const json = JSON.stringify(output);
  return { output: json.length <= maxOutputChars ? output : capText(json, maxOutputChars), images, isError };
}
