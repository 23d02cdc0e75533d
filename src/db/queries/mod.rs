//! Every query is a plain `fn(&mut PgConnection, …)`. Queries on partner-owned data
//! always take the caller's operator id and filter on it in SQL.

pub mod accounts;
pub mod activity;
pub mod admins;
pub mod audit;
pub mod credentials;
pub mod feeds;
pub mod idempotency;
pub mod invitations;
pub mod oauth;
pub mod offer_events;
pub mod offers;
pub mod operators;
pub mod pupil_traces;
pub mod rate_limits;
pub mod search_documents;
pub mod sectors;
pub mod sign_in_throttles;
pub mod students;
pub mod tracking;
pub mod webhook_deliveries;
pub mod webhooks;
pub mod weeks;
