//! The connection pool when PostgreSQL goes away: 503 `SERVICE_UNAVAILABLE` with `Retry-After`
//! while it refuses connections, never a 500, and recovery without restarting the server; a
//! connection that lost its server is never handed out again; a locked table answers 503 for
//! the routes it holds and leaves connections to the others; no acknowledged write is lost.

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{Body, TestApp, on_server, valid_offer};

/// Ends every session of the test database, as a restart of PostgreSQL does.
fn terminate_sessions(app: &TestApp) {
    on_server(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
        app.db.name
    ));
}

fn allow_connections(app: &TestApp, allowed: bool) {
    on_server(&format!(
        "ALTER DATABASE {} WITH ALLOW_CONNECTIONS {allowed}",
        app.db.name
    ));
}

async fn sectors(app: &TestApp, token: &str) -> (StatusCode, Option<String>, Value) {
    let response = app
        .client
        .get(format!("{}/api/sectors", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.json().await.unwrap())
}

async fn burst(app: &TestApp, token: &str, calls: usize) -> Vec<StatusCode> {
    let calls = (0..calls).map(|_| sectors(app, token));
    join_all(calls)
        .await
        .into_iter()
        .map(|(s, _, _)| s)
        .collect()
}

#[actix_web::test]
async fn a_database_that_refuses_connections_is_a_503_then_service_resumes() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Panne", false);
    assert_eq!(burst(&app, &partner.token, 8).await, [StatusCode::OK; 8]);

    allow_connections(&app, false);
    terminate_sessions(&app);
    for _ in 0..3 {
        let (status, retry_after, body) = sectors(&app, &partner.token).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["code"], "SERVICE_UNAVAILABLE");
        assert_eq!(retry_after.as_deref(), Some("5"));
    }
    let (status, created) = app
        .request(
            Method::POST,
            "/api/internship_offers",
            Some(&partner.token),
            Body::Json(valid_offer("pendant-la-panne")),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{created}");

    allow_connections(&app, true);
    let mut recovered = false;
    for _ in 0..20 {
        let (status, _, _) = sectors(&app, &partner.token).await;
        assert!(
            status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
        if status.is_success() {
            recovered = true;
            break;
        }
    }
    assert!(recovered, "the server recovers by itself");
    assert_eq!(burst(&app, &partner.token, 32).await, [StatusCode::OK; 32]);
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM internship_offers WHERE remote_id = 'pendant-la-panne'"
        ),
        0,
        "a write answered 503 was not stored"
    );
}

#[actix_web::test]
async fn after_a_restart_a_burst_gets_no_500_and_dead_connections_are_dropped() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Redemarrage", false);
    assert!(
        burst(&app, &partner.token, 16)
            .await
            .iter()
            .all(StatusCode::is_success)
    );

    terminate_sessions(&app);
    let first = burst(&app, &partner.token, 64).await;
    assert!(
        first
            .iter()
            .all(|s| s.is_success() || *s == StatusCode::SERVICE_UNAVAILABLE),
        "{first:?}"
    );
    let second = burst(&app, &partner.token, 64).await;
    assert_eq!(
        second,
        [StatusCode::OK; 64],
        "no dead connection is handed out again"
    );
}

/// A keyed create, as a client retrying after a timeout sends it.
async fn keyed_create(app: &TestApp, token: &str) -> (StatusCode, Option<String>) {
    let response = app
        .client
        .post(format!("{}/api/internship_offers", app.address))
        .bearer_auth(token)
        .header("Idempotency-Key", "pendant-la-panne")
        .json(&serde_json::json!({ "internship_offer": valid_offer("cle-pendant-la-panne") }))
        .send()
        .await
        .expect("request");
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (response.status(), replayed)
}

#[actix_web::test]
async fn oauth_keyed_writes_and_webhooks_ride_out_a_database_outage() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Panne", false);
    let (client_id, secret) = app.oauth_client(&partner, "offers:write");
    let receiver = crate::webhooks::Receiver::start().await;
    crate::webhooks::subscribe(&app, &partner, &receiver.url, &["offer.created"]).await;

    allow_connections(&app, false);
    terminate_sessions(&app);
    let form =
        format!("grant_type=client_credentials&client_id={client_id}&client_secret={secret}");
    let (status, body, headers) = app.token_request(&form, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Some("temporarily_unavailable")
        )
    );
    assert!(headers.contains_key("retry-after"));
    assert_eq!(
        keyed_create(&app, &partner.token).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );

    allow_connections(&app, true);
    let mut recovered = false;
    for _ in 0..20 {
        if sectors(&app, &partner.token).await.0.is_success() {
            recovered = true;
            break;
        }
    }
    assert!(recovered, "the server recovers by itself");
    // The key was never kept for the 503: the retry runs, then replays.
    assert_eq!(
        keyed_create(&app, &partner.token).await,
        (StatusCode::CREATED, None)
    );
    assert_eq!(
        keyed_create(&app, &partner.token).await,
        (StatusCode::CREATED, Some("true".to_owned()))
    );
    assert_eq!(app.token_request(&form, None).await.0, StatusCode::OK);
    // The webhook worker lived through the outage and delivers the acknowledged write.
    let received = receiver.wait_for(1).await;
    assert_eq!(
        received[0].json()["data"]["remote_id"],
        "cle-pendant-la-panne"
    );
}

