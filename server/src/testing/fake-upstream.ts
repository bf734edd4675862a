/**
 * A fake OpenAI-compatible upstream on loopback HTTP for tests: it replays the recorded
 * streams in server/test/fixtures/openai/ exactly as that folder's README says (raw `.sse` byte for
 * byte; `.chunks.txt` one JSON payload per line, framed per API) or answers with a chosen
 * HTTP status and JSON body. Replies are queued per test and every request is recorded.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is server/src/testing/fake-upstream.ts). */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The recorded OpenAI streams, kept in the repository with a README naming their sources. */
export const FIXTURES_DIR = path.resolve(REPO_ROOT, 'server/test/fixtures/openai');

/** A fixture's bytes, unchanged. */
export function readFixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES_DIR, path.basename(name)));
}

/**
 * A fixture as the SSE frames the README prescribes. `.sse`: split after each blank line, so
 * the frames joined are the file byte for byte. `.chunks.txt`: each non-empty line becomes
 * `event: <type>\ndata: <line>\n\n` (Responses) or `data: <line>\n\n` plus a final
 * `data: [DONE]\n\n` (Chat Completions: payloads whose `object` is `chat.completion.chunk`).
 */
export function fixtureFrames(name: string): Buffer[] {
  const bytes = readFixture(name);
  if (name.endsWith('.sse')) {
    const frames: Buffer[] = [];
    let start = 0;
    for (let at = bytes.indexOf('\n\n'); at !== -1; at = bytes.indexOf('\n\n', start)) {
      frames.push(bytes.subarray(start, at + 2));
      start = at + 2;
    }
    if (start < bytes.length) frames.push(bytes.subarray(start));
    return frames;
  }
  if (name.endsWith('.chunks.txt')) {
    const lines = bytes.toString('utf8').split('\n').filter((line) => line !== '');
    const first = JSON.parse(lines[0] ?? '{}') as { object?: unknown };
    if (first.object === 'chat.completion.chunk') {
      return [...lines.map((line) => Buffer.from(`data: ${line}\n\n`)), Buffer.from('data: [DONE]\n\n')];
    }
    return lines.map((line) => {
      const type = (JSON.parse(line) as { type: string }).type;
      return Buffer.from(`event: ${type}\ndata: ${line}\n\n`);
    });
  }
  throw new Error(`fake-upstream: unknown fixture format: ${name}`);
}

/** Replay a fixture as a 200 `text/event-stream`. */
export interface FixtureReply {
  fixture: string;
  headers?: Record<string, string>;
  /** Write in pieces of this many bytes instead of frame by frame (cuts lines and UTF-8 sequences). */
  splitBytes?: number;
  /** Send this many frames, then keep the connection open without sending more. */
  stallAfterFrames?: number;
  /** Send this many frames, then destroy the socket mid-body. */
  destroyAfterFrames?: number;
  /** Send this many frames, then end the body cleanly (a stream cut short by the server). */
  endAfterFrames?: number;
}

/** Answer with a status and a JSON body (e.g. an OpenAI error), plus headers such as `retry-after-ms`. */
export interface StatusReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeReply = FixtureReply | StatusReply;

/** A request the fake upstream received. */
export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/responses`. */
  path: string;
  headers: IncomingMessage['headers'];
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
  rawBody: string;
  /** False while the reply is still being written; stays false if the client went away first. */
  completed: boolean;
}

export interface FakeUpstream {
  /** Base URL for the `openai` client, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  /** Queues replies, answered in order, one per request. With the queue empty a request gets a 400 saying so. */
  enqueue(...replies: FakeReply[]): void;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function readRequestBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(chunk, () => resolve());
  });
}

async function replayFixture(res: ServerResponse, reply: FixtureReply, record: RecordedRequest): Promise<void> {
  const frames = fixtureFrames(reply.fixture);
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...reply.headers });
  const limit = reply.stallAfterFrames ?? reply.destroyAfterFrames ?? reply.endAfterFrames ?? frames.length;
  const sent = frames.slice(0, limit);
  const pieces: Buffer[] = [];
  if (reply.splitBytes) {
    const all = Buffer.concat(sent);
    for (let at = 0; at < all.length; at += reply.splitBytes) pieces.push(all.subarray(at, at + reply.splitBytes));
  } else pieces.push(...sent);
  for (const piece of pieces) {
    await write(res, piece);
    // Let each piece leave on its own, so the client sees real chunk boundaries.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (reply.destroyAfterFrames !== undefined) {
    res.socket?.destroy();
    return;
  }
  if (reply.stallAfterFrames !== undefined) return; // keep the response open until the client leaves or close()
  res.end();
  record.completed = true;
}

/** Starts the fake upstream on 127.0.0.1, on a free port. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const rawBody = await readRequestBody(req);
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const record: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, rawBody, completed: false };
      requests.push(record);
      const reply = queue.shift();
      if (!reply) {
        res.writeHead(400, { 'content-type': 'application/json', 'x-should-retry': 'false' });
        res.end(JSON.stringify({ error: { message: `fake-upstream: no reply queued for ${record.method} ${record.path}`, type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      if ('fixture' in reply) return replayFixture(res, reply, record);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      record.completed = true;
    })().catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    enqueue: (...replies) => void queue.push(...replies),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
