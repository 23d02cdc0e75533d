//! Whatever actix itself answers (unknown route, wrong method, oversized body) leaves as
//! the same JSON envelope as our own errors, never as plain text.

use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpResponse, ResponseError};

use crate::error::ApiError;

/// Default service: an unknown route.
pub async fn route_not_found() -> HttpResponse {
    ApiError::Http {
        status: StatusCode::NOT_FOUND,
        code: "ROUTE_NOT_FOUND",
        message: "Page non trouvée".into(),
    }
    .error_response()
}

fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "BAD_REQUEST",
        StatusCode::NOT_FOUND => "ROUTE_NOT_FOUND",
        StatusCode::METHOD_NOT_ALLOWED => "METHOD_NOT_ALLOWED",
        StatusCode::PAYLOAD_TOO_LARGE => "PAYLOAD_TOO_LARGE",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
        s if s.is_server_error() => "INTERNAL_ERROR",
        _ => "HTTP_ERROR",
    }
}

/// Rewrites any error response that is neither JSON nor one of our HTML pages into the
/// `{"code","error"}` envelope.
pub fn json_error_envelope<B>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_ours = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| {
            let v = v.as_bytes();
            v.starts_with(b"application/json") || v.starts_with(b"text/html")
        });
    if is_ours {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let message = status.canonical_reason().unwrap_or("error").to_owned();
    let (req, _) = res.into_parts();
    let response = ApiError::Http {
        status,
        code: code_for(status),
        message,
    }
    .error_response();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
