//! Bad form input gets a French page, never JSON or a 500.
use monstage::db::models::Principal;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use crate::helpers::web_session::PASSWORD;

#[actix_web::test]
async fn bad_form_input_gets_a_french_page_never_json_or_a_500() {
    let app = TestApp::spawn().await;
    let web = app.browser_session();
    let long_email = format!("{}@exemple.test", "a".repeat(300));
    let too_long = web.sign_in(&long_email, PASSWORD).await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(too_long.is_html() && too_long.body.contains("trop longue"));

    let csrf = web.get("/connexion").await.csrf();
    let huge = "x".repeat(300 * 1024);
    let oversized = web
        .post(
            "/connexion",
            &[("csrf_token", csrf.as_str()), ("email", huge.as_str())],
        )
        .await;
    assert_eq!(oversized.status, StatusCode::BAD_REQUEST);
    assert!(oversized.is_html() && oversized.body.contains("trop volumineux"));

    let as_json = reqwest::Client::new()
        .post(format!("{}/connexion", app.address))
        .json(&serde_json::json!({"email": "a@b.test", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_json.status(), StatusCode::FORBIDDEN);

    let long_password = "p".repeat(200);
    let partner = app.operator("Formulaires invalides", false);
    let invited = app.browser_session();
    invited
        .get(&app.invitation_path(Principal::Account(partner.account_id)))
        .await;
    let fields = [
        ("password", long_password.as_str()),
        ("confirmation", long_password.as_str()),
    ];
    let refused = invited.submit("/invitation", "/invitation", &fields).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("au plus 128 caractères"));
}
