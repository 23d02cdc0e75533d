use reqwest::{Method, StatusCode};
use serde_json::json;

use super::{Receiver, deliveries, subscribe, wait_for_status};
use crate::helpers::{Body, TestApp, field_errors};

#[actix_web::test]
async fn subscriptions_are_listed_without_their_secret_deleted_and_audited() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let other = app.operator("MyFuture", false);
    let receiver = Receiver::start().await;
    let (id, secret) = subscribe(
        &app,
        &partner,
        &receiver.url,
        &["offer.created", "offer.deleted"],
    )
    .await;
    assert!(secret.starts_with("whsec_"));

    let (status, listed) = app
        .request(
            Method::GET,
            "/api/webhooks",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        listed["webhooks"][0]["events"],
        json!(["offer.created", "offer.deleted"])
    );
    assert_eq!(listed["webhooks"][0]["active"], true);
    assert!(!listed.to_string().contains(&secret));
    let sealed: Vec<u8> =
        monstage::db::queries::webhooks::find(&mut app.db.conn(), partner.operator_id, id)
            .unwrap()
            .unwrap()
            .secret_sealed;
    assert!(
        !sealed
            .windows(10)
            .any(|w| secret.as_bytes().windows(10).any(|s| s == w))
    );

    // Another operator neither sees nor deletes it.
    let (_, theirs) = app
        .request(Method::GET, "/api/webhooks", Some(&other.token), Body::None)
        .await;
    assert_eq!(theirs["webhooks"], json!([]));
    let path = format!("/api/webhooks/{id}");
    let (status, body) = app
        .request(Method::DELETE, &path, Some(&other.token), Body::None)
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("WEBHOOK_NOT_FOUND"))
    );

    let (status, _) = app
        .request(Method::DELETE, &path, Some(&partner.token), Body::None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, listed) = app
        .request(
            Method::GET,
            "/api/webhooks",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(listed["webhooks"], json!([]));
    let audited = monstage::db::queries::audit::newest(&mut app.db.conn(), 10, 0).unwrap();
    let actions: Vec<&str> = audited.iter().map(|e| e.action.as_str()).collect();
    assert!(actions.contains(&"webhook_subscribed") && actions.contains(&"webhook_deleted"));
}

#[actix_web::test]
async fn bad_subscriptions_get_clear_errors() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let cases = [
        (json!({"events": ["offer.created"]}), "url"),
        (json!({"url": "https://hooks.partner.invalid/x"}), "events"),
        (
            json!({"url": "https://hooks.partner.invalid/x", "events": ["offer.sold"]}),
            "events",
        ),
        (
            json!({"url": "https://hooks.partner.invalid/x", "events": ["ping"]}),
            "events",
        ),
    ];
    for (body, field) in cases {
        let (status, answer) = app
            .request(
                Method::POST,
                "/api/webhooks",
                Some(&partner.token),
                Body::Json(body),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(!field_errors(&answer, field).is_empty(), "{answer}");
    }
    let (status, answer) = app
        .request(
            Method::GET,
            "/api/webhooks/deliveries?status=lost",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("VALIDATION_ERROR"))
    );
}

#[actix_web::test]
async fn urls_leading_to_loopback_or_unknown_hosts_are_refused_when_loopback_is_not_allowed() {
    let app = TestApp::spawn_refusing_loopback().await;
    let partner = app.operator("JobIRL", false);
    let receiver = Receiver::start().await;
    let port = receiver
        .url
        .split(':')
        .nth(2)
        .and_then(|p| p.split('/').next())
        .unwrap()
        .to_owned();
    let refused = [
        receiver.url.clone(),
        format!("https://127.0.0.1:{port}/hooks"),
        format!("https://localhost:{port}/hooks"),
        format!("https://[::1]:{port}/hooks"),
        format!("https://[::ffff:127.0.0.1]:{port}/hooks"),
        format!("https://0x7f.0.0.1:{port}/hooks"),
        format!("https://2130706433:{port}/hooks"),
        format!("https://127.1:{port}/hooks"),
        format!("https://0.0.0.0:{port}/hooks"),
        "https://hooks.partner.invalid/x".to_owned(),
        "ftp://hooks.partner.invalid/x".to_owned(),
        format!("https://user:pass@127.0.0.1:{port}/hooks"),
    ];
    for url in refused {
        let body = json!({"url": url, "events": ["offer.created"]});
        let (status, answer) = app
            .request(
                Method::POST,
                "/api/webhooks",
                Some(&partner.token),
                Body::Json(body),
            )
            .await;
        assert_eq!(
            (status, answer["code"].as_str()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("WEBHOOK_URL_REFUSED")
            ),
            "{url}: {answer}"
        );
    }

    // A subscription that got in anyway (written before the rule, or a name that changed its
    // address) is checked again at delivery time: nothing reaches the receiver.
    let sealed = app.key.seal("whsec_test").unwrap();
    monstage::db::queries::webhooks::subscribe(
        &mut app.db.conn(),
        partner.operator_id,
        &receiver.url,
        &["offer.created".into()],
        &sealed,
    )
    .unwrap();
    app.create(&partner, crate::helpers::valid_offer("o1"))
        .await;
    let pending = wait_for_attempt(&app, &partner).await;
    assert!(
        pending["last_error"]
            .as_str()
            .unwrap_or_default()
            .contains("adresse refusée"),
        "{pending}"
    );
    assert!(receiver.received().is_empty());
}

async fn wait_for_attempt(
    app: &TestApp,
    partner: &crate::helpers::TestPartner,
) -> serde_json::Value {
    for _ in 0..400 {
        if let Some(tried) = deliveries(app, partner, "")
            .await
            .into_iter()
            .find(|d| d["attempts"].as_i64() > Some(0))
        {
            return tried;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no try recorded");
}

#[actix_web::test]
async fn ping_reaches_one_subscription() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let (receiver, elsewhere) = (Receiver::start().await, Receiver::start().await);
    let (id, secret) = subscribe(&app, &partner, &receiver.url, &["offer.created"]).await;
    subscribe(&app, &partner, &elsewhere.url, &["offer.created"]).await;
    let (status, delivery) = app
        .request(
            Method::POST,
            &format!("/api/webhooks/{id}/ping"),
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, delivery["type"].as_str()),
        (StatusCode::ACCEPTED, Some("ping"))
    );
    let received = receiver.wait_for(1).await;
    assert_eq!(received[0].json()["type"], "ping");
    assert!(received[0].signed_with(&secret));
    wait_for_status(&app, &partner, "delivered", 1).await;
    assert!(elsewhere.received().is_empty());
    let (status, _) = app
        .request(
            Method::POST,
            "/api/webhooks/999999/ping",
            Some(&partner.token),
            Body::None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
