//! OAuth2 clients and webhooks on the partners' page and the admins' page.
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{PASSWORD, signed_in};
use crate::webhooks::{Receiver, wait_for_status};

/// The text of the element with this id (`<code id="…">text</code>`).
fn text_of(body: &str, id: &str) -> String {
    let start = body.find(&format!("id=\"{id}\"")).expect("the element");
    let rest = &body[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest[open..].find('<').unwrap();
    rest[open..open + close].to_owned()
}

#[actix_web::test]
async fn partners_and_admins_create_and_revoke_oauth_clients_on_the_pages() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Clients", false);
    let web = signed_in(&app, &partner.email).await;
    let page = web.get("/mon-compte/api").await;
    assert!(page.body.contains("Aucun client") && !page.body.contains("scope-catalogue:read"));

    let created = web
        .submit(
            "/mon-compte/api",
            "/mon-compte/api/clients",
            &[
                ("name", "Synchronisation"),
                ("scope", "offers:write"),
                ("scope", "offers:read"),
                ("expires_in_days", "30"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let (id, secret) = (
        text_of(&created.body, "client-id"),
        text_of(&created.body, "client-secret"),
    );
    assert!(id.starts_with("ms3e_client_") && secret.starts_with("ms3e_secret_"));
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    let (status, token, _) = app.token_request(&form, None).await;
    assert_eq!(
        (status, token["scope"].as_str()),
        (StatusCode::OK, Some("offers:write offers:read"))
    );
    let listed = web.get("/mon-compte/api").await;
    assert!(listed.body.contains(&id) && !listed.body.contains(&secret));

    let revoked = web
        .submit(
            "/mon-compte/api",
            &format!("/mon-compte/api/clients/{id}/revoquer"),
            &[],
        )
        .await;
    assert!(revoked.body.contains("révoqué"));
    assert_eq!(
        app.token_request(&form, None).await.0,
        StatusCode::UNAUTHORIZED
    );

    let refused = web
        .submit(
            "/mon-compte/api",
            "/mon-compte/api/clients",
            &[("name", "Sans autorisation")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);

    // An admin does the same for the account.
    app.admin("admin@monstage.test");
    let admin = signed_in(&app, "admin@monstage.test").await;
    let base = format!("/admin/comptes/{}", partner.account_id);
    let created = admin
        .submit(
            &base,
            &format!("{base}/clients"),
            &[("name", "Par l'équipe"), ("scope", "stats:read")],
        )
        .await;
    let id = text_of(&created.body, "client-id");
    let revoked = admin
        .submit(&base, &format!("{base}/clients/{id}/revoquer"), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let actions = app.audit_actions();
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.contains("client_created"))
            .count(),
        2,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.contains("client_revoked"))
            .count(),
        2,
        "{actions:?}"
    );
    let _ = PASSWORD;
}

#[actix_web::test]
async fn partners_subscribe_ping_and_read_the_delivery_log_on_the_webhooks_page() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Webhooks", false);
    let receiver = Receiver::start().await;
    let web = signed_in(&app, &partner.email).await;
    let page = web.get("/mon-compte/webhooks").await;
    assert!(page.body.contains("Aucun abonnement"));

    let subscribed = web
        .submit(
            "/mon-compte/webhooks",
            "/mon-compte/webhooks",
            &[
                ("url", receiver.url.as_str()),
                ("events", "offer.created"),
                ("events", "offer.deleted"),
            ],
        )
        .await;
    assert_eq!(subscribed.status, StatusCode::OK, "{}", subscribed.body);
    let secret = text_of(&subscribed.body, "secret-webhook");
    assert!(secret.starts_with("whsec_"));

    app.create(&partner, crate::helpers::valid_offer("o1"))
        .await;
    let received = receiver.wait_for(1).await;
    assert!(received[0].signed_with(&secret));
    wait_for_status(&app, &partner, "delivered", 1).await;
    let log = web
        .get("/mon-compte/webhooks?statut=delivered&type=offer.created")
        .await;
    assert!(log.body.contains("journal-livraisons") && log.body.contains("offer.created"));
    let empty = web.get("/mon-compte/webhooks?statut=failed").await;
    assert!(empty.body.contains("Aucune livraison"));

    let pinged = web
        .submit("/mon-compte/webhooks", "/mon-compte/webhooks/1/ping", &[])
        .await;
    assert!(pinged.body.contains("Ping envoyé"), "{}", pinged.body);
    receiver.wait_for(2).await;
    let delivery =
        crate::webhooks::deliveries(&app, &partner, "?type=offer.created").await[0]["id"].clone();
    let replayed = web
        .submit(
            "/mon-compte/webhooks",
            &format!("/mon-compte/webhooks/livraisons/{delivery}/rejouer"),
            &[],
        )
        .await;
    assert!(replayed.body.contains("rejouée"));
    let received = receiver.wait_for(3).await;
    assert_eq!(received[2].id, received[0].id);

    let refused = web
        .submit(
            "/mon-compte/webhooks",
            "/mon-compte/webhooks",
            &[
                ("url", "https://hooks.partner.invalid/"),
                ("events", "offer.created"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let removed = web
        .submit(
            "/mon-compte/webhooks",
            "/mon-compte/webhooks/1/supprimer",
            &[],
        )
        .await;
    assert!(removed.body.contains("Aucun abonnement"));
}
