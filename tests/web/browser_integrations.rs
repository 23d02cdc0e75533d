//! OAuth2 clients and webhooks on the partners' pages, in a real browser (screenshots
//! `14-client-oauth.png` and `15-webhooks.png` for the documentation).

use reqwest::StatusCode;

use super::browser::Browser;
use crate::helpers::web_session::PASSWORD;
use crate::helpers::{TestApp, valid_offer};
use crate::webhooks::{Receiver, wait_for_status};

#[actix_web::test]
async fn a_partner_creates_a_client_and_subscribes_a_webhook_in_the_browser() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Association Horizon Stages", false);
    let receiver = Receiver::start().await;
    let browser = Browser::start(&app.address).await;
    browser.open("/connexion").await;
    browser.fill("email", &partner.email).await;
    browser.fill("password", PASSWORD).await;
    browser.click("#se-connecter", "/mon-compte/api").await;

    browser
        .fill("client-name", "Synchronisation nocturne")
        .await;
    browser.fill("client-expiry", "365").await;
    browser
        .click("#creer-client", "/mon-compte/api/clients")
        .await;
    let client_id = browser
        .element("#client-id")
        .await
        .text()
        .await
        .unwrap_or_default();
    let secret = browser
        .element("#client-secret")
        .await
        .text()
        .await
        .unwrap_or_default();
    let form =
        format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}");
    assert_eq!(app.token_request(&form, None).await.0, StatusCode::OK);
    scroll_to(&browser, "clients-oauth").await;
    browser.screenshot("14-client-oauth").await;

    browser
        .click("#lien-webhooks", "/mon-compte/webhooks")
        .await;
    browser.fill("webhook-url", &receiver.url).await;
    browser.click("#abonner", "/mon-compte/webhooks").await;
    let secret = browser
        .element("#secret-webhook")
        .await
        .text()
        .await
        .unwrap_or_default();
    app.create(&partner, valid_offer("horizon-1")).await;
    let received = receiver.wait_for(1).await;
    assert!(received[0].signed_with(&secret));
    wait_for_status(&app, &partner, "delivered", 1).await;
    browser.open("/mon-compte/webhooks").await;
    let text = browser.page_text().await;
    assert!(
        text.contains("offer.created") && text.contains("delivered"),
        "{text}"
    );
    scroll_to(&browser, "livraisons").await;
    browser.screenshot("15-webhooks").await;
    browser.close().await;
}

async fn scroll_to(browser: &Browser, id: &str) {
    let script = format!("document.getElementById('{id}').scrollIntoView()");
    browser
        .client
        .execute(&script, vec![])
        .await
        .expect("scroll");
}
