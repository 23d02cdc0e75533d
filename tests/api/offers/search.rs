use chrono::Datelike;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, TestPartner, field_errors, offer_with};

const BORDEAUX: (f64, f64) = (44.8378, -0.5792);
const LE_BOUSCAT: (f64, f64) = (44.8651, -0.5996);
const TOURS: (f64, f64) = (47.3941, 0.6848);
const PARIS: (f64, f64) = (48.8566, 2.3522);
const VERSAILLES: (f64, f64) = (48.8049, 2.1204);
const HOTELLERIE: &str = "92e5ad0c-6e30-43a4-8158-818236d01390";
const BTP: &str = "ab69287d-273a-4626-b645-d98f567b22ba";

/// Week `n` of next year: always ahead, always seeded.
fn future_week(n: u32) -> String {
    format!("{}-W{n:02}", chrono::Utc::now().year() + 1)
}

async fn place(
    app: &TestApp,
    partner: &TestPartner,
    id: &str,
    title: &str,
    at: (f64, f64),
    extra: Value,
) {
    let mut changes = json!({
        "title": title, "description": "Une semaine de découverte.", "employer_description": null, "coordinates": {"latitude": at.0, "longitude": at.1},
        "weeks": [future_week(10)], "sector_uuid": HOTELLERIE,
    });
    if let (Some(target), Some(extra)) = (changes.as_object_mut(), extra.as_object()) {
        target.extend(extra.clone());
    }
    let (status, body) = app.create(partner, offer_with(id, changes)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

async fn search(app: &TestApp, partner: &TestPartner, query: &str) -> (StatusCode, Value) {
    app.index_caught_up();
    app.request(
        Method::GET,
        &format!("/api/internship_offers/search{query}"),
        Some(&partner.token),
        Body::None,
    )
    .await
}

fn titles(body: &Value) -> Vec<String> {
    body["internshipOffers"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A catalogue of five offers from two operators, and a full-access caller.
async fn catalogue(app: &TestApp) -> TestPartner {
    let owner = app.operator("JobIRL", false);
    let other = app.operator("MyFuture", false);
    place(app, &owner, "paris", "Cheffe de cuisine", PARIS, json!({})).await;
    place(
        app,
        &other,
        "tours",
        "Chef de chantier",
        TOURS,
        json!({"sector_uuid": BTP, "weeks": [future_week(20)]}),
    )
    .await;
    place(
        app,
        &owner,
        "bordeaux",
        "Développeur numérique",
        BORDEAUX,
        json!({}),
    )
    .await;
    place(
        app,
        &other,
        "bouscat",
        "Commis de cuisine",
        LE_BOUSCAT,
        json!({"city": "Le Bouscat"}),
    )
    .await;
    app.operator("Catalogue", true)
}

/// Copies an offer `n` times straight in the database (`<remote_id>-copie-1`…), weeks included: a big
/// catalogue at once (an instance started afterwards indexes it).
fn copy_offer(app: &TestApp, remote_id: &str, n: u32) {
    app.sql(&format!(
        "INSERT INTO internship_offers (operator_id, account_id, remote_id, title, description, employer_name, \
           employer_description, employer_website, street, zipcode, city, department, coordinates, sector_id, permalink, \
           max_candidates, max_students_per_group, is_public, handicap_accessible, lunch_break, daily_hours, \
           first_date, last_date, published_at) \
         SELECT operator_id, account_id, '{remote_id}-copie-' || n, title, description, employer_name, employer_description, \
           employer_website, street, zipcode, city, department, coordinates, sector_id, permalink, max_candidates, \
           max_students_per_group, is_public, handicap_accessible, lunch_break, daily_hours, first_date, last_date, \
           published_at \
         FROM internship_offers, generate_series(1, {n}) AS n WHERE remote_id = '{remote_id}'; \
         INSERT INTO internship_offer_weeks SELECT o.id, w.week_id FROM internship_offers o, internship_offer_weeks w \
         WHERE o.remote_id LIKE '{remote_id}-copie-%' AND w.internship_offer_id = (SELECT id FROM internship_offers WHERE remote_id = '{remote_id}')",
    ));
}

#[actix_web::test]
async fn search_needs_full_access() {
    let app = TestApp::spawn().await;
    let limited = app.operator("JobIRL", false);
    let (status, body) = search(&app, &limited, "").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::UNAUTHORIZED,
            json!({"code": "UNAUTHORIZED", "error": "access denied"})
        )
    );
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers/search",
            Some("bad"),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::UNAUTHORIZED, json!("wrong api token"))
    );
}

