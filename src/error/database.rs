//! Database failures as API errors (see `db::failure`): an unreachable database is a 503 the
//! client may retry; anything else the caller did not expect is our defect, a 500.

use super::ApiError;
use crate::db::{RunError, failure};

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        failure(error)
    }
}

impl RunError for ApiError {
    fn unavailable() -> Self {
        ApiError::Unavailable
    }

    fn internal(cause: String) -> Self {
        ApiError::Internal(cause)
    }

    fn is_unavailable(&self) -> bool {
        matches!(self, ApiError::Unavailable)
    }
}
