-- A training's method (metode) beside its route: the study compares methods (workshop, seminar,
-- e-learning, project-based), which Peraturan LAN 10/2018 does not list as routes. Rows written
-- before stay as they are (empty here: the method is implied by the route when read, and the
-- route label "Pelatihan Berbasis Proyek" of earlier versions reads as "Jalur nonklasikal
-- lainnya", project-based), so every laptop reads a synced row alike whenever it upgraded.
ALTER TABLE training ADD COLUMN method TEXT;
