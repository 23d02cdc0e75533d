//! The changes feeds: a snapshot then the log, tombstones, cursors, and (in `concurrent`) a
//! copy kept by a client while random writes go on, equal to the database at the end.
mod concurrent;

use std::collections::BTreeMap;
use std::time::Duration;

use monstage::domain::feed::FeedCursor;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, TestPartner, offer_with};

const OWN: &str = "/api/internship_offers/changes";
const CATALOGUE: &str = "/api/catalogue/changes";
const PARIS_TODAY: &str = "(now() AT TIME ZONE 'Europe/Paris')::date";

/// An offer of next year (in the catalogue) with one seat.
fn future_offer(remote_id: &str) -> Value {
    let next_year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    offer_with(
        remote_id,
        json!({"max_candidates": 1, "weeks": [format!("{next_year}-W10"), format!("{next_year}-W11")]}),
    )
}

async fn feed_page(
    app: &TestApp,
    token: &str,
    path: &str,
    since: Option<&str>,
    limit: i64,
) -> (StatusCode, Value) {
    let since = since.map(|s| format!("&since={s}")).unwrap_or_default();
    let query = format!("{path}?limit={limit}{since}");
    app.request(Method::GET, &query, Some(token), Body::None)
        .await
}

/// A client's copy of a feed: offers by the key the feed names them with.
struct Mirror {
    path: &'static str,
    key: &'static str,
    copy: BTreeMap<String, Value>,
    cursor: Option<String>,
    /// Every entry read, in order.
    entries: Vec<Value>,
}

impl Mirror {
    fn own() -> Mirror {
        Mirror::new(OWN, "remote_id")
    }

    fn catalogue() -> Mirror {
        Mirror::new(CATALOGUE, "id")
    }

    fn new(path: &'static str, key: &'static str) -> Mirror {
        Mirror {
            path,
            key,
            copy: BTreeMap::new(),
            cursor: None,
            entries: vec![],
        }
    }

    /// Reads and applies one page; whether the feed has more at once.
    async fn read_page(&mut self, app: &TestApp, token: &str, limit: i64) -> bool {
        let (status, body) = feed_page(app, token, self.path, self.cursor.as_deref(), limit).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let changes = body["changes"].as_array().expect("changes").clone();
        assert!(changes.len() <= usize::try_from(limit).unwrap());
        for change in changes {
            let key = change[self.key].to_string().trim_matches('"').to_owned();
            match change["type"].as_str() {
                Some("upsert") => {
                    assert!(change["offer"].is_object(), "{change}");
                    self.copy.insert(key, change["offer"].clone());
                }
                Some("delete") => {
                    assert!(change["offer"].is_null(), "{change}");
                    self.copy.remove(&key);
                }
                other => panic!("unknown type {other:?}"),
            }
            self.entries.push(change);
        }
        self.cursor = Some(
            body["next_cursor"]
                .as_str()
                .expect("next_cursor")
                .to_owned(),
        );
        body["has_more"].as_bool().expect("has_more")
    }

    /// Reads until the feed has nothing more.
    async fn catch_up(&mut self, app: &TestApp, token: &str, limit: i64) {
        for _ in 0..10_000 {
            if !self.read_page(app, token, limit).await {
                return;
            }
        }
        panic!("the feed never ended");
    }

