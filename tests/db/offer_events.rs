//! The offer event log: every visible change writes one event in its own transaction, and
//! readers take events in an order that no transaction committing late can break.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use monstage::db::queries::offer_events::{self, OfferEvent};
use monstage::domain::offer_event::{EventPosition, OfferChange};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{Body, TestApp, offer_with, valid_offer};

/// Reads the log from `from` until `count` events have come (other tests' transactions, in the
/// same cluster, may hold the readable horizon back for a moment).
fn read_until(conn: &mut PgConnection, from: EventPosition, count: usize) -> Vec<OfferEvent> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut events: Vec<OfferEvent> = vec![];
    while events.len() < count && Instant::now() < deadline {
        let cursor = events.last().map_or(from, |e| e.position);
        let more = offer_events::after(conn, cursor, 1000).unwrap();
        if more.is_empty() {
            std::thread::sleep(Duration::from_millis(20));
        }
        events.extend(more);
    }
    events
}

#[actix_web::test]
async fn every_visible_change_writes_one_event() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Journal", false);
    let path = "/api/internship_offers/journal-1";
    let patch = |changes| Body::Json(json!({"internship_offer": changes}));
    let token = Some(partner.token.as_str());
    assert_eq!(
        app.create(&partner, valid_offer("journal-1")).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.create(&partner, valid_offer("journal-1")).await.0,
        StatusCode::CONFLICT
    );
    let bad = offer_with("journal-2", json!({"title": ""}));
    assert_eq!(app.create(&partner, bad).await.0, StatusCode::BAD_REQUEST);
    for changes in [
        json!({"title": "Nouveau titre"}),
        json!({"published_at": null}),
        json!({"published_at": "2026-01-05T10:00:00+01:00"}),
        json!({"max_candidates": 0}),
    ] {
        app.request(Method::PATCH, path, token, patch(changes))
            .await;
    }
    let pupil = app.student("Ada");
    for status in ["application_approved", "application_rejected"] {
        let fields =
            json!({"remote_id": "journal-1", "ms3e_student_id": pupil, "remote_status": status});
        let body = Body::Json(json!({ "application_tracking": fields }));
        let (answer, _) = app
            .request(Method::POST, "/api/application_trackings", token, body)
            .await;
        assert_eq!(answer, StatusCode::CREATED);
    }
    assert_eq!(
        app.request(Method::DELETE, path, token, Body::None).await.0,
        StatusCode::OK
    );

    let events = read_until(&mut app.db.conn(), EventPosition::ORIGIN, 7);
    let changes: Vec<OfferChange> = events.iter().map(|e| e.change).collect();
    use OfferChange::*;
    assert_eq!(
        changes,
        [
            Created,
            Updated,
            Unpublished,
            Republished,
            SeatTaken,
            SeatFreed,
            Deleted
        ],
        "refused writes (409, 400) leave no event"
    );
    let offer_id = app.offer_id("journal-1");
    assert!(
        events
            .iter()
            .all(|e| e.offer_id == offer_id && e.operator_id == partner.operator_id)
    );
    assert_eq!(
        offer_events::last_position_of(&mut app.db.conn(), partner.operator_id).unwrap(),
        events.last().map(|e| e.position)
    );
}

#[actix_web::test]
async fn a_transaction_that_commits_late_is_never_skipped() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Retard", false);
    app.create(&partner, valid_offer("retard")).await;
    let offer_id = app.offer_id("retard");
    let mut reader = app.db.conn();
    let created = read_until(&mut reader, EventPosition::ORIGIN, 1);
    let cursor = created.last().unwrap().position;

    let mut late = app.db.conn();
    diesel::sql_query("BEGIN").execute(&mut late).unwrap();
    let late_position = offer_events::record(
        &mut late,
        partner.operator_id,
        offer_id,
        OfferChange::Updated,
    )
    .unwrap();
    let mut early = app.db.conn();
    let early_position = early
        .transaction(|conn| {
            offer_events::record(conn, partner.operator_id, offer_id, OfferChange::Deleted)
        })
        .unwrap();
    assert!(
        late_position < early_position,
        "the late transaction started first"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        offer_events::after(&mut reader, cursor, 100).unwrap(),
        [],
        "nothing is readable past a transaction still running"
    );
    diesel::sql_query("COMMIT").execute(&mut late).unwrap();
    let both = read_until(&mut reader, cursor, 2);
    let positions: Vec<EventPosition> = both.iter().map(|e| e.position).collect();
    assert_eq!(positions, [late_position, early_position]);
}

#[test]
fn concurrent_writers_are_each_read_once_in_log_order() {
    const WRITERS: usize = 8;
    const EACH: usize = 25;
    let app = actix_web::rt::System::new().block_on(async {
        let app = TestApp::spawn().await;
        let partner = app.operator("Concurrence", false);
        app.create(&partner, valid_offer("concurrence")).await;
        (app, partner.operator_id)
    });
    let (app, operator_id) = app;
    let offer_id = app.offer_id("concurrence");
    let mut reader = app.db.conn();
    let origin = read_until(&mut reader, EventPosition::ORIGIN, 1)[0].position;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let mut conn = app.db.conn();
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|i| {
                        conn.transaction(|conn| {
                            let position = offer_events::record(
                                conn,
                                operator_id,
                                offer_id,
                                OfferChange::Updated,
                            )?;
                            let pause = format!(
                                "SELECT pg_sleep({})",
                                ((w * 7 + i * 13) % 20) as f64 / 1000.0
                            );
                            diesel::sql_query(pause).execute(conn)?;
                            Ok::<_, diesel::result::Error>(position)
                        })
                        .unwrap()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let read = read_until(&mut reader, origin, WRITERS * EACH);
    let written: BTreeSet<EventPosition> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let positions: Vec<EventPosition> = read.iter().map(|e| e.position).collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "in log order, once each"
    );
    assert_eq!(
        positions.into_iter().collect::<BTreeSet<_>>(),
        written,
        "none skipped"
    );
}
