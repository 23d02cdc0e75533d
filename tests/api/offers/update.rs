use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp, field_errors, valid_offer};

#[actix_web::test]
async fn patch_changes_only_the_fields_sent() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let (status, body) = app
        .patch(
            &partner,
            "o1",
            json!({"title": "hellow", "max_candidates": 5, "siret": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["title"].clone(), body["max_candidates"].clone()),
        (json!("hellow"), json!(5))
    );
    assert_eq!(body["city"], "Paris");
    assert_eq!(app.week_count("o1"), 2);
}

#[actix_web::test]
async fn put_behaves_like_patch() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let path = "/api/internship_offers/o1";
    let (status, body) = app
        .request(
            Method::PUT,
            path,
            Some(&partner.token),
            Body::Json(json!({"internship_offer": {"city": "Lyon"}})),
        )
        .await;
    assert_eq!(
        (status, body["city"].clone()),
        (StatusCode::OK, json!("Lyon"))
    );
}

#[actix_web::test]
async fn remote_ids_are_looked_up_within_the_callers_operator() {
    let app = TestApp::spawn().await;
    let mine = app.operator("JobIRL", false);
    let theirs = app.operator("MyFuture", false);
    app.create(&theirs, valid_offer("shared")).await;
    app.create(&theirs, valid_offer("only-theirs")).await;
    app.create(&mine, valid_offer("shared")).await;
    let (status, body) = app.patch(&mine, "shared", json!({"title": "mine"})).await;
    assert_eq!(
        (status, body["title"].clone()),
        (StatusCode::OK, json!("mine"))
    );
    let (status, body) = app.patch(&mine, "only-theirs", json!({"title": "x"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body,
        json!({"code": "FORBIDDEN", "error": "You are not authorized to access this page."})
    );
    let (status, body) = app.patch(&mine, "nowhere", json!({"title": "x"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({"code": "NOT_FOUND", "error": "can't find internship_offer with this remote_id"})
    );
}

#[actix_web::test]
async fn patch_checks_apply_in_the_original_order() {
    let app = TestApp::spawn().await;
    let mine = app.operator("JobIRL", false);
    let theirs = app.operator("MyFuture", false);
    app.create(&mine, valid_offer("o1")).await;
    app.create(&theirs, valid_offer("t1")).await;
    let expectations = [
        ("nowhere", StatusCode::NOT_FOUND, "404 before the payload"),
        ("t1", StatusCode::UNPROCESSABLE_ENTITY, "payload before 403"),
        ("o1", StatusCode::UNPROCESSABLE_ENTITY, "missing payload"),
    ];
    for (remote_id, expected, why) in expectations {
        let path = format!("/api/internship_offers/{remote_id}");
        let (status, _) = app
            .request(
                Method::PATCH,
                &path,
                Some(&mine.token),
                Body::Json(json!({"x": 1})),
            )
            .await;
        assert_eq!(status, expected, "{why}");
    }
    let (status, _) = app.patch(&theirs, "o1", json!({"weeks": ["bad"]})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "403 before weeks");
    let (status, body) = app
        .patch(&mine, "o1", json!({"weeks": ["bad"], "title": ""}))
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("BAD_ARGUMENT")),
        "weeks before 400"
    );
    let (status, body) = app
        .patch(&mine, "o1", json!({"description": "a".repeat(501)}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"code": "VALIDATION_ERROR", "error": {"description": ["Description too long, allowed up 500 chars"]}})
    );
}

#[actix_web::test]
async fn empty_weeks_are_refused_and_delete_nothing() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let (status, body) = app.patch(&partner, "o1", json!({"weeks": []})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_errors(&body, "weeks"), ["Missing weeks"]);
    assert_eq!(app.week_count("o1"), 2);
    app.patch(&partner, "o1", json!({"published_at": null}))
        .await;
    assert_eq!(
        app.patch(&partner, "o1", json!({"weeks": []})).await.0,
        StatusCode::BAD_REQUEST,
        "also when unpublished"
    );
    assert_eq!(app.week_count("o1"), 2);
}

#[actix_web::test]
async fn weeks_are_replaced_wholesale() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let (status, _) = app
        .patch(
            &partner,
            "o1",
            json!({"weeks": ["2027-W02", "2027-W03", "2027-W4"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.week_count("o1"), 3);
}

#[actix_web::test]
async fn published_at_unpublishes_and_republishes_as_the_original() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let (status, body) = app
        .patch(&partner, "o1", json!({"published_at": null}))
        .await;
    assert_eq!(
        (status, body["published_at"].clone()),
        (StatusCode::OK, json!(null))
    );
    let (_, body) = app
        .patch(
            &partner,
            "o1",
            json!({"published_at": "2019-03-01T00:00:00+01:00"}),
        )
        .await;
    let republished = body["published_at"].as_str().unwrap_or_default().to_owned();
    assert!(
        !republished.starts_with("2019"),
        "republishing uses the current time: {republished}"
    );
    let (_, body) = app
        .patch(
            &partner,
            "o1",
            json!({"published_at": "2025-03-01T10:00:00+01:00"}),
        )
        .await;
    assert_eq!(
        body["published_at"], "2025-03-01T10:00:00.000+01:00",
        "a published offer stores the date sent"
    );
    let (_, body) = app
        .patch(&partner, "o1", json!({"title": "no publication change"}))
        .await;
    assert_eq!(body["published_at"], "2025-03-01T10:00:00.000+01:00");
    let (status, body) = app
        .patch(&partner, "o1", json!({"published_at": "someday"}))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an unreadable date is refused, not an unpublication"
    );
    assert!(!field_errors(&body, "published_at").is_empty());
}

#[actix_web::test]
async fn team_members_share_offers_and_patch_keeps_the_creator() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let teammate = app.teammate(&partner, "b@jobirl.test");
    app.create(&partner, valid_offer("o1")).await;
    let (status, _) = app
        .patch(&teammate, "o1", json!({"title": "by teammate"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, listing) = app.list(&partner, "").await;
    assert_eq!(listing["internshipOffers"][0]["title"], "by teammate");
}

#[actix_web::test]
async fn a_deleted_offer_can_still_be_patched_and_stays_deleted() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    app.delete(&partner, "o1").await;
    let (status, _) = app
        .patch(&partner, "o1", json!({"title": "still there"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.list(&partner, "").await.1["pagination"]["totalInternshipOffers"],
        0
    );
}

#[actix_web::test]
async fn patch_rejects_a_group_larger_than_the_seats() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("o1")).await;
    let (status, body) = app
        .patch(&partner, "o1", json!({"max_students_per_group": 3}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(field_errors(&body, "max_students_per_group").len(), 1);
    assert_eq!(
        app.patch(&partner, "o1", json!({"max_students_per_group": 2}))
            .await
            .0,
        StatusCode::OK
    );
}

#[actix_web::test]
async fn remote_ids_with_dots_and_spaces_work_in_paths() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, valid_offer("stage.v2 paris")).await;
    let (status, body) = app
        .patch(&partner, "stage.v2%20paris", json!({"title": "dotted"}))
        .await;
    assert_eq!(
        (status, body["remote_id"].clone()),
        (StatusCode::OK, json!("stage.v2 paris"))
    );
}
