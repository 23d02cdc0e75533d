//! The OpenAPI document: served, committed, true to the requests and errors.
use std::collections::BTreeSet;

use monstage::request::account_activities::AccountActivityRequest;
use monstage::request::application_trackings::ApplicationTrackingRequest;
use monstage::request::feeds::FeedRequest;
use monstage::request::offers::{CreateOfferRequest, UpdateOfferRequest};
use monstage::request::page::PageRequest;
use monstage::request::search::SearchRequest;
use monstage::request::stats::StatsRequest;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp};

#[actix_web::test]
async fn openapi_document_and_swagger_ui_are_served() {
    let app = TestApp::spawn().await;
    let (status, doc) = app
        .request(Method::GET, "/api/openapi.json", None, Body::None)
        .await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/internship_offers",
        "/api/internship_offers/{remote_id}",
        "/api/sectors",
        "/api/internship_offers/search",
        "/api/internship_offers/{remote_id}/stats",
        "/api/stats",
        "/api/operator_account_activities/create_account",
        "/api/application_trackings",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    for method in ["patch", "put", "delete"] {
        assert!(
            doc["paths"]["/api/internship_offers/{remote_id}"][method].is_object(),
            "{method}"
        );
    }
    let page = app
        .client
        .get(format!("{}/api/docs/", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap_or_default().contains("swagger"));
}

#[actix_web::test]
async fn the_committed_openapi_document_is_up_to_date() {
    let app = TestApp::spawn().await;
    let (_, served) = app
        .request(Method::GET, "/api/openapi.json", None, Body::None)
        .await;
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/doc/openapi.json"))
            .unwrap_or_default();
    let committed: serde_json::Value = serde_json::from_str(&committed).unwrap_or_default();
    assert!(
        served == committed,
        "doc/openapi.json is stale: run `make openapi`"
    );
}

/// The property names of a schema, following `$ref` and `allOf`.
fn properties(doc: &Value, schema: &Value) -> BTreeSet<String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return properties(doc, &doc["components"]["schemas"][name]);
    }
    let mut names: BTreeSet<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        names.extend(properties(doc, part));
    }
    names
}

fn body_schema<'a>(doc: &'a Value, path: &str, method: &str) -> &'a Value {
    &doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
}

/// The properties of the object under `root` in a request body.
fn nested(doc: &Value, path: &str, method: &str, root: &str) -> BTreeSet<String> {
    let body = body_schema(doc, path, method);
    let name = body["$ref"]
        .as_str()
        .unwrap()
        .trim_start_matches("#/components/schemas/");
    properties(doc, &doc["components"]["schemas"][name]["properties"][root])
}

fn query_params(doc: &Value, path: &str) -> BTreeSet<String> {
    doc["paths"][path]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| {
            p["name"]
                .as_str()
                .unwrap()
                .trim_end_matches("[]")
                .to_owned()
        })
        .collect()
}

fn set(keys: Vec<&str>) -> BTreeSet<String> {
    keys.into_iter().map(str::to_owned).collect()
}

#[test]
fn the_documented_requests_are_exactly_the_keys_read() {
    let doc = serde_json::to_value(monstage::api::openapi_document()).unwrap();
    let offer = "/api/internship_offers/{remote_id}";
    assert_eq!(
        nested(&doc, "/api/internship_offers", "post", "internship_offer"),
        set(CreateOfferRequest::keys_read())
    );
    for method in ["patch", "put"] {
        assert_eq!(
            nested(&doc, offer, method, "internship_offer"),
            set(UpdateOfferRequest::keys_read()),
            "{method}"
        );
    }
    assert_eq!(
        nested(
            &doc,
            "/api/application_trackings",
            "post",
            "application_tracking"
        ),
        set(ApplicationTrackingRequest::keys_read())
    );
    let activity = body_schema(
        &doc,
        "/api/operator_account_activities/create_account",
        "post",
    );
    assert_eq!(
        properties(&doc, activity),
        set(AccountActivityRequest::keys_read())
    );
    assert_eq!(
        query_params(&doc, "/api/internship_offers/search"),
        set(SearchRequest::keys_read())
    );
    assert_eq!(
        query_params(&doc, "/api/internship_offers"),
        set(PageRequest::keys_read())
    );
    assert_eq!(
        query_params(&doc, "/api/stats"),
        set(StatsRequest::keys_read())
    );
    for feed in ["/api/internship_offers/changes", "/api/catalogue/changes"] {
        assert_eq!(
            query_params(&doc, feed),
            set(FeedRequest::keys_read()),
            "{feed}"
        );
    }
}