#[actix_web::test]
async fn without_filters_newest_first_across_operators() {
    let app = TestApp::spawn().await;
    let caller = catalogue(&app).await;
    let (status, body) = search(&app, &caller, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        titles(&body),
        [
            "Commis de cuisine",
            "Développeur numérique",
            "Chef de chantier",
            "Cheffe de cuisine"
        ]
    );
    let url = body["internshipOffers"][0]["url"]
        .as_str()
        .unwrap_or_default();
    assert!(url.ends_with("?utm_source=Catalogue"), "{url}");
    assert_eq!(body["internshipOffers"][0]["city"], "Le bouscat");
}

#[actix_web::test]
async fn geo_search_keeps_the_radius_and_orders_by_distance() {
    let app = TestApp::spawn().await;
    let caller = catalogue(&app).await;
    let near_bordeaux = format!("?latitude={}&longitude={}", BORDEAUX.0, BORDEAUX.1);
    let (_, body) = search(&app, &caller, &near_bordeaux).await;
    assert_eq!(
        titles(&body),
        ["Développeur numérique", "Commis de cuisine"],
        "default radius 10 km"
    );
    let (_, body) = search(&app, &caller, &format!("{near_bordeaux}&radius=1")).await;
    assert_eq!(titles(&body), ["Développeur numérique"]);
    let (_, body) = search(
        &app,
        &caller,
        &format!(
            "?latitude={}&longitude={}&radius=10000",
            LE_BOUSCAT.0, LE_BOUSCAT.1
        ),
    )
    .await;
    assert_eq!(
        titles(&body),
        ["Commis de cuisine", "Développeur numérique"]
    );
    let (_, body) = search(&app, &caller, &format!("{near_bordeaux}&radius=600000")).await;
    assert_eq!(
        titles(&body),
        [
            "Développeur numérique",
            "Commis de cuisine",
            "Chef de chantier",
            "Cheffe de cuisine"
        ]
    );
}

#[actix_web::test]
async fn keyword_search_is_french_stemmed_accent_insensitive_and_prefix_matched() {
    let app = TestApp::spawn().await;
    let caller = catalogue(&app).await;
    let (_, body) = search(&app, &caller, "?keyword=cuisine").await;
    let mut found = titles(&body);
    found.sort();
    assert_eq!(found, ["Cheffe de cuisine", "Commis de cuisine"]);
    assert_eq!(
        titles(&search(&app, &caller, "?keyword=numerique").await.1),
        ["Développeur numérique"]
    );
    assert_eq!(
        titles(&search(&app, &caller, "?keyword=NUM%C3%89R").await.1),
        ["Développeur numérique"],
        "prefix"
    );
    assert_eq!(
        titles(&search(&app, &caller, "?keyword=chef%20chantier").await.1),
        ["Chef de chantier"],
        "every word"
    );
    assert!(titles(&search(&app, &caller, "?keyword=cuisine%20chantier").await.1).is_empty());
    let (status, body) = search(&app, &caller, "?keyword=%27%3A%2A%21%28").await;
    assert_eq!(
        (status, body["internshipOffers"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(4)),
        "punctuation only"
    );
}

#[actix_web::test]
async fn keyword_results_rank_by_relevance_then_newest_and_prefix_only_matches_come_last() {
    let app = TestApp::spawn().await;
    let owner = app.operator("JobIRL", false);
    let caller = app.operator("Catalogue", true);
    for (id, title) in [
        ("a", "Cuisinier"),
        ("b", "Cuisine et cuisine"),
        ("c", "Cheffe de cuisine"),
        ("d", "Commis de cuisine"),
        ("e", "Chef de chantier"),
        ("f", "Cuisinière"),
    ] {
        place(&app, &owner, id, title, PARIS, json!({})).await;
    }
    let (_, body) = search(&app, &caller, "?keyword=cuisine").await;
    assert_eq!(
        titles(&body),
        [
            "Cuisine et cuisine",
            "Commis de cuisine",
            "Cheffe de cuisine",
            "Cuisinière",
            "Cuisinier"
        ],
        "the word twice, then equal scores newest first, then words it only begins, newest first"
    );
    assert_eq!(body["pagination"]["totalInternshipOffers"], 5);
    assert_eq!(
        titles(&search(&app, &caller, "?keyword=cuisine%20commis").await.1),
        ["Commis de cuisine"]
    );
}

#[actix_web::test]
async fn filters_combine() {
    let app = TestApp::spawn().await;
    let caller = catalogue(&app).await;
    let near = format!("?latitude={}&longitude={}", BORDEAUX.0, BORDEAUX.1);
    assert_eq!(
        titles(
            &search(&app, &caller, &format!("{near}&keyword=cuisine"))
                .await
                .1
        ),
        ["Commis de cuisine"]
    );
    assert_eq!(
        titles(&search(&app, &caller, &format!("?sectors[]={BTP}")).await.1),
        ["Chef de chantier"]
    );
    let (_, sectors) = app
        .request(Method::GET, "/api/sectors", Some(&caller.token), Body::None)
        .await;
    let btp_id = sectors["sectors"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["uuid"] == BTP))
        .map(|s| s["id"].clone());
    let by_id = format!("?sector_ids[]={}", btp_id.unwrap_or_default());
    assert_eq!(
        titles(&search(&app, &caller, &by_id).await.1),
        ["Chef de chantier"]
    );
    assert_eq!(
        titles(
            &search(&app, &caller, &format!("?weeks[]={}", future_week(20)))
                .await
                .1
        ),
        ["Chef de chantier"]
    );
    let week_id = app.week_id(&future_week(20));
    assert_eq!(
        titles(
            &search(&app, &caller, &format!("?week_ids[]={week_id}"))
                .await
                .1
        ),
        ["Chef de chantier"]
    );
    let all = format!(
        "?keyword=cuisine&sectors[]={HOTELLERIE}&weeks[]={}&weeks[]={}",
        future_week(10),
        future_week(20)
    );
    assert_eq!(titles(&search(&app, &caller, &all).await.1).len(), 2);
}

