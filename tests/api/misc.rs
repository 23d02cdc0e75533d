use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp, valid_offer};

#[actix_web::test]
async fn sectors_are_the_documented_referential() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (status, body) = app
        .request(
            Method::GET,
            "/api/sectors",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let sectors = body["sectors"].as_array().cloned().unwrap_or_default();
    assert_eq!(sectors.len(), 47);
    let keys: Vec<String> = sectors[0]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(keys, ["id", "name", "external_url", "uuid"]);
    let find = |uuid: &str| {
        sectors
            .iter()
            .find(|s| s["uuid"] == uuid)
            .map(|s| s["name"].clone())
    };
    assert_eq!(
        find("1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6"),
        Some(json!("Artisanat d'art"))
    );
    assert_eq!(
        find("156f75da-37ee-41f8-ade4-94ea23acf715"),
        Some(json!("Services postaux"))
    );
}

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