/// Whether `value` is one of the `oneOf` alternatives of the `error` property.
fn matches_error_schema(schema: &Value, value: &Value) -> bool {
    schema["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .any(|alternative| match alternative["type"].as_str() {
            Some("string") => value.is_string(),
            Some("object") => value.as_object().is_some_and(|fields| {
                assert_eq!(
                    alternative["additionalProperties"]["items"]["type"],
                    "string"
                );
                fields.values().all(|messages| {
                    messages
                        .as_array()
                        .is_some_and(|m| m.iter().all(Value::is_string))
                })
            }),
            _ => false,
        })
}

#[actix_web::test]
async fn real_error_bodies_match_the_error_schema() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Schema", false);
    let doc = serde_json::to_value(monstage::api::openapi_document()).unwrap();
    let error_body = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(error_body["required"], json!(["code", "error"]));
    let offers = "/api/internship_offers";
    let bodies = [
        app.request(Method::GET, offers, Some("Bearer faux"), Body::None)
            .await,
        app.create(&partner, json!({"internship_offer": {"title": "t"}}))
            .await,
        app.create(&partner, json!({})).await,
        app.request(
            Method::DELETE,
            "/api/internship_offers/absent",
            Some(&partner.token),
            Body::None,
        )
        .await,
        app.request(
            Method::GET,
            "/api/internship_offers/search",
            Some(&partner.token),
            Body::None,
        )
        .await,
        app.request(Method::GET, "/api/nothing", None, Body::None)
            .await,
        app.request(
            Method::POST,
            offers,
            Some(&partner.token),
            Body::Raw("application/json".into(), b"{".to_vec()),
        )
        .await,
    ];
    let statuses: BTreeSet<u16> = bodies.iter().map(|(s, _)| s.as_u16()).collect();
    assert_eq!(statuses, BTreeSet::from([400, 401, 404, 422]));
    for (status, body) in bodies {
        let object = body.as_object().unwrap();
        assert_eq!(
            object.keys().collect::<Vec<_>>(),
            ["code", "error"],
            "{status}"
        );
        assert!(body["code"].is_string());
        assert!(
            matches_error_schema(&error_body["properties"]["error"], &body["error"]),
            "{status}: {body}"
        );
    }
}

#[actix_web::test]
async fn the_document_has_the_oauth2_scheme_its_scopes_and_the_webhook_routes() {
    let doc = serde_json::to_value(monstage::api::openapi_document()).unwrap();
    let flow = &doc["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"];
    assert_eq!(flow["tokenUrl"], "/oauth/token");
    for scope in [
        "offers:write",
        "offers:read",
        "catalogue:read",
        "tracking:write",
        "stats:read",
        "webhooks:manage",
    ] {
        assert!(flow["scopes"][scope].is_string(), "{scope}");
    }
    for (path, method) in [
        ("/oauth/token", "post"),
        ("/api/webhooks", "post"),
        ("/api/webhooks", "get"),
        ("/api/webhooks/{id}", "delete"),
        ("/api/webhooks/{id}/ping", "post"),
        ("/api/webhooks/{id}/rotate_secret", "post"),
        ("/api/webhooks/deliveries", "get"),
        ("/api/webhooks/deliveries/{id}/replay", "post"),
        ("/api/webhooks/replay", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let create = &doc["paths"]["/api/internship_offers"]["post"]["security"];
    assert!(create.to_string().contains("offers:write"), "{create}");
}

#[test]
fn every_operation_documents_its_limits_and_writes_their_idempotency_key_and_its_refusals() {
    let doc = serde_json::to_value(monstage::api::openapi_document()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = &operation["responses"];
            assert!(responses.get("429").is_some(), "{method} {path}: no 429");
            if path.starts_with("/api") {
                for status in ["400", "414", "503"] {
                    assert!(
                        responses.get(status).is_some(),
                        "{method} {path}: no {status}"
                    );
                }
            }
            let keyed = operation["parameters"]
                .as_array()
                .is_some_and(|all| all.iter().any(|p| p["name"] == "Idempotency-Key"));
            let write = matches!(method.as_str(), "post" | "patch" | "put" | "delete");
            assert_eq!(keyed, write && path.starts_with("/api"), "{method} {path}");
            if keyed {
                for status in ["408", "409", "413", "422"] {
                    assert!(
                        responses.get(status).is_some(),
                        "{method} {path}: no {status}"
                    );
                }
            }
        }
    }
}
