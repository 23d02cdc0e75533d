//! `/api/internship_offers`: a partner's offers, keyed by its own `remote_id`, and the
//! catalogue search. One file per action (their typed requests are in `request/offers.rs` and
//! `request/search.rs`); the answers in `response.rs` and `listing.rs`.

pub mod bulk;
pub mod create;
pub mod delete;
pub mod list;
pub mod listing;
pub mod response;
pub mod search;
pub mod show;
pub mod update;
