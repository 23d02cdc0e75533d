//! The partner documentation runs: every shell block of the quickstart against a live server,
//! and the webhook receiver samples against signed, forged and stale requests.

use std::process::{Command, Stdio};
use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::helpers::TestApp;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[actix_web::test]
async fn every_shell_block_of_the_quickstart_runs_against_a_live_server() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Demarrage rapide", true);
    let (client_id, client_secret) = app.oauth_client(
        &partner,
        "offers:write offers:read catalogue:read tracking:write stats:read webhooks:manage",
    );
    let pupil = app.student("Camille");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = tokio::task::spawn_blocking({
        let (address, port) = (app.address.clone(), free_port());
        move || {
            Command::new("bash")
                .arg(format!("{root}/scripts/doc-blocks.sh"))
                .arg("doc/demarrage-rapide.md")
                .env("BASE_URL", address)
                .env("CLIENT_ID", client_id)
                .env("CLIENT_SECRET", client_secret)
                .env("MSTA", pupil.to_string())
                .env("WEBHOOK_PORT", port.to_string())
                .output()
                .expect("bash runs")
        }
    });
    let output = run.await.expect("the blocks ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the quickstart failed:\n{stdout}\n{stderr}"
    );
    for expected in [
        "\"type\":\"ping\"",
        "\"type\":\"offer.updated\"",
        "\"student_id\":",
        "HTTP 302",
        "\"apply_clicks\": 1",
    ] {
        assert!(stdout.contains(expected), "no {expected} in:\n{stdout}");
    }
    assert!(!stdout.contains("\"verified\":false"), "{stdout}");
}

fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Sends the sample receiver started by `command` a valid, a forged and a stale delivery.
async fn check_receiver(mut command: Command, port: u16) {
    let mut receiver = command
        .env("WEBHOOK_SECRET", "whsec_sample")
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the receiver starts");
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/webhooks");
    let body = r#"{"id":"0b8e","type":"ping","created_at":"2026-12-03T10:00:00.000Z","data":{}}"#;
    let now = Utc::now().timestamp();
    let send = |timestamp: i64, signed: String| {
        client
            .post(&url)
            .header("X-Webhook-Id", "0b8e")
            .header("X-Webhook-Timestamp", timestamp.to_string())
            .header("X-Webhook-Signature-SHA256", signed)
            .body(body)
            .send()
    };
    let mut ready = false;
    for _ in 0..100 {
        if send(now, signature("whsec_sample", now, body))
            .await
            .is_ok()
        {
            ready = true;
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "the receiver never answered");
    let status = |r: reqwest::Response| r.status().as_u16();
    let rotated = format!(
        "{},{}",
        signature("whsec_old", now, body),
        signature("whsec_sample", now, body)
    );
    assert_eq!(
        send(now, rotated).await.map(status).ok(),
        Some(200),
        "two signatures during a rotation"
    );
    assert_eq!(
        send(now, signature("whsec_wrong", now, body))
            .await
            .map(status)
            .ok(),
        Some(401)
    );
    let stale = now - 600;
    assert_eq!(
        send(stale, signature("whsec_sample", stale, body))
            .await
            .map(status)
            .ok(),
        Some(401)
    );
    let _ = receiver.kill();
    let _ = receiver.wait();
}

#[actix_web::test]
async fn the_python_receiver_sample_checks_signatures_and_timestamps() {
    let mut command = Command::new("python3");
    command.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/doc/exemples/recepteur.py"
    ));
    check_receiver(command, free_port()).await;
}

#[actix_web::test]
async fn the_node_receiver_sample_checks_signatures_and_timestamps() {
    let mut command = Command::new("node");
    command.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/doc/exemples/recepteur.js"
    ));
    check_receiver(command, free_port()).await;
}

#[actix_web::test]
async fn the_php_receiver_sample_checks_signatures_and_timestamps() {
    let port = free_port();
    let mut command = Command::new("php");
    command
        .args(["-S", &format!("127.0.0.1:{port}")])
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/doc/exemples/recepteur.php"
        ));
    check_receiver(command, port).await;
}

/// Runs the "mirror the catalogue" recipe once; its last line of output.
async fn run_mirror(app: &TestApp, token: &str, base: &std::path::Path) -> serde_json::Value {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut command = Command::new("python3");
    command
        .arg(format!("{root}/doc/exemples/miroir-catalogue.py"))
        .args(["--une-fois", "--base"])
        .arg(base)
        .env("BASE_URL", &app.address)
        .env("TOKEN", token);
    let output = tokio::task::spawn_blocking(move || command.output().expect("python3 runs"))
        .await
        .expect("the recipe ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("a JSON summary")
}

/// `id<TAB>title` of each offer of a copy or of the database, sorted.
fn sorted_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort();
    lines
}

