//! What the API does, on domain types and in one transaction per operation, with the
//! original's order of checks: handlers map HTTP to these functions and back. Synchronous:
//! they run on the connection `db::run` lends them.

pub mod batch_create;
pub mod bulk;
pub mod catalogue;
pub mod feeds;
pub mod import;
pub mod oauth;
pub mod offers;
pub mod referentials;
pub mod tracking;
pub mod upsert;
