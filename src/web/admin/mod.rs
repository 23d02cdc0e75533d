//! Pages for platform admins only: operators and their accounts, tokens, admins, the audit log.

pub mod accounts;
pub mod admins;
pub mod journal;
pub mod operators;
