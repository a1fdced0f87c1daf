-- Realisasi of a Rencana SKP during the year (PermenPANRB 6/2022, pelaksanaan kinerja): per RHK of
-- the agreed plan, each of its indicators, and per appraisal period, what was achieved (a number in the indicator's unit,
-- or for a qualitative target the share of it achieved, in percent) and how. One row per pegawai,
-- period, RHK and indicator, the same id on every laptop. It belongs to the pegawai's office and follows
-- them on a transfer.
CREATE TABLE skp_realisasi (
    id              TEXT PRIMARY KEY,
    owner_office_id TEXT NOT NULL REFERENCES office (id),
    employee_id     TEXT NOT NULL REFERENCES employee (id),
    plan_id         TEXT NOT NULL REFERENCES skp_plan (id),
    rhk_id          TEXT NOT NULL,
    -- The indicator of that RHK (its place in the plan's list): an RHK is measured by each.
    indicator       INTEGER NOT NULL CHECK (indicator >= 0),
    -- The indicator as the plan named it when the realisasi was entered: a revision that puts
    -- another indicator in that place does not inherit it.
    indikator       TEXT NOT NULL,
    year            INTEGER NOT NULL,
    period          TEXT NOT NULL,
    -- 1-12 for a Bulanan period, 0 otherwise (as the appraisal keeps it).
    month           INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
    realisasi       REAL NOT NULL,
    uraian          TEXT NOT NULL,
    -- Who entered it last (username and name), for people.
    entered_by      TEXT NOT NULL,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX skp_realisasi_period ON skp_realisasi (employee_id, year, period);

-- A file attached to a row: the bukti dukung of a realisasi or the certificate of a training
-- participation. The row syncs like any other; the content does not travel with it but as a
-- blob named by its SHA-256, lazily (see blob). A file is never replaced: another file is
-- another attachment, and removing one is a tombstone.
CREATE TABLE attachment (
    id               TEXT PRIMARY KEY,
    owner_office_id  TEXT NOT NULL REFERENCES office (id),
    employee_id      TEXT NOT NULL REFERENCES employee (id),
    realisasi_id     TEXT REFERENCES skp_realisasi (id),
    participation_id TEXT REFERENCES participation (id),
    file_name        TEXT NOT NULL,
    media_type       TEXT NOT NULL,
    size             INTEGER NOT NULL CHECK (size > 0),
    sha256           TEXT NOT NULL,
    added_by         TEXT NOT NULL,
    version          INTEGER NOT NULL,
    deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK ((realisasi_id IS NULL) <> (participation_id IS NULL))
) STRICT;
CREATE INDEX attachment_realisasi ON attachment (realisasi_id) WHERE realisasi_id IS NOT NULL;
CREATE INDEX attachment_participation ON attachment (participation_id)
    WHERE participation_id IS NOT NULL;
CREATE INDEX attachment_sha ON attachment (sha256);

-- The content of attachments on this laptop (never synced as rows; inside the encrypted database,
-- so in every backup too), in chunks: a file added here is whole at once and waits to be uploaded
-- (at_hub = 0); a file fetched from the hub fills chunk by chunk, resuming where a cut stopped it,
-- and is complete only once its hash has been checked.
CREATE TABLE blob (
    sha256   TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    at_hub   INTEGER NOT NULL DEFAULT 0 CHECK (at_hub IN (0, 1))
) STRICT;
CREATE TABLE blob_chunk (
    sha256 TEXT NOT NULL REFERENCES blob (sha256),
    idx    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
) STRICT;
