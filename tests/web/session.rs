//! The session cookie: HttpOnly, SameSite, encrypted.

use crate::helpers::TestApp;
use crate::helpers::web_session::PASSWORD;

#[actix_web::test]
async fn the_session_cookie_is_http_only_same_site_and_unreadable() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Cookies", false);
    let web = app.browser_session();
    let csrf = web.get("/connexion").await.csrf();
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/connexion", app.address))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("monstage_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let value = cookie.split(';').next().unwrap_or_default();
    assert!(
        !value.contains("csrf") && !value.contains(&csrf),
        "the session is encrypted: {value}"
    );
    let signed = web.sign_in(&partner.email, PASSWORD).await;
    assert!(
        signed.headers.get("set-cookie").is_some(),
        "a new session at sign-in"
    );
    let signed_out = web.submit("/mon-compte/api", "/deconnexion", &[]).await;
    assert_eq!(signed_out.location(), "/connexion");
    assert_eq!(web.get("/mon-compte/api").await.location(), "/connexion");
}
