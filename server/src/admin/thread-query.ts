import { ThreadStatusFilter } from '@agent-chat/shared';
import type { ThreadSearch, ThreadSearchCursor } from '../store/storage.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const MAX_TEXT = 200;

/** The next page's cursor: the last row's sort key, opaque to clients. */
export function encodeCursor(cursor: ThreadSearchCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): ThreadSearchCursor | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ThreadSearchCursor>;
    if (typeof value.updatedAt !== 'string' || typeof value.id !== 'string') return undefined;
    if (value.thumbsDown !== undefined && !Number.isInteger(value.thumbsDown)) return undefined;
    return { updatedAt: value.updatedAt, id: value.id, ...(value.thumbsDown !== undefined ? { thumbsDown: value.thumbsDown } : {}) };
  } catch {
    return undefined;
  }
}

const flag = (value: string | undefined) => value === '1' || value === 'true';

/**
 * `GET /threads`' query (all but `site`, which the scope decides) as a search, or what is wrong
 * with it. `status` is comma-separated; `feedback=down`, `guardrail=1` and `approval=1` keep only
 * threads with some; `preview=only` the console's preview chats, `preview=include` everything
 * (by default they are left out).
 */
export function parseThreadQuery(q: (name: string) => string | undefined): { search: Omit<ThreadSearch, 'site'> } | { error: string } {
  // The console's preview chats are not visitors' conversations: left out unless asked for.
  const preview = q('preview');
  if (preview !== undefined && preview !== '' && preview !== 'only' && preview !== 'include') return { error: 'preview can be "only" or "include".' };
  const search: Omit<ThreadSearch, 'site'> = { limit: DEFAULT_LIMIT };
  if (preview === 'only') search.previews = 'only';
  else if (preview !== 'include') search.previews = 'exclude';
  for (const name of ['workflow', 'user', 'q'] as const) {
    const value = q(name);
    if (value !== undefined && value.length > MAX_TEXT) return { error: `${name} is too long (at most ${MAX_TEXT} characters).` };
  }
  const workflow = q('workflow');
  if (workflow) search.workflow = workflow;
  const user = q('user');
  if (user) search.user = user;
  const title = q('q')?.trim();
  if (title) search.title = title;
  for (const name of ['from', 'to'] as const) {
    const value = q(name);
    if (value === undefined || value === '') continue;
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return { error: `${name} must be a UTC day, YYYY-MM-DD.` };
    search[name] = value;
  }
  const status = q('status');
  if (status) {
    const statuses = status.split(',').map((s) => s.trim());
    for (const s of statuses) if (!ThreadStatusFilter.safeParse(s).success) return { error: `status must be among ${ThreadStatusFilter.options.join(', ')}.` };
    search.statuses = statuses as ThreadStatusFilter[];
  }
  const feedback = q('feedback');
  if (feedback !== undefined && feedback !== '' && feedback !== 'down') return { error: 'feedback can only be "down".' };
  if (feedback === 'down') search.thumbsDown = true;
  if (flag(q('guardrail'))) search.guardrailTrips = true;
  if (flag(q('approval'))) search.approvals = true;
  const limit = q('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) return { error: `limit must be a whole number from 1 to ${MAX_LIMIT}.` };
    search.limit = n;
  }
  const cursor = q('cursor');
  if (cursor) {
    const after = decodeCursor(cursor);
    if (!after) return { error: 'cursor is not one this API gave.' };
    search.after = after;
  }
  return { search };
}
