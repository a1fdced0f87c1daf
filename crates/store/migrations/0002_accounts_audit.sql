-- Schema 2: local user accounts and the append-only, hash-chained audit log.
-- Accounts are local to this laptop and are not synced.

CREATE TABLE user_account (
    id               TEXT PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    full_name        TEXT NOT NULL,
    -- Granted roles, comma-separated ('Operator', 'Admin Kecamatan', 'Pegawai'); Penilai is derived.
    roles            TEXT NOT NULL,
    office_id        TEXT NOT NULL REFERENCES office (id),
    employee_id      TEXT REFERENCES employee (id),
    password_hash    TEXT NOT NULL,
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    office_id  TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    detail     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;

-- Append-only through SQL too. Someone who drops these triggers and edits an entry is named by
-- `pelita audit verify`; someone who also recomputes every later hash is not (the chain has no
-- secret yet) — that needs a keyed hash or an anchor outside this file.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'log audit tidak boleh diubah'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'log audit tidak boleh dihapus'); END;
