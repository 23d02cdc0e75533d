//! Property-style: writers apply random creates, updates, unpublications, deletions, seat
//! changes and expiries, concurrently, while a client follows both feeds; at the end each copy
//! equals the database. The seed is printed, and `FEED_TEST_SEED` replays one.
use std::cell::Cell;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::json;

use super::{Mirror, PARIS_TODAY, catalogue_now, future_offer, own_offers_now};
use crate::helpers::{Body, TestApp, TestPartner};

const KEYS: usize = 16;
const OPS_PER_WRITER: usize = 60;

/// One random write; its HTTP status is not checked (a random write may be refused, as a
/// partner's would: a 404 on an offer already deleted, a 409 on a remote_id in use).
async fn random_write(app: &TestApp, partner: &TestPartner, rng: &mut StdRng, pupils: &[i64]) {
    let remote_id = format!("k{}", rng.random_range(0..KEYS));
    match rng.random_range(0..10) {
        0 | 1 => {
            app.create(partner, future_offer(&remote_id)).await;
        }
        2 | 3 => {
            let title = format!("Titre {}", rng.random::<u32>());
            app.patch(partner, &remote_id, json!({"title": title}))
                .await;
        }
        4 => {
            app.patch(partner, &remote_id, json!({"published_at": null}))
                .await;
        }
        5 => {
            let republished = json!({"published_at": "2026-01-01T00:00:00+01:00"});
            app.patch(partner, &remote_id, republished).await;
        }
        6 => {
            app.delete(partner, &remote_id).await;
        }
        7 | 8 => {
            let pupil = pupils[rng.random_range(0..pupils.len())];
            let status = if rng.random_bool(0.6) {
                "application_approved"
            } else {
                "application_canceled"
            };
            let tracking = json!({"application_tracking": {
                "remote_id": remote_id, "ms3e_student_id": pupil, "remote_status": status}});
            app.request(
                Method::POST,
                "/api/application_trackings",
                Some(&partner.token),
                Body::Json(tracking),
            )
            .await;
        }
        _ => {
            // Its last day passes; the log's daily job records it.
            app.sql(&format!(
                "UPDATE internship_offers SET last_date = {PARIS_TODAY} - 1 \
                   WHERE operator_id = {} AND remote_id = '{remote_id}' AND discarded_at IS NULL;
                 UPDATE webhook_feed SET daily_done_on = {PARIS_TODAY} - 2;",
                partner.operator_id
            ));
        }
    }
}

async fn writer(app: &TestApp, partner: &TestPartner, seed: u64, pupils: &[i64]) {
    let mut rng = StdRng::seed_from_u64(seed);
    for _ in 0..OPS_PER_WRITER {
        random_write(app, partner, &mut rng, pupils).await;
    }
}

/// Follows both feeds, a page of a random size at a time, until the writers are done.
async fn follower(
    app: &TestApp,
    caller: &TestPartner,
    mirrors: (&mut Mirror, &mut Mirror),
    seed: u64,
    done: &Cell<bool>,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    while !done.get() {
        let limit = rng.random_range(1..12);
        mirrors.0.read_page(app, &caller.token, limit).await;
        mirrors.1.read_page(app, &caller.token, limit).await;
        actix_web::rt::time::sleep(Duration::from_millis(rng.random_range(0..5))).await;
    }
}

#[actix_web::test]
async fn copies_kept_through_the_feeds_under_random_concurrent_writes_equal_the_database() {
    let seed: u64 = std::env::var("FEED_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::rng().random());
    println!("FEED_TEST_SEED={seed}");
    let app = TestApp::spawn().await;
    let caller = app.operator("Ministere", true);
    let other = app.operator("JobIRL", false);
    let pupils: Vec<i64> = (0..12)
        .map(|n| app.student(&format!("Élève {n}")))
        .collect();
    // Some offers before the client starts: its snapshot has something to read.
    for n in 0..6 {
        app.create(&caller, future_offer(&format!("k{n}"))).await;
        app.create(&other, future_offer(&format!("k{n}"))).await;
    }

    let (mut own, mut catalogue) = (Mirror::own(), Mirror::catalogue());
    let done = Cell::new(false);
    let writers = async {
        tokio::join!(
            writer(&app, &caller, seed, &pupils),
            writer(&app, &caller, seed ^ 1, &pupils),
            writer(&app, &other, seed ^ 2, &pupils),
        );
        done.set(true);
    };
    let following = follower(&app, &caller, (&mut own, &mut catalogue), seed ^ 3, &done);
    tokio::join!(writers, following);

    // The daily job has run for the last expiry, and every change is readable.
    for _ in 0..400 {
        let ran = app.count(&format!(
            "SELECT count(*) AS n FROM webhook_feed WHERE daily_done_on = {PARIS_TODAY}"
        ));
        if ran == 1 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    own.settle(&app, &caller.token).await;
    catalogue.settle(&app, &caller.token).await;
    assert!(
        own.entries.len() > 6 && catalogue.entries.len() > 6,
        "the feeds moved: {} and {} entries",
        own.entries.len(),
        catalogue.entries.len()
    );
    assert_eq!(own.copy, own_offers_now(&app, &caller).await, "seed {seed}");
    assert_eq!(
        catalogue.copy,
        catalogue_now(&app, &caller).await,
        "seed {seed}"
    );
    let expired = app.count("SELECT count(*) AS n FROM offer_events WHERE kind = 'expired'");
    let deleted = app.count("SELECT count(*) AS n FROM offer_events WHERE kind = 'deleted'");
    let seats = app.count("SELECT count(*) AS n FROM offer_events WHERE kind LIKE 'seat_%'");
    println!("expired events {expired}, deletions {deleted}, seat changes {seats}");
    assert!(
        deleted > 0 && seats > 0,
        "seed {seed}: the writes covered the kinds of change"
    );
}
