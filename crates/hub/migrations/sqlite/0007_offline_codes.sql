-- Pelita hub, schema 7: enrolling by files carried on a USB stick. Each code issued from now on
-- also keeps its verifier (argon2id: what a request names the code by) and its pre-shared key
-- (what the answer is sealed with besides the laptop's key; it never travels). Codes issued
-- before have neither and enrol online only.
ALTER TABLE enroll_code ADD COLUMN verifier TEXT;
ALTER TABLE enroll_code ADD COLUMN psk TEXT;
CREATE UNIQUE INDEX enroll_code_verifier ON enroll_code (verifier) WHERE verifier IS NOT NULL;
