/** One step of the Postgres schema; `version` is its row in `schema_migrations`. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The Postgres schema, equivalent to the SQLite one (same tables, columns and keys). Append
 * new steps; never edit a released one.
 *
 * - JSON columns are `text`, not `jsonb`: an event's JSON is sent to subscribers exactly as it
 *   was stored, and `jsonb` would reorder its keys and drop duplicate whitespace.
 * - Times are ISO 8601 `text`, as in SQLite, so both engines order them the same.
 * - Text that is compared or ordered (ids, owners, times, days) is `COLLATE "C"`: byte order,
 *   like SQLite, whatever locale the database was created with.
 * - Tables are heaps, so rows are appended wherever their key falls; the keys are indexes.
 * - seq and position are `integer` (they come back as numbers); token counts are `bigint`.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'init',
    sql: `
      CREATE TABLE meta (
        key   text COLLATE "C" PRIMARY KEY,
        value text NOT NULL
      );

      CREATE TABLE threads (
        id            text COLLATE "C" PRIMARY KEY,
        owner         text COLLATE "C" NOT NULL,
        workflow      text NOT NULL,
        title         text NOT NULL DEFAULT '',
        current_agent text NOT NULL,
        created_at    text COLLATE "C" NOT NULL,
        updated_at    text COLLATE "C" NOT NULL,
        last_seq      integer NOT NULL DEFAULT 0,
        compacted_seq integer NOT NULL DEFAULT 0
      );
      CREATE INDEX threads_by_owner ON threads (owner, updated_at DESC, id DESC);
      CREATE INDEX threads_by_updated ON threads (updated_at, id);

      CREATE TABLE items (
        id         text COLLATE "C" PRIMARY KEY,
        thread_id  text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        position   integer NOT NULL,
        type       text NOT NULL,
        json       text NOT NULL,
        run_id     text,
        created_at text COLLATE "C" NOT NULL,
        CONSTRAINT items_by_thread UNIQUE (thread_id, position)
      );

      CREATE TABLE events (
        thread_id  text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        seq        integer NOT NULL,
        type       text NOT NULL,
        json       text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        CONSTRAINT events_by_thread PRIMARY KEY (thread_id, seq)
      );

      CREATE TABLE runs (
        id          text COLLATE "C" PRIMARY KEY,
        thread_id   text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        status      text NOT NULL,
        agent       text NOT NULL,
        "trigger"   text NOT NULL,
        error_json  text,
        started_at  text COLLATE "C" NOT NULL,
        finished_at text
      );
      CREATE INDEX runs_by_thread ON runs (thread_id);
      CREATE INDEX runs_running ON runs (started_at) WHERE status = 'running';

      CREATE TABLE client_messages (
        thread_id         text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        client_message_id text COLLATE "C" NOT NULL,
        item_id           text NOT NULL,
        run_id            text NOT NULL,
        created_at        text NOT NULL,
        PRIMARY KEY (thread_id, client_message_id)
      );

      CREATE TABLE approvals (
        thread_id  text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        call_id    text COLLATE "C" NOT NULL,
        approved   boolean NOT NULL,
        reason     text,
        decided_at text NOT NULL,
        PRIMARY KEY (thread_id, call_id)
      );

      CREATE TABLE feedback (
        thread_id  text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        item_id    text COLLATE "C" NOT NULL,
        rating     text NOT NULL,
        comment    text,
        created_at text COLLATE "C" NOT NULL,
        PRIMARY KEY (thread_id, item_id)
      );

      -- Daily spending per identity and per site; day is a UTC date (YYYY-MM-DD).
      CREATE TABLE usage_counters (
        scope   text COLLATE "C" NOT NULL,
        key     text COLLATE "C" NOT NULL,
        day     text COLLATE "C" NOT NULL,
        tokens  bigint NOT NULL DEFAULT 0,
        threads integer NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, key, day)
      );
      CREATE INDEX usage_counters_by_day ON usage_counters (day);
    `,
  },
  {
    version: 2,
    name: 'run resumes',
    sql: `ALTER TABLE runs ADD COLUMN resumes integer NOT NULL DEFAULT 0;`,
  },
  {
    // Run leases (see the SQLite migration 7): one running run per thread across instances.
    version: 3,
    name: 'run leases',
    sql: `
      ALTER TABLE runs ADD COLUMN owner text;
      ALTER TABLE runs ADD COLUMN lease_until text COLLATE "C";
      UPDATE runs SET status = 'failed', finished_at = started_at
        WHERE status = 'running' AND id NOT IN (SELECT DISTINCT ON (thread_id) id FROM runs WHERE status = 'running' ORDER BY thread_id, started_at DESC, id DESC);
      CREATE UNIQUE INDEX runs_one_active ON runs (thread_id) WHERE status = 'running';
    `,
  },
  {
    // When each identity and IP started runs (see the SQLite migration 8).
    version: 4,
    name: 'run starts',
    sql: `
      CREATE TABLE run_starts (key text COLLATE "C" NOT NULL, at text COLLATE "C" NOT NULL);
      CREATE INDEX run_starts_by_key ON run_starts (key, at);
    `,
  },
  {
    // Uploaded files (see the SQLite migration 9).
    version: 5,
    name: 'uploads',
    sql: `
      CREATE TABLE uploads (
        id         text COLLATE "C" PRIMARY KEY,
        owner      text COLLATE "C" NOT NULL,
        name       text NOT NULL,
        mime       text NOT NULL,
        size       bigint NOT NULL,
        sha256     text COLLATE "C" NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        item_id    text COLLATE "C"
      );
      CREATE INDEX uploads_by_owner ON uploads (owner, created_at);
      CREATE INDEX uploads_by_hash ON uploads (sha256);
      CREATE INDEX uploads_by_item ON uploads (item_id) WHERE item_id IS NOT NULL;
      CREATE INDEX uploads_unsent ON uploads (created_at) WHERE item_id IS NULL;
      CREATE TABLE upload_blobs (
        sha256 text COLLATE "C" PRIMARY KEY,
        bytes  bytea NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'run steps, usage ledger, traces',
    sql: `
      CREATE TABLE run_steps (
        thread_id     text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        run_id        text COLLATE "C" NOT NULL,
        step          integer NOT NULL,
        after_seq     integer NOT NULL,
        type          text NOT NULL,
        agent         text NOT NULL,
        model         text,
        input_tokens  bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        started_at    text COLLATE "C" NOT NULL,
        json          text NOT NULL,
        PRIMARY KEY (run_id, step)
      );
      CREATE INDEX run_steps_by_thread ON run_steps (thread_id);
      CREATE TABLE usage_ledger (
        day           text COLLATE "C" NOT NULL,
        site          text COLLATE "C" NOT NULL,
        workflow      text COLLATE "C" NOT NULL,
        agent         text COLLATE "C" NOT NULL,
        model         text COLLATE "C" NOT NULL,
        provider      text COLLATE "C" NOT NULL,
        calls         bigint NOT NULL DEFAULT 0,
        input_tokens  bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, site, workflow, agent, model, provider)
      );
      CREATE TABLE run_traces (
        run_id      text COLLATE "C" PRIMARY KEY,
        thread_id   text COLLATE "C" NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        started_at  text COLLATE "C" NOT NULL,
        json        text NOT NULL,
        exported_at text COLLATE "C"
      );
      CREATE INDEX run_traces_by_thread ON run_traces (thread_id);
      CREATE INDEX run_traces_unexported ON run_traces (started_at) WHERE exported_at IS NULL;
    `,
  },
  {
    version: 7,
    name: 'eval runs',
    sql: `
      CREATE TABLE eval_runs (
        id             text COLLATE "C" PRIMARY KEY,
        started_at     text COLLATE "C" NOT NULL,
        finished_at    text COLLATE "C" NOT NULL,
        cases_file     text NOT NULL,
        model          text,
        case_count     integer NOT NULL,
        variants_json  text NOT NULL,
        workflows_json text NOT NULL,
        totals_json    text NOT NULL
      );
      CREATE INDEX eval_runs_newest ON eval_runs (started_at DESC, id DESC);
      CREATE TABLE eval_run_workflows (
        run_id   text COLLATE "C" NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        workflow text COLLATE "C" NOT NULL,
        PRIMARY KEY (run_id, workflow)
      );
      CREATE TABLE eval_case_results (
        run_id   text COLLATE "C" NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        position integer NOT NULL,
        variant  text NOT NULL,
        case_id  text NOT NULL,
        pass     boolean NOT NULL,
        json     text NOT NULL,
        PRIMARY KEY (run_id, position)
      );
      `,
    },
    {
    // The console's title search (lower(title) LIKE '%…%') through a pg_trgm GIN index. pg_trgm
    // ships with PostgreSQL and is trusted (a database owner may create it); where it is missing
    // or refused, the search still works, as a scan, and the server starts.
    version: 8,
    name: 'thread title search index',
    sql: `
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX threads_title_trgm ON threads USING gin (lower(title) gin_trgm_ops);
      EXCEPTION WHEN undefined_file OR insufficient_privilege OR feature_not_supported THEN
        RAISE NOTICE 'pg_trgm is not available: the title search scans the threads';
      END
      $$;
    `,
  },
];

/** The constraint whose violation means another writer stored that `(thread, seq)` first. */
export const EVENT_KEY_CONSTRAINT = 'events_by_thread';
