//! OAuth2 client credentials: the token endpoint, its every error, expiry, revocation, and
//! scopes enforced route by route.

use diesel::RunQueryDsl;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, TestPartner, console, valid_offer};

fn form(id: &str, secret: &str, extra: &str) -> String {
    format!("grant_type=client_credentials&client_id={id}&client_secret={secret}{extra}")
}

#[actix_web::test]
async fn a_client_gets_a_bearer_token_by_form_or_basic_auth() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (id, secret) = app.oauth_client(&partner, "offers:write offers:read");

    let (status, body, headers) = app.token_request(&form(&id, &secret, ""), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(
        body["expires_in"]
            .as_i64()
            .map(|s| s > 86_390 && s <= 86_400),
        Some(true)
    );
    assert_eq!(body["scope"], "offers:write offers:read");
    assert_eq!(headers["cache-control"], "no-store");
    let token = body["access_token"].as_str().unwrap_or_default().to_owned();
    assert!(token.starts_with("ms3e_at_"));

    let oauth = TestPartner {
        token,
        ..partner.clone()
    };
    let (status, _) = app.create(&oauth, valid_offer("o1")).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, listed) = app.list(&oauth, "").await;
    assert_eq!(
        (status, listed["internshipOffers"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1))
    );

    // HTTP Basic, and a narrower scope than the client's.
    let (status, body, _) = app
        .token_request(
            "grant_type=client_credentials&scope=offers:read",
            Some((&id, &secret)),
        )
        .await;
    assert_eq!(
        (status, body["scope"].as_str()),
        (StatusCode::OK, Some("offers:read"))
    );

    // Only hashes are stored.
    let stored: Vec<String> = diesel::sql_query(
        "SELECT encode(token_hash, 'hex') AS t FROM oauth_access_tokens UNION ALL SELECT secret_hash FROM oauth_clients",
    )
    .load::<Text>(&mut app.db.conn())
    .unwrap_or_default()
    .into_iter()
    .map(|row| row.t)
    .collect();
    assert_eq!(stored.len(), 3);
    assert!(
        stored
            .iter()
            .all(|s| !s.contains(&secret) && !s.contains("ms3e_at_"))
    );
    assert!(stored.iter().any(|s| s.starts_with("$argon2id$")));
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    t: String,
}

#[actix_web::test]
async fn the_token_endpoint_answers_every_error_of_the_rfc() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (id, secret) = app.oauth_client(&partner, "offers:read");
    type Case<'a> = (String, Option<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            format!("client_id={id}&client_secret={secret}"),
            None,
            400,
            "invalid_request",
        ),
        (
            form(&id, &secret, "&grant_type=client_credentials"),
            None,
            400,
            "invalid_request",
        ),
        (
            form(&id, &secret, "").replace("client_credentials", "password"),
            None,
            400,
            "unsupported_grant_type",
        ),
        (
            "grant_type=client_credentials".into(),
            None,
            401,
            "invalid_client",
        ),
        (form(&id, "wrong-secret", ""), None, 401, "invalid_client"),
        (
            form("ms3e_client_unknown", &secret, ""),
            None,
            401,
            "invalid_client",
        ),
        (
            "grant_type=client_credentials".into(),
            Some((&id, "wrong")),
            401,
            "invalid_client",
        ),
        (
            form(&id, &secret, ""),
            Some((&id, &secret)),
            400,
            "invalid_request",
        ),
        (
            form(&id, &secret, "&scope=offers:write"),
            None,
            400,
            "invalid_scope",
        ),
        (
            form(&id, &secret, "&scope=everything"),
            None,
            400,
            "invalid_scope",
        ),
    ];
    for (body, basic, status, error) in cases {
        let (got, answer, headers) = app.token_request(&body, basic).await;
        assert_eq!(
            (got.as_u16(), answer["error"].as_str()),
            (status, Some(error)),
            "{body}"
        );
        assert!(answer["error_description"].is_string());
        if status == 401 {
            assert!(
                headers["www-authenticate"]
                    .to_str()
                    .unwrap_or_default()
                    .starts_with("Basic")
            );
        }
    }
    let json = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .json(
            &json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret}),
        )
        .send()
        .await
        .expect("token request");
    assert_eq!(json.status(), StatusCode::BAD_REQUEST);
    let body: Value = json.json().await.unwrap_or_default();
    assert_eq!(body["error"], "invalid_request");
}