    /// Reads until the copy has seen every change written so far.
    async fn settle(&mut self, app: &TestApp, token: &str) {
        let written = monstage::db::queries::offer_events::last_written(&mut app.db.conn())
            .expect("last event");
        for _ in 0..400 {
            self.catch_up(app, token, 1000).await;
            let at = self.cursor.as_deref().and_then(|c| c.parse().ok());
            if matches!(at, Some(FeedCursor::Live(position)) if position >= written) {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the feed never reached the last event written");
    }

    /// The keys of the entries read from the snapshot (`s.` cursors) and from the log.
    fn keys_by_part(&self) -> (Vec<String>, Vec<(String, String)>) {
        let key = |e: &Value| e[self.key].to_string().trim_matches('"').to_owned();
        let cursor = |e: &Value| e["cursor"].as_str().unwrap_or_default().to_owned();
        let snapshot = self
            .entries
            .iter()
            .filter(|e| cursor(e).starts_with("s."))
            .map(key)
            .collect();
        let log = self
            .entries
            .iter()
            .filter(|e| cursor(e).starts_with("l."))
            .map(|e| (key(e), e["type"].as_str().unwrap_or_default().to_owned()))
            .collect();
        (snapshot, log)
    }
}

/// Waits until every event written is readable (no write transaction is still running
/// before the last one: a feed page then sees them all).
async fn log_readable(app: &TestApp) {
    use monstage::db::queries::offer_events;
    for _ in 0..400 {
        let mut conn = app.db.conn();
        let written = offer_events::last_written(&mut conn).expect("last event");
        if offer_events::horizon(&mut conn).expect("horizon") >= written {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the log never became readable");
}

/// The partner's live offers, as `GET /api/internship_offers/{remote_id}` answers them.
async fn own_offers_now(app: &TestApp, partner: &TestPartner) -> BTreeMap<String, Value> {
    #[derive(diesel::QueryableByName)]
    struct RemoteId {
        #[diesel(sql_type = diesel::sql_types::Text)]
        remote_id: String,
    }
    use diesel::RunQueryDsl;
    let live: Vec<RemoteId> = diesel::sql_query(format!(
        "SELECT remote_id FROM internship_offers WHERE operator_id = {} AND discarded_at IS NULL",
        partner.operator_id
    ))
    .load(&mut app.db.conn())
    .unwrap();
    let mut offers = BTreeMap::new();
    for RemoteId { remote_id } in live {
        let path = format!("/api/internship_offers/{remote_id}");
        let (status, body) = app
            .request(Method::GET, &path, Some(&partner.token), Body::None)
            .await;
        assert_eq!(status, StatusCode::OK);
        offers.insert(remote_id, body);
    }
    offers
}

/// The catalogue, as the search lists it (every page), by id.
async fn catalogue_now(app: &TestApp, caller: &TestPartner) -> BTreeMap<String, Value> {
    app.index_caught_up();
    let mut offers = BTreeMap::new();
    for page in 1.. {
        let path = format!("/api/internship_offers/search?page={page}");
        let (status, body) = app
            .request(Method::GET, &path, Some(&caller.token), Body::None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let items = body["internshipOffers"].as_array().expect("offers").clone();
        for item in &items {
            offers.insert(item["id"].to_string(), item.clone());
        }
        if items.len() < 30 {
            break;
        }
    }
    offers
}

#[actix_web::test]
async fn a_snapshot_then_the_log_give_every_offer_once_and_every_later_change() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let other = app.operator("Autre", false);
    for n in 0..25 {
        app.create(&partner, future_offer(&format!("r{n}"))).await;
    }
    app.create(&other, future_offer("theirs")).await;
    log_readable(&app).await;

    let mut mirror = Mirror::own();
    assert!(mirror.read_page(&app, &partner.token, 10).await);
    assert_eq!(mirror.copy.len(), 10);
    // Written while the snapshot is read: one offer already read, one not yet, one new.
    app.patch(
        &partner,
        "r3",
        json!({"title": "Changée pendant l'instantané"}),
    )
    .await;
    app.delete(&partner, "r20").await;
    app.create(&partner, future_offer("r25")).await;
    mirror.catch_up(&app, &partner.token, 10).await;
    mirror.settle(&app, &partner.token).await;

    assert_eq!(mirror.copy, own_offers_now(&app, &partner).await);
    assert_eq!(mirror.copy["r3"]["title"], "Changée pendant l'instantané");
    assert!(
        !mirror.copy.contains_key("theirs"),
        "only the caller's offers"
    );
    let (mut snapshot, log) = mirror.keys_by_part();
    let read = snapshot.len();
    snapshot.sort();
    snapshot.dedup();
    assert_eq!(snapshot.len(), read, "no offer twice in the snapshot");
    assert!(!snapshot.contains(&"r20".into()) && !snapshot.contains(&"r25".into()));
    assert_eq!(
        log,
        vec![
            ("r3".into(), "upsert".into()),
            ("r20".into(), "delete".into()),
            ("r25".into(), "upsert".into())
        ],
        "the log gives exactly the changes made since the snapshot began"
    );

    // Up to date: an empty page, and the next change alone.
    let (_, body) = feed_page(&app, &partner.token, OWN, mirror.cursor.as_deref(), 10).await;
    assert_eq!(
        (body["changes"].clone(), body["has_more"].clone()),
        (json!([]), json!(false))
    );
    app.patch(&partner, "r4", json!({"max_candidates": 3}))
        .await;
    app.patch(&partner, "r4", json!({"max_candidates": 4}))
        .await;
    mirror.entries.clear();
    mirror.settle(&app, &partner.token).await;
    assert_eq!(
        mirror.entries.len(),
        1,
        "two changes of one offer in a page come once"
    );
    assert_eq!(mirror.entries[0]["offer"]["max_candidates"], 4);
    // A remote_id deleted then created again is one upsert at the end.
    app.delete(&partner, "r5").await;
    app.create(&partner, future_offer("r5")).await;
    mirror.settle(&app, &partner.token).await;
    assert_eq!(mirror.copy, own_offers_now(&app, &partner).await);
}

#[actix_web::test]
async fn the_catalogue_feed_sends_a_tombstone_when_an_offer_leaves_the_catalogue() {
    let app = TestApp::spawn().await;
    let caller = app.operator("Ministere", true);
    let publisher = app.operator("JobIRL", false);
    for remote_id in ["unpublished", "full", "ended", "deleted", "kept"] {
        app.create(&publisher, future_offer(remote_id)).await;
    }
    let (status, body) = feed_page(&app, &publisher.token, CATALOGUE, None, 10).await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::UNAUTHORIZED, json!("access denied"))
    );
    let own_only = app.oauth_partner(&caller, "offers:read").await;
    let (status, body) = feed_page(&app, &own_only.token, CATALOGUE, None, 10).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::FORBIDDEN, json!("INSUFFICIENT_SCOPE"))
    );

