//! The request layer: a request's loose parameters (`body`) and the readers that turn them into
//! typed values with one meaning per kind of value (`read`). Each endpoint's typed request
//! (`XxxRequest::read`) lives beside its handler in `api/`.

pub mod body;
pub mod read;
pub mod values;

pub use body::Params;
pub use read::{Field, Fields};

#[cfg(test)]
mod tests;