#[actix_web::test]
async fn expired_or_revoked_clients_and_expired_tokens_stop_at_once() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (id, secret) = app.oauth_client(&partner, "offers:read");
    let oauth = app.oauth_partner(&partner, "offers:read").await;
    assert_eq!(app.list(&oauth, "").await.0, StatusCode::OK);

    // The access token's own expiry.
    diesel::sql_query("UPDATE oauth_access_tokens SET expires_at = now() - interval '1 second'")
        .execute(&mut app.db.conn())
        .unwrap_or_default();
    let (status, body) = app.list(&oauth, "").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("UNAUTHORIZED"))
    );

    // The client's expiry ends its tokens and its grants.
    let (_, granted, _) = app.token_request(&form(&id, &secret, ""), None).await;
    let token = granted["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let holder = TestPartner {
        token,
        ..partner.clone()
    };
    assert_eq!(app.list(&holder, "").await.0, StatusCode::OK);
    diesel::sql_query(
        "UPDATE oauth_clients SET expires_at = now() - interval '1 second' WHERE client_id = $1",
    )
    .bind::<diesel::sql_types::Text, _>(&id)
    .execute(&mut app.db.conn())
    .unwrap_or_default();
    assert_eq!(app.list(&holder, "").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.token_request(&form(&id, &secret, ""), None).await.0,
        StatusCode::UNAUTHORIZED
    );

    // Revocation, with the audit log's trace; the static token is untouched.
    let (other_id, other_secret) = app.oauth_client(&partner, "offers:read");
    let (_, granted, _) = app
        .token_request(&form(&other_id, &other_secret, ""), None)
        .await;
    let holder = TestPartner {
        token: granted["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        ..partner.clone()
    };
    assert_eq!(app.list(&holder, "").await.0, StatusCode::OK);
    monstage::admin::clients::revoke(&mut app.db.conn(), &other_id, None, &console())
        .expect("revoke");
    assert_eq!(app.list(&holder, "").await.0, StatusCode::UNAUTHORIZED);
    let refused = app
        .token_request(&form(&other_id, &other_secret, ""), None)
        .await;
    assert_eq!(
        (refused.0, refused.1["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    assert_eq!(app.list(&partner, "").await.0, StatusCode::OK);
    let audited: Vec<String> =
        diesel::sql_query("SELECT action AS t FROM audit_events ORDER BY id")
            .load::<Text>(&mut app.db.conn())
            .unwrap_or_default()
            .into_iter()
            .map(|row| row.t)
            .collect();
    assert_eq!(audited.iter().filter(|a| *a == "client_created").count(), 3);
    assert_eq!(audited.iter().filter(|a| *a == "client_revoked").count(), 1);
}

/// One call of each scope's routes: (scope, method, path, body).
fn calls_of(student: i64) -> Vec<(&'static str, Method, String, Value)> {
    vec![
        (
            "offers:write",
            Method::POST,
            "/api/internship_offers".into(),
            json!({"internship_offer": valid_offer("new")}),
        ),
        (
            "offers:write",
            Method::PATCH,
            "/api/internship_offers/o1".into(),
            json!({"internship_offer": {"title": "Autre titre"}}),
        ),
        (
            "offers:write",
            Method::PUT,
            "/api/internship_offers/o1".into(),
            json!({"internship_offer": {"title": "Autre titre"}}),
        ),
        (
            "offers:write",
            Method::DELETE,
            "/api/internship_offers/gone".into(),
            json!({}),
        ),
        (
            "offers:read",
            Method::GET,
            "/api/internship_offers".into(),
            json!({}),
        ),
        (
            "offers:read",
            Method::GET,
            "/api/internship_offers/o1".into(),
            json!({}),
        ),
        (
            "catalogue:read",
            Method::GET,
            "/api/internship_offers/search?keyword=cuisine".into(),
            json!({}),
        ),
        (
            "tracking:write",
            Method::POST,
            "/api/operator_account_activities/create_account".into(),
            json!({"remote_id": "o1", "student_id": student}),
        ),
        (
            "tracking:write",
            Method::POST,
            "/api/application_trackings".into(),
            json!({"application_tracking": {"remote_id": "o1", "ms3e_student_id": student, "remote_status": "application_submitted"}}),
        ),
        ("stats:read", Method::GET, "/api/stats".into(), json!({})),
        (
            "stats:read",
            Method::GET,
            "/api/internship_offers/o1/stats".into(),
            json!({}),
        ),
        (
            "webhooks:manage",
            Method::GET,
            "/api/webhooks".into(),
            json!({}),
        ),
        (
            "webhooks:manage",
            Method::GET,
            "/api/webhooks/deliveries".into(),
            json!({}),
        ),
    ]
}

const ALL: &str =
    "offers:write offers:read catalogue:read tracking:write stats:read webhooks:manage";

#[actix_web::test]
async fn each_scope_guards_its_routes() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", true);
    let student = app.student("Camille");
    app.create(&partner, valid_offer("o1")).await;
    app.create(&partner, valid_offer("gone")).await;
    for (scope, method, path, body) in calls_of(student) {
        let without: Vec<&str> = ALL.split(' ').filter(|s| *s != scope).collect();
        let lacking = app.oauth_partner(&partner, &without.join(" ")).await;
        let response = app
            .client
            .request(method.clone(), format!("{}{path}", app.address))
            .bearer_auth(&lacking.token)
            .json(&body)
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} without {scope}"
        );
        let challenge = response.headers()["www-authenticate"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            challenge.contains("error=\"insufficient_scope\"") && challenge.contains(scope),
            "{challenge}"
        );
        let answer: Value = response.json().await.unwrap_or_default();
        assert_eq!(answer["code"], "INSUFFICIENT_SCOPE");

        let holding = app.oauth_partner(&partner, scope).await;
        let (status, answer) = app
            .request(
                method.clone(),
                &path,
                Some(&holding.token),
                Body::Json(body),
            )
            .await;
        assert!(
            status.is_success(),
            "{method} {path} with {scope}: {status} {answer}"
        );
    }
}

