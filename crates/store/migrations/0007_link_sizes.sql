-- Pelita office store, schema 7: the batch sizes the link last supported, kept between runs so a
-- bad link starts small instead of failing the same large request again.
ALTER TABLE sync_state ADD COLUMN push_bytes INTEGER;
ALTER TABLE sync_state ADD COLUMN pull_bytes INTEGER;
