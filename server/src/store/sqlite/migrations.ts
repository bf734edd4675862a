/** One schema step. `version` is what `PRAGMA user_version` holds once the step has run. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Ordered schema migrations. Append new steps; never edit a released one.
 * The `items` table is a projection of the `events` log (docs/protocol.md: events are the truth).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'init',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE threads (
        id            TEXT PRIMARY KEY,
        owner         TEXT NOT NULL,
        workflow      TEXT NOT NULL,
        title         TEXT NOT NULL DEFAULT '',
        current_agent TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        last_seq      INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX threads_by_owner ON threads (owner, updated_at DESC, id DESC);

      CREATE TABLE items (
        thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        id         TEXT NOT NULL UNIQUE,
        type       TEXT NOT NULL,
        json       TEXT NOT NULL,
        run_id     TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, position)
      ) WITHOUT ROWID;

      CREATE TABLE events (
        thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        type       TEXT NOT NULL,
        json       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE runs (
        id          TEXT PRIMARY KEY,
        thread_id   TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        status      TEXT NOT NULL,
        agent       TEXT NOT NULL,
        trigger     TEXT NOT NULL,
        error_json  TEXT,
        started_at  TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX runs_by_thread ON runs (thread_id);
      CREATE INDEX runs_running ON runs (status) WHERE status = 'running';

      CREATE TABLE client_messages (
        thread_id         TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        client_message_id TEXT NOT NULL,
        item_id           TEXT NOT NULL,
        run_id            TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        PRIMARY KEY (thread_id, client_message_id)
      ) WITHOUT ROWID;

      CREATE TABLE approvals (
        thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        call_id    TEXT NOT NULL,
        approved   INTEGER NOT NULL,
        reason     TEXT,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, call_id)
      ) WITHOUT ROWID;

      CREATE TABLE feedback (
        thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        item_id    TEXT NOT NULL,
        rating     TEXT NOT NULL,
        comment    TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, item_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'usage counters',
    // Daily spending per identity and per site, so budgets survive a restart. `day` is a UTC
    // date (YYYY-MM-DD); old days are pruned by the quota service.
    sql: `
      CREATE TABLE usage_counters (
        scope   TEXT NOT NULL,
        key     TEXT NOT NULL,
        day     TEXT NOT NULL,
        tokens  INTEGER NOT NULL DEFAULT 0,
        threads INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, key, day)
      ) WITHOUT ROWID;
      CREATE INDEX usage_counters_by_day ON usage_counters (day);
    `,
  },
  {
    // A finished run's text deltas are compacted
    // away (its item.done holds the text), as is every event of an answer an output guardrail
    // withdrew; compacted_seq is the highest seq no longer kept, so a resume from before it
    // gets the items instead (docs/protocol.md, Opening and resuming a thread). Existing
    // databases are compacted the same way here.
    version: 3,
    name: 'compaction',
    sql: `
      ALTER TABLE threads ADD COLUMN compacted_seq INTEGER NOT NULL DEFAULT 0;

      CREATE TEMP TABLE compacted AS
        SELECT thread_id, seq FROM events
        WHERE type = 'text.delta'
           OR (type IN ('item.added', 'item.done')
               AND json_extract(json, '$.item.id') IN (SELECT json_extract(json, '$.itemId') FROM events WHERE type = 'item.removed'));
      UPDATE threads SET compacted_seq = (SELECT MAX(seq) FROM compacted WHERE compacted.thread_id = threads.id)
        WHERE id IN (SELECT thread_id FROM compacted);
      DELETE FROM events WHERE (thread_id, seq) IN (SELECT thread_id, seq FROM compacted);
      DROP TABLE compacted;
    `,
  },
  {
    // Events as an append-only rowid table with its (thread, seq) key in an index. A group
    // commit carries one event from each of many threads: keyed by (thread_id, seq) itself, each
    // insert landed on another thread's leaf page, so a commit of 1,000 threads rewrote some
    // 1,000 pages of the log; appended by rowid they share the last pages, and only the small
    // index entries scatter (measured: 3.7× less time per event at 1,000 threads).
    version: 4,
    name: 'events in append order',
    sql: `
      CREATE TABLE events_appended (
        id         INTEGER PRIMARY KEY,
        thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        type       TEXT NOT NULL,
        json       TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      INSERT INTO events_appended (thread_id, seq, type, json, created_at)
        SELECT thread_id, seq, type, json, created_at FROM events ORDER BY created_at, thread_id, seq;
      DROP TABLE events;
      ALTER TABLE events_appended RENAME TO events;
      CREATE UNIQUE INDEX events_by_thread ON events (thread_id, seq);
    `,
  },
  {
    // Items in append order too, for the same reason and for space: keyed by (thread_id,
    // position), each new thread's items landed in the middle of the tree and split pages that
    // stayed half empty (measured: 40% of the table's pages unused); appended, pages fill.
    version: 5,
    name: 'items in append order',
    sql: `
      CREATE TABLE items_appended (
        thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        id         TEXT NOT NULL UNIQUE,
        type       TEXT NOT NULL,
        json       TEXT NOT NULL,
        run_id     TEXT,
        created_at TEXT NOT NULL
      );
      INSERT INTO items_appended (thread_id, position, id, type, json, run_id, created_at)
        SELECT thread_id, position, id, type, json, run_id, created_at FROM items ORDER BY created_at, thread_id, position;
      DROP TABLE items;
      ALTER TABLE items_appended RENAME TO items;
      CREATE UNIQUE INDEX items_by_thread ON items (thread_id, position);
    `,
  },
  {
    // A run continued after the server running it stopped counts its resumes, so one that keeps
    // failing is given up after a few (see MAX_RUN_RESUMES).
    version: 6,
    name: 'run resumes',
    sql: `ALTER TABLE runs ADD COLUMN resumes INTEGER NOT NULL DEFAULT 0;`,
  },
  {
    // Run leases: the instance running a run holds it until lease_until and renews it; a thread
    // has at most one running run (a database rule, so it holds across instances). A database
    // that somehow has two keeps the newest.
    version: 7,
    name: 'run leases',
    sql: `
      ALTER TABLE runs ADD COLUMN owner TEXT;
      ALTER TABLE runs ADD COLUMN lease_until TEXT;
      UPDATE runs SET status = 'failed', finished_at = started_at
        WHERE status = 'running' AND rowid NOT IN (SELECT MAX(rowid) FROM runs WHERE status = 'running' GROUP BY thread_id);
      CREATE UNIQUE INDEX runs_one_active ON runs (thread_id) WHERE status = 'running';
    `,
  },
  {
    // When each identity and IP started runs, so per-minute limits hold across instances
    // sharing a database; starts older than ten minutes are pruned.
    version: 8,
    name: 'run starts',
    sql: `
      CREATE TABLE run_starts (key TEXT NOT NULL, at TEXT NOT NULL);
      CREATE INDEX run_starts_by_key ON run_starts (key, at);
    `,
  },
  {
    // Uploaded files: a row per upload, the bytes once per content hash. upload_blobs holds them
    // unless UPLOADS_DIR is set (then they are files named by the hash). item_id is the user
    // message the file was sent with; NULL until sent (unsent ones are swept after a while).
    version: 9,
    name: 'uploads',
    sql: `
      CREATE TABLE uploads (
        id         TEXT PRIMARY KEY,
        owner      TEXT NOT NULL,
        name       TEXT NOT NULL,
        mime       TEXT NOT NULL,
        size       INTEGER NOT NULL,
        sha256     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        item_id    TEXT
      );
      CREATE INDEX uploads_by_owner ON uploads (owner, created_at);
      CREATE INDEX uploads_by_hash ON uploads (sha256);
      CREATE INDEX uploads_by_item ON uploads (item_id) WHERE item_id IS NOT NULL;
      CREATE INDEX uploads_unsent ON uploads (created_at) WHERE item_id IS NULL;
      CREATE TABLE upload_blobs (
        sha256 TEXT PRIMARY KEY,
        bytes  BLOB NOT NULL
      );
    `,
  },
  {
    // What runs did beyond their events (model calls, guardrail checks), the usage ledger those
    // calls add to (a row per day, site, workflow, agent, model and provider; kept when threads go), and
    // each finished run's trace with when it was exported. site is '' on an open server.
    version: 10,
    name: 'run steps, usage ledger, traces',
    sql: `
      CREATE TABLE run_steps (
        thread_id     TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        run_id        TEXT NOT NULL,
        step          INTEGER NOT NULL,
        after_seq     INTEGER NOT NULL,
        type          TEXT NOT NULL,
        agent         TEXT NOT NULL,
        model         TEXT,
        input_tokens  INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        started_at    TEXT NOT NULL,
        json          TEXT NOT NULL,
        PRIMARY KEY (run_id, step)
      );
      CREATE INDEX run_steps_by_thread ON run_steps (thread_id);
      CREATE TABLE usage_ledger (
        day           TEXT NOT NULL,
        site          TEXT NOT NULL,
        workflow      TEXT NOT NULL,
        agent         TEXT NOT NULL,
        model         TEXT NOT NULL,
        provider      TEXT NOT NULL,
        calls         INTEGER NOT NULL DEFAULT 0,
        input_tokens  INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (day, site, workflow, agent, model, provider)
      ) WITHOUT ROWID;
      CREATE TABLE run_traces (
        run_id      TEXT PRIMARY KEY,
        thread_id   TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
        started_at  TEXT NOT NULL,
        json        TEXT NOT NULL,
        exported_at TEXT
      );
      CREATE INDEX run_traces_by_thread ON run_traces (thread_id);
      CREATE INDEX run_traces_unexported ON run_traces (started_at) WHERE exported_at IS NULL;
    `,
  },
  {
    // agent-chat eval runs: a row per run (its A/B totals as JSON), the workflows it ran (what a
    // site's admin key may see is decided on them) and a row per case per variant. Only the
    // newest runs are kept (EVAL_RUNS_KEPT); deleting a run deletes the rest with it.
    version: 11,
    name: 'eval runs',
    sql: `
      CREATE TABLE eval_runs (
        id             TEXT PRIMARY KEY,
        started_at     TEXT NOT NULL,
        finished_at    TEXT NOT NULL,
        cases_file     TEXT NOT NULL,
        model          TEXT,
        case_count     INTEGER NOT NULL,
        variants_json  TEXT NOT NULL,
        workflows_json TEXT NOT NULL,
        totals_json    TEXT NOT NULL
      );
      CREATE INDEX eval_runs_newest ON eval_runs (started_at DESC, id DESC);
      CREATE TABLE eval_run_workflows (
        run_id   TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        workflow TEXT NOT NULL,
        PRIMARY KEY (run_id, workflow)
      ) WITHOUT ROWID;
      CREATE TABLE eval_case_results (
        run_id   TEXT NOT NULL REFERENCES eval_runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        variant  TEXT NOT NULL,
        case_id  TEXT NOT NULL,
        pass     INTEGER NOT NULL,
        json     TEXT NOT NULL,
        PRIMARY KEY (run_id, position)
      ) WITHOUT ROWID;
      `,
    },
    {
    // The console's title search: an FTS5 index of thread titles with the trigram tokenizer
    // (any substring of 3+ characters, case-insensitive), over the threads table itself
    // (external content: no second copy of the titles), kept in step by triggers.
    version: 12,
    name: 'thread title search index',
    sql: `
      CREATE VIRTUAL TABLE threads_title_fts USING fts5(title, content='threads', content_rowid='rowid', tokenize='trigram');
      CREATE TRIGGER threads_title_fts_insert AFTER INSERT ON threads BEGIN
        INSERT INTO threads_title_fts (rowid, title) VALUES (new.rowid, new.title);
      END;
      CREATE TRIGGER threads_title_fts_delete AFTER DELETE ON threads BEGIN
        INSERT INTO threads_title_fts (threads_title_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
      END;
      CREATE TRIGGER threads_title_fts_update AFTER UPDATE OF title ON threads BEGIN
        INSERT INTO threads_title_fts (threads_title_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
        INSERT INTO threads_title_fts (rowid, title) VALUES (new.rowid, new.title);
      END;
      INSERT INTO threads_title_fts (threads_title_fts) VALUES ('rebuild');
    `,
  },
];
