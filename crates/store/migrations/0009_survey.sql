-- The questionnaire study (Studi Pengaruh): an instrument of constructs and Likert items, and the
-- answer sheets recorded against it. Both sync (entities survey_instrument, survey_response).
-- An instrument's constructs are JSON ([{code, name, items: [statement, …]}]); item n of construct
-- X1 is X1_n. Answers are JSON ({"X1_1": 4, …}); a named sheet is one per respondent (its id
-- derives from instrument and employee), an anonymous one has no employee.
CREATE TABLE survey_instrument (
    id              TEXT PRIMARY KEY,
    owner_office_id TEXT NOT NULL REFERENCES office (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    allow_anonymous INTEGER NOT NULL,
    constructs      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('Draf', 'Dibuka', 'Ditutup')),
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE survey_response (
    id            TEXT PRIMARY KEY,
    instrument_id TEXT NOT NULL REFERENCES survey_instrument (id),
    -- The respondent's office (for an anonymous sheet: the office that recorded it).
    office_id     TEXT NOT NULL REFERENCES office (id),
    employee_id   TEXT REFERENCES employee (id),
    answers       TEXT NOT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    deleted       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX survey_response_instrument ON survey_response (instrument_id);
CREATE UNIQUE INDEX survey_response_once ON survey_response (instrument_id, employee_id)
    WHERE employee_id IS NOT NULL;
