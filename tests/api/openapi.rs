//! The OpenAPI document: served, committed, true to the requests and errors.
use reqwest::{Method, StatusCode};

use crate::helpers::{Body, TestApp};

#[actix_web::test]
async fn openapi_document_and_swagger_ui_are_served() {
    let app = TestApp::spawn().await;
    let (status, doc) = app
        .request(Method::GET, "/api/openapi.json", None, Body::None)
        .await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/internship_offers",
        "/api/internship_offers/{remote_id}",
        "/api/sectors",
        "/api/internship_offers/search",
        "/api/internship_offers/{remote_id}/stats",
        "/api/stats",
        "/api/operator_account_activities/create_account",
        "/api/application_trackings",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    for method in ["patch", "put", "delete"] {
        assert!(
            doc["paths"]["/api/internship_offers/{remote_id}"][method].is_object(),
            "{method}"
        );
    }
    let page = app
        .client
        .get(format!("{}/api/docs/", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap_or_default().contains("swagger"));
}

#[actix_web::test]
async fn the_committed_openapi_document_is_up_to_date() {
    let app = TestApp::spawn().await;
    let (_, served) = app
        .request(Method::GET, "/api/openapi.json", None, Body::None)
        .await;
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/openapi.json"))
            .unwrap_or_default();
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap_or_default();
    assert!(
        served == committed,
        "doc/openapi.json is stale: run `make openapi`"
    );
}
