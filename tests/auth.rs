use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp, valid_offer};

const WRONG_TOKEN: &str = r#"{"code":"UNAUTHORIZED","error":"wrong api token"}"#;

#[actix_web::test]
async fn every_route_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    let expected: serde_json::Value = serde_json::from_str(WRONG_TOKEN).unwrap_or_default();
    let routes = [
        (Method::GET, "/api/internship_offers"),
        (Method::POST, "/api/internship_offers"),
        (Method::PATCH, "/api/internship_offers/x"),
        (Method::PUT, "/api/internship_offers/x"),
        (Method::DELETE, "/api/internship_offers/x"),
        (Method::GET, "/api/sectors"),
    ];
    for (method, path) in routes {
        for token in [None, Some("not-a-token")] {
            let (status, body) = app
                .request(
                    method.clone(),
                    path,
                    token,
                    Body::Json(json!({"internship_offer": {"title": "t"}})),
                )
                .await;
            assert_eq!(
                (status, body.clone()),
                (StatusCode::UNAUTHORIZED, expected.clone()),
                "{method} {path}"
            );
        }
    }
}

#[actix_web::test]
async fn a_malformed_body_with_a_bad_token_is_a_401() {
    let app = TestApp::spawn().await;
    let (status, _) = app
        .request(
            Method::POST,
            "/api/internship_offers",
            Some("nope"),
            Body::Raw("application/json".into(), b"{oops".to_vec()),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[actix_web::test]
async fn the_token_param_holds_a_bearer_string_and_the_header_wins() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let query = format!("/api/sectors?token=Bearer%20{}", partner.token);
    assert_eq!(
        app.request(Method::GET, &query, None, Body::None).await.0,
        StatusCode::OK
    );
    let bare = format!("/api/sectors?token={}", partner.token);
    assert_eq!(
        app.request(Method::GET, &bare, None, Body::None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let in_body = json!({"token": format!("Bearer {}", partner.token), "internship_offer": valid_offer("via-body")});
    let (status, _) = app
        .request(
            Method::POST,
            "/api/internship_offers",
            None,
            Body::Json(in_body),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let form = format!("token=Bearer+{}", partner.token);
    assert_eq!(
        app.request(
            Method::GET,
            "/api/internship_offers",
            None,
            Body::Form(form)
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        app.request(Method::GET, &query, Some("wrong"), Body::None)
            .await
            .0,
        StatusCode::UNAUTHORIZED,
        "header wins"
    );
}

#[actix_web::test]
async fn a_rotated_token_is_refused_at_once_by_every_instance() {
    let first = TestApp::spawn().await;
    let second = first.second_instance().await;
    let partner = first.operator("JobIRL", false);
    for app in [&first, &second] {
        assert_eq!(sectors(app, &partner.token).await, StatusCode::OK);
    }
    let rotated = monstage::admin::rotate_token(
        &mut first.db.conn(),
        &first.key,
        partner.account_id,
        &crate::helpers::console(),
    )
    .expect("rotated");
    for app in [&first, &second] {
        assert_eq!(sectors(app, &partner.token).await, StatusCode::UNAUTHORIZED);
        assert_eq!(sectors(app, &rotated.api_token).await, StatusCode::OK);
    }
}

async fn sectors(app: &TestApp, token: &str) -> StatusCode {
    app.request(Method::GET, "/api/sectors", Some(token), Body::None)
        .await
        .0
}
