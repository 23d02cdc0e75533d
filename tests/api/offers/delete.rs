use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, valid_offer};

#[actix_web::test]
async fn delete_returns_the_offer_then_409_and_the_remote_id_can_be_reused() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let (status, body) = app.delete(&partner, "o1").await;
    assert_eq!(
        (status, body["remote_id"].clone()),
        (StatusCode::OK, json!("o1"))
    );
    let (status, body) = app.delete(&partner, "o1").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body,
        json!({"code": "API_ALREADY_DESTROYED", "error": "api already destroyed"})
    );
    let (status, _) = app.create(&partner, valid_offer("o1")).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a deleted remote_id can be created again"
    );
    assert_eq!(
        app.delete(&partner, "o1").await.0,
        StatusCode::OK,
        "and deleted again"
    );
}

#[actix_web::test]
async fn delete_is_scoped_to_the_callers_operator() {
    let app = TestApp::spawn().await;
    let mine = app.operator("JobIRL", false);
    let theirs = app.operator("MyFuture", false);
    app.create(&theirs, valid_offer("t1")).await;
    let (status, body) = app.delete(&mine, "t1").await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::FORBIDDEN, json!("FORBIDDEN"))
    );
    let (status, body) = app.delete(&mine, "unknown").await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!("NOT_FOUND"))
    );
    assert_eq!(
        app.list(&theirs, "").await.1["pagination"]["totalInternshipOffers"],
        1,
        "nothing was deleted"
    );
}
