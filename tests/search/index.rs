//! The search index: read-your-writes across instances, catch-up after a restart, rebuild
//! when its folder is gone or holds an older schema.

use std::sync::Arc;
use std::time::Duration;

use monstage::db::queries::offer_events;
use monstage::domain::catalogue::FacetsAsked;
use monstage::search::query::IndexFilters;
use monstage::search::{IndexSearch, SearchIndex, follower};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, TestPartner, offer_with};

/// An offer of next year (not over).
fn upcoming(remote_id: &str) -> Value {
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    offer_with(remote_id, json!({"weeks": [format!("{year}-W10")]}))
}

async fn total(app: &TestApp, partner: &TestPartner) -> Value {
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers/search",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["pagination"]["totalInternshipOffers"].clone()
}

#[actix_web::test]
async fn a_partner_sees_its_own_writes_at_once_on_any_instance() {
    let first = TestApp::spawn().await;
    let second = first.second_instance().await;
    let board = first.operator("Tableau", true);
    for n in 0..5 {
        let (status, _) = first.create(&board, upcoming(&format!("o{n}"))).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(
            total(&second, &board).await,
            json!(n + 1),
            "the write through the first instance"
        );
    }
    let (status, _) = second
        .patch(&board, "o0", json!({"published_at": null}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        total(&first, &board).await,
        json!(4),
        "the unpublished offer left at once"
    );
    assert_eq!(second.delete(&board, "o1").await.0, StatusCode::OK);
    assert_eq!(total(&first, &board).await, json!(3));
}

#[actix_web::test]
async fn the_index_catches_up_after_a_restart_and_is_rebuilt_when_its_folder_is_gone() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Reprise", true);
    let dir =
        std::env::temp_dir().join(format!("monstage-index-{}", uuid::Uuid::new_v4().simple()));
    for n in 0..3 {
        app.create(&partner, upcoming(&format!("avant-{n}"))).await;
    }
    let first = run_index_until_caught_up(&app, &dir, 3).await;
    assert!(first.is_none(), "a new folder starts with a rebuild");
    for n in 0..2 {
        app.create(&partner, upcoming(&format!("pendant-{n}")))
            .await;
    }
    app.patch(&partner, "avant-0", json!({"published_at": null}))
        .await;
    let reopened = run_index_until_caught_up(&app, &dir, 4).await;
    assert!(
        reopened.is_some(),
        "a restart resumes from the checkpoint of the last commit"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let rebuilt = run_index_until_caught_up(&app, &dir, 4).await;
    assert!(
        rebuilt.is_none(),
        "a deleted folder is rebuilt from the offers table"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let mut older = tantivy::schema::Schema::builder();
    older.add_u64_field("offer_id", tantivy::schema::INDEXED);
    tantivy::Index::create_in_dir(&dir, older.build()).unwrap();
    let rebuilt = run_index_until_caught_up(&app, &dir, 4).await;
    assert!(
        rebuilt.is_none(),
        "a folder of an older schema is rebuilt from the offers table"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Opens the index in `dir`, follows the log until it holds `expected` offers and is ready,
/// then stops it; the checkpoint it opened with.
async fn run_index_until_caught_up(
    app: &TestApp,
    dir: &std::path::Path,
    expected: u64,
) -> Option<monstage::search::Checkpoint> {
    let (index, checkpoint) = SearchIndex::open(Some(dir)).unwrap();
    let index = Arc::new(index);
    let pool = monstage::db::build_pool(&app.db.url(), 2, Duration::from_secs(1)).unwrap();
    let thread = follower::start(index.clone(), pool, checkpoint, 30).unwrap();
    let written = offer_events::last_written(&mut app.db.conn()).unwrap();
    assert!(index.wait_for(written, Duration::from_secs(10)));
    for _ in 0..200 {
        if index.is_ready() {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    let everything = IndexSearch {
        filters: IndexFilters::default(),
        keep: 10,
        facets: FacetsAsked::default(),
        today: 0,
    };
    assert_eq!(index.search(&everything).unwrap().total, expected);
    drop(index);
    thread.join().unwrap();
    checkpoint
}

#[actix_web::test]
async fn an_instance_whose_index_has_not_caught_up_is_not_ready_and_searches_answer_503() {
    let app = TestApp::spawn_not_ready().await;
    let board = app.operator("Pas prete", true);
    let ready = app
        .client
        .get(format!("{}/ready", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.headers()["retry-after"], "1");
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["ready"], false);
    let response = app
        .client
        .get(format!("{}/api/internship_offers/search", app.address))
        .bearer_auth(&board.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "5");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "SERVICE_UNAVAILABLE");
    let (status, _) = app.create(&board, upcoming("ecrite")).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "writes do not wait for the index"
    );
}

#[test]
fn offers_that_have_ended_leave_the_index_at_the_sweep_of_the_day() {
    use chrono::{Duration, NaiveDate};
    use monstage::db::models::ListedOffer;
    use monstage::db::queries::search_documents::SearchDocument;
    use monstage::domain::offer_event::EventPosition;
    use monstage::search::schema::day_number;

    let (index, _) = SearchIndex::open(None).unwrap();
    let today = monstage::paris_time::today();
    let document = |id: i64, days_left: i64| SearchDocument {
        listing: ListedOffer {
            id,
            title: "Stage".into(),
            description: "Une semaine.".into(),
            employer_name: "Entreprise".into(),
            city: "Paris".into(),
            first_date: today,
            last_date: today + Duration::days(days_left),
            latitude: 48.85,
            longitude: 2.35,
            sector: "Secteur".into(),
            handicap_accessible: false,
        },
        text: "Stage".into(),
        sector_id: 1,
        department: "75".into(),
        week_ids: vec![],
    };
    let offers = [document(1, 10), document(2, 2), document(3, -1)];
    index
        .apply(&[1, 2, 3], &offers, EventPosition::default())
        .unwrap();
    let total_on = |day: NaiveDate| {
        let search = IndexSearch {
            filters: IndexFilters::default(),
            keep: 10,
            facets: FacetsAsked::default(),
            today: day_number(day),
        };
        index.search(&search).unwrap().total
    };
    assert_eq!(total_on(today), 2, "an offer already over is never added");
    let later = today + Duration::days(5);
    assert_eq!(total_on(later), 1, "checked per document before the sweep");
    index.sweep(day_number(later)).unwrap();
    assert_eq!(index.swept_day(), day_number(later));
    assert_eq!(index.size(), 1, "the ended offer is gone from the index");
    assert_eq!(total_on(later), 1, "no check needed after the sweep");
}
