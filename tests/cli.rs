use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::web_session::PASSWORD;
use crate::helpers::{Body, TestApp};

pub fn monstage(app: &TestApp, args: &[&str]) -> (bool, Value) {
    monstage_with_input(app, args, "")
}

/// Runs the CLI against the test database with `input` on stdin.
fn monstage_with_input(app: &TestApp, args: &[&str], input: &str) -> (bool, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_monstage"))
        .args(args)
        .env("DATABASE_URL", app.db.url())
        .env("TOKEN_ENCRYPTION_KEY", "00".repeat(32))
        .env("PUBLIC_URL", &app.address)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot run monstage");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("stdin");
    }
    let output = child.wait_with_output().expect("monstage");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.trim().lines().count(),
        1,
        "one JSON object on stdout: {stdout}"
    );
    let value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (output.status.success(), value)
}

async fn sectors_status(app: &TestApp, token: &str) -> StatusCode {
    app.request(Method::GET, "/api/sectors", Some(token), Body::None)
        .await
        .0
}

#[actix_web::test]
async fn admin_commands_create_operators_accounts_and_rotate_tokens() {
    let app = TestApp::spawn().await;
    let (ok, created) = monstage(
        &app,
        &[
            "operator",
            "create",
            "--name",
            "JobIRL",
            "--email",
            "api@jobirl.test",
            "--full-access",
        ],
    );
    assert!(ok, "{created}");
    let token = created["api_token"].as_str().unwrap_or_default().to_owned();
    assert_eq!(sectors_status(&app, &token).await, StatusCode::OK);

    let operator_id = created["operator_id"].to_string();
    let (ok, account) = monstage(
        &app,
        &[
            "account",
            "create",
            "--operator-id",
            &operator_id,
            "--email",
            "two@jobirl.test",
        ],
    );
    assert!(ok, "{account}");
    assert_eq!(
        sectors_status(&app, account["api_token"].as_str().unwrap_or_default()).await,
        StatusCode::OK
    );

    let account_id = created["account_id"].to_string();
    let (ok, rotated) = monstage(
        &app,
        &["account", "rotate-token", "--account-id", &account_id],
    );
    assert!(ok, "{rotated}");
    assert_eq!(
        sectors_status(&app, &token).await,
        StatusCode::UNAUTHORIZED,
        "the old token stops working"
    );
    assert_eq!(
        sectors_status(&app, rotated["api_token"].as_str().unwrap_or_default()).await,
        StatusCode::OK
    );

    let (ok, listing) = monstage(&app, &["operator", "list"]);
    assert!(ok);
    assert_eq!(
        listing["operators"][0]["accounts"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(
        !listing.to_string().contains("ms3e_"),
        "tokens are never listed"
    );
}

#[actix_web::test]
async fn admin_commands_report_errors_as_json() {
    let app = TestApp::spawn().await;
    let args = [
        "operator",
        "create",
        "--name",
        "JobIRL",
        "--email",
        "api@jobirl.test",
    ];
    assert!(monstage(&app, &args).0);
    let (ok, duplicate) = monstage(&app, &args);
    assert!(!ok);
    assert!(
        duplicate["error"]
            .as_str()
            .is_some_and(|e| e.contains("already")),
        "{duplicate}"
    );
    let (ok, bad_email) = monstage(
        &app,
        &[
            "operator",
            "create",
            "--name",
            "X",
            "--email",
            "not-an-email",
        ],
    );
    assert!(!ok && bad_email["error"].is_string());
    let (ok, missing) = monstage(&app, &["account", "rotate-token", "--account-id", "999"]);
    assert!(!ok && missing["error"].is_string());
}

#[actix_web::test]
async fn a_token_from_the_original_platform_can_be_imported() {
    let app = TestApp::spawn().await;
    let (_, created) = monstage(
        &app,
        &[
            "operator",
            "create",
            "--name",
            "JobIRL",
            "--email",
            "api@jobirl.test",
        ],
    );
    let legacy = "4f1c2a3e-9b7d-4c21-8e0f-5a6b7c8d9e01";
    let account_id = created["account_id"].to_string();
    let (ok, printed) = monstage_with_input(
        &app,
        &["account", "import-token", "--account-id", &account_id],
        legacy,
    );
    assert!(ok && !printed.to_string().contains(legacy), "{printed}");
    assert_eq!(sectors_status(&app, legacy).await, StatusCode::OK);
    let old = created["api_token"].as_str().unwrap_or_default();
    assert_eq!(sectors_status(&app, old).await, StatusCode::UNAUTHORIZED);
    let (ok, refused) = monstage_with_input(
        &app,
        &["account", "import-token", "--account-id", &account_id],
        "short",
    );
    assert!(!ok && refused["error"].is_string());
}

/// Follows an invitation link printed by the CLI, chooses the password, signs in; the page
/// reached.
async fn accept(app: &TestApp, printed: &Value, email: &str) -> String {
    let url = printed["invitation_url"].as_str().unwrap_or_default();
    let path = url
        .strip_prefix(&app.address)
        .unwrap_or_else(|| panic!("{printed}"));
    let web = app.browser_session();
    web.get(path).await;
    let fields = [("password", PASSWORD), ("confirmation", PASSWORD)];
    let saved = web.submit("/invitation", "/invitation", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    web.sign_in(email, PASSWORD).await.location().to_owned()
}

#[actix_web::test]
async fn invitation_commands_print_single_use_links() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Invitations CLI", false);
    let account_id = partner.account_id.to_string();
    let (ok, invited) = monstage(&app, &["account", "invite", "--account-id", &account_id]);
    assert!(ok, "{invited}");
    assert!(invited["expires_at"].is_string());
    assert_eq!(
        accept(&app, &invited, &partner.email).await,
        "/mon-compte/api"
    );

    let (ok, admin) = monstage(&app, &["admin", "create", "--email", "chef@monstage.test"]);
    assert!(ok, "{admin}");
    assert_eq!(
        accept(&app, &admin, "chef@monstage.test").await,
        "/admin/operateurs"
    );
    let admin_id = admin["admin_id"].to_string();
    let (ok, again) = monstage(&app, &["admin", "invite", "--admin-id", &admin_id]);
    assert!(ok && again["invitation_url"].is_string(), "{again}");

    let (ok, taken) = monstage(&app, &["admin", "create", "--email", &partner.email]);
    assert!(
        !ok && taken["error"]
            .as_str()
            .is_some_and(|e| e.contains("already uses")),
        "{taken}"
    );
    let (ok, missing) = monstage(&app, &["account", "invite", "--account-id", "999999"]);
    assert!(!ok && missing["error"].is_string(), "{missing}");
    let actions = app.audit_actions();
    assert!(
        actions.contains(&"console (CLI) admin_created".to_owned()),
        "{actions:?}"
    );
}

#[actix_web::test]
async fn the_server_logs_routes_never_tokens_or_invitation_secrets() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Journaux", false);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_monstage"))
        .arg("serve")
        .env("DATABASE_URL", app.db.url())
        .env("TOKEN_ENCRYPTION_KEY", "00".repeat(32))
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if client.get(format!("{base}/connexion")).send().await.is_ok() {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(ready, "the server did not start");
    let secret = "secret-de-lien-d-invitation-0123456789";
    let calls = [
        format!(
            "{base}/api/internship_offers?token=Bearer%20{}",
            partner.token
        ),
        format!("{base}/api/internship_offers?token=Bearer%20ms3e_not_a_real_token_0123"),
        format!("{base}/invitation/{secret}"),
    ];
    for url in &calls {
        client.get(url).send().await.unwrap();
    }
    let _ = server.kill();
    let output = server.wait_with_output().unwrap();
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(logs.contains("request served"), "{logs}");
    assert!(
        logs.contains("/invitation/{secret}"),
        "the route pattern is logged: {logs}"
    );
    for hidden in [partner.token.as_str(), "ms3e_not_a_real_token_0123", secret] {
        assert!(
            !logs.contains(hidden),
            "{hidden} leaked into the logs: {logs}"
        );
    }
}

