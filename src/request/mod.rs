//! The request layer: a request's loose parameters (`body`), the readers that turn them into
//! typed values with one meaning per kind of value (`values`, `read`), and each endpoint's
//! typed request, `XxxRequest::read(&Params)`, in the file named after its resource.

pub mod account_activities;
pub mod application_trackings;
pub mod body;
pub mod feeds;
pub mod offers;
pub mod page;
pub mod read;
pub mod search;
pub mod stats;
pub mod values;
pub mod webhooks;

pub use body::Params;
pub use read::Fields;
pub use values::Field;

#[cfg(test)]
mod tests;
