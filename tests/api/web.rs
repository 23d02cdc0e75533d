//! The web pages over HTTP: invitations, sign-in, the token page, the admin pages, and the
//! security rules (CSRF, admin-only pages, deactivation, sign-in throttling).

use monstage::db::models::Principal;
use reqwest::{Method, StatusCode};

use crate::helpers::{Body, TestApp};
use crate::web_session::{PASSWORD, WebSession};

async fn api_status(app: &TestApp, path: &str, token: &str) -> StatusCode {
    app.request(Method::GET, path, Some(token), Body::None)
        .await
        .0
}

async fn signed_in(app: &TestApp, email: &str) -> WebSession {
    let web = app.browser_session();
    let page = web.sign_in(email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    web
}

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
    .unwrap_or_else(|e| panic!("{e}"));
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
async fn the_session_cookie_is_http_only_same_site_and_unreadable() {
    let app = TestApp::spawn().await;
    let partner = app.partner_with_password("Cookies", false);
    let web = app.browser_session();
    let csrf = web.get("/connexion").await.csrf();
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
        .get(format!("{}/connexion", app.address))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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

#[actix_web::test]
async fn pages_carry_security_headers_and_assets_are_local() {
    let app = TestApp::spawn().await;
    let web = app.browser_session();
    let page = web.get("/connexion").await;
    let header = |name: &str| {
        page.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-security-policy").contains("default-src 'self'"));
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(header("x-frame-options"), "DENY");
    assert!(
        !page.body.contains("http://") && !page.body.contains("https://"),
        "no outside resource"
    );

    let css = web.get("/assets/dsfr/dsfr.min.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/css"))
    );
    let mut referenced = 0;
    for chunk in css.body.split("url(").skip(1) {
        let target = chunk
            .split(')')
            .next()
            .unwrap_or_default()
            .trim_matches(['"', '\'']);
        if target.starts_with("data:") {
            continue;
        }
        referenced += 1;
        let asset = web.get(&format!("/assets/dsfr/{target}")).await;
        assert_eq!(asset.status, StatusCode::OK, "{target} is missing");
    }
    assert!(referenced > 100, "{referenced}");
    assert_eq!(web.get("/assets/monstage.js").await.status, StatusCode::OK);
    assert_eq!(
        web.get("/assets/nope.css").await.status,
        StatusCode::NOT_FOUND
    );

    let docs = web.get("/documentation/").await;
    assert_eq!(docs.status, StatusCode::OK);
    assert!(docs.body.contains("API partenaires Mon stage de 3e"));
    assert_eq!(
        web.get("/documentation/suivi.md").await.status,
        StatusCode::OK
    );
    assert_eq!(
        web.get("/documentation/ARCHITECTURE.md").await.status,
        StatusCode::NOT_FOUND
    );
    for path in [
        "/admin/nothing-here",
        "/mon-compte/autre-chose",
        "/nulle-part",
    ] {
        let missing = web.get(path).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            missing.is_html() && missing.body.contains("Page non trouvée"),
            "{path}"
        );
    }
    // Every screenshot the partner documentation shows is served with it.
    let images: Vec<&str> = docs
        .body
        .split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|src| src.starts_with("captures/"))
        .collect();
    assert!(images.len() >= 5, "{images:?}");
    for image in images {
        let shot = web.get(&format!("/documentation/{image}")).await;
        assert_eq!(shot.status, StatusCode::OK, "{image}");
        assert_eq!(
            shot.headers.get("content-type").map(|v| v.as_bytes()),
            Some(&b"image/png"[..])
        );
    }
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
        .unwrap_or_else(|e| panic!("{e}"));
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
