//! Unknown routes and methods answer the JSON envelope.
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp};

#[actix_web::test]
async fn unknown_routes_and_methods_answer_json() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (status, body) = app
        .request(Method::GET, "/api/nothing-here", None, Body::None)
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("ROUTE_NOT_FOUND"))
    );
    let (status, body) = app
        .request(
            Method::POST,
            "/api/internship_offers/x",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("ROUTE_NOT_FOUND")),
        "another method of the API on a known route, as the original"
    );
}

#[actix_web::test]
async fn methods_the_api_never_uses_are_a_405_with_allow() {
    let app = TestApp::spawn().await;
    for (method, path, allow) in [
        (Method::OPTIONS, "/api/internship_offers", "GET, POST"),
        (
            Method::TRACE,
            "/api/internship_offers/x",
            "GET, PATCH, PUT, DELETE",
        ),
        (Method::HEAD, "/api/sectors", "GET"),
        (Method::OPTIONS, "/api/internship_offers/x/stats", "GET"),
    ] {
        let response = app
            .client
            .request(method.clone(), format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        if method != Method::HEAD {
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(
                body,
                json!({"code": "METHOD_NOT_ALLOWED", "error": "Method Not Allowed"})
            );
        }
    }
    let (status, body) = app
        .request(Method::OPTIONS, "/api/nothing-here", None, Body::None)
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("ROUTE_NOT_FOUND"))
    );
}

#[actix_web::test]
async fn the_token_endpoint_answers_json_to_other_methods() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/oauth/token", app.address))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["code"], "ROUTE_NOT_FOUND");
}
