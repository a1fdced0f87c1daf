-- Pelita office store, schema 1: offices, employees, the sync outbox.
-- Every synced table carries: a client-generated id, the owner office, a row version and a tombstone.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE office (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('kelurahan', 'kecamatan')),
    parent_id       TEXT REFERENCES office (id),
    owner_office_id TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE employee (
    id               TEXT PRIMARY KEY,
    nip              TEXT NOT NULL CHECK (length(nip) = 18),
    gelar_depan      TEXT NOT NULL DEFAULT '',
    name             TEXT NOT NULL,
    gelar_belakang   TEXT NOT NULL DEFAULT '',
    birth_date       TEXT NOT NULL,
    sex              TEXT NOT NULL CHECK (sex IN ('L', 'P')),
    status           TEXT NOT NULL CHECK (status IN ('PNS', 'CPNS', 'PPPK')),
    golongan         TEXT NOT NULL,
    jabatan          TEXT NOT NULL,
    jenis_jabatan    TEXT NOT NULL CHECK (jenis_jabatan IN ('Struktural', 'Fungsional', 'Pelaksana')),
    office_id        TEXT NOT NULL REFERENCES office (id),
    atasan_id        TEXT REFERENCES employee (id),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    inactive_reason  TEXT,
    inactive_note    TEXT NOT NULL DEFAULT '',
    owner_office_id  TEXT NOT NULL REFERENCES office (id),
    version          INTEGER NOT NULL DEFAULT 1,
    deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (active = 1 OR inactive_reason IS NOT NULL)
) STRICT;

-- A NIP identifies one living record; tombstoned rows keep theirs for history.
CREATE UNIQUE INDEX employee_nip ON employee (nip) WHERE deleted = 0;
CREATE INDEX employee_office ON employee (office_id);
CREATE INDEX employee_atasan ON employee (atasan_id);

-- The transactional outbox: one row per local change, written in the change's own transaction.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id     TEXT NOT NULL UNIQUE,
    entity          TEXT NOT NULL,
    row_id          TEXT NOT NULL,
    op              TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    base_version    INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    owner_office_id TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    acked_at        TEXT
) STRICT;

CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL;
