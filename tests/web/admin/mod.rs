//! Admin pages: for admins only.

mod accounts;
mod admins;
mod operators;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{api_status, signed_in};

#[actix_web::test]
async fn admin_pages_are_for_admins_only() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Curieux", false);
    let anonymous = app.browser_session();
    for path in ["/admin/operateurs", "/admin/journal", "/mon-compte/api"] {
        let page = anonymous.get(path).await;
        assert_eq!(
            (page.status, page.location()),
            (StatusCode::SEE_OTHER, "/connexion"),
            "{path}"
        );
    }

    let web = signed_in(&app, &partner.email).await;
    let paths = [
        "/admin/operateurs".to_owned(),
        "/admin/journal".to_owned(),
        format!("/admin/comptes/{}", partner.account_id),
        format!("/admin/comptes/{}/renouveler", partner.account_id),
    ];
    for path in &paths {
        let page = web.get(path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.is_html() && page.body.contains("Accès refusé"));
    }
    let grant = web
        .submit(
            "/mon-compte/api",
            &format!("/admin/operateurs/{}/acces", partner.operator_id),
            &[("full_access", "oui")],
        )
        .await;
    assert_eq!(grant.status, StatusCode::FORBIDDEN);
    let reveal = web
        .submit(
            "/mon-compte/api",
            &format!("/admin/comptes/{}/afficher", partner.account_id),
            &[],
        )
        .await;
    assert_eq!(reveal.status, StatusCode::FORBIDDEN);
    assert_eq!(
        api_status(&app, "/api/internship_offers/search", &partner.token).await,
        StatusCode::UNAUTHORIZED,
        "still no full access"
    );

    app.admin("admin@monstage.test");
    let admin = signed_in(&app, "admin@monstage.test").await;
    assert_eq!(
        admin.get("/mon-compte/api").await.location(),
        "/admin/operateurs"
    );
}
