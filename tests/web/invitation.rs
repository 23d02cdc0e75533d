//! Invitations: choosing a password once, expiry, and what a new password ends.
use monstage::db::models::Principal;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{PASSWORD, signed_in};

#[actix_web::test]
async fn an_invitation_sets_a_password_once() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Invites", false);
    let link = app.invitation_path(Principal::Account(partner.account_id));
    assert!(link.starts_with("/invitation/"));
    let web = app.browser_session();

    let opened = web.get(&link).await;
    assert_eq!(
        (opened.status, opened.location()),
        (StatusCode::SEE_OTHER, "/invitation")
    );
    let form = web.get("/invitation").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(&partner.email));

    let short = web
        .submit(
            "/invitation",
            "/invitation",
            &[("password", "court"), ("confirmation", "court")],
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(
        short.body.contains("au moins 12 caractères"),
        "{}",
        short.body
    );
    let mismatch = web
        .submit(
            "/invitation",
            "/invitation",
            &[
                ("password", PASSWORD),
                ("confirmation", "autre chose encore"),
            ],
        )
        .await;
    assert!(mismatch.body.contains("ne sont pas identiques"));

    let saved = web
        .submit(
            "/invitation",
            "/invitation",
            &[("password", PASSWORD), ("confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(
        (saved.status, saved.location()),
        (StatusCode::SEE_OTHER, "/connexion")
    );
    let sign_in_page = web.get("/connexion").await;
    assert!(
        sign_in_page
            .body
            .contains("Votre mot de passe est enregistré")
    );

    let signed = web.sign_in(&partner.email.to_uppercase(), PASSWORD).await;
    assert_eq!(
        (signed.status, signed.location()),
        (StatusCode::SEE_OTHER, "/mon-compte/api")
    );

    let again = app.browser_session();
    again.get(&link).await;
    let used = again.get("/invitation").await;
    assert_eq!(used.status, StatusCode::GONE);
    assert!(used.is_html() && used.body.contains("Lien d'invitation expiré"));
}

#[actix_web::test]
async fn expired_and_superseded_invitations_do_not_work() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Expires", false);
    let first = app.invitation_path(Principal::Account(partner.account_id));
    let second = app.invitation_path(Principal::Account(partner.account_id));
    let web = app.browser_session();
    web.get(&first).await;
    assert_eq!(web.get("/invitation").await.status, StatusCode::GONE);
    web.get(&second).await;
    assert_eq!(web.get("/invitation").await.status, StatusCode::OK);

    app.sql("UPDATE invitations SET expires_at = now() - interval '1 second'");
    assert_eq!(web.get("/invitation").await.status, StatusCode::GONE);
    let late = web
        .submit(
            "/connexion",
            "/invitation",
            &[("password", PASSWORD), ("confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(late.status, StatusCode::GONE);
    assert_eq!(
        web.get("/invitation/not-a-real-secret").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(web.get("/invitation").await.status, StatusCode::GONE);
    let huge = format!("/invitation/{}", "x".repeat(5000));
    assert_eq!(web.get(&huge).await.location(), "/invitation");
    assert_eq!(web.get("/invitation").await.status, StatusCode::GONE);
}

#[actix_web::test]
async fn choosing_a_new_password_signs_out_every_other_browser() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Nouveau mot de passe", false);
    let stolen = signed_in(&app, &partner.email).await;
    assert_eq!(stolen.get("/mon-compte/api").await.status, StatusCode::OK);
    // Sessions count in milliseconds: let the clock move past the sign-in.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let owner = app.browser_session();
    owner
        .get(&app.invitation_path(Principal::Account(partner.account_id)))
        .await;
    let new_password = "un tout nouveau mot de passe";
    let fields = [("password", new_password), ("confirmation", new_password)];
    let saved = owner.submit("/invitation", "/invitation", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    assert_eq!(stolen.get("/mon-compte/api").await.location(), "/connexion");
    let old = app
        .browser_session()
        .sign_in(&partner.email, PASSWORD)
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let fresh = app
        .browser_session()
        .sign_in(&partner.email, new_password)
        .await;
    assert_eq!(fresh.location(), "/mon-compte/api");
    let page = owner.sign_in(&partner.email, new_password).await;
    assert_eq!(page.location(), "/mon-compte/api");
    assert_eq!(owner.get("/mon-compte/api").await.status, StatusCode::OK);
}
