import type { HttpToolSpec, JsonSchemaObject } from '@agent-chat/shared';
import { z } from 'zod';
import { ToolError, toolFailedMessage, toolUnavailableMessage } from './errors.ts';
import { type Tool, parseToolArguments, runWithTimeout } from './tool.ts';

/** Where an HTTP tool reads secrets and how it sends requests (tests inject both). */
export interface HttpToolOptions {
  /** Read at call time, so a key set after start-up is picked up. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
}

const PLACEHOLDER = /\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g;
const MAX_REDIRECTS = 3;

/** The `{param}` names in a URL template, in order. */
export function urlPlaceholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

/** Compiles an HTTP tool's JSON-schema parameters to a validator; throws on a schema zod cannot read. */
export function compileParameters(parameters: JsonSchemaObject): z.ZodType {
  return z.fromJSONSchema(parameters as Parameters<typeof z.fromJSONSchema>[0]);
}

/**
 * Whether a URL's host is allowed: an entry is a host name (`api.example.com`), a host with a
 * port (`127.0.0.1:8080`, which then must match too), or a wildcard for subdomains (`*.example.com`).
 */
export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((entry) => {
    const allowed = entry.toLowerCase();
    if (allowed.startsWith('*.')) return hostname.endsWith(allowed.slice(1));
    const withPort = /^(.+):(\d+)$/.exec(allowed);
    return withPort ? hostname === withPort[1] && port === withPort[2] : hostname === allowed;
  });
}

/**
 * A failure of the tool's setup or of the service behind it: the visitor and the model read
 * that the tool is unavailable, the operator's log reads `detail`.
 */
function unavailable(spec: HttpToolSpec, detail: string, cause?: unknown): ToolError {
  return new ToolError(toolUnavailableMessage(spec.name), { detail, ...(cause !== undefined ? { cause } : {}) });
}

/** Throws a `ToolError` unless the URL is http(s) on an allowed host. */
function checkUrl(spec: HttpToolSpec, url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw unavailable(spec, `may only call http(s) URLs, not ${url.protocol}`);
  if (!isHostAllowed(url, spec.allowedHosts)) throw unavailable(spec, `may not call host "${url.host}": it is not in allowedHosts`);
}

function queryValue(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Fills the URL template and splits the remaining arguments into query or body. */
function buildRequest(spec: HttpToolSpec, args: Record<string, unknown>, env: HttpToolOptions['env'] & object, idempotencyKey: string) {
  const used = new Set<string>();
  const filled = spec.url.replace(PLACEHOLDER, (_, name: string) => {
    const value = args[name];
    if (value === undefined || value === null) throw new ToolError(`Missing argument "${name}" for tool "${spec.name}".`);
    used.add(name);
    return encodeURIComponent(queryValue(value));
  });
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw new ToolError(`Tool "${spec.name}" built an invalid URL.`);
  }
  const rest = Object.entries(args).filter(([name, value]) => !used.has(name) && value !== undefined && value !== null);
  const headers = new Headers();
  for (const [name, value] of Object.entries(spec.headers)) {
    if (typeof value === 'string') {
      headers.set(name, value);
      continue;
    }
    const secret = env[value.env];
    if (!secret) throw unavailable(spec, `not configured: environment variable ${value.env} (header ${name}) is not set`);
    headers.set(name, `${value.prefix}${secret}`);
  }
  let body: string | undefined;
  if (spec.method === 'GET' || spec.method === 'DELETE') {
    for (const [name, value] of rest) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, queryValue(item));
    }
  } else {
    body = JSON.stringify(Object.fromEntries(rest));
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  // The same on every attempt of one call (a run continued after a crash calls again), so an
  // API that honours it does the work once.
  if (spec.method !== 'GET' && !headers.has('idempotency-key')) headers.set('idempotency-key', idempotencyKey);
  if (!headers.has('accept')) headers.set('accept', 'application/json, text/plain;q=0.9, */*;q=0.5');
  return { url, init: { method: spec.method, headers, body } };
}

function tooLarge(spec: HttpToolSpec): ToolError {
  return new ToolError(toolFailedMessage(spec.name), { detail: `the response is larger than maxResponseBytes (${spec.maxResponseBytes})` });
}

/** Reads at most `maxBytes` of a body; throws as soon as it grows past that. */
async function readCapped(spec: HttpToolSpec, response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > spec.maxResponseBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(spec);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > spec.maxResponseBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(spec);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends the request, following at most a few redirects and only to allowed hosts. */
async function send(spec: HttpToolSpec, first: { url: URL; init: RequestInit }, doFetch: typeof fetch, signal: AbortSignal) {
  let { url, init } = first;
  for (let hop = 0; ; hop++) {
    checkUrl(spec, url);
    let response: Response;
    try {
      response = await doFetch(url, { ...init, redirect: 'manual', signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw unavailable(spec, `could not reach ${url.host}`, error);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return { response, url };
    await response.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw unavailable(spec, `redirected more than ${MAX_REDIRECTS} times`);
    url = new URL(location, url);
    // 307/308 repeat the request as is; the others turn into a GET without a body (as fetch does).
    if (response.status !== 307 && response.status !== 308) init = { ...init, method: 'GET', body: undefined };
  }
}

/**
 * A non-2xx answer. The status stays visible (a 404 tells the model there is no such thing), the
 * body does not: it may echo internals. 5xx, 401 and 403 mean the tool cannot work right now.
 */
function statusError(spec: HttpToolSpec, status: number, detail: string): ToolError {
  if (status >= 500 || status === 401 || status === 403) return unavailable(spec, detail);
  return new ToolError(`The ${spec.name} tool could not answer this request (HTTP ${status}).`, { detail });
}

/**
 * A tool from a workflow file's HTTP tool spec: arguments validated against the JSON schema,
 * `{param}` placeholders filled URL-encoded, the rest sent as query (GET/DELETE) or JSON body,
 * secrets from environment variables at call time, host allowlist on every URL it fetches,
 * timeout, response size cap. JSON responses are parsed, others returned as text.
 */
export function createHttpTool(spec: HttpToolSpec, options: HttpToolOptions = {}): Tool {
  const validator = compileParameters(spec.parameters);
  return {
    name: spec.name,
    description: spec.description,
    parameters: spec.parameters,
    needsApproval: spec.needsApproval,
    timeoutMs: spec.timeoutMs,
    // Checked against the parameters when the workflow was loaded.
    ...(spec.title !== undefined || spec.args !== undefined
      ? { display: { ...(spec.title !== undefined ? { title: spec.title } : {}), ...(spec.args !== undefined ? { args: spec.args } : {}) } }
      : {}),
    async invoke(rawArgs, ctx) {
      const args = parseToolArguments(spec.name, validator, rawArgs);
      if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new ToolError(`Invalid arguments for "${spec.name}".`);
      const request = buildRequest(spec, args as Record<string, unknown>, options.env ?? process.env, `${ctx.threadId}:${ctx.callId}`);
      return runWithTimeout(spec.name, spec.timeoutMs, ctx.signal, async (signal) => {
        const { response, url } = await send(spec, request, options.fetch ?? fetch, signal);
        const text = await readCapped(spec, response);
        if (!response.ok) throw statusError(spec, response.status, `HTTP ${response.status} from ${url.host}: ${text.slice(0, 500)}`);
        const type = response.headers.get('content-type') ?? '';
        if (!/[/+]json\b/i.test(type)) return text;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new ToolError(toolFailedMessage(spec.name), { detail: `invalid JSON from ${url.host}: ${text.slice(0, 200)}` });
        }
      });
    },
  };
}
