-- Pelita hub, schema 1.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE office (
    id   TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    hq   INTEGER NOT NULL DEFAULT 0 CHECK (hq IN (0, 1))
) STRICT;

-- One-time enrolment codes: only their hash is kept.
CREATE TABLE enroll_code (
    code_hash  TEXT PRIMARY KEY,
    office_id  TEXT NOT NULL REFERENCES office (id),
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

CREATE TABLE device (
    id           TEXT PRIMARY KEY,
    office_id    TEXT NOT NULL REFERENCES office (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    database_id  TEXT NOT NULL,
    enrolled_at  TEXT NOT NULL,
    revoked_at   TEXT,
    last_seen_at TEXT,
    last_push_at TEXT,
    last_pull_at TEXT
) STRICT;

-- The latest version of every row, with the hub sequence of its last change.
CREATE TABLE row (
    entity          TEXT NOT NULL,
    row_id          TEXT NOT NULL,
    owner_office_id TEXT NOT NULL,
    version         INTEGER NOT NULL,
    payload         TEXT NOT NULL,
    seq             INTEGER NOT NULL UNIQUE,
    PRIMARY KEY (entity, row_id)
) STRICT;
CREATE INDEX row_owner_seq ON row (owner_office_id, seq);

-- Every mutation received, once: a second push of the same id is a duplicate.
CREATE TABLE received (
    mutation_id TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;

-- Both versions of a conflicting change, until a person resolves it.
CREATE TABLE conflict (
    mutation_id      TEXT PRIMARY KEY,
    device_id        TEXT NOT NULL,
    entity           TEXT NOT NULL,
    row_id           TEXT NOT NULL,
    base_version     INTEGER NOT NULL,
    incoming_payload TEXT NOT NULL,
    hub_version      INTEGER NOT NULL,
    hub_payload      TEXT NOT NULL,
    at               TEXT NOT NULL,
    resolved_at      TEXT
) STRICT;

CREATE TABLE rejected (
    mutation_id TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    entity      TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL
) STRICT;
