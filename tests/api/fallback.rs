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
            Method::GET,
            "/api/internship_offers/x",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("ROUTE_NOT_FOUND")),
        "no show route, as the original"
    );
}
