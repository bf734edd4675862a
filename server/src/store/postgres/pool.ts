import pg from 'pg';
import type { Logger } from '../../logger.ts';

/** What the Postgres reads and writes run queries on: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** How to reach the database and how many connections one instance may hold. */
export interface PoolOptions {
  connectionString: string;
  /** Connections this instance keeps at most; several instances share the server's `max_connections`. */
  maxConnections?: number;
  logger: Logger;
}

/**
 * Opens a connection pool. An idle connection the server drops (restart, failover) emits
 * `error` on the pool; without a listener that would end the process, so it is logged and
 * the pool opens a fresh connection for the next query.
 */
export function createPool({ connectionString, maxConnections = 10, logger }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: maxConnections, application_name: 'agent-chat' });
  pool.on('error', (error) => logger.warn('postgres: an idle connection failed', error));
  return pool;
}

/**
 * Runs `fn` on one client inside BEGIN … COMMIT; any error rolls the whole transaction back
 * and is rethrown. A client whose ROLLBACK failed is destroyed instead of returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
