-- Pelita office store, schema 10: sync you can trust.

-- A refused change keeps what this laptop held and what the hub holds (the laptop takes the
-- hub's row back at once), until a person discards it or takes it to the kecamatan.
ALTER TABLE sync_rejected ADD COLUMN local_payload TEXT;
ALTER TABLE sync_rejected ADD COLUMN hub_version INTEGER;
ALTER TABLE sync_rejected ADD COLUMN hub_payload TEXT;
-- The office the hub's row belonged to before it moved: if it was this one, the row stays here.
ALTER TABLE sync_rejected ADD COLUMN hub_previous_owner TEXT;
ALTER TABLE sync_rejected ADD COLUMN settled_at TEXT;
ALTER TABLE sync_rejected ADD COLUMN settled_by TEXT;
CREATE INDEX sync_rejected_open ON sync_rejected (at) WHERE settled_at IS NULL;

-- This physical copy of the database: its mutation ids start with it, and a restore (or a
-- re-enrolment) draws a new one, so two copies of one backup never number changes alike.
INSERT INTO meta (key, value) VALUES ('copy_id', lower(hex(randomblob(6))))
    ON CONFLICT (key) DO UPDATE SET value = excluded.value;
