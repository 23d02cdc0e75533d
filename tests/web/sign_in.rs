//! Sign-in: same answer for wrong passwords and unknown emails, locks per account and per
//! address (counted before the password is checked, so bursts get no more guesses), proxies,
//! and a cap on the password checks that run at once.

use futures_util::future::join_all;
use monstage::web::sign_in::FAILURES_PER_ACCOUNT;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{PASSWORD, signed_in};

/// The cap of the test servers' password checks (see `TestApp`).
const CHECKS_AT_ONCE: usize = 2;

#[actix_web::test]
async fn wrong_passwords_and_unknown_emails_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Mots de passe", false);
    let web = app.browser_session();
    let wrong = web.sign_in(&partner.email, "pas le bon mot de passe").await;
    let unknown = web.sign_in("personne@nulle-part.test", PASSWORD).await;
    for page in [&wrong, &unknown] {
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(
            page.body
                .contains("Adresse électronique ou mot de passe incorrect.")
        );
    }
    let no_password_yet = app.operator("Sans mot de passe", false);
    let refused = web.sign_in(&no_password_yet.email, PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(web.get("/mon-compte/api").await.location(), "/connexion");
}

#[actix_web::test]
async fn too_many_failed_sign_ins_lock_the_account_for_a_while() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Verrou", false);
    let other = app.partner_with_password("Voisin", false);
    let web = app.browser_session();
    for _ in 0..4 {
        assert_eq!(
            web.sign_in(&partner.email, "mauvais mot de passe")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let fifth = web.sign_in(&partner.email, "mauvais mot de passe").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    let locked = web.sign_in(&partner.email, PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password"
    );
    assert!(locked.body.contains("Trop de tentatives"));
    let retry_after: i64 = locked
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((800..=900).contains(&retry_after), "{retry_after}");
    assert_eq!(
        web.sign_in(&other.email, PASSWORD).await.status,
        StatusCode::SEE_OTHER,
        "other accounts are not locked"
    );

    app.sql("UPDATE sign_in_throttles SET locked_until = now() - interval '1 second'");
    app.sql(
        "INSERT INTO sign_in_throttles VALUES ('email:old@robot.test', 3, now() - interval '2 days', NULL)",
    );
    assert_eq!(
        app.browser_session()
            .sign_in(&partner.email, PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let old_counts =
        "SELECT count(*) AS n FROM sign_in_throttles WHERE subject = 'email:old@robot.test'";
    assert_eq!(app.count(old_counts), 1);
    app.browser_session().sign_in(&other.email, "faux").await;
    assert_eq!(
        app.count(old_counts),
        0,
        "old counts are forgotten as failures come"
    );
}

#[actix_web::test]
async fn too_many_failed_sign_ins_from_one_address_lock_that_address() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Adresse IP", false);
    let web = app.browser_session();
    let mut last = StatusCode::OK;
    for attempt in 0..30 {
        last = web
            .sign_in(&format!("essai{attempt}@robot.test"), "devine")
            .await
            .status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        web.sign_in(&partner.email, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[actix_web::test]
async fn a_stale_session_can_sign_in_again_at_once() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Session perimee", false);
    let web = signed_in(&app, &partner.email).await;
    app.sql("UPDATE accounts SET password_changed_at = now() + interval '1 minute'");
    // The sign-in page itself notices the stale session and still serves a working form.
    let page = web.get("/connexion").await;
    assert_eq!(page.status, StatusCode::OK);
    app.sql("UPDATE accounts SET password_changed_at = now() - interval '1 minute'");
    let csrf = page.csrf();
    let signed = web
        .post(
            "/connexion",
            &[
                ("csrf_token", csrf.as_str()),
                ("email", partner.email.as_str()),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(signed.location(), "/mon-compte/api");
}

/// Thirty failed sign-ins with random emails, as seen through `X-Forwarded-For: {forwarded}`.
async fn thirty_failures(app: &TestApp, forwarded: &str) -> StatusCode {
    let mut web = app.browser_session();
    web.forwarded_for = Some(forwarded.to_owned());
    let mut last = StatusCode::OK;
    for attempt in 0..30 {
        last = web
            .sign_in(&format!("robot{attempt}@robot.test"), "devine")
            .await
            .status;
    }
    last
}

#[actix_web::test]
async fn behind_a_trusted_proxy_each_client_is_counted_apart() {
    let app = TestApp::spawn_behind_proxy().await;
    let partner = app.partner_with_password("Derriere un proxy", false);
    let attacker = thirty_failures(&app, "198.51.100.1, 203.0.113.7").await;
    assert_eq!(attacker, StatusCode::TOO_MANY_REQUESTS);
    let mut neighbour = app.browser_session();
    neighbour.forwarded_for = Some("203.0.113.8".into());
    let signed = neighbour.sign_in(&partner.email, PASSWORD).await;
    assert_eq!(
        signed.location(),
        "/mon-compte/api",
        "another client is not locked"
    );
    let mut same = app.browser_session();
    same.forwarded_for = Some("10.9.9.9, 203.0.113.7".into());
    let locked = same.sign_in(&partner.email, PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a forged first entry changes nothing"
    );
}

#[actix_web::test]
async fn without_a_trusted_proxy_x_forwarded_for_is_ignored() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Sans proxy", false);
    assert_eq!(
        thirty_failures(&app, "203.0.113.7").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut forged = app.browser_session();
    forged.forwarded_for = Some("203.0.113.99".into());
    let locked = forged.sign_in(&partner.email, PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the peer address is what counts"
    );
}

#[actix_web::test]
async fn a_burst_on_one_account_gets_no_more_guesses_than_the_lock() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Rafale", false);
    let web = app.browser_session();
    let attempts = (0..100).map(|i| {
        let password = if i == 99 {
            PASSWORD
        } else {
            "mauvais mot de passe"
        };
        web.sign_in(&partner.email, password)
    });
    let statuses: Vec<StatusCode> = join_all(attempts).await.iter().map(|p| p.status).collect();
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    let (wrong, signed_in, refused) = (
        count(StatusCode::UNAUTHORIZED),
        count(StatusCode::SEE_OTHER),
        count(StatusCode::TOO_MANY_REQUESTS),
    );
    assert_eq!(wrong + signed_in + refused, 100, "{statuses:?}");
    let allowed = usize::try_from(FAILURES_PER_ACCOUNT).unwrap();
    assert!(
        app.password_checks.runs() <= allowed,
        "{} checks",
        app.password_checks.runs()
    );
    assert!(
        wrong < allowed,
        "the guess that uses up the allowance is answered 429"
    );
    assert!(app.password_checks.peak() <= CHECKS_AT_ONCE);
    if signed_in == 0 {
        let locked = app
            .browser_session()
            .sign_in(&partner.email, PASSWORD)
            .await;
        assert_eq!(
            locked.status,
            StatusCode::TOO_MANY_REQUESTS,
            "the account is locked"
        );
    }
}

#[actix_web::test]
async fn a_burst_from_many_clients_never_runs_more_checks_than_the_cap() {
    let app = TestApp::spawn_behind_proxy().await;
    let attempts = (0..100).map(|i| {
        let mut web = app.browser_session();
        web.forwarded_for = Some(format!("203.0.113.{i}"));
        async move {
            web.sign_in(&format!("inconnu{i}@robot.test"), "devine")
                .await
        }
    });
    let pages = join_all(attempts).await;
    for page in &pages {
        match page.status {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(page.body.contains("Trop de connexions simultanées"));
                assert_eq!(page.headers["retry-after"], "1");
            }
            other => panic!("{other}: {}", page.body),
        }
    }
    let checked = pages
        .iter()
        .filter(|p| p.status == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(checked, app.password_checks.runs());
    assert!(checked >= CHECKS_AT_ONCE, "{checked}");
    assert!(app.password_checks.peak() <= CHECKS_AT_ONCE);
}
