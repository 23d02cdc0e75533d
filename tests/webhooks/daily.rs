//! What the feeder sends once a day, and secret rotation.
use std::time::Duration;

use reqwest::{Method, StatusCode};

use super::{Receiver, subscribe};
use crate::helpers::{Body, TestApp, valid_offer};

const PARIS_TODAY: &str = "(now() AT TIME ZONE 'Europe/Paris')::date";

#[actix_web::test]
async fn ended_offers_and_yesterdays_activity_are_sent_once_a_day_and_never_twice() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let quiet = app.operator("Sans activite", false);
    let receiver = Receiver::start().await;
    subscribe(
        &app,
        &partner,
        &receiver.url,
        &["offer.expired", "stats.daily"],
    )
    .await;
    subscribe(&app, &quiet, &receiver.url, &["stats.daily"]).await;
    app.create(&partner, valid_offer("ended")).await;
    app.create(&partner, valid_offer("running")).await;
    let ended = app.offer_id("ended");
    app.sql(&format!(
        "UPDATE internship_offers SET last_date = {PARIS_TODAY} - 1 WHERE id = {ended};
         INSERT INTO apply_clicks (internship_offer_id, created_at)
           VALUES ({ended}, (({PARIS_TODAY} - 1) + time '12:00') AT TIME ZONE 'Europe/Paris');
         UPDATE webhook_feed SET daily_done_on = {PARIS_TODAY} - 2;"
    ));
    let received = receiver.wait_for(2).await;
    let mut bodies: Vec<serde_json::Value> = received.iter().map(|r| r.json()).collect();
    bodies.sort_by_key(|b| b["type"].as_str().unwrap_or_default().to_owned());
    assert_eq!(bodies[0]["type"], "offer.expired");
    assert_eq!(bodies[0]["data"]["remote_id"], "ended");
    assert_eq!(
        bodies[0]["data"]["offer"]["title"],
        valid_offer("x")["title"]
    );
    assert_eq!(bodies[1]["type"], "stats.daily");
    assert_eq!(bodies[1]["data"]["apply_clicks"], 1);

    // The next run (another day, or another instance) does not send them again.
    app.sql(&format!(
        "UPDATE webhook_feed SET daily_done_on = {PARIS_TODAY} - 2;"
    ));
    for _ in 0..100 {
        if app.count(&format!(
            "SELECT count(*) AS n FROM webhook_feed WHERE daily_done_on = {PARIS_TODAY}"
        )) == 1
        {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 2);
}

#[actix_web::test]
async fn during_a_rotation_both_secrets_sign() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    let (id, old) = subscribe(&app, &partner, &receiver.url, &["offer.created"]).await;
    let path = format!("/api/webhooks/{id}/rotate_secret");
    let (status, rotated) = app
        .request(Method::POST, &path, Some(&partner.token), Body::None)
        .await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert!(new != old && rotated["previous_secret_valid_until"].is_string());
    app.create(&partner, valid_offer("o1")).await;
    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].signature.split(',').count(), 2);
    assert!(received[0].signed_with(&old) && received[0].signed_with(&new));

    // Once the overlap is over, only the new secret signs.
    app.sql("UPDATE webhook_subscriptions SET previous_secret_until = now() - interval '1 second'");
    app.create(&partner, valid_offer("o2")).await;
    let received = receiver.wait_for(2).await;
    assert!(received[1].signed_with(&new) && !received[1].signed_with(&old));
}
