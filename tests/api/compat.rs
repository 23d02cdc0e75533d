//! The original docs' doubled /api prefix is served.
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp, valid_offer};

#[actix_web::test]
async fn the_original_docs_doubled_api_prefix_is_served() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let body = Body::Json(json!({"internship_offer": valid_offer("test")}));
    let (status, _) = app
        .request(
            Method::POST,
            "/api/api/internship_offers",
            Some(&partner.token),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .request(
            Method::DELETE,
            "/api/api/internship_offers/test",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}
