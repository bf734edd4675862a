/**
 * The console's search over every thread: filters, the counts it shows per thread, and the SQL
 * both engines run for it (one builder: the engines differ only in placeholders and in how a
 * JSON field is read).
 */
import type { StoredRunStatus, ThreadRecord } from './records.ts';

/** Which threads to find. Every filter given must hold. */
export interface ThreadSearch {
  /** Only this thread (its counts, for one thread's page). */
  threadId?: string;
  /** Only this site's threads; '' for an open server's (owners without a site). */
  site?: string;
  workflow?: string;
  /** Only threads of this visitor id or signed-in user's `sub`. */
  user?: string;
  /** Active on or after this UTC day (`YYYY-MM-DD`): updated since its start. */
  from?: string;
  /** Active on or before this UTC day: created before its end. */
  to?: string;
  /** The last run ended so. */
  statuses?: readonly StoredRunStatus[];
  /** At least one thumbs-down; thumbs-down count orders the list first. */
  thumbsDown?: boolean;
  /** At least one guardrail trip. */
  guardrailTrips?: boolean;
  /** At least one run started by an approval decision, or a call waiting for one. */
  approvals?: boolean;
  /** Case-insensitive text in the title. */
  title?: string;
  /** The console's preview chats (owner kind `preview`): left out, or only those; both when unset. */
  previews?: 'exclude' | 'only';
  /** Strictly after this row of the same ordering. */
  after?: ThreadSearchCursor;
  limit: number;
}

/** Where a page ends: its last row's sort key. */
export interface ThreadSearchCursor {
  thumbsDown?: number;
  updatedAt: string;
  id: string;
}

/** A thread with the counts the console lists. */
export interface ThreadSearchRow extends Pick<ThreadRecord, 'id' | 'owner' | 'workflow' | 'title' | 'currentAgent' | 'createdAt' | 'updatedAt'> {
  lastRunStatus: StoredRunStatus | null;
  thumbsDown: number;
  guardrailTrips: number;
  approvalRuns: number;
  awaitingApproval: number;
}

/** What differs between the engines. */
export interface SqlDialect {
  /** The n-th placeholder (`?` or `$n`). */
  param(n: number): string;
  /** A JSON text column's top-level string field. */
  jsonField(column: string, field: string): string;
  /** Where `needle` first is in `text` (1-based; 0 when absent). */
  position(text: string, needle: string): string;
  /**
   * `t.title` holds `text` (case-insensitive), through the engine's title index; `p` makes a
   * parameter. Titles and the text are untrusted: the text only ever travels as a parameter.
   */
  titleContains(text: string, p: (value: string) => string): string;
}

/** `lower(t.title) LIKE '%text%'`, wildcards in the text taken literally. */
function titleLike(text: string, p: (value: string) => string): string {
  return `lower(t.title) LIKE ${p(`%${escapeLike(text.toLowerCase())}%`)} ESCAPE '\\'`;
}

/**
 * The text as one FTS5 phrase: in double quotes, each quote doubled, so `*`, `NEAR`, `OR`,
 * `title:` or a stray quote are characters to find, never query syntax.
 */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** The trigram index matches substrings of 3 characters or more; shorter ones are scanned. */
const MIN_TRIGRAM_CHARS = 3;

export const SQLITE_DIALECT: SqlDialect = {
  param: () => '?',
  jsonField: (c, f) => `json_extract(${c}, '$.${f}')`,
  position: (t, n) => `instr(${t}, ${n})`,
  titleContains: (text, p) =>
    [...text].length >= MIN_TRIGRAM_CHARS
      ? `t.rowid IN (SELECT rowid FROM threads_title_fts WHERE threads_title_fts MATCH ${p(ftsPhrase(text))})`
      : titleLike(text, p),
};
export const POSTGRES_DIALECT: SqlDialect = {
  param: (n) => `$${n}`,
  jsonField: (c, f) => `(${c}::jsonb ->> '${f}')`,
  position: (t, n) => `strpos(${t}, ${n})`,
  // The pg_trgm GIN index on lower(title) serves this LIKE as it is.
  titleContains: titleLike,
};

/**
 * Whether `t.owner` is a preview owner: `preview:<by>`, or `site:<id>:preview:<by>` (a site id
 * has no colon, so the kind starts right after the second one; a user's `sub` may hold
 * `:preview:` anywhere after it, which must not count).
 */
function previewOwner(dialect: SqlDialect): string {
  return `(substr(t.owner, 1, 8) = 'preview:' OR (substr(t.owner, 1, 5) = 'site:' AND substr(t.owner, 6 + ${dialect.position('substr(t.owner, 6)', "':'")}, 8) = 'preview:'))`;
}

