//! Pupils' privacy: traces older than the retention rolled up into anonymous counts and
//! deleted (statistics unchanged), a pupil erased in one command, and no pupil's name anywhere
//! partners or logs could see it.

use std::process::Stdio;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::cli::{ServeProcess, monstage};
use crate::helpers::{Body, TestApp, TestPartner, valid_offer};

const TRACE_TABLES: [&str; 3] = [
    "apply_clicks",
    "account_activities",
    "application_trackings",
];

/// A click on "Postuler", an account created at the partner, and `statuses` reported.
async fn traces_of(
    app: &TestApp,
    partner: &TestPartner,
    remote_id: &str,
    pupil: i64,
    statuses: &[&str],
) {
    let id = app.offer_id(remote_id);
    app.page(&format!("/offres-de-stage/{id}/postuler?msta={pupil}"))
        .await;
    let (status, _) = app
        .request(
            Method::POST,
            "/api/operator_account_activities/create_account",
            Some(&partner.token),
            Body::Json(json!({"remote_id": remote_id, "student_id": pupil})),
        )
        .await;
    assert!(status.is_success());
    for remote_status in statuses {
        report(app, partner, remote_id, pupil, remote_status).await;
    }
}

/// Reports an application status.
async fn report(app: &TestApp, partner: &TestPartner, remote_id: &str, pupil: i64, status: &str) {
    let tracking = json!({"application_tracking": {
        "remote_id": remote_id, "ms3e_student_id": pupil, "remote_status": status}});
    let (status, body) = app
        .request(
            Method::POST,
            "/api/application_trackings",
            Some(&partner.token),
            Body::Json(tracking),
        )
        .await;
    assert!(status.is_success(), "{body}");
}

/// Moves a pupil's traces `days` into the past.
fn age_traces(app: &TestApp, pupil: i64, days: i32) {
    for table in TRACE_TABLES {
        app.sql(&format!(
            "UPDATE {table} SET created_at = now() - interval '{days} days' WHERE student_id = {pupil}"
        ));
    }
}

/// A pupil's traces left, all tables together.
fn traces_left(app: &TestApp, pupil: i64) -> i64 {
    TRACE_TABLES
        .iter()
        .map(|table| {
            app.count(&format!(
                "SELECT count(*) AS n FROM {table} WHERE student_id = {pupil}"
            ))
        })
        .sum()
}

async fn stats(app: &TestApp, partner: &TestPartner, remote_id: &str) -> Value {
    let path = format!("/api/internship_offers/{remote_id}/stats");
    let (status, body) = app
        .request(Method::GET, &path, Some(&partner.token), Body::None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// An offer published 500 days ago, whose statistics span the whole period.
async fn old_offer(app: &TestApp, partner: &TestPartner, remote_id: &str) {
    app.create(partner, valid_offer(remote_id)).await;
    app.sql(&format!(
        "UPDATE internship_offers SET created_at = now() - interval '500 days' WHERE remote_id = '{remote_id}'"
    ));
}

#[actix_web::test]
async fn the_purge_rolls_old_traces_up_keeps_totals_and_recent_traces_and_can_run_again() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    old_offer(&app, &partner, "o1").await;
    let (old, recent) = (app.student("Ancienne"), app.student("Recente"));
    traces_of(
        &app,
        &partner,
        "o1",
        old,
        &["application_submitted", "application_approved"],
    )
    .await;
    age_traces(&app, old, 400);
    traces_of(&app, &partner, "o1", recent, &["application_submitted"]).await;
    let before = stats(&app, &partner, "o1").await;
    assert_eq!(before["applications"]["approved"], 1);

    let (ok, purged) = monstage(&app, &["privacy", "purge"]);
    assert!(ok, "{purged}");
    assert_eq!(purged["retention_days"], 395);
    assert_eq!(purged["skipped"], false);
    assert_eq!(
        purged["removed"],
        json!({"apply_clicks": 1, "account_activities": 1, "application_trackings": 2})
    );
    assert_eq!(traces_left(&app, old), 0, "old traces gone");
    assert_eq!(traces_left(&app, recent), 3, "recent traces kept");
    assert_eq!(
        stats(&app, &partner, "o1").await,
        before,
        "totals unchanged"
    );

    let (ok, again) = monstage(&app, &["privacy", "purge"]);
    assert!(ok);
    assert_eq!(
        again["removed"],
        json!({"apply_clicks": 0, "account_activities": 0, "application_trackings": 0})
    );
    assert_eq!(stats(&app, &partner, "o1").await, before);

    // The rolled-up approval still takes its seat: the second fills the offer (2 seats).
    report(&app, &partner, "o1", recent, "application_approved").await;
    let after = stats(&app, &partner, "o1").await;
    assert_eq!(after["applications"]["approved"], 2);
    assert_eq!(after["remaining_seats"], 0);
}

#[actix_web::test]
async fn two_instances_purging_together_roll_each_trace_up_once() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    old_offer(&app, &partner, "o1").await;
    for n in 0..5 {
        let pupil = app.student(&format!("Eleve{n}"));
        traces_of(&app, &partner, "o1", pupil, &["application_submitted"]).await;
        age_traces(&app, pupil, 400);
    }
    let before = stats(&app, &partner, "o1").await;
    let start = std::sync::Arc::new(std::sync::Barrier::new(2));
    let running: Vec<_> = (0..2)
        .map(|_| {
            let (mut conn, start) = (app.db.conn(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                monstage::admin::privacy::purge(&mut conn, 395).expect("purge")
            })
        })
        .collect();
    let purges: Vec<_> = running.into_iter().map(|p| p.join().unwrap()).collect();
    let removed: i64 = purges.iter().map(|p| p.removed.total()).sum();
    assert_eq!(removed, 15, "each trace once: {purges:?}");
    let rolled = app.count(
        "SELECT (sum(apply_clicks) + sum(accounts_created) + sum(applications_submitted))::bigint AS n \
         FROM offer_daily_activity",
    );
    assert_eq!(rolled, 15);
    assert_eq!(stats(&app, &partner, "o1").await, before);
}

