-- Pelita hub, schema 8: the content of attachments (bukti dukung, certificates), apart from their
-- rows. A file is named by its SHA-256 and arrives in chunks, in order, resumable; it is complete
-- once every chunk is there and the whole file's hash was checked. Which office may send one and
-- who may fetch it come from the attachment rows naming it (the index below finds them).
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
