-- Pelita office store, schema 6: sync with the district hub.

-- This laptop's enrolment at the hub (one row), the pull cursor and what happened last.
CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    hub_url         TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    token           TEXT NOT NULL,
    office_id       TEXT NOT NULL,
    cursor          INTEGER NOT NULL DEFAULT 0,
    last_success_at TEXT,
    last_attempt_at TEXT,
    last_error      TEXT
) STRICT;

-- How the hub answered each pushed mutation: applied, duplicate, conflict or rejected.
ALTER TABLE outbox ADD COLUMN outcome TEXT;

-- A change another laptop of the office made first: both versions, until a person chooses.
CREATE TABLE sync_conflict (
    mutation_id   TEXT PRIMARY KEY,
    entity        TEXT NOT NULL,
    row_id        TEXT NOT NULL,
    local_version INTEGER NOT NULL,
    local_payload TEXT NOT NULL,
    hub_version   INTEGER NOT NULL,
    hub_payload   TEXT NOT NULL,
    detected_at   TEXT NOT NULL,
    resolved_at   TEXT,
    resolution    TEXT,
    -- When the hub was told of the resolution.
    reported_at   TEXT
) STRICT;
CREATE INDEX sync_conflict_open ON sync_conflict (entity, row_id) WHERE resolved_at IS NULL;

-- Changes the hub refused for good, with its reason.
CREATE TABLE sync_rejected (
    mutation_id TEXT PRIMARY KEY,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL
) STRICT;

-- One line per sync run, for the history on the Sinkronisasi page.
CREATE TABLE sync_run (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at     TEXT NOT NULL,
    finished_at    TEXT NOT NULL,
    pushed         INTEGER NOT NULL,
    pulled         INTEGER NOT NULL,
    conflicts      INTEGER NOT NULL,
    rejected       INTEGER NOT NULL,
    bytes_sent     INTEGER NOT NULL,
    bytes_received INTEGER NOT NULL,
    requests       INTEGER NOT NULL,
    error          TEXT
) STRICT;

-- L1 questionnaires change like every other synced row: by version.
ALTER TABLE reaction ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
