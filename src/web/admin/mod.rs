//! Pages for platform admins only: operators and their accounts, tokens, the audit log.

pub mod accounts;
pub mod journal;
pub mod operators;
