-- Kirkpatrick L3 about what a training taught: a training names its learning objectives (JSON
-- list of texts); its L3 follow-up keeps the atasan's baseline — how often the pegawai applied
-- each objective before the training — and, three to six months after, how often they apply it
-- now (JSON lists of {objective, level 1–5}). A baseline alone is a row whose ratings are still '[]'.
ALTER TABLE training ADD COLUMN objectives TEXT NOT NULL DEFAULT '[]';
ALTER TABLE behaviour_followup ADD COLUMN baseline TEXT;
ALTER TABLE behaviour_followup ADD COLUMN applied TEXT;
