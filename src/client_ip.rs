//! The address of the client: the peer of the connection, or, when that peer is one of our
//! reverse proxies (`TRUSTED_PROXIES`), the address the proxy appended to `X-Forwarded-For`
//! (its last entry: whatever a client writes there itself comes before it). Also the request's
//! id, which only such a proxy may choose.

use std::net::IpAddr;

use actix_web::{HttpRequest, web};

use crate::state::AppState;

/// Whether the connection comes from one of our reverse proxies (`TRUSTED_PROXIES`).
pub fn from_trusted_proxy(req: &HttpRequest) -> bool {
    req.peer_addr().is_some_and(|peer| {
        req.app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.trusted_proxies.contains(&peer.ip()))
    })
}

/// The id of a request: the `X-Request-Id` a trusted proxy sent (1 to 128 letters, digits, `.`,
/// `_`, `-`), or a new UUID. Echoed in the answer, and in every log line of the request.
pub fn request_id(req: &HttpRequest) -> String {
    let sent = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            (1..=128).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        });
    match sent {
        Some(id) if from_trusted_proxy(req) => id.to_owned(),
        _ => uuid::Uuid::new_v4().to_string(),
    }
}

pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if !from_trusted_proxy(req) {
        return Some(peer);
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .last();
    Some(
        forwarded
            .and_then(|entry| entry.parse().ok())
            .unwrap_or(peer),
    )
}
