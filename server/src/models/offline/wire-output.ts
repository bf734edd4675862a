/**
 * The offline model's answer, ready to be written in either wire format: text and/or calls
 * with their ids, split into the pieces a real model would stream.
 */
import { randomBytes } from 'node:crypto';
import type { BrainOutput } from './offline-brain.ts';
import type { OfflineRequest } from './offline-request.ts';

export interface WireCall {
  /** The Responses item id (`fc_…`). */
  itemId: string;
  callId: string;
  name: string;
  arguments: string;
}

export interface WireOutput {
  responseId: string;
  messageId: string;
  createdAt: number;
  text: string | undefined;
  calls: WireCall[];
  usage: { input: number; output: number };
}

/** One SSE frame; text deltas are where the configured pause goes. */
export interface Frame {
  data: string;
  isTextDelta: boolean;
}

/** A random id in OpenAI's style; ids are the only non-deterministic part of the offline model. */
export function wireId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** Approximate token count: a quarter of the characters. */
function tokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

export function toWireOutput(request: OfflineRequest, output: BrainOutput): WireOutput {
  const { brain } = request;
  const inputChars =
    brain.instructions.length +
    brain.conversation.reduce((sum, item) => sum + JSON.stringify(item).length, 0) +
    JSON.stringify(brain.tools).length;
  const calls =
    output.kind === 'tool_calls'
      ? output.calls.map((call) => ({ itemId: wireId('fc'), callId: wireId('call'), name: call.name, arguments: call.arguments }))
      : [];
  const text = output.kind === 'text' ? output.text : undefined;
  const outputChars = (text ?? '').length + calls.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
  return {
    responseId: wireId('resp'),
    messageId: wireId('msg'),
    createdAt: Math.floor(Date.now() / 1000),
    text,
    calls,
    usage: { input: tokens(inputChars), output: tokens(outputChars) },
  };
}

/** Word-sized deltas, each with its leading whitespace: "I", " am", " here." */
export function textDeltas(text: string): string[] {
  const pieces = text.match(/\s*\S+/g) ?? [];
  const trailing = /\s+$/.exec(text)?.[0] ?? '';
  if (pieces.length === 0) return text ? [text] : [];
  if (trailing) pieces[pieces.length - 1] += trailing;
  return pieces;
}

/** Argument JSON in small fragments, as models stream it (sizes cycle 3, 5, 2, 4). */
export function argumentFragments(args: string): string[] {
  const sizes = [3, 5, 2, 4];
  const out: string[] = [];
  for (let at = 0, i = 0; at < args.length; i++) {
    const size = sizes[i % sizes.length] ?? 4;
    out.push(args.slice(at, at + size));
    at += size;
  }
  return out;
}
