use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp, field_errors, valid_offer};

fn today() -> chrono::NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .date_naive()
}

#[actix_web::test]
async fn offer_stats_sum_views_clicks_accounts_and_applications() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let other = app.operator("MyFuture", false);
    app.create(&partner, valid_offer("o1")).await;
    app.create(&other, valid_offer("theirs")).await;
    let id = app.offer_id("o1");
    let pupil = app.student("Camille");
    app.page(&format!("/offres-de-stage/{id}")).await;
    app.page(&format!("/offres-de-stage/{id}/postuler?msta={pupil}"))
        .await;
    app.request(
        Method::POST,
        "/api/operator_account_activities/create_account",
        Some(&partner.token),
        Body::Json(json!({"remote_id": "o1", "student_id": pupil})),
    )
    .await;
    for status in ["application_submitted", "application_approved"] {
        let fields = json!({"application_tracking": {"remote_id": "o1", "ms3e_student_id": pupil, "remote_status": status}});
        app.request(
            Method::POST,
            "/api/application_trackings",
            Some(&partner.token),
            Body::Json(fields),
        )
        .await;
    }
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers/o1/stats",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let day = today().to_string();
    assert_eq!(
        body,
        json!({
            "remote_id": "o1", "views": 1, "apply_clicks": 1, "accounts_created": 1,
            "applications": {"submitted": 1, "approved": 1, "rejected": 0, "canceled": 0},
            "max_candidates": 2, "remaining_seats": 1, "first_activity_on": day, "last_activity_on": day
        })
    );
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers/theirs/stats",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::FORBIDDEN, json!("FORBIDDEN"))
    );
    let (status, _) = app
        .request(
            Method::GET,
            "/api/internship_offers/nowhere/stats",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, fresh) = app
        .request(
            Method::GET,
            "/api/internship_offers/theirs/stats",
            Some(&other.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (fresh["views"].clone(), fresh["first_activity_on"].clone()),
        (json!(0), json!(null))
    );
}

#[actix_web::test]
async fn operator_stats_are_per_day_and_scoped() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let other = app.operator("MyFuture", false);
    app.create(&partner, valid_offer("o1")).await;
    app.create(&other, valid_offer("theirs")).await;
    for remote_id in ["o1", "o1", "theirs"] {
        app.page(&format!("/offres-de-stage/{}", app.offer_id(remote_id)))
            .await;
    }
    let (status, body) = app
        .request(Method::GET, "/api/stats", Some(&partner.token), Body::None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["days"].as_array().map(Vec::len),
        Some(30),
        "the last 30 days by default"
    );
    assert_eq!(body["totals"]["views"], 2, "only the caller's offers");
    assert_eq!(body["to"], today().to_string());
    let last = &body["days"][29];
    assert_eq!(
        (last["date"].clone(), last["views"].clone()),
        (json!(today().to_string()), json!(2))
    );
    let from = (today() - Duration::days(3)).to_string();
    let (_, ranged) = app
        .request(
            Method::GET,
            &format!("/api/stats?from={from}&to={}", today()),
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(ranged["days"].as_array().map(Vec::len), Some(4));
    let (_, past) = app
        .request(
            Method::GET,
            "/api/stats?from=2025-01-01&to=2025-01-31",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(past["totals"]["views"], 0);
}

#[actix_web::test]
async fn bad_stats_ranges_are_a_400() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let cases = [
        ("?from=2025-13-01", "from"),
        ("?to=yesterday", "to"),
        ("?from=2025-03-10&to=2025-03-01", "from"),
        ("?from=2024-01-01&to=2025-06-01", "to"),
    ];
    for (query, field) in cases {
        let (status, body) = app
            .request(
                Method::GET,
                &format!("/api/stats{query}"),
                Some(&partner.token),
                Body::None,
            )
            .await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::BAD_REQUEST, json!("VALIDATION_ERROR")),
            "{query}"
        );
        assert!(!field_errors(&body, field).is_empty(), "{query}: {body}");
    }
}
