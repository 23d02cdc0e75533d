//! Database failures as API errors, mapped in this one place: an unreachable database is a
//! 503 the client may retry; anything else the caller did not expect is our defect, a 500.

use super::ApiError;
use crate::db::{Fault, RunError, RunFailure, fault};

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        match fault(&error) {
            Fault::Unavailable => {
                tracing::warn!(error = %error, "database unreachable");
                ApiError::Unavailable
            }
            Fault::UniqueViolation | Fault::Other => {
                ApiError::internal(format!("database: {error}"))
            }
        }
    }
}

impl From<RunFailure> for ApiError {
    fn from(failure: RunFailure) -> Self {
        match failure {
            RunFailure::NoConnection(error) => {
                tracing::warn!(error = %error, "no database connection available");
                ApiError::Unavailable
            }
            RunFailure::Aborted(cause) => ApiError::Internal(cause),
        }
    }
}

impl RunError for ApiError {
    fn is_unavailable(&self) -> bool {
        matches!(self, ApiError::Unavailable)
    }
}
