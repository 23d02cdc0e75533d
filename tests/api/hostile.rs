//! Slow and hostile clients: the token is checked before the body is read (keyed writes too), a
//! stalled body times out, a head that never ends is cut, long queries and too many parameters
//! are refused, each with a JSON `code` (but the head's 408, written by the HTTP layer).
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::TestApp;

/// Sends a request head announcing a body it never sends; the status line of the answer and
/// how long it took.
async fn stalled_body(app: &TestApp, token: &str, extra_header: &str) -> (String, Duration) {
    let address = app.address.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/internship_offers HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n{extra_header}\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"internship"
    );
    let started = Instant::now();
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(20), socket.read(&mut answer))
        .await
        .expect("an answer")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..read]).to_string();
    (text, started.elapsed())
}

#[actix_web::test]
async fn a_bad_token_is_refused_before_the_body_and_a_stalled_body_times_out() {
    let app = TestApp::spawn().await;
    for keyed in ["", "Idempotency-Key: k1\r\n"] {
        let (answer, took) = stalled_body(&app, "not-a-token", keyed).await;
        assert!(answer.starts_with("HTTP/1.1 401"), "{keyed}: {answer}");
        assert!(took < Duration::from_secs(3), "{keyed}: {took:?}");
    }

    let partner = app.operator("JobIRL", false);
    let (answer, took) = stalled_body(&app, &partner.token, "").await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"code\":\"REQUEST_TIMEOUT\""), "{answer}");
    assert!(
        took >= Duration::from_secs(9) && took < Duration::from_secs(15),
        "{took:?}"
    );
}

#[actix_web::test]
async fn long_queries_and_too_many_parameters_are_refused_with_a_code() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let get = |query: String| {
        app.client
            .get(format!("{}/api/internship_offers?{query}", app.address))
            .bearer_auth(&partner.token)
            .send()
    };
    let long = get(format!("keyword={}", "a".repeat(9000))).await.unwrap();
    assert_eq!(long.status(), StatusCode::URI_TOO_LONG);
    let body: serde_json::Value = long.json().await.unwrap();
    assert_eq!(body["code"], "QUERY_TOO_LONG");
    let many = (0..300)
        .map(|n| format!("p{n}=1"))
        .collect::<Vec<_>>()
        .join("&");
    let many = get(many).await.unwrap();
    assert_eq!(many.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = many.json().await.unwrap();
    assert_eq!(body["code"], "TOO_MANY_PARAMETERS");
}

#[actix_web::test]
async fn a_forged_host_never_ends_up_in_links() {
    let app = TestApp::spawn_behind_proxy().await;
    let partner = app.operator("JobIRL", false);
    app.create(&partner, crate::helpers::valid_offer("o1"))
        .await;
    for (name, value) in [
        ("Host", "evil.invalid"),
        ("X-Forwarded-Host", "evil.invalid"),
    ] {
        let response = app
            .client
            .get(format!("{}/api/internship_offers", app.address))
            .bearer_auth(&partner.token)
            .header(name, value)
            .send()
            .await
            .unwrap();
        let body = response.text().await.unwrap();
        assert!(!body.contains("evil.invalid"), "{name}: {body}");
        assert!(body.contains(&app.address), "{body}");
    }
}

#[actix_web::test]
async fn a_deeply_nested_body_is_refused_with_a_code() {
    let app = TestApp::spawn().await;
    let partner = app.operator("JobIRL", false);
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let response = app
        .client
        .post(format!("{}/api/internship_offers", app.address))
        .bearer_auth(&partner.token)
        .header("Content-Type", "application/json")
        .body(format!("{{\"internship_offer\": {deep}}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "MALFORMED_BODY");
}

#[actix_web::test]
async fn a_request_head_that_never_ends_is_cut_after_five_seconds() {
    let app = TestApp::spawn().await;
    let address = app.address.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    let started = Instant::now();
    socket
        .write_all(b"GET /api/sectors HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let mut answer = vec![0; 1024];
    let read = tokio::time::timeout(Duration::from_secs(15), socket.read(&mut answer))
        .await
        .expect("the server acts before 15 s")
        .unwrap_or(0);
    let answer = String::from_utf8_lossy(&answer[..read]);
    // The HTTP layer answers an empty 408 (it runs before any code of ours), then closes.
    assert!(read == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(4) && took < Duration::from_secs(8),
        "{took:?}"
    );
}
