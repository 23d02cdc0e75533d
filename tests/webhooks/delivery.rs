use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Receiver, deliveries, subscribe, wait_for_status};
use crate::helpers::{Body, TestApp, offer_with, valid_offer};

const OFFER_EVENTS: [&str; 4] = [
    "offer.created",
    "offer.updated",
    "offer.unpublished",
    "offer.deleted",
];

#[actix_web::test]
async fn offer_changes_and_pupil_activity_arrive_signed_in_their_documented_shape() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let teammate = app.teammate(&partner, "collegue@partner.test");
    let receiver = Receiver::start().await;
    let mut events = OFFER_EVENTS.to_vec();
    events.extend([
        "offer.full",
        "pupil.apply_clicked",
        "application.status_recorded",
    ]);
    let (_, secret) = subscribe(&app, &partner, &receiver.url, &events).await;
    let pupil = app.student("Camille");

    let (status, _) = app
        .create(&partner, offer_with("o1", json!({"max_candidates": 1})))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.patch(&teammate, "o1", json!({"title": "Cuisine et pâtisserie"}))
        .await;
    app.patch(&partner, "o1", json!({"published_at": null}))
        .await;
    let id = app.offer_id("o1");
    app.patch(
        &partner,
        "o1",
        json!({"published_at": "2026-01-05T10:00:00+01:00"}),
    )
    .await;
    app.page(&format!("/offres-de-stage/{id}/postuler?msta={pupil}"))
        .await;
    let tracking = json!({"application_tracking": {"remote_id": "o1", "ms3e_student_id": pupil, "remote_status": "application_approved"}});
    let (status, _) = app
        .request(
            Method::POST,
            "/api/application_trackings",
            Some(&partner.token),
            Body::Json(tracking),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.delete(&partner, "o1").await;

    let received = receiver.wait_for(8).await;
    let mut types: Vec<String> = received
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    types.sort();
    let mut expected = vec![
        "offer.created",
        "offer.updated",
        "offer.unpublished",
        "offer.updated",
        "pupil.apply_clicked",
        "application.status_recorded",
        "offer.full",
        "offer.deleted",
    ];
    expected.sort_unstable();
    assert_eq!(types, expected);
    let now = Utc::now().timestamp();
    for request in &received {
        let body = request.json();
        assert!(
            request.signed_with(&secret),
            "signature of {}",
            request.body
        );
        assert!(!request.signed_with("whsec_another"));
        assert_eq!(body["id"].as_str(), Some(request.id.as_str()));
        assert!((now - request.timestamp.parse::<i64>().unwrap()).abs() < 60);
        assert_eq!(
            body.as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>()),
            Some(vec![
                "id".into(),
                "type".into(),
                "created_at".into(),
                "data".into()
            ])
        );
        assert_eq!(body["data"]["remote_id"], "o1");
        match body["type"].as_str().unwrap_or_default() {
            "offer.deleted" => assert!(body["data"].get("offer").is_none()),
            "pupil.apply_clicked" | "application.status_recorded" => {
                assert_eq!(body["data"]["student_id"], pupil)
            }
            _ => assert_eq!(
                body["data"]["offer"].as_object().map(|o| o.len()),
                Some(15),
                "{body}"
            ),
        }
    }
    let ids: std::collections::HashSet<&str> = received.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), received.len());
    wait_for_status(&app, &partner, "delivered", 8).await;
}

#[actix_web::test]
async fn a_failing_receiver_is_retried_until_it_succeeds_and_each_try_is_kept() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    receiver.answer(&[500, 503]);
    subscribe(&app, &partner, &receiver.url, &["offer.created"]).await;
    app.create(&partner, valid_offer("o1")).await;

    let received = receiver.wait_for(3).await;
    assert!(
        received.iter().all(|r| r.id == received[0].id),
        "one event id across retries"
    );
    let delivered = wait_for_status(&app, &partner, "delivered", 1).await;
    assert_eq!(
        (
            delivered[0]["attempts"].as_i64(),
            delivered[0]["last_status_code"].as_i64()
        ),
        (Some(3), Some(200))
    );
    let tries: Vec<Option<i32>> = diesel::RunQueryDsl::load::<Try>(
        diesel::sql_query("SELECT status_code FROM webhook_attempts ORDER BY id"),
        &mut app.db.conn(),
    )
    .unwrap()
    .into_iter()
    .map(|t| t.status_code)
    .collect();
    assert_eq!(tries, vec![Some(500), Some(503), Some(200)]);
}

#[derive(diesel::QueryableByName)]
struct Try {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    status_code: Option<i32>,
}

#[actix_web::test]
async fn gone_disables_the_subscription() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    receiver.answer(&[410]);
    subscribe(&app, &partner, &receiver.url, &["offer.created"]).await;
    app.create(&partner, valid_offer("o1")).await;
    receiver.wait_for(1).await;
    wait_for_status(&app, &partner, "cancelled", 1).await;
    let (_, listed) = app
        .request(
            Method::GET,
            "/api/webhooks",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (
            listed["webhooks"][0]["active"].as_bool(),
            listed["webhooks"][0]["disabled_reason"].as_str()
        ),
        (Some(false), Some("410 Gone"))
    );
    let id = listed["webhooks"][0]["id"].as_i64().unwrap();
    let path = format!("/api/webhooks/{id}/ping");
    let (status, _) = app
        .request(Method::POST, &path, Some(&partner.token), Body::None)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a disabled subscription is not pinged"
    );
    app.create(&partner, valid_offer("o2")).await;
    app.index_caught_up();
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 1);
}