/// A create of `remote_id`: its status, and whether a 503 said when to come back.
async fn create(app: &TestApp, token: &str, remote_id: String) -> (StatusCode, bool) {
    let response = app
        .client
        .post(format!("{}/api/internship_offers", app.address))
        .bearer_auth(token)
        .json(&serde_json::json!({ "internship_offer": valid_offer(&remote_id) }))
        .send()
        .await;
    match response {
        Ok(response) => (
            response.status(),
            response.headers().contains_key("retry-after"),
        ),
        Err(_) => (StatusCode::BAD_GATEWAY, false),
    }
}

#[actix_web::test]
async fn a_locked_offers_table_is_a_503_for_its_writes_and_the_other_routes_keep_answering() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Verrou", false);
    // Another session holds the offers table for 9 s, as a long migration or a stuck batch does.
    let (locked, lock_taken) = std::sync::mpsc::channel();
    let holder = {
        let mut conn = app.db.conn();
        std::thread::spawn(move || {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("BEGIN; LOCK TABLE internship_offers IN ACCESS EXCLUSIVE MODE")
                .unwrap();
            locked.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_secs(9));
            conn.batch_execute("COMMIT").unwrap();
        })
    };
    lock_taken.recv().unwrap();

    let started = std::time::Instant::now();
    let writes = join_all((0..12).map(|n| create(&app, &partner.token, format!("v{n}"))));
    let others = async {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(500)).await;
        let mut answers = vec![];
        for _ in 0..5 {
            let asked = std::time::Instant::now();
            let (status, _, _) = sectors(&app, &partner.token).await;
            answers.push((status, asked.elapsed()));
        }
        answers
    };
    let (writes, others) = futures_util::join!(writes, others);
    // The writes waited for the lock 3 s at most, then were told to come back: never a hang.
    assert!(
        writes
            .iter()
            .all(|w| *w == (StatusCode::SERVICE_UNAVAILABLE, true)),
        "{writes:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(9));
    // Meanwhile the writes held three connections of four: the reads kept one.
    for (status, took) in others {
        assert_eq!(status, StatusCode::OK);
        assert!(took < std::time::Duration::from_secs(1), "{took:?}");
    }

    holder.join().unwrap();
    assert_eq!(
        create(&app, &partner.token, "after".into()).await,
        (StatusCode::CREATED, false)
    );
}

/// Creates offers one after the other for `run_for`: the remote_ids acknowledged (201), and
/// every other answer with how long it took.
async fn keep_writing(
    app: &TestApp,
    token: &str,
    writer: usize,
    run_for: std::time::Duration,
) -> (Vec<String>, Vec<(StatusCode, bool, std::time::Duration)>) {
    let (mut acknowledged, mut refused) = (vec![], vec![]);
    let started = std::time::Instant::now();
    let mut n = 0;
    while started.elapsed() < run_for {
        let remote_id = format!("w{writer}-{n}");
        n += 1;
        let asked = std::time::Instant::now();
        let (status, retry_after) = create(app, token, remote_id.clone()).await;
        if status == StatusCode::CREATED {
            acknowledged.push(remote_id);
        } else {
            refused.push((status, retry_after, asked.elapsed()));
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    (acknowledged, refused)
}

#[actix_web::test]
async fn every_write_acknowledged_across_a_database_cut_under_load_is_kept() {
    let app = TestApp::spawn().await;
    let partner = app.operator("Coupure", false);
    let run_for = std::time::Duration::from_secs(6);
    let writers = join_all((0..4).map(|w| keep_writing(&app, &partner.token, w, run_for)));
    let cut = async {
        actix_web::rt::time::sleep(std::time::Duration::from_secs(2)).await;
        allow_connections(&app, false);
        terminate_sessions(&app);
        actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
        allow_connections(&app, true);
    };
    let (written, ()) = futures_util::join!(writers, cut);

    let mut acknowledged = vec![];
    let mut refused = vec![];
    for (ids, answers) in written {
        acknowledged.extend(ids);
        refused.extend(answers);
    }
    assert!(!refused.is_empty(), "the cut was felt");
    for (status, retry_after, took) in &refused {
        assert_eq!(*status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(retry_after, "a 503 says when to come back");
        assert!(*took < std::time::Duration::from_secs(6), "{took:?}");
    }
    assert!(
        acknowledged.len() > 20,
        "{} acknowledged",
        acknowledged.len()
    );
    let listed = acknowledged
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    let kept = app.count(&format!(
        "SELECT count(*) AS n FROM internship_offers WHERE remote_id IN ({listed})"
    ));
    assert_eq!(
        kept as usize,
        acknowledged.len(),
        "no acknowledged write lost"
    );
}
