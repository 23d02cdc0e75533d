//! Pure business types and rules: no HTTP, no SQL.

pub mod audit;
pub mod catalogue;
pub mod conditional;
pub mod feed;
pub mod field_errors;
pub mod geo;
pub mod offer;
pub mod offer_event;
pub mod postal;
pub mod rate_limit;
pub mod scope;
pub mod webhook;
pub mod week;
