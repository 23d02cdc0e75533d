//! Signed webhooks: subscriptions, what each change sends, retries, 410, replay, ping, two
//! instances, a hanging receiver, SSRF refusals. Receivers are real local HTTP servers.

mod daily;
mod delivery;
mod receiver;
mod subscriptions;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, TestPartner};
pub use receiver::Receiver;

/// Subscribes `url` to `events` through the API: (id, secret).
pub async fn subscribe(
    app: &TestApp,
    partner: &TestPartner,
    url: &str,
    events: &[&str],
) -> (i64, String) {
    let (status, body) = app
        .request(
            Method::POST,
            "/api/webhooks",
            Some(&partner.token),
            Body::Json(json!({"url": url, "events": events})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (
        body["id"].as_i64().unwrap(),
        body["secret"].as_str().unwrap().to_owned(),
    )
}

/// The delivery log, filtered by a query string.
pub async fn deliveries(app: &TestApp, partner: &TestPartner, query: &str) -> Vec<Value> {
    let (status, body) = app
        .request(
            Method::GET,
            &format!("/api/webhooks/deliveries{query}"),
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["deliveries"].as_array().cloned().unwrap_or_default()
}

/// Waits until the log shows `count` deliveries with this status (10 s at most).
pub async fn wait_for_status(
    app: &TestApp,
    partner: &TestPartner,
    status: &str,
    count: usize,
) -> Vec<Value> {
    for _ in 0..400 {
        let found = deliveries(app, partner, &format!("?status={status}")).await;
        if found.len() >= count {
            return found;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    panic!(
        "no {count} {status} deliveries: {:?}",
        deliveries(app, partner, "").await
    );
}