#[actix_web::test]
async fn the_catalogue_leaves_out_deleted_unpublished_and_past_offers() {
    let app = TestApp::spawn().await;
    let owner = app.operator("JobIRL", false);
    let caller = app.operator("Catalogue", true);
    place(&app, &owner, "kept", "Visible", PARIS, json!({})).await;
    place(&app, &owner, "deleted", "Supprimée", PARIS, json!({})).await;
    place(&app, &owner, "unpublished", "Dépubliée", PARIS, json!({})).await;
    place(
        &app,
        &owner,
        "past",
        "Passée",
        PARIS,
        json!({"weeks": ["2020-W10"]}),
    )
    .await;
    app.delete(&owner, "deleted").await;
    app.patch(&owner, "unpublished", json!({"published_at": null}))
        .await;
    assert_eq!(titles(&search(&app, &caller, "").await.1), ["Visible"]);
}

#[actix_web::test]
async fn pages_link_to_the_search_with_its_parameters() {
    let app = TestApp::spawn().await;
    let owner = app.operator("JobIRL", false);
    let caller = app.operator("Catalogue", true);
    for i in 0..31 {
        place(
            &app,
            &owner,
            &format!("o{i}"),
            "Commis de cuisine",
            PARIS,
            json!({}),
        )
        .await;
    }
    let (_, first) = search(&app, &caller, "?keyword=cuisine").await;
    assert_eq!(first["pagination"]["totalInternshipOffers"], 31);
    let endpoint = format!("{}/api/internship_offers/search", app.address);
    assert_eq!(
        first["pagination"]["nextPage"],
        format!("{endpoint}?keyword=cuisine&page=2")
    );
    assert_eq!(first["pagination"]["pageUrlBase"], endpoint);
    let (_, last) = search(&app, &caller, "?keyword=cuisine&page=2").await;
    assert_eq!(titles(&last).len(), 1);
    assert_eq!(
        (
            last["pagination"]["isLastPage"].clone(),
            last["pagination"]["nextPage"].clone()
        ),
        (json!(true), json!(null))
    );
    let (status, past) = search(&app, &caller, "?keyword=cuisine&page=3").await;
    assert_eq!(
        (status, past["internshipOffers"].clone()),
        (StatusCode::OK, json!([]))
    );
    let (_, none) = search(&app, &caller, "?keyword=astronaute").await;
    assert_eq!(
        (
            none["pagination"]["totalPages"].clone(),
            none["pagination"]["isLastPage"].clone()
        ),
        (json!(0), json!(true))
    );
}

