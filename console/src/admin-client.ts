import {
  AdminConnectorList,
  AdminEvalRun,
  AdminEvalRunPage,
  AdminPreviewTicket,
  AdminSiteList,
  AdminThreadDetail,
  AdminThreadPage,
  AdminWorkflowList,
  RunTrace,
  type UsageDimension,
  UsageReport,
} from '@agent-chat/shared';
import type { z } from 'zod';

/** The key was refused (401): sign in again. */
export class SignInRequired extends Error {
  override readonly name = 'SignInRequired';
}

/** The API answered an error, or something that is not what it promises. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  /** The HTTP status it answered with, when it answered. */
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** What the conversation list is filtered by; empty fields are left out of the query. */
export interface ThreadFilters {
  site?: string;
  workflow?: string;
  user?: string;
  from?: string;
  to?: string;
  status?: string;
  feedback?: boolean;
  guardrail?: boolean;
  approval?: boolean;
  /** Only the console's preview chats (left out otherwise). */
  preview?: boolean;
  q?: string;
}

/** What the usage report is narrowed to; empty fields are left out of the query. */
export interface UsageFilters {
  site?: string;
  workflow?: string;
  model?: string;
}

/**
 * The admin API as the console calls it: the key as a bearer token, every answer checked
 * against the shared schema the server answers with.
 */
export class AdminClient {
  readonly #key: string;
  readonly #base: URL;
  /** The chat server the preview widget talks to (and loads widget.js from). */
  readonly chatServer: URL;

  /**
   * `base`: where `/v1/admin/` is; by default next to the page (`/console` → `/v1/admin/`, behind
   * a path prefix too). `chatServer`: the server's base URL; by default the one `base` is under.
   */
  constructor(key: string, base: URL | undefined = undefined, chatServer: URL | undefined = undefined) {
    this.#key = key;
    this.#base = base ?? new URL('v1/admin/', document.baseURI);
    this.chatServer = chatServer ?? new URL('../../', this.#base);
  }

  async #get<S extends z.ZodType>(path: string, schema: S, init: { method?: string; body?: unknown } = {}): Promise<z.output<S>> {
    let res: Response;
    try {
      const headers: Record<string, string> = { Authorization: `Bearer ${this.#key}` };
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      res = await fetch(new URL(path, this.#base), {
        method: init.method ?? 'GET',
        headers,
        cache: 'no-store',
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    } catch {
      throw new AdminApiError('The server could not be reached.');
    }
    if (res.status === 401) throw new SignInRequired('This key is not accepted.');
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
      throw new AdminApiError(typeof message === 'string' ? message : `The server answered ${res.status}.`, res.status);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new AdminApiError('The server answered something this console does not understand (a different version?).');
    return parsed.data;
  }

  threads(filters: ThreadFilters, cursor?: string): Promise<AdminThreadPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) {
      if (value === true) query.set(name, name === 'feedback' ? 'down' : name === 'preview' ? 'only' : '1');
      else if (typeof value === 'string' && value.trim() !== '') query.set(name, value.trim());
    }
    if (cursor) query.set('cursor', cursor);
    const qs = query.toString();
    return this.#get(`threads${qs ? `?${qs}` : ''}`, AdminThreadPage);
  }

  thread(id: string): Promise<AdminThreadDetail> {
    return this.#get(`threads/${encodeURIComponent(id)}`, AdminThreadDetail);
  }

  workflows(): Promise<AdminWorkflowList> {
    return this.#get('workflows', AdminWorkflowList);
  }

  /** The sites this key may see (every site for the operator), for the site filters. */
  sites(): Promise<AdminSiteList> {
    return this.#get('sites', AdminSiteList);
  }

  /** A short-lived ticket for the live preview chat of `workflow` (the operator may name a site). */
  preview(workflow: string, site?: string): Promise<AdminPreviewTicket> {
    return this.#get('preview', AdminPreviewTicket, { method: 'POST', body: { workflow, ...(site ? { site } : {}) } });
  }

  connectors(): Promise<AdminConnectorList> {
    return this.#get('connectors', AdminConnectorList);
  }

  /** A finished run's spans (404 while it runs, or for a run of another site). */
  runTrace(runId: string): Promise<RunTrace> {
    return this.#get(`runs/${encodeURIComponent(runId)}/trace`, RunTrace);
  }

  /** Tokens and cost between two UTC days (`YYYY-MM-DD`, inclusive), grouped by `groupBy`, filtered by `filters` (empty ones left out). */
  usage(from: string, to: string, groupBy: UsageDimension[], filters: UsageFilters = {}): Promise<UsageReport> {
    const query = new URLSearchParams({ from, to, groupBy: groupBy.join(',') });
    for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
    return this.#get(`usage?${query.toString()}`, UsageReport);
  }

  /** Stored `agent-chat eval` runs, newest first; `cursor` is the previous page's `nextCursor`. */
  evalRuns(cursor?: string): Promise<AdminEvalRunPage> {
    return this.#get(`evals${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, AdminEvalRunPage);
  }

  /** One eval run: its totals per variant and every case result (404 for a run out of scope). */
  evalRun(id: string): Promise<AdminEvalRun> {
    return this.#get(`evals/${encodeURIComponent(id)}`, AdminEvalRun);
  }
}
