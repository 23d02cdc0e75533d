//! POST /api/internship_offers/bulk: one result per item, in order; a failed item changes
//! nothing and stops nothing; at most 500 items.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, TestPartner, offer_with, valid_offer};

/// A bulk call that answers 200: its body.
async fn bulk(app: &TestApp, partner: &TestPartner, items: Value) -> Value {
    let (status, body) = app
        .request(
            Method::POST,
            "/api/internship_offers/bulk",
            Some(&partner.token),
            Body::Json(json!({"internship_offers": items})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[actix_web::test]
async fn each_item_gets_its_result_and_a_failed_one_leaves_nothing() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    for id in ["o3", "o4", "o5"] {
        app.create(&partner, valid_offer(id)).await;
    }
    let events = || app.count("SELECT count(*) AS n FROM offer_events");
    let logged = events();
    let items = json!([
        valid_offer("o1"),
        offer_with("o2", json!({"title": "", "weeks": ["2026-W12"]})),
        offer_with("o3", json!({"title": "Nouveau titre"})),
        valid_offer("o4"),
        {"remote_id": "o5", "deleted": true},
        {"remote_id": "none", "deleted": true},
        42,
        offer_with("o6", json!({"weeks": ["2026-W99"]})),
    ]);
    let body = bulk(&app, &partner, items).await;
    let results = body["internship_offers"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let statuses: Vec<(Value, &str, Option<&str>)> = results
        .iter()
        .map(|r| {
            (
                r["remote_id"].clone(),
                r["status"].as_str().unwrap_or(""),
                r["code"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            (json!("o1"), "created", None),
            (json!("o2"), "failed", Some("VALIDATION_ERROR")),
            (json!("o3"), "updated", None),
            (json!("o4"), "unchanged", None),
            (json!("o5"), "deleted", None),
            (json!("none"), "failed", Some("NOT_FOUND")),
            (Value::Null, "failed", Some("BAD_PAYLOAD")),
            (json!("o6"), "failed", Some("BAD_ARGUMENT")),
        ]
    );
    assert!(
        results[1]["error"]["title"].is_array(),
        "the single endpoint's error: {}",
        results[1]
    );
    assert_eq!(
        (app.offer_id("o2"), app.offer_id("o6")),
        (-1, -1),
        "nothing partial"
    );
    // created o1, updated o3, deleted o5: three events; the unchanged o4 none.
    assert_eq!(events(), logged + 3);
}

#[actix_web::test]
async fn a_call_takes_up_to_500_items() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let items: Vec<Value> = (0..500).map(|n| valid_offer(&format!("b{n}"))).collect();
    // More than 256 KiB is fine here.
    let body = bulk(&app, &partner, json!(items)).await;
    assert_eq!(
        body["internship_offers"]
            .as_array()
            .map(|r| r.iter().filter(|i| i["status"] == "created").count()),
        Some(500)
    );

    let items: Vec<Value> = (0..501).map(|n| valid_offer(&format!("c{n}"))).collect();
    let (status, body) = app
        .request(
            Method::POST,
            "/api/internship_offers/bulk",
            Some(&partner.token),
            Body::Json(json!({"internship_offers": items})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("BULK_TOO_LARGE"))
    );
    assert_eq!(app.offer_id("c0"), -1);

    for payload in [
        json!({}),
        json!({"internship_offers": []}),
        json!({"internship_offers": "x"}),
    ] {
        let (status, body) = app
            .request(
                Method::POST,
                "/api/internship_offers/bulk",
                Some(&partner.token),
                Body::Json(payload),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("BAD_PAYLOAD"))
        );
    }
}

#[actix_web::test]
async fn items_naming_one_remote_id_give_what_writing_them_in_order_gives() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let items = json!([
        {"remote_id": "x", "deleted": true},
        valid_offer("x"),
        {"remote_id": "x", "title": "Titre modifié"},
        offer_with("y", json!({"title": ""})),
        valid_offer("y"),
        valid_offer("z"),
        valid_offer("z"),
    ]);
    let body = bulk(&app, &partner, items).await;
    let statuses: Vec<(Value, Value)> = body["internship_offers"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| (r["status"].clone(), r["code"].clone()))
        .collect();
    let expected = [
        ("failed", json!("NOT_FOUND")),
        ("created", Value::Null),
        ("updated", Value::Null),
        ("failed", json!("VALIDATION_ERROR")),
        ("created", Value::Null),
        ("created", Value::Null),
        ("unchanged", Value::Null),
    ];
    let expected: Vec<(Value, Value)> = expected
        .into_iter()
        .map(|(status, code)| (json!(status), code))
        .collect();
    assert_eq!(statuses, expected);
    let (_, x) = app
        .request(
            Method::GET,
            "/api/internship_offers/x",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(x["title"], "Titre modifié");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM offer_events WHERE kind = 'created'"),
        3
    );
}

/// `deleted` is read as every boolean of the API; anything else fails the item with a code.
#[actix_web::test]
async fn deleted_is_read_as_every_boolean_and_anything_else_fails_the_item() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    for id in ["b1", "b2", "b3", "b4", "b5"] {
        app.create(&partner, valid_offer(id)).await;
    }
    let items = json!([
        {"remote_id": "b1", "deleted": "true"},
        {"remote_id": "b2", "deleted": true},
        {"remote_id": "b3", "deleted": 1},
        {"remote_id": "b4", "deleted": "yes"},
        {"remote_id": "b5", "deleted": {}},
    ]);
    let body = bulk(&app, &partner, items).await;
    let outcomes: Vec<(&str, Option<&str>)> = body["internship_offers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| (r["status"].as_str().unwrap_or(""), r["code"].as_str()))
        .collect();
    let deleted = ("deleted", None);
    assert_eq!(
        outcomes,
        [
            deleted,
            deleted,
            deleted,
            deleted,
            ("failed", Some("VALIDATION_ERROR"))
        ]
    );
    assert!(body["internship_offers"][4]["error"]["deleted"].is_array());
    let live = "SELECT count(*) AS n FROM internship_offers WHERE remote_id = 'b5' AND discarded_at IS NULL";
    assert_eq!(app.count(live), 1, "a refused item changes nothing");
}
