//! `Idempotency-Key` (IETF httpapi draft) on every `POST`, `PATCH`, `PUT` and `DELETE` under
//! `/api`: the first request with a key runs and its answer is kept 24 h for the caller's
//! operator; the same request again gets that answer with `Idempotent-Replayed: true`; another
//! request with the key is a 422, one while the first still runs a 409, a malformed key a 400.
//! Keys live in the database, so this holds across instances. Without the header nothing
//! changes. An answer of ours in 5xx is not kept: a retry runs the request again.

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::auth;
use crate::db::queries::idempotency::{self, Claim};
use crate::error::ApiError;
use crate::state::AppState;

pub const HEADER: &str = "Idempotency-Key";

/// The request's key, when it has one and the route takes it; an error when malformed.
fn key_of(req: &ServiceRequest) -> Option<Result<String, ApiError>> {
    let writes = [Method::POST, Method::PATCH, Method::PUT, Method::DELETE];
    if !req.path().starts_with("/api/") || !writes.contains(req.method()) {
        return None;
    }
    let value = req.headers().get(HEADER)?;
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
    Some(if well_formed {
        Ok(key.to_owned())
    } else {
        Err(ApiError::IdempotencyKeyMalformed)
    })
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

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = match key_of(&req) {
        None => return Ok(next.call(req).await?.map_into_boxed_body()),
        Some(Err(error)) => return Ok(req.error_response(error)),
        Some(Ok(key)) => key,
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    // The caller first: nobody's body is read for an unknown token or beyond a limit.
    let operator_id = match caller(&state, &req).await {
        Ok(Some(operator_id)) => operator_id,
        // Unknown token: the handler answers 401 as without a key, before reading the body.
        Ok(None) => return Ok(next.call(req).await?.map_into_boxed_body()),
        Err(error) => return Ok(req.error_response(error)),
    };
    let limit = crate::request::body::body_limit(req.path());
    let body = match crate::request::body::read_limited(&mut req.take_payload(), limit).await {
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
            keep(&state, operator_id, key, response).await
        }
    }
}

/// The operator of a keyed write's token, its request counted and admitted (left in the
/// request for the handler); None for an unknown token; a key needs the `Authorization` header.
async fn caller(state: &AppState, req: &ServiceRequest) -> Result<Option<i64>, ApiError> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .ok_or(ApiError::IdempotencyKeyMalformed)?;
    let budget = auth::Budget::of(req.request(), state.rate_limits);
    let counter = state.rate_counter.clone();
    let found = crate::db::run(&state.pool, move |conn| {
        auth::authenticate_on(conn, &bearer, budget, &counter)
    })
    .await?;
    let Some((partner, rate)) = found else {
        return Ok(None);
    };
    auth::admit(req.request(), &partner, rate)?;
    let operator_id = partner.operator_id;
    req.extensions_mut().insert(partner);
    Ok(Some(operator_id))
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
