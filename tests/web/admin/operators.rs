//! Admins create operators and accounts with invitation links.
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{PASSWORD, signed_in};

#[actix_web::test]
async fn admins_create_operators_and_accounts_with_invitation_links() {
    let app = TestApp::spawn().await;
    app.admin("admin@monstage.test");
    let admin = signed_in(&app, "admin@monstage.test").await;
    let created = admin
        .submit(
            "/admin/operateurs",
            "/admin/operateurs",
            &[
                ("name", "Nouvelle Asso"),
                ("email", "contact@nouvelle.test"),
                ("full_access", "oui"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert!(created.body.contains("contact@nouvelle.test"));
    let link = created.input_value("lien-invitation").unwrap_or_default();
    let path = link
        .strip_prefix(&app.address)
        .unwrap_or_default()
        .to_owned();

    let newcomer = app.browser_session();
    newcomer.get(&path).await;
    let saved = newcomer
        .submit(
            "/invitation",
            "/invitation",
            &[("password", PASSWORD), ("confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let signed = newcomer.sign_in("contact@nouvelle.test", PASSWORD).await;
    assert_eq!(signed.location(), "/mon-compte/api");
    let own = newcomer.get("/mon-compte/api").await;
    assert!(own.body.contains("Nouvelle Asso") && own.body.contains("catalogue complet"));

    let bad_email = admin
        .submit(
            "/admin/operateurs",
            "/admin/operateurs",
            &[("name", "Autre"), ("email", "pas-une-adresse")],
        )
        .await;
    assert_eq!(bad_email.status, StatusCode::BAD_REQUEST);
    assert!(bad_email.is_html());
    assert!(
        bad_email
            .body
            .contains("n'est pas une adresse électronique valide")
    );
    let long_name = "n".repeat(121);
    let too_long = admin
        .submit(
            "/admin/operateurs",
            "/admin/operateurs",
            &[("name", long_name.as_str()), ("email", "a@b.test")],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    let duplicate = admin
        .submit(
            "/admin/operateurs",
            "/admin/operateurs",
            &[("name", "Nouvelle Asso"), ("email", "autre@nouvelle.test")],
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert!(
        duplicate
            .body
            .contains("Un opérateur s'appelle déjà « Nouvelle Asso »")
    );
    let taken = admin
        .submit(
            "/admin/operateurs",
            "/admin/operateurs/999999/comptes",
            &[("email", "x@y.test")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::NOT_FOUND);
    for path in [
        "/admin/comptes/999999",
        "/admin/comptes/abc",
        "/admin/comptes/99999999999999999999",
    ] {
        let missing = admin.get(path).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        assert!(missing.is_html(), "{path}");
    }
    let bad_access = admin
        .submit(
            "/admin/operateurs",
            "/admin/operateurs/1/acces",
            &[("full_access", "peut-être")],
        )
        .await;
    assert_eq!(bad_access.status, StatusCode::BAD_REQUEST);
}
