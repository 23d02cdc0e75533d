//! The demo partner app (examples/partner-demo) end to end in a headless browser: OAuth2 token,
//! webhook subscription to itself, sample offers published, edited and deleted, every event
//! verified; forged and stale deliveries refused. Saves `demo-partenaire.png`.

use std::time::{Duration, Instant};

use chrono::Utc;

use crate::helpers::TestApp;
use crate::web::browser::Browser;

#[path = "../examples/partner-demo/app.rs"]
#[allow(dead_code)]
mod partner_demo;

const ALL_SCOPES: &str =
    "offers:write offers:read catalogue:read tracking:write stats:read webhooks:manage";

async fn start_demo(app: &TestApp) -> String {
    let partner = app.operator("JobBoard demo", true);
    let (client_id, client_secret) = app.oauth_client(&partner, ALL_SCOPES);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the demo");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let config = partner_demo::Config {
        monstage_url: app.address.clone(),
        client_id,
        client_secret,
        own_url: address.clone(),
    };
    actix_web::rt::spawn(partner_demo::serve(listener, config).expect("the demo serves"));
    address
}

/// Reloads the page until its events table holds `count` rows.
async fn wait_for_events(browser: &Browser, count: usize) -> String {
    let started = Instant::now();
    loop {
        browser.open("/").await;
        let rows = browser
            .client
            .find_all(fantoccini::Locator::Css("#evenements tbody tr"))
            .await
            .map(|rows| rows.len())
            .unwrap_or_default();
        if rows >= count {
            return browser.page_text().await;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{rows} events, not {count}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[actix_web::test]
async fn the_demo_app_publishes_subscribes_and_verifies_every_webhook_in_a_browser() {
    let app = TestApp::spawn().await;
    let demo = start_demo(&app).await;
    let browser = Browser::start(&demo).await;
    browser.open("/").await;
    for step in [
        "jeton",
        "abonnement",
        "publier",
        "modifier",
        "publier",
        "supprimer",
    ] {
        browser.click(&format!("#{step}"), "/").await;
        let done = browser.page_text().await;
        assert!(!done.contains("Erreur"), "{step}: {done}");
    }
    let text = wait_for_events(&browser, 4).await;
    for kind in ["offer.created", "offer.updated", "offer.deleted"] {
        assert!(text.contains(kind), "{kind} in {text}");
    }
    assert_eq!(text.matches("✔ signature valide").count(), 4, "{text}");
    assert!(!text.contains("refusé"));

    // A forged signature and a stale timestamp are refused, and shown so.
    let client = reqwest::Client::new();
    let now = Utc::now().timestamp();
    for (timestamp, signature) in [(now, "sha256=00ff"), (now - 3600, "sha256=00ff")] {
        let status = client
            .post(format!("{demo}/webhooks"))
            .header("X-Webhook-Id", "forged")
            .header("X-Webhook-Timestamp", timestamp.to_string())
            .header("X-Webhook-Signature-SHA256", signature)
            .body(r#"{"id":"forged","type":"offer.deleted","data":{"remote_id":"x"}}"#)
            .send()
            .await
            .map(|r| r.status().as_u16());
        assert_eq!(status.ok(), Some(401));
    }
    let text = wait_for_events(&browser, 6).await;
    assert!(text.contains("refusé : signature invalide"), "{text}");
    assert!(text.contains("refusé : horodatage trop ancien"), "{text}");
    browser.screenshot("demo-partenaire").await;
    browser.close().await;
}
