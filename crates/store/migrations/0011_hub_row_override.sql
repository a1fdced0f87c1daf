-- A signed (Final) appraisal stays immutable to everything a person does on this laptop. Only
-- sync may replace it, with the hub's own row: when the hub refuses this laptop's signed version
-- because another one reached it first, or when a person keeps this laptop's signed version in a
-- conflict (it is written again with the hub's next version number). Sync marks that moment with
-- a meta row inside its own transaction (`sync_rows::as_the_hub_has_it`), never committed.
DROP TRIGGER appraisal_final_no_update;
DROP TRIGGER appraisal_final_no_delete;
DROP TRIGGER appraisal_final_no_replace;
CREATE TRIGGER appraisal_final_no_update BEFORE UPDATE ON appraisal
WHEN OLD.status = 'Final' AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'hub_row_override')
BEGIN SELECT RAISE(ABORT, 'penilaian berstatus Final tidak dapat diubah; buat amandemen'); END;
CREATE TRIGGER appraisal_final_no_delete BEFORE DELETE ON appraisal
WHEN OLD.status = 'Final' AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'hub_row_override')
BEGIN SELECT RAISE(ABORT, 'penilaian berstatus Final tidak dapat dihapus'); END;
CREATE TRIGGER appraisal_final_no_replace BEFORE INSERT ON appraisal
WHEN EXISTS (SELECT 1 FROM appraisal WHERE status = 'Final'
             AND (id = NEW.id OR (NEW.amends_id IS NOT NULL AND amends_id = NEW.amends_id AND deleted = 0)))
     AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'hub_row_override')
BEGIN SELECT RAISE(ABORT, 'penilaian berstatus Final tidak dapat diganti'); END;
