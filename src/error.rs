//! The one error type of the API. Every error renders as the original's envelope
//! `{"code": "...", "error": ...}` with a stable `code`; nothing is ever plain text.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde::ser::SerializeMap;

/// Field name → messages, rendered as the `error` object of a `VALIDATION_ERROR`,
/// in the order the original API lists the fields.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors(Vec<(String, Vec<String>)>);

/// The order in which the original API reports invalid fields.
const FIELD_ORDER: &[&str] = &[
    "coordinates",
    "title",
    "employer_name",
    "zipcode",
    "city",
    "description",
    "sector",
    "remote_id",
    "permalink",
];

impl FieldErrors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        match self.0.iter_mut().find(|(name, _)| name == field) {
            Some((_, messages)) => {
                if !messages.contains(&message) {
                    messages.push(message);
                }
            }
            None => self.0.push((field.to_owned(), vec![message])),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds the errors of fields that have none yet.
    pub fn merge_new_fields(&mut self, other: FieldErrors) {
        for (field, messages) in other.0 {
            if self.get(&field).is_none() {
                self.0.push((field, messages));
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, m)| m.as_slice())
    }

    /// Ok when empty, otherwise the `VALIDATION_ERROR` carrying these errors.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self))
        }
    }

    fn rank(field: &str) -> usize {
        FIELD_ORDER
            .iter()
            .position(|f| *f == field)
            .unwrap_or(FIELD_ORDER.len())
    }
}

impl Serialize for FieldErrors {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_by_key(|(field, _)| Self::rank(field));
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (field, messages) in entries {
            map.serialize_entry(field, messages)?;
        }
        map.end()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("wrong api token")]
    WrongToken,
    #[error("access denied")]
    AccessDenied,
    #[error("param is missing or the value is empty: {0}")]
    MissingPayload(&'static str),
    #[error("{0}")]
    BadPayload(String),
    #[error("{0}")]
    MalformedBody(String),
    #[error("{0}")]
    BadArgument(String),
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("api with this remote_id ({0}) already exists")]
    DuplicateRemoteId(String),
    #[error("can't find internship_offer with this remote_id")]
    OfferNotFound,
    #[error("You are not authorized to access this page.")]
    Forbidden,
    #[error("api already destroyed")]
    AlreadyDestroyed,
    #[error("{message}")]
    Http {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    #[error("service temporarily unavailable")]
    Unavailable,
    #[error("internal server error")]
    Internal(String),
}

/// The JSON body of every error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `VALIDATION_ERROR`.
    pub code: String,
    /// A message, or for `VALIDATION_ERROR` an object `{field: [messages]}`.
    #[schema(value_type = Object)]
    pub error: serde_json::Value,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::WrongToken | ApiError::AccessDenied => "UNAUTHORIZED",
            ApiError::MissingPayload(_) | ApiError::BadPayload(_) => "BAD_PAYLOAD",
            ApiError::MalformedBody(_) => "MALFORMED_BODY",
            ApiError::BadArgument(_) => "BAD_ARGUMENT",
            ApiError::Validation(_) => "VALIDATION_ERROR",
            ApiError::DuplicateRemoteId(_) => "DUPLICATE_API",
            ApiError::OfferNotFound => "NOT_FOUND",
            ApiError::Forbidden => "FORBIDDEN",
            ApiError::AlreadyDestroyed => "API_ALREADY_DESTROYED",
            ApiError::Http { code, .. } => code,
            ApiError::Unavailable => "SERVICE_UNAVAILABLE",
            ApiError::Internal(_) => "INTERNAL_ERROR",
        }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    pub fn body(&self) -> ErrorBody {
        let error = match self {
            ApiError::Validation(fields) => serde_json::to_value(fields).unwrap_or_default(),
            other => serde_json::Value::String(other.to_string()),
        };
        ErrorBody {
            code: self.code().to_owned(),
            error,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::WrongToken | ApiError::AccessDenied => StatusCode::UNAUTHORIZED,
            ApiError::MissingPayload(_) | ApiError::BadPayload(_) | ApiError::BadArgument(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::MalformedBody(_) | ApiError::Validation(_) => StatusCode::BAD_REQUEST,
            ApiError::DuplicateRemoteId(_) | ApiError::AlreadyDestroyed => StatusCode::CONFLICT,
            ApiError::OfferNotFound => StatusCode::NOT_FOUND,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::Http { status, .. } => *status,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error.cause = %cause, "internal error");
        }
        HttpResponse::build(self.status_code()).json(self.body())
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        ApiError::internal(format!("database: {error}"))
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        tracing::warn!(error = %error, "no database connection available");
        ApiError::Unavailable
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        ApiError::internal(error)
    }
}
