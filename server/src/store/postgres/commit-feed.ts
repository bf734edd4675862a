import pg from 'pg';
import type { Logger } from '../../logger.ts';
import type { CommitFeed, CommitNotice } from '../storage.ts';

/** The channel commits are announced on: `NOTIFY agent_chat_commits, '<writer> <threadId> <seq>'`. */
export const COMMIT_CHANNEL = 'agent_chat_commits';

/** The statement `apply` runs inside its transaction: Postgres delivers it at COMMIT, never on ROLLBACK. */
export const NOTIFY_COMMITS = `SELECT pg_notify('${COMMIT_CHANNEL}', n) FROM unnest($1::text[]) AS n`;

/** The payloads announcing a batch's events: one per thread, with the highest seq written. */
export function commitPayloads(writer: string, highest: ReadonlyMap<string, number>): string[] {
  return [...highest].map(([threadId, seq]) => `${writer} ${threadId} ${seq}`);
}

export interface PostgresCommitFeedOptions {
  connectionString: string;
  /** This instance's writer id: its own announcements are not passed on. */
  writer: string;
  logger: Logger;
  /** Wait before reconnecting after the listening connection failed (ms). */
  reconnectMs?: number;
}

/**
 * Listens on one dedicated connection (LISTEN needs a session, not a pooled client) and passes
 * other writers' commits to the subscribers. When the connection fails it reconnects and tells
 * the subscribers `null`: anything may have been missed meanwhile. Started lazily, by the first
 * subscriber.
 */
export function createPostgresCommitFeed({ connectionString, writer, logger, reconnectMs = 1000 }: PostgresCommitFeedOptions): CommitFeed & { close(): Promise<void>; readonly listening: Promise<void> } {
  const listeners = new Set<(notice: CommitNotice) => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ready!: () => void;
  const listening = new Promise<void>((resolve) => (ready = resolve));

  const tell = (notice: CommitNotice) => {
    for (const listener of listeners) {
      try {
        listener(notice);
      } catch (error) {
        logger.error('commit feed: a listener threw', error);
      }
    }
  };

  const connect = async (afterFailure: boolean) => {
    if (closed) return;
    const next = new pg.Client({ connectionString, application_name: 'agent-chat-commits' });
    const retry = (error: unknown) => {
      if (closed || client !== next) return;
      client = undefined;
      logger.warn('commit feed: the listening connection failed; reconnecting', error);
      next.end().catch(() => {});
      timer = setTimeout(() => void connect(true), reconnectMs);
      timer.unref?.();
    };
    client = next;
    next.on('error', retry);
    next.on('end', () => retry(new Error('connection ended')));
    next.on('notification', (message) => {
      const [from, threadId, seq] = (message.payload ?? '').split(' ');
      if (from === writer || !threadId || !seq) return;
      tell({ threadId, seq: Number(seq) });
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${COMMIT_CHANNEL}`);
    } catch (error) {
      retry(error);
      return;
    }
    ready();
    // Commits made while nobody listened were not heard: the subscribers catch up.
    if (afterFailure) tell(null);
  };

  return {
    listening,
    subscribe(listener) {
      listeners.add(listener);
      if (!client && !closed && !timer) void connect(false);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
