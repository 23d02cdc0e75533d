//! Forms without the session's CSRF token are refused before anything is done.
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{PASSWORD, api_status, signed_in};

#[actix_web::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Formulaires", false);
    let web = signed_in(&app, &partner.email).await;
    for fields in [vec![], vec![("csrf_token", "forged")]] {
        let refused = web.post("/mon-compte/api/renouveler", &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.is_html() && refused.body.contains("Formulaire expiré"));
        let revealed = web.post("/mon-compte/api/afficher", &fields).await;
        assert_eq!(revealed.status, StatusCode::FORBIDDEN);
        assert!(!revealed.body.contains(&partner.token));
    }
    assert_eq!(
        api_status(&app, "/api/internship_offers", &partner.token).await,
        StatusCode::OK
    );

    let fresh = app.browser_session();
    let sign_in = fresh
        .post(
            "/connexion",
            &[("email", partner.email.as_str()), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(sign_in.status, StatusCode::FORBIDDEN);
    // A token from another session is just as wrong.
    let other_csrf = web.get("/mon-compte/api").await.csrf();
    let crossed = fresh
        .post(
            "/connexion",
            &[
                ("csrf_token", other_csrf.as_str()),
                ("email", partner.email.as_str()),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(crossed.status, StatusCode::FORBIDDEN);
    assert!(app.audit_actions().iter().all(|a| !a.contains("token_")));
}
