-- Pelita hub on PostgreSQL, schema 1: the SQLite schema as it stands after its migration 10
-- (`migrations/sqlite`), in one piece. The same SQL reads both (`crate::db`), so the columns keep
-- SQLite's shapes: text for ids and RFC 3339 times, bigint for numbers and 0/1 flags, payloads as
-- the JSON text received (sent on as stored). Text compares byte by byte (COLLATE "C"), as
-- SQLite's does, so times in RFC 3339 order whatever the server's locale; the codes and names
-- SQLite compares without case are compared through upper()/lower() in the queries.

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE office (
    id   TEXT COLLATE "C" PRIMARY KEY,
    code TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    hq   BIGINT NOT NULL DEFAULT 0 CHECK (hq IN (0, 1))
);
CREATE UNIQUE INDEX office_code ON office (upper(code));

CREATE TABLE enroll_code (
    code_hash  TEXT COLLATE "C" PRIMARY KEY,
    office_id  TEXT COLLATE "C" NOT NULL REFERENCES office (id),
    expires_at TEXT COLLATE "C" NOT NULL,
    used_at    TEXT COLLATE "C",
    verifier   TEXT COLLATE "C",
    psk        TEXT COLLATE "C"
);
CREATE UNIQUE INDEX enroll_code_verifier ON enroll_code (verifier) WHERE verifier IS NOT NULL;

CREATE TABLE device (
    id           TEXT COLLATE "C" PRIMARY KEY,
    office_id    TEXT COLLATE "C" NOT NULL REFERENCES office (id),
    name         TEXT COLLATE "C" NOT NULL,
    token_hash   TEXT COLLATE "C" NOT NULL UNIQUE,
    database_id  TEXT COLLATE "C" NOT NULL,
    enrolled_at  TEXT COLLATE "C" NOT NULL,
    revoked_at   TEXT COLLATE "C",
    last_seen_at TEXT COLLATE "C",
    last_push_at TEXT COLLATE "C",
    last_pull_at TEXT COLLATE "C",
    app_version  TEXT COLLATE "C"
);

CREATE TABLE row (
    entity               TEXT COLLATE "C" NOT NULL,
    row_id               TEXT COLLATE "C" NOT NULL,
    owner_office_id      TEXT COLLATE "C" NOT NULL,
    version              BIGINT NOT NULL,
    payload              TEXT COLLATE "C" NOT NULL,
    seq                  BIGINT NOT NULL UNIQUE,
    device_id            TEXT COLLATE "C",
    writer               TEXT COLLATE "C",
    prev_owner_office_id TEXT COLLATE "C",
    PRIMARY KEY (entity, row_id)
);
CREATE INDEX row_owner_seq ON row (owner_office_id, seq);
CREATE INDEX row_prev_owner_seq ON row (prev_owner_office_id, seq);
CREATE INDEX row_entity_seq ON row (entity, seq);
CREATE INDEX row_attachment_sha ON row (((payload::jsonb) ->> 'sha256'))
    WHERE entity = 'attachment';
-- A transfer's move finds someone's history by the employee a row names (`sql::moves`).
CREATE INDEX row_employee ON row (entity, ((payload::jsonb) ->> 'employee_id'));

CREATE TABLE received (
    mutation_id TEXT COLLATE "C" PRIMARY KEY,
    device_id   TEXT COLLATE "C" NOT NULL,
    outcome     TEXT COLLATE "C" NOT NULL,
    received_at TEXT COLLATE "C" NOT NULL,
    detail      TEXT COLLATE "C",
    digest      TEXT COLLATE "C"
);

CREATE TABLE conflict (
    mutation_id      TEXT COLLATE "C" PRIMARY KEY,
    device_id        TEXT COLLATE "C" NOT NULL,
    entity           TEXT COLLATE "C" NOT NULL,
    row_id           TEXT COLLATE "C" NOT NULL,
    base_version     BIGINT NOT NULL,
    incoming_payload TEXT COLLATE "C" NOT NULL,
    hub_version      BIGINT NOT NULL,
    hub_payload      TEXT COLLATE "C" NOT NULL,
    at               TEXT COLLATE "C" NOT NULL,
    resolved_at      TEXT COLLATE "C",
    closed_by        TEXT COLLATE "C"
);

CREATE TABLE rejected (
    mutation_id TEXT COLLATE "C" PRIMARY KEY,
    device_id   TEXT COLLATE "C" NOT NULL,
    entity      TEXT COLLATE "C" NOT NULL,
    row_id      TEXT COLLATE "C" NOT NULL,
    reason      TEXT COLLATE "C" NOT NULL,
    at          TEXT COLLATE "C" NOT NULL,
    payload     TEXT COLLATE "C"
);

CREATE TABLE hub_admin (
    username      TEXT COLLATE "C" PRIMARY KEY,
    password_hash TEXT COLLATE "C" NOT NULL,
    failures      BIGINT NOT NULL DEFAULT 0,
    locked_until  TEXT COLLATE "C",
    created_at    TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX hub_admin_name ON hub_admin (lower(username));

CREATE TABLE admin_session (
    token_hash TEXT COLLATE "C" PRIMARY KEY,
    username   TEXT COLLATE "C" NOT NULL REFERENCES hub_admin (username) ON DELETE CASCADE,
    expires_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE blob (
    sha256       TEXT COLLATE "C" PRIMARY KEY,
    size         BIGINT NOT NULL,
    complete     BIGINT NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    completed_at TEXT COLLATE "C"
);
CREATE TABLE blob_chunk (
    sha256 TEXT COLLATE "C" NOT NULL REFERENCES blob (sha256),
    idx    BIGINT NOT NULL,
    data   BYTEA NOT NULL,
    PRIMARY KEY (sha256, idx)
);
CREATE TABLE blob_claim (
    sha256    TEXT COLLATE "C" NOT NULL,
    claimant  TEXT COLLATE "C" NOT NULL,
    owner     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (sha256, claimant, owner)
);
CREATE TABLE blob_holder (
    sha256    TEXT COLLATE "C" NOT NULL,
    office_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (sha256, office_id)
);
CREATE TABLE blob_proof (
    sha256    TEXT COLLATE "C" NOT NULL,
    office_id TEXT COLLATE "C" NOT NULL,
    received  BIGINT NOT NULL,
    PRIMARY KEY (sha256, office_id)
);

CREATE TABLE throttle (
    kind         TEXT COLLATE "C" NOT NULL CHECK (kind IN ('enroll', 'signin')),
    address      TEXT COLLATE "C" NOT NULL,
    failures     BIGINT NOT NULL,
    first_at     TEXT COLLATE "C" NOT NULL,
    locked_until TEXT COLLATE "C",
    PRIMARY KEY (kind, address)
);
