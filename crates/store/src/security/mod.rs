//! Who may open the database and how it survives: opening and first-run setup (`open`), the key
//! file that wraps the database key per user (`keyring`), accounts and sign-in (`users`), and
//! encrypted backups and restores (`backup`).

pub(crate) mod backup;
pub(crate) mod keyring;
pub(crate) mod open;
pub(crate) mod users;