#[actix_web::test]
async fn the_mirror_recipe_keeps_a_copy_equal_to_the_catalogue() {
    use crate::helpers::offer_with;
    use reqwest::StatusCode;
    use serde_json::json;

    let app = TestApp::spawn().await;
    let ministry = app.operator("Ministere", true);
    let publisher = app.operator("JobIRL", false);
    let next_year = chrono::Datelike::year(&Utc::now()) + 1;
    let offer = |n: u32| {
        offer_with(
            &format!("o{n}"),
            json!({"title": format!("Offre {n}"), "weeks": [format!("{next_year}-W12")]}),
        )
    };
    for n in 0..30 {
        assert_eq!(
            app.create(&publisher, offer(n)).await.0,
            StatusCode::CREATED
        );
    }
    let dir = std::env::temp_dir().join(format!("miroir-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let base = dir.join("miroir.sqlite");
    // A change is in the feed once every older transaction has ended: run again until then.
    let mut first = run_mirror(&app, &ministry.token, &base).await;
    for _ in 0..100 {
        if first["offres"] == 30 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        first = run_mirror(&app, &ministry.token, &base).await;
    }
    assert_eq!(first["offres"], 30);

    app.patch(&publisher, "o1", json!({"title": "Offre 1 modifiée"}))
        .await;
    app.patch(&publisher, "o2", json!({"published_at": null}))
        .await;
    app.delete(&publisher, "o3").await;
    app.create(&publisher, offer(30)).await;
    // Resumes at its cursor: only the four changes are read again (once readable).
    let mut second = run_mirror(&app, &ministry.token, &base).await;
    for _ in 0..100 {
        if second["entrees_appliquees"].as_u64().unwrap_or(0) >= 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let more = run_mirror(&app, &ministry.token, &base).await;
        second["entrees_appliquees"] = json!(
            second["entrees_appliquees"].as_u64().unwrap_or(0)
                + more["entrees_appliquees"].as_u64().unwrap_or(0)
        );
        second["offres"] = more["offres"].clone();
    }
    assert_eq!(second["entrees_appliquees"], 4);
    assert_eq!(second["offres"], 29);

    let copy = Command::new("python3")
        .args(["-c", "import json,sqlite3,sys; [print(f\"{i}\\t{json.loads(o)['title']}\") for i, o in sqlite3.connect(sys.argv[1]).execute('SELECT id, offre FROM offres')]"])
        .arg(&base)
        .output()
        .expect("python3 runs");
    let expected = app.sql_lines(
        "SELECT id || E'\\t' || title AS line FROM internship_offers WHERE discarded_at IS NULL \
         AND published_at IS NOT NULL AND approved_count < max_candidates \
         AND last_date >= (now() AT TIME ZONE 'Europe/Paris')::date",
    );
    assert_eq!(
        sorted_lines(&String::from_utf8_lossy(&copy.stdout)),
        sorted_lines(&expected)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix_web::test]
async fn the_data_register_is_served_and_names_every_table_and_column_about_pupils() {
    #[derive(diesel::QueryableByName)]
    struct Column {
        #[diesel(sql_type = diesel::sql_types::Text)]
        table_name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        column_name: String,
    }
    use diesel::RunQueryDsl;
    let app = TestApp::spawn().await;
    let register = app.page("/documentation/donnees-personnelles.md").await;
    assert_eq!(register.0, reqwest::StatusCode::OK);
    assert!(register.2.contains("PUPIL_TRACE_RETENTION_DAYS"));
    let text = include_str!("../doc/donnees-personnelles.md");
    // Every table holding a pupil's id, and every column of the pupils' own tables.
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND (column_name = 'student_id' \
         OR table_name IN ('students', 'offer_daily_activity'))",
    )
    .load(&mut app.db.conn())
    .unwrap();
    assert!(columns.len() > 10);
    for column in columns {
        let table = format!("`{}`", column.table_name);
        assert!(text.contains(&table), "the register does not name {table}");
        if column.table_name == "students" {
            let name = format!("`{}`", column.column_name);
            assert!(
                text.contains(&name),
                "the register does not name students.{name}"
            );
        }
    }
}

#[test]
fn every_variable_the_server_reads_is_in_the_readme_and_env_example() {
    let sources = [
        include_str!("../src/config.rs"),
        include_str!("../src/telemetry.rs"),
    ];
    let readme = include_str!("../README.md");
    let example = include_str!("../.env.example");
    let mut found = 0;
    for source in sources {
        for quoted in source.split('"').skip(1).step_by(2) {
            let is_variable = quoted.len() > 3
                && quoted.contains('_')
                && quoted.chars().all(|c| c.is_ascii_uppercase() || c == '_');
            if !is_variable {
                continue;
            }
            found += 1;
            assert!(
                readme.contains(&format!("`{quoted}`")),
                "README.md lacks {quoted}"
            );
            assert!(
                example.contains(&format!("\n{quoted}=")),
                ".env.example lacks {quoted}"
            );
        }
    }
    assert!(found > 20, "{found}");
}
