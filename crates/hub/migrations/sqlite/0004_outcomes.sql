-- Pelita hub, schema 4: a mutation received again is answered as it was the first time, so the
-- outcome's detail (a refusal's reason) and a digest of what was received are kept with it: the
-- same id with other content is a copied database reusing ids, not a resend.
ALTER TABLE received ADD COLUMN detail TEXT;
ALTER TABLE received ADD COLUMN digest TEXT;
-- Which copy of a database wrote each row's current version (its mutation-id prefix), so two
-- copies enrolled with one token still receive each other's rows.
ALTER TABLE row ADD COLUMN writer TEXT;
-- What a refused change held, for the HQ to see what an office wanted.
ALTER TABLE rejected ADD COLUMN payload TEXT;
-- The office a row belonged to before its owner last changed (a transfer): that office's devices
-- still receive the row, so the sending office holds its read-only history as it now stands.
ALTER TABLE row ADD COLUMN prev_owner_office_id TEXT;
