-- Schema 4: performance appraisals (SKP, PermenPANRB 6/2022) and the history of who was whose
-- atasan langsung, which decides who appraises a period (the atasan on the period's first day).

CREATE TABLE atasan_history (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_id TEXT NOT NULL REFERENCES employee (id),
    atasan_id   TEXT REFERENCES employee (id),
    -- Local date (YYYY-MM-DD) from which this atasan counts.
    valid_from  TEXT NOT NULL
) STRICT;
CREATE INDEX atasan_history_employee ON atasan_history (employee_id, valid_from);

-- Databases from before this schema: the current atasan counts for every period they hold.
INSERT INTO atasan_history (employee_id, atasan_id, valid_from)
SELECT id, atasan_id, '2000-01-01' FROM employee WHERE deleted = 0 ORDER BY id;

CREATE TABLE appraisal (
    id              TEXT PRIMARY KEY,
    owner_office_id TEXT NOT NULL REFERENCES office (id),
    employee_id     TEXT NOT NULL REFERENCES employee (id),
    penilai_id      TEXT NOT NULL REFERENCES employee (id),
    year            INTEGER NOT NULL,
    period          TEXT NOT NULL,
    -- 1-12 for a Bulanan period, 0 otherwise (so that the uniqueness index sees one value).
    month           INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
    -- The whole form (items, behaviour, ratings) as the penilai entered it, JSON.
    document        TEXT NOT NULL,
    predicate       TEXT,
    status          TEXT NOT NULL CHECK (status IN ('Draft', 'Final')),
    -- An amendment names the Final appraisal it corrects; each can be corrected once (a chain;
    -- a discarded draft amendment is a tombstone and frees the place).
    amends_id       TEXT REFERENCES appraisal (id),
    finalized_at    TEXT,
    finalized_by    TEXT,
    -- Who both people were when it was signed (name, NIP, pangkat, jabatan, unit), JSON: a signed
    -- document prints as signed, whatever promotions or transfers come later.
    appraisee_signed TEXT,
    penilai_signed   TEXT,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

-- One appraisal per appraisee per period; corrections hang off it as amendments.
CREATE UNIQUE INDEX appraisal_one_per_period ON appraisal (employee_id, year, period, month)
    WHERE amends_id IS NULL AND deleted = 0;
CREATE UNIQUE INDEX appraisal_one_amendment ON appraisal (amends_id)
    WHERE amends_id IS NOT NULL AND deleted = 0;
CREATE INDEX appraisal_penilai ON appraisal (penilai_id, year, period);

-- A Final appraisal is a signed document: nothing may change or remove it, through SQL either.
CREATE TRIGGER appraisal_final_no_update BEFORE UPDATE ON appraisal WHEN OLD.status = 'Final'
BEGIN SELECT RAISE(ABORT, 'penilaian berstatus Final tidak dapat diubah; buat amandemen'); END;
CREATE TRIGGER appraisal_final_no_delete BEFORE DELETE ON appraisal WHEN OLD.status = 'Final'
BEGIN SELECT RAISE(ABORT, 'penilaian berstatus Final tidak dapat dihapus'); END;
-- REPLACE conflict resolution deletes without firing delete triggers: no row may take a Final's
-- id or amendment place, and ids and links never change.
CREATE TRIGGER appraisal_final_no_replace BEFORE INSERT ON appraisal
WHEN EXISTS (SELECT 1 FROM appraisal WHERE status = 'Final'
             AND (id = NEW.id OR (NEW.amends_id IS NOT NULL AND amends_id = NEW.amends_id AND deleted = 0)))
BEGIN SELECT RAISE(ABORT, 'penilaian berstatus Final tidak dapat diganti'); END;
CREATE TRIGGER appraisal_keys_fixed BEFORE UPDATE OF id, amends_id, employee_id ON appraisal
WHEN NEW.id IS NOT OLD.id OR NEW.amends_id IS NOT OLD.amends_id OR NEW.employee_id IS NOT OLD.employee_id
BEGIN SELECT RAISE(ABORT, 'identitas penilaian tidak dapat diubah'); END;

-- The organisation's own result for a period (predikat kinerja organisasi), one per office and
-- period; it decides which distribution of staff predicates the office is warned about.
CREATE TABLE org_result (
    id              TEXT PRIMARY KEY,
    office_id       TEXT NOT NULL REFERENCES office (id),
    year            INTEGER NOT NULL,
    period          TEXT NOT NULL,
    month           INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
    result          TEXT NOT NULL,
    owner_office_id TEXT NOT NULL REFERENCES office (id),
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (office_id, year, period, month)
) STRICT;
