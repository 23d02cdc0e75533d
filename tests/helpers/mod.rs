//! Test harness: one PostgreSQL database per test, cloned from a migrated and seeded
//! template, and the real HTTP server on a free loopback port.

use std::net::TcpListener;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub mod web_session;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use monstage::admin;
use monstage::domain::rate_limit::RateLimits;
use monstage::search::{SearchIndex, follower};
use monstage::secrets::password_checks::{PasswordChecks, SIGN_IN_QUEUE};
use monstage::secrets::token::TokenKey;
use monstage::startup;
use monstage::state::AppState;
use monstage::webhooks::WorkerSettings;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Limits no test reaches but the rate limit tests (the defaults times 1 000).
fn generous_limits() -> RateLimits {
    let d = RateLimits::default();
    RateLimits {
        write: d.write * 1000,
        read: d.read * 1000,
        search: d.search * 1000,
        tracking: d.tracking * 1000,
        unauthenticated: d.unauthenticated * 1000,
        ..d
    }
}

/// The bearer token of test servers' `GET /metrics`.
pub const METRICS_TOKEN: &str = "metrics-test-token";

/// The webhook retry schedule of test servers: 1 minute becomes 30 ms.
pub const WEBHOOK_RETRY_SCALE: f64 = 0.0005;
/// How long test receivers have to answer.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(2);
/// Connections of a test server's pool (each class of route may hold three of them).
pub const POOL_SIZE: u32 = 4;

/// The server's maintenance database URL, from DATABASE_URL (set by `make test`).
fn server_url(database: &str) -> String {
    let base = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:54329/monstage".into());
    let mut url = url::Url::parse(&base).expect("DATABASE_URL is not a URL");
    url.set_path(&format!("/{database}"));
    // No Kerberos: libpq's GSSAPI state trips an assertion when the process exits while a
    // background thread (search follower, webhook worker) is inside a query.
    if !url.query_pairs().any(|(key, _)| key == "gssencmode") {
        url.query_pairs_mut().append_pair("gssencmode", "disable");
    }
    url.to_string()
}

fn connect(database: &str) -> PgConnection {
    PgConnection::establish(&server_url(database))
        .unwrap_or_else(|e| panic!("cannot connect to {database}: {e}"))
}

/// The template's name changes whenever a migration or a seed file changes.
fn template_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = ["migrations", "seeds"]
            .iter()
            .flat_map(|dir| walk(&root.join(dir)))
            .collect();
        files.sort();
        let mut hasher = Sha256::new();
        for file in files {
            hasher.update(file.to_string_lossy().as_bytes());
            hasher.update(std::fs::read(&file).unwrap_or_default());
        }
        format!("monstage_tpl_{}", &hex::encode(hasher.finalize())[..12])
    })
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    entries
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                walk(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

#[derive(diesel::QueryableByName)]
struct Found {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    found: bool,
}

/// Creates the template once per server (under an advisory lock, across test processes)
/// and clones it into a fresh database.
fn create_test_database() -> String {
    let template = template_name();
    let name = format!("monstage_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin_conn = connect("postgres");
    admin_conn
        .batch_execute("SELECT pg_advisory_lock(7203)")
        .expect("lock");
    let exists = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{template}') AS found"
    ))
    .get_result::<Found>(&mut admin_conn)
    .map(|f| f.found)
    .unwrap_or(false);
    if !exists {
        let building = format!("{template}_building");
        admin_conn
            .batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .and_then(|()| admin_conn.batch_execute(&format!("CREATE DATABASE {building}")))
            .expect("create template");
        {
            let mut conn = connect(&building);
            monstage::db::migrate(&mut conn).expect("migrate");
            monstage::db::seed::referentials(&mut conn).expect("seed");
        }
        admin_conn
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {template}"))
            .expect("rename template");
    }
    admin_conn
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .and_then(|()| admin_conn.batch_execute("SELECT pg_advisory_unlock(7203)"))
        .expect("clone template");
    name
}

/// An empty database (no migration run), dropped when the test ends.
pub fn empty_database() -> TestDb {
    let name = format!("monstage_test_{}", uuid::Uuid::new_v4().simple());
    connect("postgres")
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create database");
    TestDb { name, keep: false }
}

/// A database that is dropped when the test ends.
pub struct TestDb {
    pub name: String,
    /// Another instance's database: left to its owner.
    pub keep: bool,
}

impl TestDb {
    pub fn url(&self) -> String {
        server_url(&self.name)
    }

