-- Pelita hub, schema 3: the status page's admin accounts and sessions, and the app version each
-- device last reported.
CREATE TABLE hub_admin (
    username      TEXT PRIMARY KEY COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT NOT NULL
) STRICT;

-- Only the hash of a session cookie is kept.
CREATE TABLE admin_session (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES hub_admin (username) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
) STRICT;

ALTER TABLE device ADD COLUMN app_version TEXT;
