-- Rencana SKP (perencanaan kinerja, PermenPANRB 6/2022): the plan a pegawai and their penilai
-- agree at the start of the year; each RHK names the atasan's RHK it supports (intervensi). A
-- plan is agreed when both have signed; an agreed plan is changed only by a revision, a new plan
-- naming the one it revises, which stays readable as the plan's history.
CREATE TABLE skp_plan (
    id              TEXT PRIMARY KEY,
    owner_office_id TEXT NOT NULL REFERENCES office (id),
    employee_id     TEXT NOT NULL REFERENCES employee (id),
    -- The atasan langsung who agrees it; empty for the head of the chain (the Camat).
    penilai_id      TEXT REFERENCES employee (id),
    year            INTEGER NOT NULL,
    -- The RHK, their indicators, targets and intervensi links as entered, JSON.
    document        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('Draft', 'Disepakati')),
    revises_id      TEXT REFERENCES skp_plan (id),
    -- Who signed, as they were when they signed (JSON: name, NIP, pangkat, jabatan, unit), with
    -- when; a change of the draft's content drops the signatures given so far.
    pegawai_signed  TEXT,
    penilai_signed  TEXT,
    pegawai_signed_at TEXT,
    penilai_signed_at TEXT,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX skp_plan_one_per_year ON skp_plan (employee_id, year)
    WHERE revises_id IS NULL AND deleted = 0;
CREATE UNIQUE INDEX skp_plan_one_revision ON skp_plan (revises_id)
    WHERE revises_id IS NOT NULL AND deleted = 0;
CREATE INDEX skp_plan_penilai ON skp_plan (penilai_id, year);

-- An agreed plan is a signed document: only sync, writing the hub's row, may replace it.
CREATE TRIGGER skp_plan_agreed_no_update BEFORE UPDATE ON skp_plan
WHEN OLD.status = 'Disepakati' AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'hub_row_override')
BEGIN SELECT RAISE(ABORT, 'Rencana SKP yang sudah disepakati tidak dapat diubah; buat revisi'); END;
CREATE TRIGGER skp_plan_agreed_no_delete BEFORE DELETE ON skp_plan
WHEN OLD.status = 'Disepakati' AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'hub_row_override')
BEGIN SELECT RAISE(ABORT, 'Rencana SKP yang sudah disepakati tidak dapat dihapus'); END;
