//! Idempotency-Key on writes: replay, reuse, a key in use across two instances, 24 h expiry,
//! malformed keys.
use std::time::Duration;

use diesel::connection::SimpleConnection;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestPartner, valid_offer};

async fn keyed(
    app: &TestApp,
    partner: &TestPartner,
    method: Method,
    path: &str,
    key: &str,
    body: Option<Value>,
) -> (StatusCode, Option<String>, Value) {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(&partner.token)
        .header("Idempotency-Key", key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, replayed, response.json().await.unwrap_or_default())
}

fn create_body(remote_id: &str) -> Option<Value> {
    Some(json!({ "internship_offer": valid_offer(remote_id) }))
}

#[actix_web::test]
async fn the_same_request_with_the_same_key_gets_the_first_answer_again() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let path = "/api/internship_offers";
    let first = keyed(
        &app,
        &partner,
        Method::POST,
        path,
        "\"create-o1\"",
        create_body("o1"),
    )
    .await;
    assert_eq!((first.0, first.1.as_deref()), (StatusCode::CREATED, None));
    let again = keyed(
        &app,
        &partner,
        Method::POST,
        path,
        "\"create-o1\"",
        create_body("o1"),
    )
    .await;
    assert_eq!(
        (again.0, again.1.as_deref()),
        (StatusCode::CREATED, Some("true"))
    );
    assert_eq!(again.2, first.2);
    assert_eq!(app.week_count("o1"), 2, "one offer, written once");

    // A retried delete answers 200 again, not the original's 409.
    let deleted = keyed(
        &app,
        &partner,
        Method::DELETE,
        "/api/internship_offers/o1",
        "delete-o1",
        None,
    )
    .await;
    let again = keyed(
        &app,
        &partner,
        Method::DELETE,
        "/api/internship_offers/o1",
        "delete-o1",
        None,
    )
    .await;
    assert_eq!(
        (deleted.0, again.0, again.1.as_deref()),
        (StatusCode::OK, StatusCode::OK, Some("true"))
    );

    // Without a key, nothing changes: the second delete is the original's 409.
    assert_eq!(app.delete(&partner, "o1").await.0, StatusCode::CONFLICT);

    // Keys belong to an operator: another one may use the same key.
    let other = app.operator("MyFuture", false);
    let theirs = keyed(
        &app,
        &other,
        Method::POST,
        path,
        "\"create-o1\"",
        create_body("o1"),
    )
    .await;
    assert_eq!((theirs.0, theirs.1), (StatusCode::CREATED, None));
}

#[actix_web::test]
async fn a_key_used_by_another_request_is_refused() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let path = "/api/internship_offers";
    keyed(&app, &partner, Method::POST, path, "k1", create_body("o1")).await;
    for (method, path, body) in [
        (Method::POST, path, create_body("o2")),
        (
            Method::PATCH,
            "/api/internship_offers/o1",
            Some(json!({"internship_offer": {"title": "x"}})),
        ),
    ] {
        let (status, _, answer) = keyed(&app, &partner, method, path, "k1", body).await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("IDEMPOTENCY_KEY_REUSED")
            )
        );
    }
    assert_eq!(app.offer_id("o2"), -1);

    // After 24 hours the key is free again.
    app.db
        .conn()
        .batch_execute("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'")
        .unwrap();
    let (status, replayed, _) =
        keyed(&app, &partner, Method::POST, path, "k1", create_body("o2")).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, None));
}

#[actix_web::test]
async fn malformed_keys_are_a_400() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let long = "k".repeat(256);
    for key in ["", "\"\"", long.as_str(), "clé-accentuée", "a\"b"] {
        let (status, _, answer) = keyed(
            &app,
            &partner,
            Method::POST,
            "/api/internship_offers",
            key,
            create_body("o1"),
        )
        .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("IDEMPOTENCY_KEY_MALFORMED")),
            "{key:?}"
        );
    }
    // The token in the body (the original's `token` parameter) cannot carry a key.
    let response = app
        .client
        .post(format!("{}/api/internship_offers", app.address))
        .header("Idempotency-Key", "k2")
        .json(&json!({"token": format!("Bearer {}", partner.token), "internship_offer": valid_offer("o1")}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.offer_id("o1"), -1);
}

#[actix_web::test]
async fn a_key_in_use_on_one_instance_is_a_409_on_the_other() {
    let app = TestApp::spawn().await;
    let second = app.second_instance().await;
    let partner = app.operator("JobIRL", false);
    // Hold the offers table so that the first request stays inside its write.
    let mut holder = app.db.conn();
    holder
        .batch_execute("BEGIN; LOCK TABLE internship_offers IN ACCESS EXCLUSIVE MODE;")
        .unwrap();
    let first = {
        let (client, address, token) = (
            app.client.clone(),
            app.address.clone(),
            partner.token.clone(),
        );
        actix_web::rt::spawn(async move {
            client
                .post(format!("{address}/api/internship_offers"))
                .bearer_auth(token)
                .header("Idempotency-Key", "slow")
                .json(&json!({ "internship_offer": valid_offer("o1") }))
                .send()
                .await
                .map(|r| r.status())
        })
    };
    // Once the first instance has claimed the key, the second refuses to run it too.
    for _ in 0..200 {
        if app.count("SELECT count(*) AS n FROM idempotency_keys") == 1 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, _, answer) = keyed(
        &second,
        &partner,
        Method::POST,
        "/api/internship_offers",
        "slow",
        create_body("o1"),
    )
    .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::CONFLICT, Some("IDEMPOTENCY_KEY_IN_USE"))
    );
    holder.batch_execute("COMMIT").unwrap();
    assert_eq!(first.await.unwrap().ok(), Some(StatusCode::CREATED));
    let (status, replayed, _) = keyed(
        &second,
        &partner,
        Method::POST,
        "/api/internship_offers",
        "slow",
        create_body("o1"),
    )
    .await;
    assert_eq!(
        (status, replayed.as_deref()),
        (StatusCode::CREATED, Some("true"))
    );
}