#[actix_web::test]
async fn parameters_may_come_in_a_json_body_and_in_the_seed_documents_form() {
    let app = TestApp::spawn().await;
    let caller = catalogue(&app).await;
    app.index_caught_up();
    let body = json!({"keyword": "cuisine", "latitude": BORDEAUX.0, "longitude": BORDEAUX.1});
    let (_, found) = app
        .request(
            Method::GET,
            "/api/internship_offers/search",
            Some(&caller.token),
            Body::Json(body),
        )
        .await;
    assert_eq!(titles(&found), ["Commis de cuisine"]);
    let seed_form = json!({"keyword": "cuisine", "coordinates": {"latitude": BORDEAUX.0, "longitude": BORDEAUX.1}, "radius": 20000});
    let (status, found) = app
        .request(
            Method::GET,
            "/api/internship_offers",
            Some(&caller.token),
            Body::Json(seed_form.clone()),
        )
        .await;
    assert_eq!(
        (status, titles(&found)),
        (StatusCode::OK, vec!["Commis de cuisine".to_owned()])
    );
    assert_eq!(
        found["pagination"]["pageUrlBase"],
        format!("{}/api/internship_offers", app.address)
    );
    let limited = app.operator("Limited", false);
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers",
            Some(&limited.token),
            Body::Json(seed_form),
        )
        .await;
    assert_eq!(
        (status, body["error"].clone()),
        (StatusCode::UNAUTHORIZED, json!("access denied"))
    );
}

#[actix_web::test]
async fn bad_parameters_are_a_400_or_422_with_a_code() {
    let app = TestApp::spawn().await;
    let caller = app.operator("Catalogue", true);
    let cases = [
        ("?latitude=abc&longitude=2", "latitude"),
        ("?latitude=91&longitude=2", "latitude"),
        ("?latitude=45&longitude=-181", "longitude"),
        ("?latitude=45", "longitude"),
        ("?latitude=45&longitude=2&radius=abc", "radius"),
        ("?latitude=45&longitude=2&radius=-5", "radius"),
        ("?sectors[]=00000000-0000-0000-0000-000000000000", "sectors"),
        ("?sectors[]=not-a-uuid", "sectors"),
        ("?sector_ids[]=999999", "sector_ids"),
        ("?sector_ids[]=x", "sector_ids"),
        ("?week_ids[]=99999999", "week_ids"),
        ("?page=0", "page"),
        ("?page=-3", "page"),
    ];
    for (query, field) in cases {
        let (status, body) = search(&app, &caller, query).await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::BAD_REQUEST, json!("VALIDATION_ERROR")),
            "{query}: {body}"
        );
        assert!(!field_errors(&body, field).is_empty(), "{query}: {body}");
    }
    for query in ["?weeks[]=2025-W99", "?weeks[]=2025W10"] {
        let (status, body) = search(&app, &caller, query).await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, json!("BAD_ARGUMENT")),
            "{query}"
        );
    }
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers/search",
            Some(&caller.token),
            Body::Json(json!({"keyword": {"a": 1}})),
        )
        .await;
    assert_eq!(
        (status, field_errors(&body, "keyword").len()),
        (StatusCode::BAD_REQUEST, 1)
    );
}

#[actix_web::test]
async fn totals_are_exact_far_beyond_a_thousand_and_every_page_is_reachable() {
    let app = TestApp::spawn().await;
    let owner = app.operator("JobIRL", false);
    let caller = app.operator("Catalogue", true);
    place(&app, &owner, "o0", "Commis de cuisine", PARIS, json!({})).await;
    copy_offer(&app, "o0", 1500);
    let rebuilt = app.second_instance().await;
    rebuilt.ready().await;
    for query in ["", "?keyword=cuisine", "?latitude=48.8566&longitude=2.3522"] {
        let (_, first) = search(&rebuilt, &caller, query).await;
        assert_eq!(
            first["pagination"]["totalInternshipOffers"], 1501,
            "{query}"
        );
        assert_eq!(first["pagination"]["totalPages"], 51, "{query}");
        let separator = if query.is_empty() { "?" } else { "&" };
        let (_, last) = search(&rebuilt, &caller, &format!("{query}{separator}page=51")).await;
        assert_eq!(titles(&last).len(), 1, "{query}");
        let (_, past) = search(&rebuilt, &caller, &format!("{query}{separator}page=52")).await;
        assert_eq!(titles(&past).len(), 0, "{query}");
    }
}

