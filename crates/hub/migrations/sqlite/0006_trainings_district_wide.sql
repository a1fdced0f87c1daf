-- Pelita hub, schema 6: every office now reads every office's trainings (a colleague who moved
-- brings a JP history that names them). Laptops pull by sequence, so the trainings they were not
-- sent before are numbered again after everything else: every device receives them once more
-- (a device already holding one finds the same version and keeps it).
UPDATE row SET seq = seq + (SELECT max(seq) FROM row) WHERE entity = 'training';
