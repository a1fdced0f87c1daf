-- Pelita hub, schema 5: how an open conflict was closed. 'device': the laptop that met it settled
-- it. 'revoked': the laptop was revoked (replaced, lost), so nobody can settle it any more on that
-- device; its office's other laptops hold the hub's row, and the page says why it was closed.
ALTER TABLE conflict ADD COLUMN closed_by TEXT;
UPDATE conflict SET closed_by = 'device' WHERE resolved_at IS NOT NULL;
