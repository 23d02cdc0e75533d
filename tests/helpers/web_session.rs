//! Helpers for the web pages: people with passwords, invitation links, and a cookie-keeping
//! HTTP client that behaves like a browser without JavaScript.

use diesel::connection::SimpleConnection;
use monstage::admin;
use monstage::db::models::Principal;
use monstage::db::queries::credentials;
use monstage::secrets::password;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::helpers::{TestApp, TestPartner, console};

pub const PASSWORD: &str = "une phrase de passe solide";

/// A page as a browser receives it (redirects are not followed).
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn is_html(&self) -> bool {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
    }

    /// The value of the CSRF field of the page's forms.
    pub fn csrf(&self) -> String {
        value_after(&self.body, r#"name="csrf_token" value=""#)
            .unwrap_or_else(|| panic!("no CSRF field in: {}", self.body))
    }

    /// The value of the `<input id="{id}">` of the page.
    pub fn input_value(&self, id: &str) -> Option<String> {
        let start = self.body.find(&format!(r#"id="{id}""#))?;
        let tag_start = self.body[..start].rfind('<')?;
        value_after(&self.body[tag_start..], r#"value=""#)
    }
}

fn value_after(text: &str, marker: &str) -> Option<String> {
    let start = text.find(marker)? + marker.len();
    let end = text[start..].find('"')?;
    Some(text[start..start + end].replace("&amp;", "&"))
}

/// One browser: its own cookie jar.
pub struct WebSession {
    client: reqwest::Client,
    address: String,
    /// Sent with each form, as a reverse proxy (or a client pretending to be one) would.
    pub forwarded_for: Option<String>,
}

impl WebSession {
    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        page_of(response).await
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut request = self.client.post(format!("{}{path}", self.address));
        if let Some(forwarded) = &self.forwarded_for {
            request = request.header("X-Forwarded-For", forwarded);
        }
        let response = request
            .form(fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        page_of(response).await
    }

    /// Posts a form the way the page at `from` would: with its CSRF token.
    pub async fn submit(&self, from: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(from).await.csrf();
        let mut all = vec![("csrf_token", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        self.submit(
            "/connexion",
            "/connexion",
            &[("email", email), ("password", password)],
        )
        .await
    }
}

async fn page_of(response: reqwest::Response) -> Page {
    Page {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.unwrap_or_default(),
    }
}

impl TestApp {
    /// A new browser on this server.
    pub fn browser_session(&self) -> WebSession {
        WebSession {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .expect("client"),
            address: self.address.clone(),
            forwarded_for: None,
        }
    }

    pub fn set_password(&self, principal: Principal, password: &str) {
        let phc = password::hash(password).unwrap();
        credentials::set_password(&mut self.db.conn(), principal, &phc).expect("set password");
    }

    /// A partner account that has chosen `PASSWORD`.
    pub fn partner_with_password(&self, name: &str, full_access: bool) -> TestPartner {
        let partner = self.operator(name, full_access);
        self.set_password(Principal::Account(partner.account_id), PASSWORD);
        partner
    }

    /// An admin (invited through the library) who has chosen `PASSWORD`.
    pub fn admin(&self, email: &str) -> i64 {
        let created =
            admin::access::create_admin(&mut self.db.conn(), "http://x", email, &console())
                .expect("create admin");
        self.set_password(Principal::Admin(created.admin_id), PASSWORD);
        created.admin_id
    }

    /// The path of a fresh invitation link for `principal`.
    pub fn invitation_path(&self, principal: Principal) -> String {
        let invitation =
            admin::access::invite(&mut self.db.conn(), &self.address, principal, &console())
                .expect("invite");
        invitation
            .invitation_url
            .strip_prefix(&self.address)
            .unwrap_or_else(|| panic!("not on this server: {}", invitation.invitation_url))
            .to_owned()
    }

    pub fn sql(&self, statements: &str) {
        self.db
            .conn()
            .batch_execute(statements)
            .unwrap_or_else(|e| panic!("{statements}: {e}"));
    }

    /// The `line` column of a query's rows, one per line.
    pub fn sql_lines(&self, query: &str) -> String {
        #[derive(diesel::QueryableByName)]
        struct Line {
            #[diesel(sql_type = diesel::sql_types::Text)]
            line: String,
        }
        use diesel::RunQueryDsl;
        let lines: Vec<Line> = diesel::sql_query(query)
            .load(&mut self.db.conn())
            .unwrap_or_else(|e| panic!("{query}: {e}"));
        lines.into_iter().map(|l| l.line + "\n").collect()
    }

    /// The `n` column of a one-row query.
    pub fn count(&self, query: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        use diesel::RunQueryDsl;
        diesel::sql_query(query)
            .get_result::<Count>(&mut self.db.conn())
            .map(|c| c.n)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
    }

    /// The actions of the audit log, oldest first.
    pub fn audit_actions(&self) -> Vec<String> {
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            line: String,
        }
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT actor || ' ' || action AS line FROM audit_events ORDER BY id")
            .load::<Row>(&mut self.db.conn())
            .expect("audit")
            .into_iter()
            .map(|r| r.line)
            .collect()
    }
}

/// The status of an API call with `token`.
pub async fn api_status(app: &TestApp, path: &str, token: &str) -> StatusCode {
    app.request(
        reqwest::Method::GET,
        path,
        Some(token),
        crate::helpers::Body::None,
    )
    .await
    .0
}

/// A browser signed in as `email` (whose password is `PASSWORD`).
pub async fn signed_in(app: &TestApp, email: &str) -> WebSession {
    let web = app.browser_session();
    let page = web.sign_in(email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    web
}
