//! The connection pool when PostgreSQL goes away: 503 `SERVICE_UNAVAILABLE` with `Retry-After`
//! while it refuses connections, never a 500, and recovery without restarting the server; a
//! connection that lost its server is never handed out again.

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{Body, TestApp, on_server, valid_offer};

/// Ends every session of the test database, as a restart of PostgreSQL does.
fn terminate_sessions(app: &TestApp) {
    on_server(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
        app.db.name
    ));
}

fn allow_connections(app: &TestApp, allowed: bool) {
    on_server(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS {allowed}",
        app.db.name
    ));
}

async fn sectors(app: &TestApp, token: &str) -> (StatusCode, Option<String>, Value) {
    let response = app
        .client
        .get(format!("{}/api/sectors", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.json().await.unwrap())
}

async fn burst(app: &TestApp, token: &str, calls: usize) -> Vec<StatusCode> {
    let calls = (0..calls).map(|_| sectors(app, token));
    join_all(calls)
        .await
        .into_iter()
        .map(|(s, _, _)| s)
        .collect()
}

#[actix_web::test]
async fn a_database_that_refuses_connections_is_a_503_then_service_resumes() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Panne", false);
    assert_eq!(burst(&app, &partner.token, 8).await, [StatusCode::OK; 8]);

    allow_connections(&app, false);
    terminate_sessions(&app);
    for _ in 0..3 {
        let (status, retry_after, body) = sectors(&app, &partner.token).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["code"], "SERVICE_UNAVAILABLE");
        assert_eq!(retry_after.as_deref(), Some("5"));
    }
    let (status, created) = app
        .request(
            Method::POST,
            "/api/internship_offers",
            Some(&partner.token),
            Body::Json(valid_offer("pendant-la-panne")),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{created}");

    allow_connections(&app, true);
    let mut recovered = false;
    for _ in 0..20 {
        let (status, _, _) = sectors(&app, &partner.token).await;
        assert!(
            status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
        if status.is_success() {
            recovered = true;
            break;
        }
    }
    assert!(recovered, "the server recovers by itself");
    assert_eq!(burst(&app, &partner.token, 32).await, [StatusCode::OK; 32]);
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM internship_offers WHERE remote_id = 'pendant-la-panne'"
        ),
        0,
        "a write answered 503 was not stored"
    );
}

#[actix_web::test]
async fn after_a_restart_a_burst_gets_no_500_and_dead_connections_are_dropped() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Redemarrage", false);
    assert!(
        burst(&app, &partner.token, 16)
            .await
            .iter()
            .all(StatusCode::is_success)
    );

    terminate_sessions(&app);
    let first = burst(&app, &partner.token, 64).await;
    assert!(
        first
            .iter()
            .all(|s| s.is_success() || *s == StatusCode::SERVICE_UNAVAILABLE),
        "{first:?}"
    );
    let second = burst(&app, &partner.token, 64).await;
    assert_eq!(
        second,
        [StatusCode::OK; 64],
        "no dead connection is handed out again"
    );
}
