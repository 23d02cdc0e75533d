//! The one error type of the partner API. Every error renders as the original's envelope
//! `{"code": "...", "error": ...}` with a stable `code` (see `codes`); nothing is ever plain text.

pub mod codes;
mod database;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{RefOr, schema::AdditionalProperties};

pub use crate::domain::field_errors::FieldErrors;
use codes::ErrorCode;

/// Seconds a client should wait before retrying when the database is unreachable.
pub const RETRY_AFTER_SECS: u32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("wrong api token")]
    WrongToken,
    #[error("access denied")]
    AccessDenied,
    #[error("param is missing or the value is empty: {0}")]
    MissingPayload(&'static str),
    #[error("{0} doit être un objet")]
    PayloadNotAnObject(&'static str),
    #[error("{0}")]
    MalformedBody(String),
    #[error("le corps de la requête est trop volumineux")]
    PayloadTooLarge,
    #[error("le corps de la requête n'est pas arrivé en entier dans les 10 secondes")]
    BodyTimeout,
    #[error("la chaîne de requête dépasse 8 Kio")]
    QueryTooLong,
    #[error("plus de 256 paramètres dans la requête")]
    TooManyParameters,
    #[error("bad week format: {0}, expecting ISO 8601 format")]
    BadWeek(String),
    #[error("'{0}' is not a valid remote_status")]
    UnknownRemoteStatus(String),
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("api with this remote_id ({0}) already exists")]
    DuplicateRemoteId(String),
    #[error("can't find internship_offer with this remote_id")]
    OfferNotFound,
    #[error("can't find student with this id")]
    StudentNotFound,
    #[error("You are not authorized to access this page.")]
    Forbidden,
    #[error("api already destroyed")]
    AlreadyDestroyed,
    #[error(
        "account creation of student {student_id} for remote_id ({remote_id}) already recorded"
    )]
    DuplicateAccountActivity { student_id: i64, remote_id: String },
    #[error(
        "application_tracking with these attributes (remote_id : {remote_id}{} | remote_status : {status}) already exists",
        student_id.map_or_else(String::new, |id| format!(" | ms3e_student_id : {id}"))
    )]
    DuplicateApplicationTracking {
        remote_id: String,
        student_id: Option<i64>,
        status: &'static str,
    },
    #[error("all {max_candidates} seats of this offer are taken: raise max_candidates first")]
    NoSeatLeft { max_candidates: i32 },
    #[error("Page non trouvée")]
    RouteNotFound,
    #[error("Method Not Allowed")]
    MethodNotAllowed,
    /// What actix refused by itself (unknown method, unreadable request…), by its status.
    #[error("{}", .0.canonical_reason().unwrap_or("error"))]
    Protocol(StatusCode),
    #[error("this token lacks the scope {}", .0.as_str())]
    InsufficientScope(crate::domain::scope::Scope),
    #[error(
        "Idempotency-Key must be 1 to 255 printable characters (a quoted string or bare), sent with the Authorization header"
    )]
    IdempotencyKeyMalformed,
    #[error(
        "this Idempotency-Key was used by another request (method, path or body) in the last 24 hours"
    )]
    IdempotencyKeyReused,
    #[error("the first request with this Idempotency-Key is still running")]
    IdempotencyKeyInUse,
    #[error("a bulk call takes at most 500 offers")]
    BulkTooLarge,
    #[error("the offer has changed since the version given in If-Match")]
    PreconditionFailed,
    #[error(
        "this cursor is older than the retention of the changes log: start the feed again without since"
    )]
    CursorExpired,
    #[error("no webhook subscription of yours has this id")]
    WebhookNotFound,
    #[error("no webhook delivery of yours has this id")]
    DeliveryNotFound,
    #[error("{0}")]
    WebhookUrlRefused(String),
    #[error("too many requests: retry after the Retry-After seconds (limits: RateLimit-Policy)")]
    RateLimited(crate::domain::rate_limit::RateState),
    #[error("service temporarily unavailable")]
    Unavailable,
    #[error("internal server error")]
    Internal(String),
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors)
    }
}

