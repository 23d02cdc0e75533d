//! `/health` without the database, and request ids: generated, or a trusted proxy's, echoed.
use reqwest::StatusCode;

use crate::helpers::{TestApp, on_server};

async fn request_id(app: &TestApp, path: &str, sent: Option<&str>) -> (StatusCode, String) {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(id) = sent {
        request = request.header("X-Request-Id", id);
    }
    let response = request.send().await.unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    (response.status(), id)
}

#[actix_web::test]
async fn health_answers_while_the_database_is_unreachable() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    // Every connection of the server is cut, and new ones are refused.
    on_server(&format!(
        "ALTER DATABASE {0} WITH ALLOW_CONNECTIONS false; \
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}'",
        app.db.name
    ));
    let response = app
        .client
        .get(format!("{}/health", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    let api = app
        .client
        .get(format!("{}/api/internship_offers", app.address))
        .bearer_auth(&partner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "the API itself waits"
    );
    on_server(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
        app.db.name
    ));
}

#[actix_web::test]
async fn every_answer_carries_a_request_id_that_only_a_trusted_proxy_may_choose() {
    let direct = TestApp::spawn().await;
    let (status, generated) = request_id(&direct, "/api/nowhere", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");
    let (_, ignored) = request_id(&direct, "/api/sectors", Some("chosen-by-client")).await;
    assert_ne!(ignored, "chosen-by-client");

    let proxied = TestApp::spawn_behind_proxy().await;
    let (_, kept) = request_id(&proxied, "/health", Some("lb-1234.abc")).await;
    assert_eq!(kept, "lb-1234.abc");
    let (_, refused) = request_id(&proxied, "/health", Some("bad id with spaces")).await;
    assert!(uuid::Uuid::parse_str(&refused).is_ok());
}

#[actix_web::test]
async fn ready_says_why_not_and_comes_back_by_itself_with_the_database() {
    let app = TestApp::spawn().await;
    let ready = || async {
        let response = app
            .client
            .get(format!("{}/ready", app.address))
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json::<serde_json::Value>().await.unwrap())
    };
    for _ in 0..100 {
        if ready().await.0 == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (status, body) = ready().await;
    assert_eq!(
        (status, body["reasons"].clone()),
        (StatusCode::OK, serde_json::json!([]))
    );

    on_server(&format!(
        "ALTER DATABASE {0} WITH ALLOW_CONNECTIONS false; \
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{0}'",
        app.db.name
    ));
    let (status, body) = ready().await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["reasons"][0], "database unreachable");

    on_server(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
        app.db.name
    ));
    let mut back = false;
    for _ in 0..100 {
        if ready().await.0 == StatusCode::OK {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        back,
        "ready again once the database answers, without a restart"
    );
}

/// The Prometheus text of the server, with the metrics token.
pub async fn metrics(app: &TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth(crate::helpers::METRICS_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[actix_web::test]
async fn metrics_count_requests_by_route_behind_their_token() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, crate::helpers::valid_offer("o1"))
        .await;
    app.index_caught_up();
    for _ in 0..3 {
        app.client
            .get(format!("{}/api/sectors", app.address))
            .bearer_auth(&partner.token)
            .send()
            .await
            .unwrap();
    }
    let hidden = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let wrong = app
        .client
        .get(format!("{}/metrics", app.address))
        .bearer_auth(&partner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let text = metrics(&app).await;
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/api/sectors",status="200"} 3"#),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{route=\"/api/sectors\""),
        "{text}"
    );
    for gauge in [
        "db_pool_connections_idle",
        "db_pool_connections_in_use",
        "search_index_ready 1",
        "search_index_offers",
        "search_index_lag_events 0",
        "webhook_deliveries_pending 0",
    ] {
        assert!(text.contains(gauge), "no {gauge} in {text}");
    }
    assert!(!text.contains(&partner.token), "no token in a label");
}