    log_readable(&app).await;
    let mut mirror = Mirror::catalogue();
    mirror.catch_up(&app, &caller.token, 3).await;
    assert_eq!(mirror.copy.len(), 5);
    let kept = app.offer_id("kept").to_string();
    assert_eq!(mirror.copy[&kept]["title"], future_offer("x")["title"]);
    assert!(
        mirror.copy[&kept]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/offres-de-stage/{kept}?utm_source=Ministere"))
    );
    let first = mirror
        .entries
        .iter()
        .find(|e| e["id"] == json!(app.offer_id("kept")))
        .unwrap();
    assert_eq!(first["remote_id"], "kept");

    app.patch(&publisher, "unpublished", json!({"published_at": null}))
        .await;
    let pupil = app.student("Zoé");
    let tracking = json!({"application_tracking": {"remote_id": "full", "ms3e_student_id": pupil, "remote_status": "application_approved"}});
    let (status, _) = app
        .request(
            Method::POST,
            "/api/application_trackings",
            Some(&publisher.token),
            Body::Json(tracking),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.delete(&publisher, "deleted").await;
    // The last day of "ended" passes: the log's daily job records it.
    app.sql(&format!(
        "UPDATE internship_offers SET last_date = {PARIS_TODAY} - 1 WHERE remote_id = 'ended';
         UPDATE webhook_feed SET daily_done_on = {PARIS_TODAY} - 2;"
    ));
    for _ in 0..200 {
        if app.count("SELECT count(*) AS n FROM offer_events WHERE kind = 'expired'") == 1 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    mirror.entries.clear();
    mirror.settle(&app, &caller.token).await;
    let mut gone: Vec<String> = mirror
        .entries
        .iter()
        .filter(|e| e["type"] == "delete")
        .map(|e| e["remote_id"].as_str().unwrap().to_owned())
        .collect();
    gone.sort();
    assert_eq!(gone, ["deleted", "ended", "full", "unpublished"]);
    assert_eq!(mirror.copy.keys().collect::<Vec<_>>(), [&kept]);
    assert_eq!(mirror.copy, catalogue_now(&app, &caller).await);

    // A seat freed and a republication bring offers back.
    let cancel = json!({"application_tracking": {"remote_id": "full", "ms3e_student_id": pupil, "remote_status": "application_canceled"}});
    app.request(
        Method::POST,
        "/api/application_trackings",
        Some(&publisher.token),
        Body::Json(cancel),
    )
    .await;
    app.patch(
        &publisher,
        "unpublished",
        json!({"published_at": "2026-01-01T00:00:00+01:00"}),
    )
    .await;
    mirror.settle(&app, &caller.token).await;
    assert_eq!(mirror.copy.len(), 3);
    assert_eq!(mirror.copy, catalogue_now(&app, &caller).await);
}

#[actix_web::test]
async fn a_cursor_older_than_the_retention_is_refused_and_a_bad_one_is_a_validation_error() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, future_offer("a")).await;
    let mut mirror = Mirror::own();
    mirror.settle(&app, &partner.token).await;
    let stale = mirror.cursor.clone().unwrap();
    app.create(&partner, future_offer("b")).await;
    app.sql("UPDATE offer_events SET occurred_at = now() - interval '40 days'");
    let trimmed = monstage::db::queries::offer_events::trim(&mut app.db.conn(), 30).unwrap();
    assert_eq!(trimmed, 2);

    let (status, body) = feed_page(&app, &partner.token, OWN, Some(&stale), 10).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::GONE, json!("CURSOR_EXPIRED"))
    );
    // Starting again gives the whole state.
    let mut fresh = Mirror::own();
    fresh.settle(&app, &partner.token).await;
    assert_eq!(fresh.copy, own_offers_now(&app, &partner).await);
    // A cursor given after the trim stays valid.
    app.create(&partner, future_offer("c")).await;
    fresh.settle(&app, &partner.token).await;
    assert_eq!(fresh.copy.len(), 3);

    for query in [
        "since=12",
        "since=l.1",
        "limit=0",
        "limit=1001",
        "limit=abc",
    ] {
        let path = format!("{OWN}?{query}");
        let (status, body) = app
            .request(Method::GET, &path, Some(&partner.token), Body::None)
            .await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::BAD_REQUEST, json!("VALIDATION_ERROR")),
            "{query}"
        );
    }
    let (status, _) = app
        .request(Method::GET, OWN, Some("nope"), Body::None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
