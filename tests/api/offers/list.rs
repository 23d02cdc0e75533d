use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, offer_with, valid_offer};

const ITEM_KEYS: [&str; 13] = [
    "id",
    "title",
    "description",
    "employer_name",
    "url",
    "city",
    "date_start",
    "date_end",
    "latitude",
    "longitude",
    "image",
    "sector",
    "handicap_accessible",
];

#[actix_web::test]
async fn lists_only_my_operators_live_offers_newest_first() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let teammate = app.teammate(&partner, "b@jobirl.test");
    let other = app.operator("MyFuture", false);
    app.create(&partner, valid_offer("a")).await;
    app.create(
        &teammate,
        offer_with("b", json!({"city": "LE BOUSCAT", "zipcode": "33110"})),
    )
    .await;
    app.create(&partner, valid_offer("deleted")).await;
    app.delete(&partner, "deleted").await;
    app.create(&other, valid_offer("theirs")).await;

    let (status, body) = app.list(&partner, "").await;
    assert_eq!(status, StatusCode::OK);
    let items = body["internshipOffers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 2);
    let keys: Vec<String> = items[0]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(keys, ITEM_KEYS);
    assert_eq!(
        items[0]["city"], "Le bouscat",
        "capitalised as the original"
    );
    assert_eq!(items[1]["title"], "Découverte des métiers de la cuisine");
    assert!(items[0]["id"].as_i64() > items[1]["id"].as_i64());
    assert_eq!(items[0]["sector"], "Artisanat d'art");
    assert_eq!(items[0]["date_start"], "2 mars 2026");
    assert_eq!(items[0]["date_end"], "15 mars 2026");
    let url = items[0]["url"].as_str().unwrap_or_default();
    assert!(
        url.starts_with(&format!("{}/offres-de-stage/", app.address))
            && url.ends_with("?utm_source=JobIRL"),
        "{url}"
    );
    assert_eq!(
        body["pagination"],
        json!({
            "totalInternshipOffers": 2, "internshipOffersPerPage": 30, "totalPages": 1, "currentPage": 1,
            "nextPage": null, "prevPage": null, "isFirstPage": true, "isLastPage": true,
            "pageUrlBase": format!("{}/api/internship_offers", app.address)
        })
    );
    assert_eq!(
        app.list(&teammate, "").await.1["pagination"]["totalInternshipOffers"],
        2,
        "shared by the team"
    );
}

#[actix_web::test]
async fn paginates_by_thirty_with_links_to_the_endpoint_called() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    for i in 0..31 {
        let (status, _) = app.create(&partner, valid_offer(&format!("o{i}"))).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let endpoint = format!("{}/api/internship_offers", app.address);
    let (_, first) = app.list(&partner, "").await;
    assert_eq!(first["internshipOffers"].as_array().map(Vec::len), Some(30));
    assert_eq!(
        first["pagination"]["nextPage"],
        format!("{endpoint}?page=2")
    );
    assert_eq!(first["pagination"]["isLastPage"], false);
    let (_, second) = app.list(&partner, "?page=2").await;
    assert_eq!(second["internshipOffers"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        second["internshipOffers"][0]["title"],
        first["internshipOffers"][29]["title"]
    );
    assert_eq!(
        second["pagination"]["prevPage"],
        format!("{endpoint}?page=1")
    );
    assert_eq!(
        (
            second["pagination"]["nextPage"].clone(),
            second["pagination"]["isLastPage"].clone()
        ),
        (json!(null), json!(true))
    );
    let (status, past) = app.list(&partner, "?page=9").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(past["internshipOffers"], json!([]));
    assert_eq!(
        (
            past["pagination"]["nextPage"].clone(),
            past["pagination"]["prevPage"].clone()
        ),
        (json!(null), json!(null))
    );
}

#[actix_web::test]
async fn an_empty_listing_is_its_own_last_page() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (_, body) = app.list(&partner, "").await;
    assert_eq!(body["pagination"]["totalPages"], 0);
    assert_eq!(
        (
            body["pagination"]["isFirstPage"].clone(),
            body["pagination"]["isLastPage"].clone()
        ),
        (json!(true), json!(true))
    );
}

#[actix_web::test]
async fn a_bad_page_is_a_400() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    for query in ["?page=0", "?page=-1", "?page=abc", "?page=1.5"] {
        let (status, body) = app.list(&partner, query).await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::BAD_REQUEST, json!("VALIDATION_ERROR")),
            "{query}"
        );
    }
}
