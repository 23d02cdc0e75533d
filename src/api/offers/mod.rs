//! `/api/internship_offers`: a partner's offers, keyed by its own `remote_id`, and the
//! catalogue search. One file per action; the typed requests in `request.rs` and
//! `search_request.rs`, the answers in `response.rs` and `listing.rs`.

pub mod create;
pub mod delete;
pub mod list;
pub mod listing;
pub mod request;
pub mod request_schema;
pub mod response;
pub mod search;
pub mod search_request;
pub mod update;
