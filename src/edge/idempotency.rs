//! `Idempotency-Key` (IETF httpapi draft) on the routes that take it (every write under `/api`,
//! `edge::route::Facts::idempotent`): the first request with a key runs and its answer is kept 24 h for the caller's
//! operator; the same request again gets that answer with `Idempotent-Replayed: true`; another
//! request with the key is a 422, one while the first still runs a 409, a malformed key a 400.
//! Keys live in the database, so this holds across instances. Without the header nothing
//! changes. An answer of ours in 5xx is not kept: a retry runs the request again.

use actix_web::HttpMessage;
use actix_web::HttpResponse;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use sha2::{Digest, Sha256};

use super::route::Facts;
use crate::auth::Partner;
use crate::db::queries::idempotency::{self, Claim};
use crate::error::ApiError;
use crate::request::body::read_limited;
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";

/// The request's key, when it has one and the route takes it; an error when malformed, or when
/// the token is not in the `Authorization` header (a key is checked before the caller, and the
/// original's `token` parameter is in the body).
pub fn key_of(req: &ServiceRequest, facts: &Facts) -> Result<Option<String>, ApiError> {
    if !facts.idempotent {
        return Ok(None);
    }
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    // A structured-field string ("…"), or the bare key most clients send.
    let key = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    let well_formed = (1..=255).contains(&key.len())
        && key
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    if well_formed && req.headers().contains_key(header::AUTHORIZATION) {
        Ok(Some(key.to_owned()))
    } else {
        Err(ApiError::IdempotencyKeyMalformed)
    }
}

/// Method, path, query and body: what a replay must repeat exactly.
fn fingerprint(req: &ServiceRequest, body: &[u8]) -> Vec<u8> {
    let mut hash = Sha256::new();
    hash.update(req.method().as_str());
    hash.update(b"\n");
    hash.update(req.uri().to_string());
    hash.update(b"\n");
    hash.update(body);
    hash.finalize().to_vec()
}

/// Runs a keyed request once for its caller's operator (authenticated by the edge): replays
/// the kept answer, refuses a reuse or a key in use, or runs it and keeps its answer.
pub async fn claimed(
    mut req: ServiceRequest,
    key: String,
    next: Next<impl MessageBody + 'static>,
    state: &AppState,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(operator_id) = req.extensions().get::<Partner>().map(|p| p.operator_id) else {
        return Ok(req.error_response(ApiError::internal("a keyed request without its caller")));
    };
    let body = match read_limited(&mut req.take_payload(), usize::MAX).await {
        Ok(body) => body,
        Err(error) => return Ok(req.error_response(error)),
    };
    req.set_payload(Payload::from(body.clone()));
    let print = fingerprint(&req, &body);
    let claim_key = key.clone();
    let claimed = crate::db::run(&state.pool, move |conn| {
        idempotency::claim(conn, operator_id, &claim_key, &print)
            .map_err(crate::db::failure::<ApiError>)
    })
    .await;
    match claimed {
        Err(error) => Ok(req.error_response(error)),
        Ok(Claim::Reused) => Ok(req.error_response(ApiError::IdempotencyKeyReused)),
        Ok(Claim::InUse) => Ok(req.error_response(ApiError::IdempotencyKeyInUse)),
        Ok(Claim::Replay {
            status,
            content_type,
            body,
        }) => Ok(req.into_response(replayed(status, content_type, body))),
        Ok(Claim::Claimed) => {
            let response = next.call(req).await?;
            keep(state, operator_id, key, response).await
        }
    }
}

/// The stored answer, sent again.
fn replayed(status: u16, content_type: Option<String>, body: Vec<u8>) -> HttpResponse {
    let mut replay =
        HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap_or_default());
    if let Some(content_type) = content_type {
        replay.content_type(content_type);
    }
    replay.insert_header(("Idempotent-Replayed", "true"));
    replay.body(body)
}

/// Keeps the first answer (or forgets the key after a 5xx) and sends it on.
async fn keep(
    state: &AppState,
    operator_id: i64,
    key: String,
    response: ServiceResponse<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("response body"))?;
    let (status, content_type) = (
        head.status(),
        head.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    );
    let kept = bytes.to_vec();
    let stored = crate::db::run(&state.pool, move |conn| {
        if status.is_server_error() {
            idempotency::release(conn, operator_id, &key)?;
        } else {
            idempotency::complete(
                conn,
                operator_id,
                &key,
                status.as_u16(),
                content_type.as_deref(),
                &kept,
            )?;
        }
        Ok::<_, ApiError>(())
    })
    .await;
    if let Err(error) = stored {
        tracing::warn!(%error, "idempotency key not updated");
    }
    Ok(ServiceResponse::new(
        request,
        head.set_body(bytes).map_into_boxed_body(),
    ))
}
