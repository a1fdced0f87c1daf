-- Mutasi: an employee's transfer between the district's offices, a synced record with its own
-- workflow (Diajukan → Disetujui / Ditolak / Dibatalkan). The sending office records it, the
-- receiving office asks for it, the Kantor Camat records or decides it; approving moves the
-- employee and their history to the receiving office, dated by the TMT.
-- The employee is named by id (UUIDv5 of the NIP) without a reference: the office that asks for a
-- colleague from elsewhere does not hold their row.
CREATE TABLE mutasi (
    id               TEXT PRIMARY KEY,
    employee_id      TEXT NOT NULL,
    nip              TEXT NOT NULL CHECK (length(nip) = 18),
    employee_name    TEXT NOT NULL,
    from_office_id   TEXT NOT NULL REFERENCES office (id),
    to_office_id     TEXT NOT NULL REFERENCES office (id),
    tmt              TEXT NOT NULL,
    sk_number        TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    to_atasan_id     TEXT,
    status           TEXT NOT NULL CHECK (status IN ('Diajukan', 'Disetujui', 'Ditolak', 'Dibatalkan')),
    requested_by     TEXT NOT NULL,
    requested_at     TEXT NOT NULL,
    decided_by       TEXT,
    decided_at       TEXT,
    decision_note    TEXT NOT NULL DEFAULT '',
    owner_office_id  TEXT NOT NULL REFERENCES office (id),
    version          INTEGER NOT NULL DEFAULT 1,
    deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    updated_at       TEXT NOT NULL,
    CHECK (from_office_id <> to_office_id)
) STRICT;
CREATE INDEX mutasi_employee ON mutasi (employee_id);
