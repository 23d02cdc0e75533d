//! Admins reveal and rotate tokens, grant access, deactivate and reactivate accounts; the audit log.
use reqwest::{Method, StatusCode};

use crate::helpers::web_session::{api_status, signed_in};
use crate::helpers::{Body, TestApp};

#[actix_web::test]
async fn admins_manage_access_tokens_and_accounts_with_an_audit_trail() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Association Alpha", false);
    app.operator("Beta Emploi", false);
    app.admin("admin@monstage.test");
    let admin = signed_in(&app, "admin@monstage.test").await;

    let found = admin.get("/admin/operateurs?q=alpha").await;
    assert!(found.body.contains("Association Alpha") && !found.body.contains("Beta Emploi"));
    let all = admin.get("/admin/operateurs").await;
    assert!(all.body.contains("Association Alpha") && all.body.contains("Beta Emploi"));

    let search = "/api/internship_offers/search";
    assert_eq!(
        api_status(&app, search, &partner.token).await,
        StatusCode::UNAUTHORIZED
    );
    let access = format!("/admin/operateurs/{}/acces", partner.operator_id);
    let granted = admin
        .submit("/admin/operateurs", &access, &[("full_access", "oui")])
        .await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api_status(&app, search, &partner.token).await,
        StatusCode::OK
    );
    admin
        .submit("/admin/operateurs", &access, &[("full_access", "non")])
        .await;
    assert_eq!(
        api_status(&app, search, &partner.token).await,
        StatusCode::UNAUTHORIZED
    );

    let account = format!("/admin/comptes/{}", partner.account_id);
    let revealed = admin
        .submit(&account, &format!("{account}/afficher"), &[])
        .await;
    assert_eq!(
        revealed.input_value("jeton").as_deref(),
        Some(partner.token.as_str())
    );
    let rotated = admin
        .submit(&account, &format!("{account}/renouveler"), &[])
        .await;
    let new_token = rotated.input_value("jeton").unwrap_or_default();
    assert_eq!(
        api_status(&app, "/api/internship_offers", &partner.token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api_status(&app, "/api/internship_offers", &new_token).await,
        StatusCode::OK
    );

    let invited = admin
        .submit(&account, &format!("{account}/invitation"), &[])
        .await;
    let link = invited.input_value("lien-invitation").unwrap_or_default();
    assert!(
        link.starts_with(&format!("{}/invitation/", app.address)),
        "{link}"
    );

    let deactivated = admin
        .submit(&account, &format!("{account}/desactiver"), &[])
        .await;
    assert_eq!(deactivated.status, StatusCode::SEE_OTHER);
    let (status, body) = app
        .request(
            Method::GET,
            "/api/internship_offers",
            Some(&new_token),
            Body::None,
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("UNAUTHORIZED"))
    );
    let twice = admin
        .submit(&account, &format!("{account}/desactiver"), &[])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    let journal = admin.get("/admin/journal").await;
    for label in [
        "Accès complet accordé",
        "Accès complet retiré",
        "Jeton affiché",
        "Jeton renouvelé",
        "Compte désactivé",
        "Lien d'invitation créé",
    ] {
        assert!(
            journal.body.contains(label),
            "{label} missing from the journal"
        );
    }
    let actions = app.audit_actions();
    for action in [
        "full_access_granted",
        "full_access_withdrawn",
        "token_revealed",
        "token_rotated",
        "account_deactivated",
    ] {
        assert!(
            actions.contains(&format!("admin@monstage.test {action}")),
            "{action}: {actions:?}"
        );
    }
}

#[actix_web::test]
async fn a_reactivated_account_gets_a_new_token() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Retour", false);
    app.admin("admin@monstage.test");
    let admin = signed_in(&app, "admin@monstage.test").await;
    let account = format!("/admin/comptes/{}", partner.account_id);
    let active = admin
        .submit(&account, &format!("{account}/reactiver"), &[])
        .await;
    assert_eq!(active.status, StatusCode::CONFLICT, "an active account");

    admin
        .submit(&account, &format!("{account}/desactiver"), &[])
        .await;
    let back = admin
        .submit(&account, &format!("{account}/reactiver"), &[])
        .await;
    assert_eq!(back.location(), account);
    let page = admin.get(&account).await;
    assert!(page.body.contains("Compte réactivé avec un nouveau jeton"));
    let revealed = admin
        .submit(&account, &format!("{account}/afficher"), &[])
        .await;
    let new_token = revealed.input_value("jeton").unwrap_or_default();
    assert_ne!(new_token, partner.token);
    assert_eq!(
        api_status(&app, "/api/internship_offers", &partner.token).await,
        StatusCode::UNAUTHORIZED,
        "the token of before stays refused"
    );
    assert_eq!(
        api_status(&app, "/api/internship_offers", &new_token).await,
        StatusCode::OK
    );
    let journal = admin.get("/admin/journal").await;
    assert!(journal.body.contains("Compte réactivé (nouveau jeton)"));
}
