//! The address of the client: the peer of the connection, or, when that peer is one of our
//! reverse proxies (`TRUSTED_PROXIES`), the address the proxy appended to `X-Forwarded-For`
//! (its last entry: whatever a client writes there itself comes before it).

use std::net::IpAddr;

use actix_web::{HttpRequest, web};

use crate::state::AppState;

pub fn client_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.trusted_proxies.contains(&peer));
    if !trusted {
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
