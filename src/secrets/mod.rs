//! Secrets and how they are kept: API tokens (hashed for lookup, sealed under the server key)
//! and passwords (argon2id). No HTTP, no SQL.

pub mod password;
pub mod password_checks;
pub mod token;
pub mod webhook_signature;
