//! Reading one offer, and conditional requests: ETag, If-None-Match (304), If-Match (412).
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestPartner, valid_offer};

/// Sends a request with extra headers: status, headers, body text.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.unwrap_or_default())
}

fn etag(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[actix_web::test]
async fn one_offer_is_read_with_its_etag_and_not_sent_again_when_unchanged() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let other = app.operator("MyFuture", false);
    let (_, created) = app.create(&partner, valid_offer("o1")).await;
    let path = "/api/internship_offers/o1";

    let (status, headers, body) = send(&app, Method::GET, path, &partner.token, &[], None).await;
    assert_eq!(status, StatusCode::OK);
    let read: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(read, created, "the 15-key offer JSON");
    let tag = etag(&headers);
    assert!(tag.starts_with('"'), "{tag}");

    let (status, headers, body) = send(
        &app,
        Method::GET,
        path,
        &partner.token,
        &[("If-None-Match", &tag)],
        None,
    )
    .await;
    assert_eq!(
        (status, body.as_str(), etag(&headers)),
        (StatusCode::NOT_MODIFIED, "", tag.clone())
    );

    app.patch(&partner, "o1", json!({"title": "Un autre titre"}))
        .await;
    let (status, headers, _) = send(
        &app,
        Method::GET,
        path,
        &partner.token,
        &[("If-None-Match", &tag)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(etag(&headers), tag);

    let (status, _, body) = send(&app, Method::GET, path, &other.token, &[], None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/api/internship_offers/none",
        &partner.token,
        &[],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.delete(&partner, "o1").await;
    let (status, _, body) = send(&app, Method::GET, path, &partner.token, &[], None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a deleted offer: {body}");
}

#[actix_web::test]
async fn lists_and_sectors_carry_an_etag() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    for path in ["/api/internship_offers", "/api/sectors"] {
        let (status, headers, _) = send(&app, Method::GET, path, &partner.token, &[], None).await;
        assert_eq!(status, StatusCode::OK);
        let tag = etag(&headers);
        let (status, _, body) = send(
            &app,
            Method::GET,
            path,
            &partner.token,
            &[("If-None-Match", &format!("\"other\", {tag}"))],
            None,
        )
        .await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::NOT_MODIFIED, ""),
            "{path}"
        );
    }
    let (_, headers, _) = send(
        &app,
        Method::GET,
        "/api/internship_offers",
        &partner.token,
        &[],
        None,
    )
    .await;
    let before = etag(&headers);
    app.create(&partner, valid_offer("o2")).await;
    let (status, _, _) = send(
        &app,
        Method::GET,
        "/api/internship_offers",
        &partner.token,
        &[("If-None-Match", &before)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the list changed");
}

async fn current_tag(app: &TestApp, partner: &TestPartner) -> String {
    let (_, headers, _) = send(
        app,
        Method::GET,
        "/api/internship_offers/o1",
        &partner.token,
        &[],
        None,
    )
    .await;
    etag(&headers)
}

#[actix_web::test]
async fn changes_with_a_stale_if_match_are_refused_with_412() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let seen = current_tag(&app, &partner).await;
    let path = "/api/internship_offers/o1";
    let change = json!({"internship_offer": {"title": "Changé par un collègue"}});

    // A write with the current tag goes through and answers the new tag.
    let (status, headers, _) = send(
        &app,
        Method::PATCH,
        path,
        &partner.token,
        &[("If-Match", &seen)],
        Some(change.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let now = etag(&headers);
    assert_eq!(now, current_tag(&app, &partner).await);
    assert_ne!(now, seen);

    // The stale tag is refused by PATCH, PUT and DELETE, and nothing changes.
    for method in [Method::PATCH, Method::PUT, Method::DELETE] {
        let body = (method != Method::DELETE)
            .then(|| json!({"internship_offer": {"title": "Écrase tout"}}));
        let (status, _, answer) = send(
            &app,
            method.clone(),
            path,
            &partner.token,
            &[("If-Match", &seen)],
            body,
        )
        .await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{method}");
        assert_eq!(
            serde_json::from_str::<Value>(&answer).unwrap()["code"],
            "PRECONDITION_FAILED"
        );
    }
    assert_eq!(current_tag(&app, &partner).await, now);

    // `*` asks only that the offer exists; a deleted offer has no version left.
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        path,
        &partner.token,
        &[("If-Match", "*")],
        Some(change.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let tag = current_tag(&app, &partner).await;
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        path,
        &partner.token,
        &[("If-Match", &tag)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = send(
        &app,
        Method::DELETE,
        path,
        &partner.token,
        &[("If-Match", "*")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let (status, _, _) = send(&app, Method::DELETE, path, &partner.token, &[], None).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "without If-Match, the original's 409"
    );
}

#[actix_web::test]
async fn an_update_that_changes_nothing_writes_nothing() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let before = current_tag(&app, &partner).await;
    let events = || app.count("SELECT count(*) AS n FROM offer_events");
    let logged = events();
    let same = valid_offer("o1");
    let (status, body) = app.patch(&partner, "o1", same.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app
        .patch(
            &partner,
            "o1",
            json!({"weeks": ["2026-W11", "2026-W10"], "title": same["title"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (current_tag(&app, &partner).await, events()),
        (before.clone(), logged),
        "no write, no event"
    );

    let (status, _) = app
        .patch(&partner, "o1", json!({"weeks": ["2026-W10"]}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(current_tag(&app, &partner).await, before);
    assert_eq!(events(), logged + 1);
}
