-- Failed attempts per network address (`sqlite::throttle`): wrong enrolment codes, wrong
-- status-page passwords. An address that fails too often waits; the account it tried does not
-- lock, so no one can lock the admin out from elsewhere.
CREATE TABLE throttle (
    kind         TEXT NOT NULL CHECK (kind IN ('enroll', 'signin')),
    address      TEXT NOT NULL,
    failures     INTEGER NOT NULL,
    first_at     TEXT NOT NULL, -- the latest failure, despite its name: a day after it, all are forgotten
    locked_until TEXT,
    PRIMARY KEY (kind, address)
) STRICT;
