//! The route table is the one list of routes: the document and the server's answers follow it.
use monstage::edge::route::{Access, Conditional};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp};

fn operation<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    &doc["paths"][path][method.to_lowercase()]
}

#[test]
fn every_documented_route_declares_the_answers_its_facts_imply() {
    let doc = serde_json::to_value(monstage::api::openapi_document()).unwrap();
    let mut ids = vec![];
    for route in &monstage::api::routes::ROUTES {
        let operation = operation(&doc, route.path, route.method.as_str());
        if route.documented.is_none() {
            assert!(operation.is_null(), "{} is not in the contract", route.path);
            continue;
        }
        let (facts, name) = (route.facts, format!("{} {}", route.method, route.path));
        let declares = |status: &str| operation["responses"].get(status).is_some();
        assert!(facts.access == Access::Open || declares("401"), "{name}");
        assert_eq!(
            declares("403"),
            matches!(facts.access, Access::Token(Some(_))),
            "{name}"
        );
        assert!(facts.body_limit.is_none() || declares("413"), "{name}");
        assert!(facts.class.is_none() || declares("429"), "{name}");
        assert!(
            facts.conditional != Conditional::Read || declares("304"),
            "{name}"
        );
        assert!(
            facts.conditional != Conditional::Write || declares("412"),
            "{name}"
        );
        assert!(!facts.idempotent || declares("409"), "{name}");
        assert_eq!(operation["operationId"], route.operation_id, "{name}");
        assert!(operation["security"].is_array(), "{name}");
        assert!(
            operation["x-codeSamples"][0]["source"].is_string(),
            "{name}: curl"
        );
        let success = operation["responses"]
            .as_object()
            .and_then(|all| all.iter().find(|(status, _)| status.starts_with('2')))
            .map(|(_, answer)| answer["content"]["application/json"]["example"].clone());
        assert!(
            success.is_some_and(|e| !e.is_null()),
            "{name}: an example answer"
        );
        if let Some(content) = operation["requestBody"]["content"].as_object() {
            assert!(
                content.values().all(|c| !c["example"].is_null()),
                "{name}: an example body"
            );
        }
        ids.push(route.operation_id);
    }
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");
}

/// `#[utoipa::path]` needs a method and a path: they must be the table's.
#[test]
fn the_handlers_documentation_names_the_tables_method_and_path() {
    for route in &monstage::api::routes::ROUTES {
        let Some(documented) = route.documented else {
            continue;
        };
        let method = monstage::api::contract::http_method(&route.method);
        let (methods, path) = documented().method_and_path;
        assert!(
            methods == [method] && path == route.path,
            "{}",
            route.operation_id
        );
    }
}

#[test]
fn tags_are_ascii_and_shown_in_french() {
    let doc = serde_json::to_value(monstage::api::openapi_document()).unwrap();
    for tag in doc["tags"].as_array().unwrap() {
        let name = tag["name"].as_str().unwrap();
        assert!(
            name.bytes().all(|b| b.is_ascii_lowercase()),
            "{name} makes a module name"
        );
        assert!(tag["x-displayName"].is_string(), "{name}");
    }
    assert_eq!(
        doc["servers"],
        json!([{"url": "/", "description": "Ce serveur"}])
    );
    let token = &doc["paths"]["/oauth/token"]["post"];
    let form = &token["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"];
    assert_eq!(form["$ref"], "#/components/schemas/TokenRequestForm");
    assert_eq!(token["security"], json!([{"client_basic": []}, {}]));
    assert!(token["responses"]["503"].is_object());
}

#[actix_web::test]
async fn literal_paths_win_over_a_remote_id_for_every_method() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", true);
    for path in [
        "/api/internship_offers/changes",
        "/api/internship_offers/search",
        "/api/internship_offers/bulk",
    ] {
        let (status, body) = app
            .request(Method::DELETE, path, Some(&partner.token), Body::None)
            .await;
        assert_eq!(
            (status, body["code"].clone()),
            (StatusCode::NOT_FOUND, json!("ROUTE_NOT_FOUND")),
            "{path}"
        );
    }
    let (status, _) = app
        .request(
            Method::DELETE,
            "/api/internship_offers/changes",
            None,
            Body::None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no token asked on a missing route"
    );
    for (path, allow) in [
        ("/api/catalogue/changes", "GET"),
        ("/api/internship_offers/changes", "GET"),
        ("/api/webhooks/deliveries", "GET"),
        ("/api/webhooks/7", "DELETE"),
        ("/oauth/token", "POST"),
    ] {
        let response = app
            .client
            .request(Method::TRACE, format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(response.headers()["allow"], allow, "{path}");
    }
}
