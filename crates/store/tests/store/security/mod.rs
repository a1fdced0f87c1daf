mod accounts;
mod encryption;
mod permissions;
