//! Whatever actix itself answers (unknown route, wrong method, oversized body) leaves as
//! the same JSON envelope as our own errors, never as plain text.

use actix_web::dev::{ResourceDef, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse, ResponseError};

use crate::error::ApiError;

/// The API's routes and their methods, for `405 Method Not Allowed`.
const ROUTES: &[(&str, &[Method])] = &[
    ("/api/internship_offers", &[Method::GET, Method::POST]),
    ("/api/internship_offers/search", &[Method::GET]),
    ("/api/internship_offers/bulk", &[Method::POST]),
    (
        "/api/internship_offers/{remote_id}",
        &[Method::GET, Method::PATCH, Method::PUT, Method::DELETE],
    ),
    ("/api/internship_offers/{remote_id}/stats", &[Method::GET]),
    ("/api/sectors", &[Method::GET]),
    ("/api/stats", &[Method::GET]),
    (
        "/api/operator_account_activities/create_account",
        &[Method::POST],
    ),
    ("/api/application_trackings", &[Method::POST]),
    ("/api/webhooks", &[Method::GET, Method::POST]),
    ("/api/webhooks/{id}", &[Method::DELETE]),
    ("/api/webhooks/{id}/ping", &[Method::POST]),
    ("/api/webhooks/{id}/rotate_secret", &[Method::POST]),
    ("/api/webhooks/deliveries", &[Method::GET]),
    ("/api/webhooks/deliveries/{id}/replay", &[Method::POST]),
    ("/api/webhooks/replay", &[Method::POST]),
    ("/oauth/token", &[Method::POST]),
];

/// The methods of the partner API. On a known route, another of them is a 404, as the
/// original's router answered; any other method is a 405.
const API_METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PATCH,
    Method::PUT,
    Method::DELETE,
];

/// An API request no handler took: 405 with `Allow` when the route exists and the method is
/// none of the API's (`TRACE`, `HEAD`, `OPTIONS`…), otherwise 404.
pub fn unrouted(req: &HttpRequest) -> HttpResponse {
    let path = req.path();
    if API_METHODS.contains(req.method()) {
        return ApiError::RouteNotFound.error_response();
    }
    let allowed: Vec<&str> = ROUTES
        .iter()
        .filter(|(pattern, _)| ResourceDef::new(*pattern).is_match(path))
        .flat_map(|(_, methods)| methods.iter().map(Method::as_str))
        .collect();
    if allowed.is_empty() {
        return ApiError::RouteNotFound.error_response();
    }
    let mut response = ApiError::MethodNotAllowed.error_response();
    if let Ok(value) = header::HeaderValue::from_str(&allowed.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
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
    let (req, _) = res.into_parts();
    let response = ApiError::Protocol(status).error_response();
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
