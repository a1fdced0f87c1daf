-- Pelita hub, schema 8: the content of attachments (bukti dukung, certificates), apart from their
-- rows. A file is named by its SHA-256 and arrives in chunks, in order, resumable; it is complete
-- once every chunk is there and the whole file's hash was checked. Which office may send one and
-- who may fetch it are kept below (the index finds the attachment rows naming a file).
CREATE TABLE blob (
    sha256       TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    complete     INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
    completed_at TEXT
) STRICT;
CREATE TABLE blob_chunk (
    sha256 TEXT NOT NULL REFERENCES blob (sha256),
    idx    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
) STRICT;
CREATE INDEX row_attachment_sha ON row (json_extract(payload, '$.sha256'))
    WHERE entity = 'attachment';
-- Who may send a file: an office whose device pushed an attachment row naming it (claimant), for
-- the office that row belongs to (owner). Its content proves itself: the hub checks its hash.
CREATE TABLE blob_claim (
    sha256    TEXT NOT NULL,
    claimant  TEXT NOT NULL,
    owner     TEXT NOT NULL,
    PRIMARY KEY (sha256, claimant, owner)
) STRICT;
-- Who may fetch a file: the office that sent it and the offices its claims named, an office that
-- sent again a file the hub held (proving it has it), an office a transfer moved an attachment
-- naming it to. Knowing a file's hash is not enough.
CREATE TABLE blob_holder (
    sha256    TEXT NOT NULL,
    office_id TEXT NOT NULL,
    PRIMARY KEY (sha256, office_id)
) STRICT;
-- A claimant sending a file the hub already holds whole: the chunks that matched so far.
CREATE TABLE blob_proof (
    sha256    TEXT NOT NULL,
    office_id TEXT NOT NULL,
    received  INTEGER NOT NULL,
    PRIMARY KEY (sha256, office_id)
) STRICT;
