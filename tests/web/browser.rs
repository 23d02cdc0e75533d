//! The pages in a real browser: headless Chromium driven over WebDriver (chromedriver),
//! against the real server. Each step saves a screenshot under
//! `target/tmp/screenshots/` (and into `$MONSTAGE_SCREENSHOTS_DIR` when set: `make screenshots`
//! refreshes doc/captures that way).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use monstage::db::models::Principal;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::web_session::PASSWORD;
use crate::helpers::{Body, TestApp, TestPartner, valid_offer};

const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
    address: String,
}

fn program(env: &str, default: &str) -> String {
    std::env::var(env).unwrap_or_else(|_| default.to_owned())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port")
}

impl Browser {
    /// Chromium through a chromedriver of its own (`CHROMEDRIVER`, `CHROMIUM` override the
    /// Debian paths).
    pub async fn start(address: &str) -> Browser {
        let port = free_port();
        let driver = Command::new(program("CHROMEDRIVER", "/usr/bin/chromedriver"))
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt-get install chromium-driver)");
        let profile = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("chromium-{}", uuid::Uuid::new_v4().simple()));
        let options = json!({
            "binary": program("CHROMIUM", "/usr/bin/chromium"),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--no-first-run", "--disable-sync",
                "--disable-background-networking", "--disable-component-update",
                format!("--user-data-dir={}", profile.display()),
            ],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let started = Instant::now();
        let client = loop {
            let attempt = ClientBuilder::new(connector.clone())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await;
            match attempt {
                Ok(client) => break client,
                Err(e) if started.elapsed() > WAIT => panic!("no WebDriver session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            driver,
            profile,
            address: address.to_owned(),
        }
    }

    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.address))
            .await
            .unwrap_or_else(|e| panic!("goto {path}: {e}"));
    }

    /// Waits until the browser shows `path` (navigation after a click is asynchronous).
    pub async fn wait_for_path(&self, path: &str) {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await.ok();
            if url.as_ref().is_some_and(|u| u.path() == path) {
                let ready = self
                    .client
                    .execute("return document.readyState", vec![])
                    .await
                    .ok();
                if ready.as_ref().and_then(|v| v.as_str()) == Some("complete") {
                    return;
                }
            }
            assert!(
                started.elapsed() < WAIT,
                "still on {url:?}, expected {path}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn fill(&self, id: &str, text: &str) {
        let field = self.element(&format!("#{id}")).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear #{id}: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type in #{id}: {e}"));
    }

    pub async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    /// Clicks what `css` finds and waits for the page at `then`.
    /// Clicks what leads to another page (a link, a form's button) and waits for that page: a
    /// new document (a form that answers with a redirect to the same path changes no URL).
    pub async fn click(&self, css: &str, then: &str) {
        let mark = "window.__before_click = true";
        self.client.execute(mark, vec![]).await.expect("mark");
        self.element(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
        let started = Instant::now();
        while started.elapsed() < WAIT {
            let marked = self
                .client
                .execute("return window.__before_click === true", vec![])
                .await;
            if matches!(marked, Ok(serde_json::Value::Bool(false))) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        self.wait_for_path(then).await;
    }

    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize");
    }

    pub async fn value_of(&self, id: &str) -> String {
        self.element(&format!("#{id}"))
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    pub async fn page_text(&self) -> String {
        self.element("body").await.text().await.unwrap_or_default()
    }

    /// Saves the page as `{name}.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        let mut dirs = vec![PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots")];
        dirs.extend(std::env::var_os("MONSTAGE_SCREENSHOTS_DIR").map(PathBuf::from));
        for dir in dirs {
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(dir.join(format!("{name}.png")), &png))
                .unwrap_or_else(|e| panic!("save {name}.png: {e}"));
        }
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

async fn api_status(app: &TestApp, path: &str, token: &str) -> StatusCode {
    app.request(Method::GET, path, Some(token), Body::None)
        .await
        .0
}

#[actix_web::test]
async fn from_invitation_to_token_rotation_and_full_access() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Association Horizon Stages", false);
    app.admin("admin@monstage.test");
    let invitation = app.invitation_path(Principal::Account(partner.account_id));
    let browser = Browser::start(&app.address).await;

    // The invitation link: choose a password.
    browser.open(&invitation).await;
    browser.wait_for_path("/invitation").await;
    assert!(browser.page_text().await.contains(&partner.email));
    browser.screenshot("01-invitation").await;
    browser.fill("password", PASSWORD).await;
    browser.fill("confirmation", PASSWORD).await;
    browser.click("#enregistrer", "/connexion").await;

    // Sign in.
    assert!(
        browser
            .page_text()
            .await
            .contains("Votre mot de passe est enregistré")
    );
    browser.fill("email", &partner.email).await;
    browser.fill("password", PASSWORD).await;
    browser.screenshot("02-connexion").await;
    browser.click("#se-connecter", "/mon-compte/api").await;
    browser.screenshot("03-mon-compte-api").await;
    assert!(!browser.page_text().await.contains(&partner.token));

    // Reveal the token, copy it, use it against the API.
    browser.click("#afficher", "/mon-compte/api/afficher").await;
    let token = browser.value_of("jeton").await;
    assert_eq!(token, partner.token);
    browser.element("#copier").await.click().await.unwrap();
    browser.screenshot("04-jeton-affiche").await;
    let holder = TestPartner {
        token: token.clone(),
        ..partner.clone()
    };
    let (created, body) = app.create(&holder, valid_offer("horizon-1")).await;
    assert_eq!(created, StatusCode::CREATED, "{body}");
    let search = "/api/internship_offers/search";
    assert_eq!(
        api_status(&app, search, &token).await,
        StatusCode::UNAUTHORIZED
    );

    // Rotate it, after a confirmation: the old token stops working at once.
    browser
        .click("#renouveler", "/mon-compte/api/renouveler")
        .await;
    browser.screenshot("05-renouveler-confirmation").await;
    browser
        .click("#confirmer", "/mon-compte/api/renouveler")
        .await;
    let new_token = browser.value_of("jeton").await;
    browser.screenshot("06-jeton-renouvele").await;
    assert!(new_token.starts_with("ms3e_") && new_token != token);
    assert_eq!(
        api_status(&app, "/api/internship_offers", &token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        api_status(&app, "/api/internship_offers", &new_token).await,
        StatusCode::OK
    );

    // An operator account is refused on the admin pages.
    browser.open("/admin/operateurs").await;
    assert!(browser.page_text().await.contains("Accès refusé"));
    browser.screenshot("07-acces-refuse").await;

    // The admin finds the operator and grants it full access: search works with the token.
    browser.open("/mon-compte/api").await;
    browser
        .click("form[action='/deconnexion'] button", "/connexion")
        .await;
    browser.fill("email", "admin@monstage.test").await;
    browser.fill("password", PASSWORD).await;
    browser.click("#se-connecter", "/admin/operateurs").await;
    browser.fill("q", "horizon").await;
    browser
        .click("#recherche-operateurs button", "/admin/operateurs")
        .await;
    browser.screenshot("08-admin-operateurs").await;
    let section = format!("#operateur-{}", partner.operator_id);
    browser
        .click(
            &format!("{section} form[action$='/acces'] button"),
            "/admin/operateurs",
        )
        .await;
    assert!(browser.page_text().await.contains("Accès complet accordé"));
    assert_eq!(api_status(&app, search, &new_token).await, StatusCode::OK);

    // The admin reveals the account's token; the journal shows who did what.
    let account_page = format!("/admin/comptes/{}", partner.account_id);
    browser
        .click(
            &format!("{section} a[href='{account_page}']"),
            &account_page,
        )
        .await;
    browser
        .click("#afficher", &format!("{account_page}/afficher"))
        .await;
    assert_eq!(browser.value_of("jeton").await, new_token);
    browser.screenshot("09-admin-compte").await;
    browser.open("/admin/journal").await;
    let journal = browser.page_text().await;
    for line in [
        "Accès complet accordé",
        "Jeton renouvelé",
        "Jeton affiché",
        &partner.email,
    ] {
        assert!(journal.contains(line), "{line} missing from the journal");
    }
    browser.screenshot("10-admin-journal").await;
    browser.open("/admin/administrateurs").await;
    assert!(browser.page_text().await.contains("admin@monstage.test"));
    browser.screenshot("11-admin-administrateurs").await;

    // The offer published with the token, as pupils see it.
    browser
        .open(&format!("/offres-de-stage/{}", app.offer_id("horizon-1")))
        .await;
    browser.screenshot("12-offre-publique").await;
    let offer_page = browser.page_text().await;
    assert!(
        offer_page.contains("Postuler sur Association Horizon Stages"),
        "{offer_page}"
    );

    // On a phone, the account's tools and the menu are behind the "Menu" button.
    browser.resize(390, 844).await;
    browser.open("/admin/journal").await;
    browser.element("#bouton-menu").await.click().await.unwrap();
    browser.element("#menu-principal.fr-modal--opened").await;
    let sign_out = browser
        .element("#menu-principal .fr-header__menu-links button")
        .await;
    assert_eq!(sign_out.text().await.unwrap_or_default(), "Se déconnecter");
    browser.screenshot("13-menu-mobile").await;
    browser.close().await;
}

#[actix_web::test]
async fn swagger_ui_renders_under_the_pages_security_headers() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(format!("{}/api/docs/", app.address))
        .send()
        .await
        .unwrap();
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");

    // Under that policy the browser still runs it: the operations are listed.
    let browser = Browser::start(&app.address).await;
    browser.open("/api/docs/").await;
    browser.element(".opblock-tag").await;
    let text = browser.page_text().await;
    assert!(text.contains("/api/internship_offers"), "{text}");
    browser.close().await;
}
