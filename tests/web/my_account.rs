//! The operator's token page: reveal, rotate; deactivation.
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::{PASSWORD, api_status, signed_in};

#[actix_web::test]
async fn the_token_page_reveals_and_rotates_the_token() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Jetons", false);
    let web = signed_in(&app, &partner.email).await;

    let page = web.get("/mon-compte/api").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains(&partner.token),
        "the token is masked by default"
    );
    assert_eq!(
        page.headers.get("cache-control").map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    assert!(page.body.contains("/api/docs/") && page.body.contains("/documentation"));

    let revealed = web
        .submit("/mon-compte/api", "/mon-compte/api/afficher", &[])
        .await;
    assert_eq!(revealed.status, StatusCode::OK);
    assert_eq!(
        revealed.input_value("jeton").as_deref(),
        Some(partner.token.as_str())
    );

    let confirm = web.get("/mon-compte/api/renouveler").await;
    assert!(
        confirm
            .body
            .contains("cessera immédiatement de fonctionner")
    );
    let rotated = web
        .submit(
            "/mon-compte/api/renouveler",
            "/mon-compte/api/renouveler",
            &[],
        )
        .await;
    let new_token = rotated.input_value("jeton").unwrap_or_default();
    assert!(new_token.starts_with("ms3e_") && new_token != partner.token);
    assert_eq!(
        api_status(&app, "/api/internship_offers", &partner.token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api_status(&app, "/api/internship_offers", &new_token).await,
        StatusCode::OK
    );

    let actions = app.audit_actions();
    let me = &partner.email;
    assert!(
        actions.contains(&format!("{me} token_revealed")),
        "{actions:?}"
    );
    assert!(
        actions.contains(&format!("{me} token_rotated")),
        "{actions:?}"
    );
}

#[actix_web::test]
async fn deactivated_accounts_lose_the_api_and_their_session() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Desactives", false);
    let web = signed_in(&app, &partner.email).await;
    assert_eq!(web.get("/mon-compte/api").await.status, StatusCode::OK);
    monstage::admin::access::deactivate_account(
        &mut app.db.conn(),
        partner.account_id,
        &crate::helpers::console(),
    )
    .unwrap();
    assert_eq!(
        api_status(&app, "/api/internship_offers", &partner.token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(web.get("/mon-compte/api").await.location(), "/connexion");
    let again = app
        .browser_session()
        .sign_in(&partner.email, PASSWORD)
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}