/** The UTC day after `day` (`YYYY-MM-DD`). */
function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The search as SQL for one engine; only fixed column names and numbers reach the text, values are parameters. */
export function threadSearchSql(search: ThreadSearch, dialect: SqlDialect): { sql: string; params: Array<string | number> } {
  const params: Array<string | number> = [];
  const p = (value: string | number) => {
    params.push(value);
    return dialect.param(params.length);
  };
  const inner: string[] = [];
  if (search.threadId !== undefined) inner.push(`t.id = ${p(search.threadId)}`);
  if (search.site !== undefined) {
    if (search.site === '') inner.push(`substr(t.owner, 1, 5) <> 'site:'`);
    else {
      const prefix = `site:${search.site}:`;
      inner.push(`substr(t.owner, 1, ${prefix.length}) = ${p(prefix)}`);
    }
  }
  if (search.workflow !== undefined) inner.push(`t.workflow = ${p(search.workflow)}`);
  if (search.user !== undefined) {
    const exact = [`user:${search.user}`, `visitor:${search.user}`];
    const suffixes = exact.map((e) => `:${e}`);
    inner.push(
      `(t.owner IN (${p(exact[0]!)}, ${p(exact[1]!)}) OR ${suffixes.map((s) => `substr(t.owner, length(t.owner) - ${s.length - 1}) = ${p(s)}`).join(' OR ')})`,
    );
  }
  if (search.previews === 'exclude') inner.push(`NOT ${previewOwner(dialect)}`);
  if (search.previews === 'only') inner.push(previewOwner(dialect));
  if (search.from !== undefined) inner.push(`t.updated_at >= ${p(search.from)}`);
  if (search.to !== undefined) inner.push(`t.created_at < ${p(nextDay(search.to))}`);
  if (search.title !== undefined && search.title !== '') inner.push(dialect.titleContains(search.title, p));

  const status = dialect.jsonField('i.json', 'status');
  const columns = `t.id, t.owner, t.workflow, t.title, t.current_agent, t.created_at, t.updated_at,
    (SELECT r.status FROM runs r WHERE r.thread_id = t.id ORDER BY r.started_at DESC, r.id DESC LIMIT 1) AS last_status,
    (SELECT COUNT(*) FROM feedback f WHERE f.thread_id = t.id AND f.rating = 'down') AS thumbs_down,
    (SELECT COUNT(*) FROM items i WHERE i.thread_id = t.id AND i.type = 'guardrail') AS guardrail_trips,
    (SELECT COUNT(*) FROM runs r WHERE r.thread_id = t.id AND r."trigger" = 'approval') AS approval_runs,
    (SELECT COUNT(*) FROM items i WHERE i.thread_id = t.id AND i.type = 'tool_call' AND ${status} = 'awaiting_approval') AS awaiting_approval`;

  const outer: string[] = [];
  if (search.statuses && search.statuses.length > 0) outer.push(`s.last_status IN (${search.statuses.map((st) => p(st)).join(', ')})`);
  if (search.thumbsDown) outer.push('s.thumbs_down > 0');
  if (search.guardrailTrips) outer.push('s.guardrail_trips > 0');
  if (search.approvals) outer.push('(s.approval_runs > 0 OR s.awaiting_approval > 0)');
  const after = search.after;
  if (after) {
    // Placeholders are numbered in the order they are written (SQLite's `?` are positional).
    const recency = () => `(s.updated_at < ${p(after.updatedAt)} OR (s.updated_at = ${p(after.updatedAt)} AND s.id < ${p(after.id)}))`;
    if (search.thumbsDown) {
      const downs = after.thumbsDown ?? 0;
      const fewer = `s.thumbs_down < ${p(downs)}`;
      const same = `s.thumbs_down = ${p(downs)}`;
      outer.push(`(${fewer} OR (${same} AND ${recency()}))`);
    } else outer.push(recency());
  }
  const order = `${search.thumbsDown ? 's.thumbs_down DESC, ' : ''}s.updated_at DESC, s.id DESC`;
  const sql =
    `SELECT * FROM (SELECT ${columns} FROM threads t${inner.length > 0 ? ` WHERE ${inner.join(' AND ')}` : ''}) s` +
    `${outer.length > 0 ? ` WHERE ${outer.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${p(search.limit)}`;
  return { sql, params };
}

/** A result row (counts arrive as strings from pg) as a `ThreadSearchRow`. */
export function threadSearchRow(r: Record<string, unknown>): ThreadSearchRow {
  return {
    id: String(r.id),
    owner: String(r.owner),
    workflow: String(r.workflow),
    title: String(r.title),
    currentAgent: String(r.current_agent),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    lastRunStatus: r.last_status == null ? null : (String(r.last_status) as StoredRunStatus),
    thumbsDown: Number(r.thumbs_down),
    guardrailTrips: Number(r.guardrail_trips),
    approvalRuns: Number(r.approval_runs),
    awaitingApproval: Number(r.awaiting_approval),
  };
}