#[actix_web::test]
async fn static_tokens_keep_every_entitled_scope_and_the_catalogue_needs_full_access() {
    let app = TestApp::spawn().await;
    let full = app.operator("JobIRL", true);
    let own_only = app.operator("MyFuture", false);
    let student = app.student("Camille");
    for partner in [&full, &own_only] {
        app.create(partner, valid_offer("o1")).await;
        app.create(partner, valid_offer("gone")).await;
    }
    for (scope, method, path, body) in calls_of(student) {
        let (status, answer) = app
            .request(
                method.clone(),
                &path,
                Some(&full.token),
                Body::Json(body.clone()),
            )
            .await;
        assert!(status.is_success(), "{method} {path}: {status} {answer}");
        let (status, answer) = app
            .request(
                method.clone(),
                &path,
                Some(&own_only.token),
                Body::Json(body),
            )
            .await;
        if scope == "catalogue:read" {
            assert_eq!(
                (status, answer["error"].as_str()),
                (StatusCode::UNAUTHORIZED, Some("access denied"))
            );
        } else {
            assert!(status.is_success(), "{method} {path}: {status} {answer}");
        }
    }
    // A client may not be given the catalogue without full access, and an OAuth token keeps
    // the original's 401 when the access is withdrawn later.
    let request = monstage::admin::clients::ClientRequest {
        name: "x",
        scopes: Some("catalogue:read"),
        expires_in_days: None,
    };
    assert!(
        monstage::admin::clients::create(
            &mut app.db.conn(),
            own_only.account_id,
            request,
            &console()
        )
        .is_err()
    );
    let searcher = app.oauth_partner(&full, "catalogue:read").await;
    diesel::sql_query("UPDATE operators SET api_full_access = false")
        .execute(&mut app.db.conn())
        .unwrap_or_default();
    let (status, answer) = app
        .request(
            Method::GET,
            "/api/internship_offers/search",
            Some(&searcher.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("access denied"))
    );
}