impl ApiError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    /// The entry of the codes table this error is answered with.
    pub fn code(&self) -> &'static ErrorCode {
        use ApiError::*;
        match self {
            WrongToken | AccessDenied => &codes::UNAUTHORIZED,
            MissingPayload(_) | PayloadNotAnObject(_) => &codes::BAD_PAYLOAD,
            MalformedBody(_) => &codes::MALFORMED_BODY,
            PayloadTooLarge => &codes::PAYLOAD_TOO_LARGE,
            BodyTimeout => &codes::REQUEST_TIMEOUT,
            QueryTooLong => &codes::QUERY_TOO_LONG,
            TooManyParameters => &codes::TOO_MANY_PARAMETERS,
            BadWeek(_) | UnknownRemoteStatus(_) => &codes::BAD_ARGUMENT,
            Validation(_) => &codes::VALIDATION_ERROR,
            DuplicateRemoteId(_) => &codes::DUPLICATE_API,
            OfferNotFound | StudentNotFound => &codes::NOT_FOUND,
            Forbidden => &codes::FORBIDDEN,
            InsufficientScope(_) => &codes::INSUFFICIENT_SCOPE,
            WebhookNotFound | DeliveryNotFound => &codes::WEBHOOK_NOT_FOUND,
            WebhookUrlRefused(_) => &codes::WEBHOOK_URL_REFUSED,
            PreconditionFailed => &codes::PRECONDITION_FAILED,
            CursorExpired => &codes::CURSOR_EXPIRED,
            RateLimited(_) => &codes::RATE_LIMITED,
            BulkTooLarge => &codes::BULK_TOO_LARGE,
            IdempotencyKeyMalformed => &codes::IDEMPOTENCY_KEY_MALFORMED,
            IdempotencyKeyReused => &codes::IDEMPOTENCY_KEY_REUSED,
            IdempotencyKeyInUse => &codes::IDEMPOTENCY_KEY_IN_USE,
            AlreadyDestroyed => &codes::API_ALREADY_DESTROYED,
            DuplicateAccountActivity { .. } => &codes::DUPLICATE_OPERATOR_ACTIVITY,
            DuplicateApplicationTracking { .. } => &codes::DUPLICATE_APPLICATION_TRACKING,
            NoSeatLeft { .. } => &codes::NO_SEAT_LEFT,
            RouteNotFound => &codes::ROUTE_NOT_FOUND,
            MethodNotAllowed => &codes::METHOD_NOT_ALLOWED,
            Protocol(status) => ErrorCode::of_status(*status),
            Unavailable => &codes::SERVICE_UNAVAILABLE,
            Internal(_) => &codes::INTERNAL_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let error = match self {
            ApiError::Validation(fields) => serde_json::to_value(fields).unwrap_or_default(),
            other => serde_json::Value::String(other.to_string()),
        };
        ErrorBody {
            code: self.code().code.to_owned(),
            error,
        }
    }
}

/// The JSON body of every error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `VALIDATION_ERROR`.
    pub code: String,
    /// A message; for `VALIDATION_ERROR` only, an object `{champ: [messages]}`.
    #[schema(schema_with = error_detail_schema)]
    pub error: serde_json::Value,
}

/// A string, or messages by field (also a bulk item's `error`).
pub fn error_detail_schema() -> impl Into<RefOr<Schema>> {
    let messages = ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String));
    let fields = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(RefOr::T(Schema::Array(
            messages.build(),
        )))));
    Schema::OneOf(
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(fields)
            .build(),
    )
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Protocol(status) => *status,
            other => other.code().status(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error.cause = %cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unavailable => {
                response.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS));
            }
            // The `RateLimit*` headers are every counted answer's (`edge::rate_limit`).
            ApiError::RateLimited(rate) => {
                response.insert_header((header::RETRY_AFTER, rate.reset_secs));
            }
            ApiError::WrongToken => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"monstage\""));
            }
            ApiError::InsufficientScope(scope) => {
                let challenge = format!(
                    "Bearer realm=\"monstage\", error=\"insufficient_scope\", scope=\"{}\"",
                    scope.as_str()
                );
                response.insert_header((header::WWW_AUTHENTICATE, challenge));
            }
            _ => {}
        }
        response.json(self.body())
    }
}
