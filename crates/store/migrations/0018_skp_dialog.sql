-- Dialog kinerja and bimbingan kinerja (PermenPANRB 6/2022, pelaksanaan, pemantauan dan
-- pembinaan kinerja): dated notes of the penilai with the pegawai, about one RHK of the agreed
-- plan or in general. They belong to the pegawai's office and follow them on a transfer.
CREATE TABLE skp_dialog (
    id              TEXT PRIMARY KEY,
    owner_office_id TEXT NOT NULL REFERENCES office (id),
    employee_id     TEXT NOT NULL REFERENCES employee (id),
    plan_id         TEXT NOT NULL REFERENCES skp_plan (id),
    -- The RHK of the plan the note is about; empty for a general note.
    rhk_id          TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('Dialog kinerja', 'Bimbingan kinerja')),
    held_on         TEXT NOT NULL,
    note            TEXT NOT NULL,
    -- Who held it (the penilai, as they were), JSON.
    penilai         TEXT NOT NULL,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX skp_dialog_plan ON skp_dialog (plan_id, held_on);
