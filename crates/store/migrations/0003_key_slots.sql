-- Schema 3: the database is encrypted and each user's password unwraps their copy of its key,
-- kept in the key file beside the database. That slot is the password check, and the lockout
-- must be readable before the database can be opened, so both leave this table.

ALTER TABLE user_account DROP COLUMN password_hash;
ALTER TABLE user_account DROP COLUMN failed_attempts;
ALTER TABLE user_account DROP COLUMN locked_until;
