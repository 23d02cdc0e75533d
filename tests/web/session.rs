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

/// Opens `path` with a copy of a session cookie, as someone who stole it would.
async fn with_cookie(app: &TestApp, cookie: &str, path: &str) -> reqwest::StatusCode {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", app.address))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
        .status()
}

#[actix_web::test]
async fn signing_out_revokes_the_session_on_the_server_and_everywhere_ends_every_browser() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Cookies", false);
    let web = app.browser_session();
    let signed = web.sign_in(&partner.email, PASSWORD).await;
    let cookie = signed.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        with_cookie(&app, &cookie, "/mon-compte/api").await,
        reqwest::StatusCode::OK
    );
    web.submit("/mon-compte/api", "/deconnexion", &[]).await;
    assert_eq!(
        with_cookie(&app, &cookie, "/mon-compte/api").await,
        reqwest::StatusCode::SEE_OTHER,
        "a copy of a signed-out cookie opens nothing"
    );

    let (first, second) = (app.browser_session(), app.browser_session());
    first.sign_in(&partner.email, PASSWORD).await;
    second.sign_in(&partner.email, PASSWORD).await;
    assert_eq!(
        second.get("/mon-compte/api").await.status,
        reqwest::StatusCode::OK
    );
    let ended = first
        .submit("/mon-compte/api", "/deconnexion-partout", &[])
        .await;
    assert_eq!(ended.location(), "/connexion");
    assert_eq!(second.get("/mon-compte/api").await.location(), "/connexion");
    assert_eq!(first.get("/mon-compte/api").await.location(), "/connexion");
    // Signing in again opens a new session.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    second.sign_in(&partner.email, PASSWORD).await;
    assert_eq!(
        second.get("/mon-compte/api").await.status,
        reqwest::StatusCode::OK
    );
}