#[actix_web::test]
async fn a_wide_circle_counts_every_offer_and_its_last_page_holds_the_farthest() {
    let app = TestApp::spawn().await;
    let owner = app.operator("JobIRL", false);
    let caller = app.operator("Catalogue", true);
    place(&app, &owner, "p", "Commis de cuisine", PARIS, json!({})).await;
    copy_offer(&app, "p", 99);
    let versailles = json!({"city": "Versailles"});
    place(
        &app,
        &owner,
        "v",
        "Commis de cuisine",
        VERSAILLES,
        versailles,
    )
    .await;
    copy_offer(&app, "v", 299);
    let rebuilt = app.second_instance().await;
    rebuilt.ready().await;
    // 50 km: Versailles' cell lies wholly inside the circle and beyond the first page, which
    // Paris fills: it is counted without reading its offers (`search::nearby`); the last page
    // reads it.
    let wide = "?latitude=48.8566&longitude=2.3522&radius=50000";
    let (_, first) = search(&rebuilt, &caller, wide).await;
    assert_eq!(first["pagination"]["totalInternshipOffers"], 400);
    assert_eq!(first["internshipOffers"][0]["city"], "Paris");
    let (_, last) = search(&rebuilt, &caller, &format!("{wide}&page=14")).await;
    let cities: Vec<Value> = last["internshipOffers"]
        .as_array()
        .map(|offers| offers.iter().map(|o| o["city"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(cities, vec![json!("Versailles"); 10]);
    let (_, near) = search(&rebuilt, &caller, "?latitude=48.8566&longitude=2.3522").await;
    assert_eq!(near["pagination"]["totalInternshipOffers"], 100);
}

#[actix_web::test]
async fn facets_count_every_match_only_when_asked() {
    let app = TestApp::spawn().await;
    let caller = catalogue(&app).await;
    let (_, plain) = search(&app, &caller, "").await;
    assert!(
        plain.get("facets").is_none(),
        "the original shape without facets"
    );
    let asked = "?facets[]=sector&facets[]=week&facets[]=department";
    let (status, body) = search(&app, &caller, asked).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let facets = &body["facets"];
    assert_eq!(facets["sector"][0]["uuid"], HOTELLERIE);
    assert_eq!(facets["sector"][0]["count"], 3);
    assert_eq!(facets["sector"][1]["uuid"], BTP);
    assert_eq!(facets["sector"][1]["count"], 1);
    assert_eq!(
        facets["week"],
        json!([{"week": future_week(10), "count": 3}, {"week": future_week(20), "count": 1}])
    );
    assert_eq!(facets["department"][0]["count"], 4);
    // Few matches among many offers: the counts are read per match instead of from postings.
    copy_offer(&app, "bordeaux", 100);
    let rebuilt = app.second_instance().await;
    rebuilt.ready().await;
    let (_, all) = search(&rebuilt, &caller, asked).await;
    assert_eq!(all["facets"]["sector"][0]["count"], 103);
    assert_eq!(
        all["facets"]["week"],
        json!([{"week": future_week(10), "count": 103}, {"week": future_week(20), "count": 1}])
    );
    let near_tours = format!(
        "{asked}&latitude={}&longitude={}&radius=1000",
        TOURS.0, TOURS.1
    );
    let (_, tours) = search(&rebuilt, &caller, &near_tours).await;
    assert_eq!(
        tours["facets"]["sector"],
        json!([{"uuid": BTP, "name": facets["sector"][1]["name"], "count": 1}])
    );
    assert_eq!(
        tours["facets"]["week"],
        json!([{"week": future_week(20), "count": 1}])
    );
    assert_eq!(tours["facets"]["department"][0]["count"], 1);
    let (_, kitchen) = search(&app, &caller, "?keyword=cuisine&facets[]=sector").await;
    assert_eq!(
        kitchen["facets"],
        json!({"sector": [{"uuid": HOTELLERIE, "name": kitchen["facets"]["sector"][0]["name"], "count": 2}]})
    );
    let (status, body) = search(&app, &caller, "?facets[]=prix").await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("VALIDATION_ERROR"))
    );
}
