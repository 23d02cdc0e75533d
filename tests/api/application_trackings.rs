//! POST /api/application_trackings and the seats approvals take.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, TestPartner, field_errors, offer_with, valid_offer};

const TRACKINGS: &str = "/api/application_trackings";

async fn track(app: &TestApp, partner: &TestPartner, fields: Value) -> (StatusCode, Value) {
    app.request(
        Method::POST,
        TRACKINGS,
        Some(&partner.token),
        Body::Json(json!({ "application_tracking": fields })),
    )
    .await
}

#[actix_web::test]
async fn application_trackings_record_statuses_once() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let pupil = app.student("Camille");
    let (status, body) = track(&app, &partner, json!({"remote_id": "o1", "ms3e_student_id": pupil, "remote_status": "application_submitted"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (
            body["remote_status"].clone(),
            body["ms3e_student_id"].clone()
        ),
        (json!("application_submitted"), json!(pupil))
    );
    let (status, body) = track(&app, &partner, json!({"remote_id": "o1", "ms3e_student_id": pupil, "remote_status": "application_submitted"})).await;
    assert_eq!(
        (status, body["code"].clone()),
        (
            StatusCode::CONFLICT,
            json!("DUPLICATE_APPLICATION_TRACKING")
        )
    );
    let (status, body) = track(&app, &partner, json!({"remote_id": "o1", "ms3e_student_id": pupil.to_string(), "remote_status": "application_accepted"})).await;
    assert_eq!(
        (status, body["remote_status"].clone()),
        (StatusCode::CREATED, json!("application_approved")),
        "the original doc's word"
    );
    let (status, _) = track(
        &app,
        &partner,
        json!({"remote_id": "o1", "remote_status": "application_submitted"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "the pupil is optional");
}

#[actix_web::test]
async fn application_tracking_errors() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let other = app.operator("MyFuture", false);
    app.create(&partner, valid_offer("o1")).await;
    app.create(&other, valid_offer("theirs")).await;
    let (status, body) = app
        .request(
            Method::POST,
            TRACKINGS,
            Some(&partner.token),
            Body::Json(json!({"remote_id": "o1"})),
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("BAD_PAYLOAD"))
    );
    let (status, body) = track(
        &app,
        &partner,
        json!({"remote_id": "o1", "remote_status": "application_submitted_xxxx"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({"code": "BAD_ARGUMENT", "error": "'application_submitted_xxxx' is not a valid remote_status"})
    );
    let (status, body) = track(&app, &partner, json!({"remote_id": "o1", "ms3e_student_id": "abc", "remote_status": "application_submitted"})).await;
    assert_eq!(
        (status, field_errors(&body, "ms3e_student_id").len()),
        (StatusCode::BAD_REQUEST, 1)
    );
    let (status, body) = track(
        &app,
        &partner,
        json!({"remote_status": "application_submitted"}),
    )
    .await;
    assert_eq!(
        (status, field_errors(&body, "remote_id")),
        (
            StatusCode::BAD_REQUEST,
            vec!["Missing remote_id".to_owned()]
        )
    );
    for remote_id in ["unknown", "theirs"] {
        let (status, body) = track(
            &app,
            &partner,
            json!({"remote_id": remote_id, "remote_status": "application_submitted"}),
        )
        .await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::NOT_FOUND, json!("NOT_FOUND")),
            "{remote_id}"
        );
    }
    let (status, _) = track(&app, &partner, json!({"remote_id": "o1", "ms3e_student_id": 999_999, "remote_status": "application_submitted"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn in_search(app: &TestApp, caller: &TestPartner) -> usize {
    app.index_caught_up();
    let (_, body) = app
        .request(
            Method::GET,
            "/api/internship_offers/search",
            Some(&caller.token),
            Body::None,
        )
        .await;
    body["internshipOffers"].as_array().map_or(0, Vec::len)
}

#[actix_web::test]
async fn approvals_take_seats_and_full_offers_leave_the_search() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let caller = app.operator("Catalogue", true);
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    app.create(
        &partner,
        offer_with(
            "o1",
            json!({"max_candidates": 1, "weeks": [format!("{next_year}-W10")]}),
        ),
    )
    .await;
    let (a, b) = (app.student("A"), app.student("B"));
    assert_eq!(in_search(&app, &caller).await, 1);
    let (status, body) = track(
        &app,
        &partner,
        json!({"remote_id": "o1", "ms3e_student_id": a, "remote_status": "application_approved"}),
    )
    .await;
    assert_eq!(
        (status, body["remaining_seats"].clone()),
        (StatusCode::CREATED, json!(0))
    );
    assert_eq!(
        in_search(&app, &caller).await,
        0,
        "a full offer leaves the catalogue"
    );
    let (status, body) = track(
        &app,
        &partner,
        json!({"remote_id": "o1", "ms3e_student_id": b, "remote_status": "application_approved"}),
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("NO_SEAT_LEFT"))
    );
    assert_eq!(
        app.patch(&partner, "o1", json!({"max_candidates": 2}))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(track(&app, &partner, json!({"remote_id": "o1", "ms3e_student_id": b, "remote_status": "application_approved"})).await.0, StatusCode::CREATED);
    let (status, body) = app
        .patch(&partner, "o1", json!({"max_candidates": 1}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        field_errors(&body, "max_candidates")[0]
            .starts_with("Impossible de réduire le nombre de places")
    );
    let (status, body) = track(
        &app,
        &partner,
        json!({"remote_id": "o1", "ms3e_student_id": a, "remote_status": "application_canceled"}),
    )
    .await;
    assert_eq!(
        (status, body["remaining_seats"].clone()),
        (StatusCode::CREATED, json!(1)),
        "a cancellation frees the seat"
    );
    assert_eq!(in_search(&app, &caller).await, 1);
}

#[actix_web::test]
async fn concurrent_approvals_never_overbook() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, offer_with("o1", json!({"max_candidates": 3})))
        .await;
    let pupils: Vec<i64> = (0..10).map(|i| app.student(&format!("P{i}"))).collect();
    let approvals = pupils.iter().map(|p| track(&app, &partner, json!({"remote_id": "o1", "ms3e_student_id": p, "remote_status": "application_approved"})));
    let results = futures_util::future::join_all(approvals).await;
    let accepted = results
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .count();
    assert_eq!(accepted, 3);
    assert!(
        results
            .iter()
            .all(|(status, body)| *status == StatusCode::CREATED || body["code"] == "NO_SEAT_LEFT")
    );
}
