-- Pelita hub, schema 2: which device wrote each row's current version, so a device is not sent
-- back what it just pushed (unless it asks, after a restore).
ALTER TABLE row ADD COLUMN device_id TEXT;
