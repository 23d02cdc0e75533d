//! Rate limits: per credential and class of route, shared by instances, with the standard
//! headers, a 429 with `Retry-After` beyond the limit, and a new budget each window.
use std::time::Duration;

use monstage::domain::rate_limit::RateLimits;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::web_session::signed_in;
use crate::helpers::{TestApp, valid_offer};

fn limits(read: u32, write: u32, window_secs: u32) -> RateLimits {
    RateLimits {
        enabled: true,
        window_secs,
        read,
        write,
        search: 50,
        tracking: 50,
        unauthenticated: 2,
    }
}

/// Waits for the start of a window (they are aligned on the clock), so a burst fits in one.
async fn start_of_window(window_secs: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let into = now.as_millis() as u64 % (window_secs * 1000);
    tokio::time::sleep(Duration::from_millis(window_secs * 1000 - into + 20)).await;
}

/// Status, the rate limit headers (lower-cased names) and the body.
async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, Vec<(String, String)>, serde_json::Value) {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| name.as_str().contains("ratelimit") || name.as_str() == "retry-after")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    (status, headers, response.json().await.unwrap_or_default())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

#[actix_web::test]
async fn beyond_its_limit_a_credential_gets_a_429_with_retry_after_until_the_window_ends() {
    let app = TestApp::spawn_with_limits(limits(3, 5, 3)).await;
    let partner = app.operator("JobIRL", false);
    start_of_window(3).await;
    for remaining in ["2", "1", "0"] {
        let (status, headers, _) =
            call(&app, Method::GET, "/api/sectors", &partner.token, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(header(&headers, "x-ratelimit-limit"), "3");
        assert_eq!(header(&headers, "x-ratelimit-remaining"), remaining);
        assert_eq!(header(&headers, "ratelimit-policy"), "\"read\";q=3;w=3");
        let reset: u32 = header(&headers, "x-ratelimit-reset").parse().unwrap();
        assert!((1..=3).contains(&reset), "{reset}");
        assert_eq!(
            header(&headers, "ratelimit"),
            format!("\"read\";r={remaining};t={reset}")
        );
    }
    let (status, headers, body) = call(
        &app,
        Method::GET,
        "/api/internship_offers",
        &partner.token,
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::TOO_MANY_REQUESTS, json!("RATE_LIMITED"))
    );
    let retry: u64 = header(&headers, "retry-after").parse().unwrap();
    assert!((1..=3).contains(&retry), "{retry}");
    assert_eq!(header(&headers, "x-ratelimit-remaining"), "0");
    let counted = super::health::metrics(&app).await;
    assert!(
        counted.contains(r#"rate_limit_refusals_total{class="read"} 1"#),
        "{counted}"
    );

    // Writes have a budget of their own, counted for keyed writes too.
    let create = json!({"internship_offer": valid_offer("o1")});
    let (status, headers, _) = call(
        &app,
        Method::POST,
        "/api/internship_offers",
        &partner.token,
        Some(create),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        (
            header(&headers, "x-ratelimit-limit"),
            header(&headers, "x-ratelimit-remaining")
        ),
        ("5", "4")
    );
    let keyed = app
        .client
        .post(format!("{}/api/internship_offers", app.address))
        .bearer_auth(&partner.token)
        .header("Idempotency-Key", "k1")
        .json(&json!({"internship_offer": valid_offer("o2")}))
        .send()
        .await
        .unwrap();
    assert_eq!(keyed.status(), StatusCode::CREATED);
    assert_eq!(keyed.headers()["x-ratelimit-remaining"], "3");

    // The next window gives a new budget.
    tokio::time::sleep(Duration::from_secs(retry)).await;
    let (status, headers, _) = call(&app, Method::GET, "/api/sectors", &partner.token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(header(&headers, "x-ratelimit-remaining"), "2");

    // An admin raises the operator's limits from the operators page; the change is audited.
    app.admin("admin@monstage.test");
    let admin = signed_in(&app, "admin@monstage.test").await;
    let action = format!("/admin/operateurs/{}/limites", partner.operator_id);
    let refused = admin
        .submit("/admin/operateurs", &action, &[("factor", "0")])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let saved = admin
        .submit("/admin/operateurs", &action, &[("factor", "10")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let (_, headers, _) = call(&app, Method::GET, "/api/sectors", &partner.token, None).await;
    assert_eq!(header(&headers, "x-ratelimit-limit"), "30");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_events WHERE action = 'rate_limits_set'"),
        1
    );
}

#[actix_web::test]
async fn two_instances_share_each_credentials_budget() {
    let first = TestApp::spawn_with_limits(limits(4, 5, 60)).await;
    let second = first.second_instance_with_limits(limits(4, 5, 60)).await;
    let partner = first.operator("JobIRL", false);
    start_of_window(2).await;
    for app in [&first, &second, &first, &second] {
        let (status, _, _) = call(app, Method::GET, "/api/sectors", &partner.token, None).await;
        assert_eq!(status, StatusCode::OK);
    }
    // Instances share their counts every 100 ms.
    tokio::time::sleep(Duration::from_millis(400)).await;
    for app in [&first, &second] {
        let (status, headers, _) =
            call(app, Method::GET, "/api/sectors", &partner.token, None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(header(&headers, "x-ratelimit-limit"), "4");
    }
    // Another credential has its own budget.
    let other = first.operator("Autre", false);
    let (status, _, _) = call(&second, Method::GET, "/api/sectors", &other.token, None).await;
    assert_eq!(status, StatusCode::OK);
}

#[actix_web::test]
async fn the_token_endpoint_is_limited_per_client_address() {
    let app = TestApp::spawn_with_limits(limits(3, 5, 60)).await;
    start_of_window(2).await;
    let form = "grant_type=client_credentials&client_id=nobody&client_secret=wrong";
    for expected in [
        StatusCode::UNAUTHORIZED,
        StatusCode::UNAUTHORIZED,
        StatusCode::TOO_MANY_REQUESTS,
    ] {
        let response = app
            .client
            .post(format!("{}/oauth/token", app.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected);
        assert_eq!(response.headers()["x-ratelimit-limit"], "2");
        if expected == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().contains_key("retry-after"));
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], "RATE_LIMITED");
        }
    }
}