    pub fn conn(&self) -> PgConnection {
        connect(&self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if let Ok(mut conn) = PgConnection::establish(&server_url("postgres")) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A partner account created for a test.
#[derive(Debug, Clone)]
pub struct TestPartner {
    pub operator_id: i64,
    pub account_id: i64,
    pub email: String,
    pub token: String,
}

pub fn console() -> admin::Actor {
    admin::Actor::console()
}

pub enum Body {
    None,
    Json(Value),
    Form(String),
    Raw(String, Vec<u8>),
}

pub struct TestApp {
    pub address: String,
    /// The webhook worker: stopped when the app is dropped.
    webhook_worker: Option<monstage::webhooks::WorkerHandle>,
    pub db: TestDb,
    pub key: TokenKey,
    pub client: reqwest::Client,
    /// The server's bounded password checks (to observe their peak).
    pub password_checks: Arc<PasswordChecks>,
    /// The server's search index.
    pub search_index: Arc<SearchIndex>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(vec![]).await
    }

    /// A server behind a reverse proxy at 127.0.0.1 (`TRUSTED_PROXIES`).
    pub async fn spawn_behind_proxy() -> TestApp {
        let loopback = std::net::IpAddr::from([127, 0, 0, 1]);
        Self::spawn_with(vec![loopback]).await
    }

    async fn spawn_with(trusted_proxies: Vec<std::net::IpAddr>) -> TestApp {
        let db = TestDb {
            name: create_test_database(),
            keep: false,
        };
        Self::serve(db, trusted_proxies, true).await
    }

    /// A server as in production: webhooks may not target loopback addresses.
    pub async fn spawn_refusing_loopback() -> TestApp {
        let db = TestDb {
            name: create_test_database(),
            keep: false,
        };
        Self::serve_with(db, vec![], (true, false), generous_limits()).await
    }

    /// Waits until the search index shows every change committed so far (searches see their
    /// caller's own writes at once; other partners' within a moment).
    pub fn index_caught_up(&self) {
        let written =
            monstage::db::queries::offer_events::last_written(&mut self.db.conn()).unwrap();
        assert!(
            self.search_index.wait_for(written, Duration::from_secs(10)),
            "the search index caught up"
        );
    }

    /// Waits until the instance is ready (its index caught up since it started).
    pub async fn ready(&self) {
        for _ in 0..200 {
            if self.search_index.is_ready() {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("the instance never became ready");
    }

    /// Another server instance on the same database (with an index of its own).
    pub async fn second_instance(&self) -> TestApp {
        let db = TestDb {
            name: self.db.name.clone(),
            keep: false,
        };
        let mut second = Self::serve(db, vec![], true).await;
        second.db.keep = true;
        second.key = self.key.clone();
        second
    }

    /// A server whose search index never catches up (its follower is not started).
    pub async fn spawn_not_ready() -> TestApp {
        let db = TestDb {
            name: create_test_database(),
            keep: false,
        };
        Self::serve(db, vec![], false).await
    }

    async fn serve(db: TestDb, trusted_proxies: Vec<std::net::IpAddr>, follow: bool) -> TestApp {
        Self::serve_with(db, trusted_proxies, (follow, true), generous_limits()).await
    }

    /// A server with these rate limits (the others have limits no test reaches).
    pub async fn spawn_with_limits(rate_limits: RateLimits) -> TestApp {
        let db = TestDb {
            name: create_test_database(),
            keep: false,
        };
        Self::serve_with(db, vec![], (true, true), rate_limits).await
    }

    /// Another instance on this one's database, with these rate limits.
    pub async fn second_instance_with_limits(&self, rate_limits: RateLimits) -> TestApp {
        let db = TestDb {
            name: self.db.name.clone(),
            keep: false,
        };
        let mut second = Self::serve_with(db, vec![], (true, true), rate_limits).await;
        second.db.keep = true;
        second.key = self.key.clone();
        second
    }

    async fn serve_with(
        db: TestDb,
        trusted_proxies: Vec<std::net::IpAddr>,
        (follow, allow_loopback): (bool, bool),
        rate_limits: RateLimits,
    ) -> TestApp {
        let pool = monstage::db::build_pool(&db.url(), POOL_SIZE, Duration::from_secs(1)).unwrap();
        let password_checks = Arc::new(PasswordChecks::new(2, SIGN_IN_QUEUE));
        let (index, checkpoint) = SearchIndex::open(None).unwrap();
        let search_index = Arc::new(index);
        if follow {
            follower::start(search_index.clone(), pool.clone(), checkpoint, 30);
        }
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let key = TokenKey::from_hex(&TokenKey::generate_hex()).unwrap();
        // Retries within tens of milliseconds instead of minutes.
        let mut webhooks = WorkerSettings::new(allow_loopback, WEBHOOK_RETRY_SCALE);
        webhooks.timeout = WEBHOOK_TIMEOUT;
        webhooks.poll = Duration::from_millis(50);
        webhooks.hand_back_after = Duration::from_millis(200);
        let webhook_heartbeat = webhooks.heartbeat.clone();
        let webhook_worker = monstage::webhooks::start(pool.clone(), key.clone(), webhooks);
        let server = startup::run(
            listener,
            AppState {
                bulkheads: Arc::new(monstage::db::bulkhead::Bulkheads::for_pool(POOL_SIZE)),
                pool,
                public_url: None,
                allowed_hosts: vec![format!("127.0.0.1:{port}")],
                search_index: search_index.clone(),
                referentials: Default::default(),
                token_key: key.clone(),
                secure_cookies: false,
                trusted_proxies,
                password_checks: password_checks.clone(),
                webhook_allow_loopback: allow_loopback,
                rate_limits,
                rate_counter: Default::default(),
                webhook_heartbeat,
                metrics: monstage::metrics::Metrics::new().ok().map(Arc::new),
                metrics_token: Some(METRICS_TOKEN.into()),
            },
            1,
            Duration::from_secs(5),
        )
        .expect("server");
        actix_web::rt::spawn(server);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let app = TestApp {
            address: format!("http://127.0.0.1:{port}"),
            webhook_worker: Some(webhook_worker),
            db,
            key,
            client,
            password_checks,
            search_index,
        };
        if follow {
            app.ready().await;
        }
        app
    }

    /// Stops this instance's webhook worker as `SIGTERM` does: it hands back its unfinished
    /// deliveries (waits for the worker's thread, a few seconds at most).
    pub async fn stop_webhook_worker(&mut self) {
        if let Some(worker) = self.webhook_worker.take() {
            tokio::task::spawn_blocking(move || worker.stop())
                .await
                .expect("worker stopped");
        }
    }

    pub fn operator(&self, name: &str, full_access: bool) -> TestPartner {
        let email = format!("{}@partner.test", name.to_lowercase().replace(' ', "-"));
        let created = admin::create_operator(
            &mut self.db.conn(),
            &self.key,
            name,
            &email,
            full_access,
            &console(),
        )
        .expect("create operator");
        TestPartner {
            operator_id: created.operator_id,
            account_id: created.account_id,
            email: created.email,
            token: created.api_token,
        }
    }

    /// Another account of the same operator (a team member).
    pub fn teammate(&self, of: &TestPartner, email: &str) -> TestPartner {
        let created = admin::create_account(
            &mut self.db.conn(),
            &self.key,
            of.operator_id,
            email,
            &console(),
        )
        .expect("create account");
        TestPartner {
            operator_id: of.operator_id,
            account_id: created.account_id,
            email: created.email,
            token: created.api_token,
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Body,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.address));
        if let Some(token) = token {
            req = req.header("Authorization", format!("Bearer {token}"));
        }
        req = match body {
            Body::None => req,
            Body::Json(value) => req.json(&value),
            Body::Form(text) => req
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(text),
            Body::Raw(content_type, bytes) => req.header("Content-Type", content_type).body(bytes),
        };
        let response = req.send().await.expect("request failed");
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let text = response.text().await.unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "{status} is not JSON ({content_type}): {text}"
        );
        let value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{status} body is not JSON ({e}): {text}"));
        (status, value)
    }

    pub async fn create(&self, partner: &TestPartner, offer: Value) -> (StatusCode, Value) {
        self.request(
            Method::POST,
            "/api/internship_offers",
            Some(&partner.token),
            Body::Json(json!({ "internship_offer": offer })),
        )
        .await
    }

    pub async fn patch(
        &self,
        partner: &TestPartner,
        remote_id: &str,
        fields: Value,
    ) -> (StatusCode, Value) {
        let path = format!("/api/internship_offers/{remote_id}");
        self.request(
            Method::PATCH,
            &path,
            Some(&partner.token),
            Body::Json(json!({ "internship_offer": fields })),
        )
        .await
    }

    pub async fn delete(&self, partner: &TestPartner, remote_id: &str) -> (StatusCode, Value) {
        let path = format!("/api/internship_offers/{remote_id}");
        self.request(Method::DELETE, &path, Some(&partner.token), Body::None)
            .await
    }

    pub async fn list(&self, partner: &TestPartner, query: &str) -> (StatusCode, Value) {
        self.request(
            Method::GET,
            &format!("/api/internship_offers{query}"),
            Some(&partner.token),
            Body::None,
        )
        .await
    }

    /// An OAuth2 client of the partner's account with these scopes: (client_id, secret).
    pub fn oauth_client(&self, partner: &TestPartner, scopes: &str) -> (String, String) {
        let request = admin::clients::ClientRequest {
            name: "Intégration de test",
            scopes: Some(scopes),
            expires_in_days: None,
        };
        let created =
            admin::clients::create(&mut self.db.conn(), partner.account_id, request, &console())
                .expect("create client");
        (created.client_id, created.client_secret)
    }

    /// Posts a form to the token endpoint: status and JSON body.
    pub async fn token_request(
        &self,
        form: &str,
        basic: Option<(&str, &str)>,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let mut req = self
            .client
            .post(format!("{}/oauth/token", self.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
        if let Some((id, secret)) = basic {
            req = req.basic_auth(id, Some(secret));
        }
        let response = req.send().await.expect("token request");
        let (status, headers) = (response.status(), response.headers().clone());
        let body = response.json().await.expect("token answer is JSON");
        (status, body, headers)
    }

    /// A partner acting with an OAuth access token of these scopes.
    pub async fn oauth_partner(&self, partner: &TestPartner, scopes: &str) -> TestPartner {
        let (id, secret) = self.oauth_client(partner, scopes);
        let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
        let (status, body, _) = self.token_request(&form, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        TestPartner {
            token: body["access_token"]
                .as_str()
                .expect("access_token")
                .to_owned(),
            ..partner.clone()
        }
    }

    /// A pupil of the platform; its id is the `msta` tag.
    pub fn student(&self, first_name: &str) -> i64 {
        admin::create_student(&mut self.db.conn(), first_name, "Test")
            .map(|s| s.student_id)
            .expect("create student")
    }

    /// A public page: status, `Location` header and body.
    pub async fn page(&self, path: &str) -> (StatusCode, Option<String>, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request failed");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (status, location, response.text().await.unwrap_or_default())
    }

    /// The internal id of the operator's live offer with this remote_id.
    pub fn offer_id(&self, remote_id: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        diesel::sql_query("SELECT id FROM internship_offers WHERE remote_id = $1 ORDER BY discarded_at DESC NULLS FIRST, id DESC LIMIT 1")
            .bind::<diesel::sql_types::Text, _>(remote_id)
            .get_result::<Id>(&mut self.db.conn())
            .map(|o| o.id)
            .unwrap_or(-1)
    }

    /// The internal id of an ISO week (`2027-W10`).
    pub fn week_id(&self, week: &str) -> i32 {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            id: i32,
        }
        let (year, number) = week.split_once("-W").unwrap_or_default();
        diesel::sql_query("SELECT id FROM weeks WHERE year = $1 AND number = $2")
            .bind::<diesel::sql_types::Integer, _>(year.parse::<i32>().unwrap_or_default())
            .bind::<diesel::sql_types::Integer, _>(number.parse::<i32>().unwrap_or_default())
            .get_result::<Id>(&mut self.db.conn())
            .map(|w| w.id)
            .unwrap_or(-1)
    }

    /// Number of weeks stored for the operator's live offer with this remote_id.
    pub fn week_count(&self, remote_id: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(
            "SELECT count(*) AS n FROM internship_offer_weeks w JOIN internship_offers o ON o.id = w.internship_offer_id \
             WHERE o.remote_id = $1 AND o.discarded_at IS NULL",
        )
        .bind::<diesel::sql_types::Text, _>(remote_id)
        .get_result::<Count>(&mut self.db.conn())
        .map(|c| c.n)
        .unwrap_or(-1)
    }
}

pub const SECTOR_UUID: &str = "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6";

/// A valid offer, as in the original's doc/input/internship_offers/create.json, with weeks.
pub fn valid_offer(remote_id: &str) -> Value {
    json!({
        "title": "Découverte des métiers de la cuisine",
        "description": "Une semaine en cuisine avec notre cheffe.",
        "employer_website": "http://google.fr",
        "street": "Avenue de l'opéra",
        "zipcode": "75002",
        "city": "Paris",
        "employer_name": "Le Bistrot",
        "employer_description": "Restaurant de quartier",
        "remote_id": remote_id,
        "permalink": "https://www.partenaire.fr/offres/42",
        "sector_uuid": SECTOR_UUID,
        "max_candidates": 2,
        "weeks": ["2026-W10", "2026-W11"],
        "coordinates": { "latitude": 48.8686, "longitude": 2.3325 }
    })
}

/// `valid_offer` with some fields replaced.
pub fn offer_with(remote_id: &str, changes: Value) -> Value {
    let mut offer = valid_offer(remote_id);
    if let (Some(target), Some(changes)) = (offer.as_object_mut(), changes.as_object()) {
        for (key, value) in changes {
            target.insert(key.clone(), value.clone());
        }
    }
    offer
}

/// The messages of one field of a VALIDATION_ERROR body.
pub fn field_errors(body: &Value, field: &str) -> Vec<String> {
    body["error"][field]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs statements on the server's maintenance database (to act on a test database from outside).
pub fn on_server(statements: &str) {
    connect("postgres").batch_execute(statements).unwrap();
}
