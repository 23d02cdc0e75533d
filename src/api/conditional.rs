//! Conditional requests over HTTP: `ETag` on reads (304 when `If-None-Match` already has it) and
//! `If-Match` on changes (412 when the offer has moved on; checked by the service, in the
//! transaction of the change).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::db::models::Offer;
use crate::domain::conditional::{Precondition, body_etag, none_match_hits, offer_etag};

use super::offers::response::OfferResponse;

/// What the request's `If-Match` asks.
pub fn precondition(req: &HttpRequest) -> Precondition {
    Precondition::of_header(
        req.headers()
            .get(header::IF_MATCH)
            .and_then(|v| v.to_str().ok()),
    )
}

/// `status` with the JSON body and its `ETag`, or 304 (no body) when the client already has it.
fn tagged(req: &HttpRequest, status: StatusCode, etag: String, body: Vec<u8>) -> HttpResponse {
    let has_it = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|header| none_match_hits(header, &etag));
    if has_it && status == StatusCode::OK {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish();
    }
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag))
        .content_type("application/json")
        .body(body)
}

/// A read whose tag is its body's (lists, sectors).
pub fn json_read<T: Serialize>(req: &HttpRequest, body: &T) -> HttpResponse {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    tagged(req, StatusCode::OK, body_etag(&bytes), bytes)
}

/// An offer, tagged with its version (the tag `If-Match` compares to).
pub fn offer_json(req: &HttpRequest, status: StatusCode, offer: &Offer) -> HttpResponse {
    let bytes = serde_json::to_vec(&OfferResponse::from(offer)).unwrap_or_default();
    tagged(req, status, offer_etag(offer.id, offer.updated_at), bytes)
}