#[actix_web::test]
async fn the_server_purges_by_itself() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    old_offer(&app, &partner, "o1").await;
    let pupil = app.student("Ancienne");
    traces_of(&app, &partner, "o1", pupil, &["application_submitted"]).await;
    age_traces(&app, pupil, 40);
    let server =
        ServeProcess::start_with(&app, &[("PUPIL_TRACE_RETENTION_DAYS", "30")], Stdio::null());
    assert!(server.becomes_ready().await);
    let mut left = traces_left(&app, pupil);
    for _ in 0..100 {
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = traces_left(&app, pupil);
    }
    assert_eq!(left, 0, "purged at start, then every hour");
    assert_eq!(
        app.count("SELECT sum(apply_clicks)::bigint AS n FROM offer_daily_activity"),
        1
    );
}

#[actix_web::test]
async fn an_erased_pupil_leaves_anonymous_counts_only_and_becomes_unknown() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let receiver = crate::webhooks::Receiver::start().await;
    crate::webhooks::subscribe(&app, &partner, &receiver.url, &["pupil.apply_clicked"]).await;
    app.create(&partner, valid_offer("o1")).await;
    let (pupil, other) = (app.student("Camille"), app.student("Yanis"));
    traces_of(
        &app,
        &partner,
        "o1",
        pupil,
        &["application_submitted", "application_approved"],
    )
    .await;
    traces_of(&app, &partner, "o1", other, &["application_submitted"]).await;
    receiver.wait_for(2).await;
    let before = stats(&app, &partner, "o1").await;

    let (ok, erased) = monstage(
        &app,
        &["student", "erase", "--student-id", &pupil.to_string()],
    );
    assert!(ok, "{erased}");
    assert_eq!(
        erased,
        json!({"student_id": pupil, "webhook_events_blanked": 1,
               "removed": {"apply_clicks": 1, "account_activities": 1, "application_trackings": 2}})
    );
    assert_eq!(traces_left(&app, pupil), 0);
    assert_eq!(traces_left(&app, other), 3, "the other pupil's traces stay");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM students WHERE id = {pupil}"
        )),
        0
    );
    let named = format!(
        "SELECT count(*) AS n FROM webhook_events WHERE data->'student_id' = to_jsonb({pupil}::bigint)"
    );
    assert_eq!(app.count(&named), 0, "no event names the pupil any more");
    assert_eq!(stats(&app, &partner, "o1").await, before, "totals kept");
    assert!(
        app.audit_actions()
            .iter()
            .any(|a| a.contains("student_erased")),
        "{:?}",
        app.audit_actions()
    );
    let audited =
        app.sql_lines("SELECT detail AS line FROM audit_events WHERE action = 'student_erased'");
    assert_eq!(audited, format!("élève {pupil}\n"));

    // The id is unknown from now on.
    let (status, body) = app
        .request(
            Method::POST,
            "/api/operator_account_activities/create_account",
            Some(&partner.token),
            Body::Json(json!({"remote_id": "o1", "student_id": pupil})),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("NOT_FOUND"))
    );
    let id = app.offer_id("o1");
    app.page(&format!("/offres-de-stage/{id}/postuler?msta={pupil}"))
        .await;
    assert_eq!(traces_left(&app, pupil), 0, "a later msta is not recorded");
    let (ok, again) = monstage(
        &app,
        &["student", "erase", "--student-id", &pupil.to_string()],
    );
    assert!(!ok && again["error"].is_string(), "{again}");
}