#[actix_web::test]
async fn offers_import_upserts_good_lines_and_reports_the_others() {
    use crate::helpers::{field_errors, offer_with};
    let app = TestApp::spawn().await;
    let partner = app.operator("Ministere", true);
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let weeks = serde_json::json!([format!("{year}-W10")]);
    let line = |remote_id: &str, changes: Value| {
        let mut offer = offer_with(remote_id, changes);
        offer["weeks"] = weeks.clone();
        offer.to_string()
    };
    app.create(
        &partner,
        offer_with("deja-la", serde_json::json!({"weeks": weeks.clone()})),
    )
    .await;
    let lines = [
        line("nouvelle-1", serde_json::json!({})),
        line("deja-la", serde_json::json!({"title": "Titre importé"})),
        line("sans-titre", serde_json::json!({"title": ""})),
        "{pas du JSON".to_owned(),
        String::new(),
        line("nouvelle-2", serde_json::json!({"max_candidates": 3})),
    ];
    let dir =
        std::env::temp_dir().join(format!("monstage-import-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("offres.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let operator = partner.operator_id.to_string();
    let path = file.to_string_lossy();
    let (ok, counts) = monstage(
        &app,
        &["offers", "import", "--operator-id", &operator, &path],
    );
    assert!(ok, "{counts}");
    let report = std::fs::read_to_string(dir.join("offres.errors.jsonl")).unwrap();
    assert_eq!(
        counts,
        serde_json::json!({"created": 2, "updated": 1, "failed": 2}),
        "{report}"
    );
    let report = std::fs::read_to_string(dir.join("offres.errors.jsonl")).unwrap();
    let refused: Vec<Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(refused.len(), 2);
    assert_eq!(
        (refused[0]["line"].clone(), refused[0]["code"].clone()),
        (serde_json::json!(3), serde_json::json!("VALIDATION_ERROR"))
    );
    assert_eq!(
        field_errors(&serde_json::json!({"error": refused[0]["error"]}), "title"),
        ["Missing title"]
    );
    assert_eq!(refused[0]["remote_id"], "sans-titre");
    assert_eq!(
        (refused[1]["line"].clone(), refused[1]["code"].clone()),
        (serde_json::json!(4), serde_json::json!("MALFORMED_BODY"))
    );
    let count = |sql: &str| app.count(sql);
    assert_eq!(
        count("SELECT count(*) AS n FROM internship_offers WHERE remote_id = 'sans-titre'"),
        0,
        "no partial offer"
    );
    assert_eq!(
        count("SELECT count(*) AS n FROM internship_offers WHERE title = 'Titre importé'"),
        1
    );
    assert_eq!(count("SELECT count(*) AS n FROM internship_offers"), 3);
    assert_eq!(
        count("SELECT count(*) AS n FROM offer_events"),
        4,
        "the event log is fed as by the API"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Writes `lines` to a JSON Lines file and imports it for the partner's operator; returns the
/// counts and the refused lines of the report.
fn import_lines(app: &TestApp, operator_id: i64, lines: &[String]) -> (Value, Vec<Value>) {
    let dir =
        std::env::temp_dir().join(format!("monstage-import-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("offres.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let (ok, counts) = monstage(
        app,
        &[
            "offers",
            "import",
            "--operator-id",
            &operator_id.to_string(),
            &file.to_string_lossy(),
        ],
    );
    assert!(ok, "{counts}");
    let refused = std::fs::read_to_string(dir.join("offres.errors.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    (counts, refused)
}

#[actix_web::test]
async fn offers_import_reads_a_file_in_order_as_the_api_would() {
    use crate::helpers::{SECTOR_UUID, offer_with};
    let app = TestApp::spawn().await;
    let partner = app.operator("Ministere", true);
    let year = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let line = |remote_id: &str, changes: Value| offer_with(remote_id, changes).to_string();
    let mut lines = vec![
        line(
            "a",
            serde_json::json!({"weeks": [format!("{year}-W10"), format!("{year}-W11")]}),
        ),
        line("b", serde_json::json!({"weeks": ["2099-W10"]})),
        line("a", serde_json::json!({"title": "Deuxième version"})),
        line("c", serde_json::json!({"title": "", "weeks": []})),
        line("c", serde_json::json!({"weeks": []})),
    ];
    // More than a batch, so that lines meet in several transactions.
    lines.extend((0..1_500).map(|i| line(&format!("n-{i}"), serde_json::json!({}))));
    // In a later batch, written side by side with the first: still applied after it.
    lines.push(line("a", serde_json::json!({"title": "Troisième version"})));
    let (counts, refused) = import_lines(&app, partner.operator_id, &lines);
    assert_eq!(
        counts,
        serde_json::json!({"created": 1_502, "updated": 2, "failed": 2}),
        "{refused:?}"
    );
    let refusals: Vec<(Value, Value)> = refused
        .iter()
        .map(|r| (r["line"].clone(), r["code"].clone()))
        .collect();
    assert_eq!(
        refusals,
        [
            (serde_json::json!(2), serde_json::json!("BAD_ARGUMENT")),
            (serde_json::json!(4), serde_json::json!("VALIDATION_ERROR"))
        ]
    );
    let count = |sql: &str| app.count(sql);
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM internship_offers WHERE remote_id = 'a' AND title = 'Troisième version'"
        ),
        1,
        "the later lines of a remote_id change the offer the earlier one created, in the file's order"
    );
    assert_eq!(
        count(
            "SELECT count(*) AS n FROM internship_offer_weeks w JOIN internship_offers o ON o.id = w.internship_offer_id WHERE o.remote_id = 'a'"
        ),
        2
    );
    assert!(
        count(
            "SELECT count(*) AS n FROM internship_offer_weeks w JOIN internship_offers o ON o.id = w.internship_offer_id WHERE o.remote_id = 'c'"
        ) > 0,
        "an offer without weeks gets the default ones"
    );
    assert_eq!(
        count(&format!(
            "SELECT count(*) AS n FROM internship_offers o JOIN sectors s ON s.id = o.sector_id WHERE s.uuid = '{SECTOR_UUID}'"
        )),
        1_502
    );
    assert_eq!(count("SELECT count(*) AS n FROM offer_events"), 1_504);
}

#[actix_web::test]
async fn offers_import_keeps_the_good_lines_of_a_batch_the_database_refuses() {
    use crate::helpers::offer_with;
    let app = TestApp::spawn().await;
    let partner = app.operator("Ministere", true);
    // A rule only the database knows: the batch's bulk write fails, its lines go one by one.
    app.sql(
        "CREATE FUNCTION refuse_title() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.title = 'Refusée' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER refuse_title BEFORE INSERT ON internship_offers \
         FOR EACH ROW EXECUTE FUNCTION refuse_title();",
    );
    let lines: Vec<String> = (0..20)
        .map(|i| {
            let title = if i == 7 { "Refusée" } else { "Acceptée" };
            offer_with(&format!("r-{i}"), serde_json::json!({"title": title})).to_string()
        })
        .collect();
    let (counts, refused) = import_lines(&app, partner.operator_id, &lines);
    assert_eq!(
        counts,
        serde_json::json!({"created": 19, "updated": 0, "failed": 1})
    );
    assert_eq!(refused[0]["line"], 8);
    assert_eq!(refused[0]["remote_id"], "r-7");
    assert_eq!(app.count("SELECT count(*) AS n FROM internship_offers"), 19);
    assert_eq!(app.count("SELECT count(*) AS n FROM offer_events"), 19);
}

#[actix_web::test]
async fn client_commands_create_list_and_revoke_oauth_clients() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let account = partner.account_id.to_string();
    let (ok, created) = monstage(
        &app,
        &[
            "client",
            "create",
            "--account-id",
            &account,
            "--name",
            "Synchronisation",
            "--scopes",
            "offers:write offers:read",
            "--expires-in-days",
            "30",
        ],
    );
    assert!(ok, "{created}");
    let keys: Vec<&str> = created
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["client_id", "client_secret", "scopes"]);
    assert_eq!(created["scopes"], "offers:write offers:read");
    let (id, secret) = (
        created["client_id"].as_str().unwrap(),
        created["client_secret"].as_str().unwrap(),
    );
    let form = format!("grant_type=client_credentials&client_id={id}&client_secret={secret}");
    assert_eq!(app.token_request(&form, None).await.0, StatusCode::OK);

    let (ok, default) = monstage(
        &app,
        &[
            "client",
            "create",
            "--account-id",
            &account,
            "--name",
            "Tout",
        ],
    );
    assert!(ok);
    assert_eq!(
        default["scopes"],
        "offers:write offers:read tracking:write stats:read webhooks:manage"
    );
    let (ok, refused) = monstage(
        &app,
        &[
            "client",
            "create",
            "--account-id",
            &account,
            "--name",
            "x",
            "--scopes",
            "catalogue:read",
        ],
    );
    assert!(
        !ok && refused["error"]
            .as_str()
            .unwrap_or_default()
            .contains("full access"),
        "{refused}"
    );

    let (ok, listed) = monstage(&app, &["client", "list", "--account-id", &account]);
    assert!(
        ok && listed["clients"].as_array().map(Vec::len) == Some(2),
        "{listed}"
    );
    assert!(!listed.to_string().contains(secret));

    let (ok, revoked) = monstage(&app, &["client", "revoke", "--client-id", id]);
    assert!(ok);
    assert_eq!(
        revoked,
        serde_json::json!({"client_id": id, "revoked": true})
    );
    assert_eq!(
        app.token_request(&form, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (ok, again) = monstage(&app, &["client", "revoke", "--client-id", id]);
    assert!(!ok && again["error"].is_string());
}

#[test]
fn migrate_needs_no_encryption_key_and_applies_each_migration_once() {
    let db = crate::helpers::empty_database();
    let migrate = || {
        let output = Command::new(env!("CARGO_BIN_EXE_monstage"))
            .arg("migrate")
            .env("DATABASE_URL", db.url())
            .env_remove("TOKEN_ENCRYPTION_KEY")
            .env("RUST_LOG", "error")
            .output()
            .expect("cannot run monstage");
        assert!(output.status.success(), "{output:?}");
        let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        printed["applied"].as_array().map_or(0, Vec::len)
    };
    assert!(migrate() > 10);
    assert_eq!(migrate(), 0);
}

/// `monstage serve` as a process of its own on the test database, on a free port.
pub struct ServeProcess {
    child: std::process::Child,
    pub address: String,
    index: std::path::PathBuf,
}

impl ServeProcess {
    fn start(app: &TestApp) -> ServeProcess {
        Self::start_with(app, &[], Stdio::null())
    }

    /// With more variables, and its log (stderr) where `log` says.
    pub fn start_with(app: &TestApp, env: &[(&str, &str)], log: Stdio) -> ServeProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let index = std::env::temp_dir().join(format!("index-{}", uuid::Uuid::new_v4()));
        let child = Command::new(env!("CARGO_BIN_EXE_monstage"))
            .arg("serve")
            .env("DATABASE_URL", app.db.url())
            .env("TOKEN_ENCRYPTION_KEY", "00".repeat(32))
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("SEARCH_INDEX_DIR", &index)
            .env("SHUTDOWN_DRAIN_SECS", "10")
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("serve");
        ServeProcess {
            child,
            address: format!("127.0.0.1:{port}"),
            index,
        }
    }

    /// Whether `/ready` answers 200 within 15 s.
    pub async fn becomes_ready(&self) -> bool {
        let ready = format!("http://{}/ready", self.address);
        for _ in 0..150 {
            if reqwest::get(&ready)
                .await
                .is_ok_and(|r| r.status() == StatusCode::OK)
            {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.index);
    }
}

#[actix_web::test]
async fn a_server_started_before_its_database_waits_and_becomes_ready_by_itself() {
    use crate::helpers::on_server;
    let app = TestApp::spawn().await;
    on_server(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS false",
        app.db.name
    ));
    let mut server = ServeProcess::start(&app);
    let ready = format!("http://{}/ready", server.address);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "the server waits for its database instead of exiting"
    );
    let early = reqwest::get(&ready).await;
    assert!(
        early.map_or(true, |r| r.status() != StatusCode::OK),
        "not ready yet"
    );
    on_server(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS true",
        app.db.name
    ));
    assert!(
        server.becomes_ready().await,
        "ready by itself once the database answers"
    );
}

#[actix_web::test]
async fn sigterm_stops_accepting_finishes_the_requests_in_flight_then_exits() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let mut server = ServeProcess::start(&app);
    assert!(server.becomes_ready().await);

    // A create in flight: its head and half its body are sent before SIGTERM.
    let body = serde_json::json!({ "internship_offer": crate::helpers::valid_offer("in-flight") })
        .to_string();
    let (first_half, second_half) = body.split_at(body.len() / 2);
    let mut socket = tokio::net::TcpStream::connect(&server.address)
        .await
        .unwrap();
    let head = format!(
        "POST /api/internship_offers HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        server.address,
        partner.token,
        body.len()
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(first_half.as_bytes()).await.unwrap();
    // In flight for sure: the handler checked the token (recording its first use) and now
    // waits for the rest of the body.
    let used = format!(
        "SELECT count(*) AS n FROM accounts WHERE id = {} AND token_last_used_at IS NOT NULL",
        partner.account_id
    );
    for _ in 0..100 {
        if app.count(&used) == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.count(&used), 1, "the server took the request");
    server.terminate();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let refused = tokio::net::TcpStream::connect(&server.address).await;
    assert!(
        refused.is_err(),
        "new connections are refused while draining"
    );
    if let Some(status) = server.child.try_wait().unwrap() {
        // What the server answered, if anything, before it went: for the failure's diagnosis.
        let mut early = vec![0; 4096];
        let read = tokio::time::timeout(std::time::Duration::from_secs(1), socket.read(&mut early))
            .await
            .map_or(0, |r| r.unwrap_or(0));
        panic!(
            "exited while draining ({status}); answer: {:?}",
            String::from_utf8_lossy(&early[..read])
        );
    }

    socket.write_all(second_half.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut answer))
        .await
        .expect("an answer")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]).to_string();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    drop(socket);

    let mut exited = None;
    for _ in 0..100 {
        exited = server.child.try_wait().unwrap();
        if exited.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        exited.is_some_and(|s| s.success()),
        "exits cleanly: {exited:?}"
    );
    let kept = "SELECT count(*) AS n FROM internship_offers WHERE remote_id = 'in-flight'";
    assert_eq!(app.count(kept), 1);
}
