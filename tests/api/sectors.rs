//! GET /api/sectors.
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp};

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
