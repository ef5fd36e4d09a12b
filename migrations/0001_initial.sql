-- Harvest schema, version 1.
--
-- Public tables (users query them): oxylabs_jobs, oxylabs_results, octoparse_task_groups, octoparse_tasks,
-- octoparse_columns, octoparse_windows, harvest_accounts, harvest_events.
-- Internal tables: harvest_tokens and harvest_secrets hold secrets and are unreadable through
-- `harvest query`; harvest_leases coordinates several processes on one file.
--
-- Every timestamp is ISO-8601 UTC text of fixed width (2026-01-31T12:00:00.000Z), so text order is time order.

-- One row per Oxylabs job. `payload` is the user's request exactly as submitted; the callback URL (which
-- carries a secret) and client_notes are added when the job is sent and are never stored here.
CREATE TABLE oxylabs_jobs (
    id               INTEGER PRIMARY KEY,
    remote_id        TEXT UNIQUE,
    source           TEXT NOT NULL,
    url              TEXT,
    query            TEXT,
    payload          TEXT NOT NULL CHECK (json_valid(payload)),
    result_types     TEXT NOT NULL,
    -- Jobs with the same batch_key differ only in url/query and may be sent as one batch request.
    batch_key        TEXT NOT NULL,
    idempotency_key  TEXT UNIQUE,
    status           TEXT NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'submitting', 'pending', 'done', 'faulted', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    resubmissions    INTEGER NOT NULL DEFAULT 0,
    faults           INTEGER NOT NULL DEFAULT 0,
    polls            INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    -- When the engine should next act on the job (submit, poll, retry); NULL once final.
    next_action_at   TEXT,
    created_at       TEXT NOT NULL,
    submitted_at     TEXT,
    completed_at     TEXT,
    updated_at       TEXT NOT NULL,
    CHECK ((url IS NULL) <> (query IS NULL))
);
-- The engine's claim queries: "jobs in status S due by time T, oldest first".
CREATE INDEX oxylabs_jobs_by_status_due ON oxylabs_jobs (status, next_action_at);
-- The submitter groups queued jobs by batch key.
CREATE INDEX oxylabs_jobs_queued_by_batch ON oxylabs_jobs (batch_key, id) WHERE status = 'queued';

-- One row per result page and type. `content` is TEXT for raw, JSON text for parsed, BLOB for png.
CREATE TABLE oxylabs_results (
    id           INTEGER PRIMARY KEY,
    job_id       INTEGER NOT NULL REFERENCES oxylabs_jobs (id) ON DELETE CASCADE,
    type         TEXT NOT NULL CHECK (type IN ('raw', 'parsed', 'png')),
    page         INTEGER NOT NULL CHECK (page >= 1),
    status_code  INTEGER,
    url          TEXT,
    content,
    bytes        INTEGER NOT NULL DEFAULT 0,
    fetched_at   TEXT NOT NULL,
    UNIQUE (job_id, type, page)
);

CREATE TABLE octoparse_task_groups (
    group_id       INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    discovered_at  TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- One row per registered Octoparse task. `cursor` is the storage time (UTC) up to which every row is known
-- to be harvested; `start_from` is where harvesting begins.
CREATE TABLE octoparse_tasks (
    task_id           TEXT PRIMARY KEY,
    name              TEXT NOT NULL DEFAULT '',
    group_id          INTEGER REFERENCES octoparse_task_groups (group_id) ON DELETE SET NULL,
    enabled           INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    mode              TEXT NOT NULL DEFAULT 'by-time'
                      CHECK (mode IN ('by-time', 'offset', 'not-exported', 'last-run')),
    destructive       INTEGER NOT NULL DEFAULT 0 CHECK (destructive IN (0, 1)),
    sync_every        INTEGER NOT NULL DEFAULT 300 CHECK (sync_every > 0),
    table_name        TEXT UNIQUE,
    start_from        TEXT,
    cursor            TEXT,
    offset_cursor     TEXT,
    rows_harvested    INTEGER NOT NULL DEFAULT 0,
    state             TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'failed')),
    last_error        TEXT,
    last_synced_at    TEXT,
    next_sync_at      TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX octoparse_tasks_due ON octoparse_tasks (enabled, state, next_sync_at);

-- Maps each original Octoparse field name to the column of the task's data table that holds it.
CREATE TABLE octoparse_columns (
    task_id      TEXT NOT NULL REFERENCES octoparse_tasks (task_id) ON DELETE CASCADE,
    field_name   TEXT NOT NULL,
    column_name  TEXT NOT NULL,
    position     INTEGER NOT NULL,
    added_at     TEXT NOT NULL,
    PRIMARY KEY (task_id, field_name),
    UNIQUE (task_id, column_name)
) WITHOUT ROWID;

-- Storage-time windows of a task, recorded with their exact boundaries before they are fetched.
-- Data rows reference their window in `_storage_window`.
CREATE TABLE octoparse_windows (
    id            INTEGER PRIMARY KEY,
    task_id       TEXT NOT NULL REFERENCES octoparse_tasks (task_id) ON DELETE CASCADE,
    from_time     TEXT NOT NULL,
    to_time       TEXT NOT NULL,
    total         INTEGER,
    rows_stored   INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'complete')),
    created_at    TEXT NOT NULL,
    completed_at  TEXT,
    checked_at    TEXT,
    CHECK (from_time < to_time),
    UNIQUE (task_id, from_time)
);

-- One row per upstream account; tokens are keyed the same way. Holds no secret.
CREATE TABLE harvest_accounts (
    provider    TEXT NOT NULL CHECK (provider IN ('oxylabs', 'octoparse')),
    base_url    TEXT NOT NULL,
    username    TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'needs-credentials', 'rate-limited')),
    last_error  TEXT,
    -- Octoparse: whether `to` of a storage-time window is inclusive, learned from the API (NULL: unknown).
    window_to_inclusive INTEGER CHECK (window_to_inclusive IN (0, 1)),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (provider, base_url, username)
) WITHOUT ROWID;

-- Secret: API tokens. Never readable through `harvest query`.
CREATE TABLE harvest_tokens (
    base_url       TEXT NOT NULL,
    username       TEXT NOT NULL,
    access_token   TEXT NOT NULL,
    refresh_token  TEXT,
    expires_at     TEXT NOT NULL,
    obtained_at    TEXT NOT NULL,
    PRIMARY KEY (base_url, username)
) WITHOUT ROWID;

-- Secret: values such as the callback URL secret. Never readable through `harvest query`.
CREATE TABLE harvest_secrets (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;

-- A lease gives one process the exclusive right to work on a resource (a job, a task window, a token
-- refresh) until `expires_at`; an expired lease may be taken over.
CREATE TABLE harvest_leases (
    resource    TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX harvest_leases_by_owner ON harvest_leases (owner);

-- Append-only log of state changes (job transitions, task errors, account state).
CREATE TABLE harvest_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    subject     TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT,
    detail      TEXT
);
CREATE INDEX harvest_events_by_subject ON harvest_events (subject, id);
