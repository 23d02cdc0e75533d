//! The reverse proxy of `docker-compose.yml` (`deploy/nginx.conf`), run with a real nginx in
//! front of two test instances on one database: requests go to both, a stopped replica is
//! skipped, and what the proxy refuses itself answers the API's JSON envelope.

use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use serde_json::Value;

use crate::api::health::metrics;
use crate::helpers::TestApp;

/// nginx with the project's site configuration, its upstream replaced by `upstreams`.
struct Proxy {
    child: Child,
    address: String,
    dir: std::path::PathBuf,
}

impl Proxy {
    async fn start(upstreams: &[String]) -> Proxy {
        let site =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/nginx.conf"))
                .expect("deploy/nginx.conf");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let servers: String = upstreams
            .iter()
            .map(|u| format!("server {u} max_fails=1 fail_timeout=5s;\n"))
            .collect();
        let site = site
            .replace("server api:3000 max_fails=1 fail_timeout=5s;\n", &servers)
            .replace("listen 80;", &format!("listen 127.0.0.1:{port};"));
        assert!(
            site.contains(&servers),
            "the upstream line of deploy/nginx.conf moved"
        );
        let dir = std::env::temp_dir().join(format!("nginx-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("site.conf"), site).unwrap();
        let main = format!(
            "daemon off;\npid {0}/nginx.pid;\nerror_log {0}/error.log;\nevents {{}}\n\
             http {{\n access_log off;\n client_body_temp_path {0}/body;\n \
             proxy_temp_path {0}/proxy;\n include {0}/site.conf;\n}}\n",
            dir.display()
        );
        std::fs::write(dir.join("nginx.conf"), main).unwrap();
        let child = Command::new("/usr/sbin/nginx")
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx (make test installs nginx-light)");
        let address = format!("127.0.0.1:{port}");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(&address).await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        Proxy {
            child,
            address: format!("http://{address}"),
            dir,
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// How many `GET /api/sectors` answered 200 an instance counted.
async fn sectors_served(app: &TestApp) -> u64 {
    let text = metrics(app).await;
    let line = r#"http_requests_total{method="GET",route="/api/sectors",status="200"} "#;
    text.lines()
        .find_map(|l| l.strip_prefix(line))
        .map_or(0, |n| n.trim().parse().unwrap())
}

/// A closed loopback port: a replica that is down.
fn stopped_replica() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    drop(listener);
    address
}

#[actix_web::test]
async fn the_proxy_spreads_calls_over_the_replicas_and_skips_a_stopped_one() {
    let first = TestApp::spawn_behind_proxy().await;
    let second = first.second_instance().await;
    let partner = first.operator("Relais", false);
    let upstreams = [&first, &second]
        .map(|app| app.address.trim_start_matches("http://").to_owned())
        .to_vec();
    let upstreams = [upstreams, vec![stopped_replica()]].concat();
    let proxy = Proxy::start(&upstreams).await;
    for _ in 0..30 {
        let answer = first
            .client
            .get(format!("{}/api/sectors", proxy.address))
            .bearer_auth(&partner.token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        assert!(answer.headers().contains_key("x-request-id"));
        assert!(answer.headers().contains_key("ratelimit"));
    }
    let (a, b) = (sectors_served(&first).await, sectors_served(&second).await);
    assert_eq!(a + b, 30);
    assert!(a >= 5 && b >= 5, "both replicas serve: {a} and {b}");
}

#[actix_web::test]
async fn what_the_proxy_refuses_itself_answers_json_with_a_code() {
    let app = TestApp::spawn_behind_proxy().await;
    let partner = app.operator("Relais", false);
    let proxy = Proxy::start(&[app.address.trim_start_matches("http://").to_owned()]).await;
    let long = "a".repeat(20_000);
    let calls = [
        (
            app.client.get(format!("{}/api/{long}", proxy.address)),
            StatusCode::URI_TOO_LONG,
            "URI_TOO_LONG",
        ),
        (
            app.client
                .get(format!("{}/api/sectors", proxy.address))
                .header("X-Long", &long),
            StatusCode::from_u16(431).unwrap(),
            "HEADERS_TOO_LARGE",
        ),
        (
            app.client
                .post(format!("{}/api/internship_offers", proxy.address))
                .body(vec![b' '; 4 * 1024 * 1024]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
        ),
    ];
    for (call, status, code) in calls {
        let answer = call.send().await.unwrap();
        assert_eq!(answer.status(), status, "{code}");
        assert!(
            answer.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["code"], code);
        assert!(body["error"].is_string());
    }
    // The API's own refusals pass through unchanged.
    let own = app
        .client
        .get(format!(
            "{}/api/sectors?{}",
            proxy.address,
            "q".repeat(9_000)
        ))
        .bearer_auth(&partner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::URI_TOO_LONG);
    assert_eq!(own.json::<Value>().await.unwrap()["code"], "QUERY_TOO_LONG");

    // No replica at all: the retryable 503 of the API, with Retry-After.
    let nobody = Proxy::start(&[stopped_replica()]).await;
    let answer = app
        .client
        .get(format!("{}/api/sectors", nobody.address))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.headers()["retry-after"], "5");
    assert_eq!(
        answer.json::<Value>().await.unwrap()["code"],
        "SERVICE_UNAVAILABLE"
    );
}
