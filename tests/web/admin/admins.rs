//! Admins invite and deactivate other admins.
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{PASSWORD, signed_in};

#[actix_web::test]
async fn admins_invite_and_deactivate_other_admins() {
    let app = TestApp::spawn().await;
    let first = app.admin("premiere@monstage.test");
    let admin = signed_in(&app, "premiere@monstage.test").await;
    let list = "/admin/administrateurs";
    let invited = admin
        .submit(list, list, &[("email", "second@monstage.test")])
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    let link = invited.input_value("lien-invitation").unwrap_or_default();
    let second = app.browser_session();
    second
        .get(link.strip_prefix(&app.address).unwrap_or_default())
        .await;
    let fields = [("password", PASSWORD), ("confirmation", PASSWORD)];
    second.submit("/invitation", "/invitation", &fields).await;
    let signed = second.sign_in("second@monstage.test", PASSWORD).await;
    assert_eq!(signed.location(), "/admin/operateurs");

    let taken = admin
        .submit(list, list, &[("email", "SECOND@monstage.test")])
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let myself = admin
        .submit(list, &format!("{list}/{first}/desactiver"), &[])
        .await;
    assert_eq!(myself.status, StatusCode::CONFLICT);
    assert!(myself.body.contains("votre propre accès"));

    let second_id = app.count("SELECT id AS n FROM admins WHERE email = 'second@monstage.test'");
    let confirm = admin.get(&format!("{list}/{second_id}/desactiver")).await;
    assert!(confirm.body.contains("ne pourra plus se connecter"));
    let done = admin
        .submit(list, &format!("{list}/{second_id}/desactiver"), &[])
        .await;
    assert_eq!(done.location(), list);
    assert_eq!(
        second.get("/admin/operateurs").await.location(),
        "/connexion"
    );
    let again = app
        .browser_session()
        .sign_in("second@monstage.test", PASSWORD)
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let missing = admin
        .submit(list, &format!("{list}/999999/desactiver"), &[])
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let journal = admin.get("/admin/journal").await;
    assert!(journal.body.contains("Administrateur désactivé"));

    let partner = app.partner_with_password("Pas admin", false);
    let operator = signed_in(&app, &partner.email).await;
    assert_eq!(operator.get(list).await.status, StatusCode::FORBIDDEN);
}