#[actix_web::test]
async fn deliveries_are_replayed_one_by_one_or_by_time_range() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    let (id, _) = subscribe(
        &app,
        &partner,
        &receiver.url,
        &["offer.created", "offer.deleted"],
    )
    .await;
    let since = Utc::now();
    app.create(&partner, valid_offer("o1")).await;
    app.delete(&partner, "o1").await;
    let delivered = wait_for_status(&app, &partner, "delivered", 2).await;
    let created = delivered
        .iter()
        .find(|d| d["type"] == "offer.created")
        .unwrap();

    let path = format!("/api/webhooks/deliveries/{}/replay", created["id"]);
    let (status, replayed) = app
        .request(Method::POST, &path, Some(&partner.token), Body::None)
        .await;
    assert_eq!(
        (status, &replayed["event_id"]),
        (StatusCode::ACCEPTED, &created["event_id"])
    );
    let received = receiver.wait_for(3).await;
    assert_eq!(received[2].id, created["event_id"].as_str().unwrap());

    let range = json!({"since": since.to_rfc3339(), "subscription_id": id});
    let (status, answer) = app
        .request(
            Method::POST,
            "/api/webhooks/replay",
            Some(&partner.token),
            Body::Json(range),
        )
        .await;
    assert_eq!(
        (status, answer["replayed"].as_i64()),
        (StatusCode::ACCEPTED, Some(2))
    );
    receiver.wait_for(5).await;
    assert_eq!(
        deliveries(&app, &partner, "?type=offer.created")
            .await
            .len(),
        3
    );

    let other = app.operator("MyFuture", false);
    let (status, _) = app
        .request(Method::POST, &path, Some(&other.token), Body::None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn two_instances_deliver_each_event_exactly_once() {
    let app = TestApp::spawn().await;
    let second = app.second_instance().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    subscribe(
        &app,
        &partner,
        &receiver.url,
        &["offer.created", "offer.updated"],
    )
    .await;
    for n in 0..30 {
        let instance = if n % 2 == 0 { &app } else { &second };
        let (status, _) = instance
            .create(&partner, valid_offer(&format!("o{n}")))
            .await;
        assert_eq!(status, StatusCode::CREATED);
        instance
            .patch(
                &partner,
                &format!("o{n}"),
                json!({"title": "Nouveau titre"}),
            )
            .await;
    }
    receiver.wait_for(60).await;
    wait_for_status(&app, &partner, "delivered", 60).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let mut per_id: HashMap<String, usize> = HashMap::new();
    for request in receiver.received() {
        *per_id.entry(request.id).or_default() += 1;
    }
    assert_eq!(per_id.len(), 60);
    assert!(per_id.values().all(|n| *n == 1), "{per_id:?}");
}

#[actix_web::test]
async fn a_hanging_receiver_never_holds_the_api_back() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    receiver.hang(Some(Duration::from_secs(30)));
    subscribe(&app, &partner, &receiver.url, &["offer.created"]).await;
    app.create(&partner, valid_offer("first")).await;
    receiver.wait_for(1).await;
    // The receiver holds its connection; the API keeps answering meanwhile.
    for n in 0..20 {
        let (status, _) = app.create(&partner, valid_offer(&format!("o{n}"))).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = app.list(&partner, "").await;
        assert_eq!(status, StatusCode::OK);
    }
    // The try times out (2 s in tests) and is recorded; the next one comes later.
    for _ in 0..200 {
        let timed_out = deliveries(&app, &partner, "").await.into_iter().any(|d| {
            d["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("délai"))
        });
        if timed_out {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the hanging try was never recorded as timed out");
}

#[actix_web::test]
async fn a_stopping_worker_hands_back_its_unfinished_deliveries() {
    let mut app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    receiver.hang(Some(Duration::from_secs(30)));
    subscribe(&app, &partner, &receiver.url, &["offer.created"]).await;
    app.create(&partner, valid_offer("first")).await;
    receiver.wait_for(1).await;
    let leased = "SELECT count(*) AS n FROM webhook_deliveries \
                  WHERE status = 'pending' AND attempts = 0 AND next_attempt_at > now()";
    assert_eq!(app.count(leased), 1, "claimed for the length of its lease");

    let stopping = std::time::Instant::now();
    app.stop_webhook_worker().await;
    assert!(
        stopping.elapsed() < Duration::from_secs(2),
        "{:?}",
        stopping.elapsed()
    );
    let due = "SELECT count(*) AS n FROM webhook_deliveries \
               WHERE status = 'pending' AND attempts = 0 AND next_attempt_at <= now()";
    assert_eq!(
        app.count(due),
        1,
        "handed back: due at once, no try counted"
    );

    // Another instance delivers it without waiting for the lease to run out.
    receiver.hang(None);
    let _second = app.second_instance().await;
    receiver.wait_for(2).await;
    let delivered = wait_for_status(&app, &partner, "delivered", 1).await;
    assert_eq!(delivered.len(), 1);
}
