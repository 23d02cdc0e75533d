//! Whatever actix itself answers (unknown route, wrong method, oversized body) leaves as
//! the same JSON envelope as our own errors, never as plain text.

use actix_web::dev::ServiceResponse;
use actix_web::http::{Method, header};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use super::route::RouteTable;
use crate::error::ApiError;

/// The methods of the partner API. On a known route, another of them is a 404, as the
/// original's router answered; any other method is a 405.
const API_METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PATCH,
    Method::PUT,
    Method::DELETE,
];

/// A request no route took, on a path of the table or under `/api` and `/oauth`: 405 with
/// `Allow` (the path's methods in the route table) when the path exists and the method is none
/// of the API's (`TRACE`, `HEAD`, `OPTIONS`…), otherwise 404.
pub async fn unrouted(req: HttpRequest) -> HttpResponse {
    let allowed = req
        .app_data::<web::Data<RouteTable>>()
        .map(|table| table.allowed(req.path()))
        .unwrap_or_default();
    if API_METHODS.contains(req.method()) || allowed.is_empty() {
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