/// A GET or POST on the server process: status and body.
async fn call(
    base: &str,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client
        .request(method, format!("http://{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[actix_web::test]
async fn no_pupil_name_reaches_an_answer_a_webhook_or_a_log_line() {
    let (first, last) = ("Zéphyrine", "Plantenom");
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", true);
    let pupil = monstage::admin::create_student(&mut app.db.conn(), first, last)
        .unwrap()
        .student_id;
    let log_path = std::env::temp_dir().join(format!("monstage-log-{}", uuid::Uuid::new_v4()));
    let log = std::fs::File::create(&log_path).unwrap();
    let server = ServeProcess::start_with(
        &app,
        &[("RUST_LOG", "debug"), ("WEBHOOK_ALLOW_LOOPBACK", "true")],
        Stdio::from(log),
    );
    assert!(server.becomes_ready().await);
    let base = server.address.as_str();
    let receiver = crate::webhooks::Receiver::start().await;
    let events = [
        "offer.created",
        "pupil.apply_clicked",
        "application.status_recorded",
    ];
    let subscription = json!({"url": receiver.url, "events": events});
    let token = partner.token.as_str();
    let mut answers = vec![
        call(
            base,
            Method::POST,
            "/api/webhooks",
            token,
            Some(subscription),
        )
        .await,
    ];
    let offer = json!({"internship_offer": valid_offer("o1")});
    answers.push(
        call(
            base,
            Method::POST,
            "/api/internship_offers",
            token,
            Some(offer),
        )
        .await,
    );
    let id = app.offer_id("o1");
    for path in [
        format!("/offres-de-stage/{id}?msta={pupil}"),
        format!("/offres-de-stage/{id}/postuler?msta={pupil}"),
    ] {
        answers.push(call(base, Method::GET, &path, token, None).await);
    }
    let activity = json!({"remote_id": "o1", "student_id": pupil});
    answers.push(
        call(
            base,
            Method::POST,
            "/api/operator_account_activities/create_account",
            token,
            Some(activity),
        )
        .await,
    );
    let tracking = json!({"application_tracking": {
        "remote_id": "o1", "ms3e_student_id": pupil, "remote_status": "application_approved"}});
    answers.push(
        call(
            base,
            Method::POST,
            "/api/application_trackings",
            token,
            Some(tracking),
        )
        .await,
    );
    for path in [
        "/api/internship_offers",
        "/api/internship_offers/o1",
        "/api/internship_offers/o1/stats",
        "/api/stats",
        "/api/internship_offers/changes",
        "/api/catalogue/changes",
        "/api/webhooks/deliveries",
    ] {
        answers.push(call(base, Method::GET, path, token, None).await);
    }
    let delivered = receiver.wait_for(3).await;
    assert!(
        answers.iter().all(|(status, _)| status.as_u16() < 400),
        "{answers:?}"
    );
    let (_, erased) = monstage(
        &app,
        &["student", "erase", "--student-id", &pupil.to_string()],
    );
    drop(server);

    let logs = std::fs::read_to_string(&log_path).unwrap();
    let _ = std::fs::remove_file(&log_path);
    assert!(logs.contains("request served"), "the log was written");
    let mut seen: Vec<String> = answers.into_iter().map(|(_, body)| body).collect();
    seen.extend(delivered.iter().map(|d| d.body.clone()));
    seen.push(erased.to_string());
    seen.push(logs);
    assert!(
        seen.iter()
            .any(|text| text.contains(&format!("\"student_id\":{pupil}"))),
        "the pseudonymous id is what partners see"
    );
    for text in &seen {
        for name in [first, last, "Zephyrine"] {
            assert!(!text.contains(name), "{name} leaked: {text}");
        }
    }
}
