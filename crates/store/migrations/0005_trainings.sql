-- Schema 5: trainings (pengembangan kompetensi), their sessions, participation and attendance.
-- Participation and attendance carry deterministic ids (UUIDv5 of what they are about), so the
-- same fact recorded twice — here, on another laptop, from a file — is one row.

CREATE TABLE training_theme (
    name TEXT PRIMARY KEY COLLATE NOCASE
) STRICT;

CREATE TABLE training (
    id               TEXT PRIMARY KEY,
    owner_office_id  TEXT NOT NULL REFERENCES office (id),
    title            TEXT NOT NULL,
    theme            TEXT NOT NULL,
    route            TEXT NOT NULL,
    form             TEXT NOT NULL CHECK (form IN ('Klasikal', 'Nonklasikal')),
    organiser        TEXT NOT NULL,
    location         TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    end_date         TEXT NOT NULL,
    jp               INTEGER NOT NULL CHECK (jp > 0),
    capacity         INTEGER NOT NULL CHECK (capacity > 0),
    certificate      INTEGER NOT NULL CHECK (certificate IN (0, 1)),
    completion_share INTEGER NOT NULL CHECK (completion_share BETWEEN 1 AND 100),
    status           TEXT NOT NULL CHECK (status IN ('Direncanakan', 'Berlangsung', 'Selesai', 'Dibatalkan')),
    version          INTEGER NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX training_dates ON training (end_date);

CREATE TABLE training_session (
    id          TEXT PRIMARY KEY,
    training_id TEXT NOT NULL REFERENCES training (id),
    position    INTEGER NOT NULL,
    date        TEXT NOT NULL,
    start_time  TEXT NOT NULL,
    end_time    TEXT NOT NULL,
    UNIQUE (training_id, position)
) STRICT;

CREATE TABLE participation (
    -- UUIDv5 of (training, employee).
    id                 TEXT PRIMARY KEY,
    training_id        TEXT NOT NULL REFERENCES training (id),
    employee_id        TEXT NOT NULL REFERENCES employee (id),
    owner_office_id    TEXT NOT NULL REFERENCES office (id),
    state              TEXT NOT NULL CHECK (state IN ('Terdaftar', 'Daftar Tunggu', 'Mengundurkan Diri')),
    enrolled_seq       INTEGER NOT NULL,
    completed          INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    jp_diakui          INTEGER NOT NULL DEFAULT 0,
    jp_reason          TEXT NOT NULL DEFAULT '',
    certificate_number TEXT NOT NULL DEFAULT '',
    pre_test           REAL,
    post_test          REAL,
    version            INTEGER NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (training_id, employee_id)
) STRICT;

CREATE TABLE attendance (
    -- UUIDv5 of (session, employee).
    id          TEXT PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES training_session (id),
    training_id TEXT NOT NULL REFERENCES training (id),
    employee_id TEXT NOT NULL REFERENCES employee (id),
    status      TEXT NOT NULL CHECK (status IN ('Hadir', 'Izin', 'Sakit', 'Alpa')),
    reason      TEXT,
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (session_id, employee_id)
) STRICT;

-- L1 reaction questionnaires: scores in the order of the core's REACTION_ITEMS. A named answer is
-- one per participant (its id derives from training and employee); anonymous ones have no employee.
CREATE TABLE reaction (
    id          TEXT PRIMARY KEY,
    training_id TEXT NOT NULL REFERENCES training (id),
    employee_id TEXT REFERENCES employee (id),
    scores      TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX reaction_once ON reaction (training_id, employee_id) WHERE employee_id IS NOT NULL;

-- L3: three months after a completed training the employee's supervisor records whether the
-- behaviour changed — a rating per BerAKHLAK value and a note. One per participation.
CREATE TABLE behaviour_followup (
    id               TEXT PRIMARY KEY,
    participation_id TEXT NOT NULL UNIQUE REFERENCES participation (id),
    supervisor_id    TEXT NOT NULL REFERENCES employee (id),
    ratings          TEXT NOT NULL,
    note             TEXT NOT NULL,
    recorded_by      TEXT NOT NULL,
    version          INTEGER NOT NULL,
    recorded_at      TEXT NOT NULL
) STRICT;
