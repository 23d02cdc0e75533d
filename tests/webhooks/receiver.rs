//! A partner's webhook receiver for the tests: a real HTTP server on a loopback port that
//! records every request and answers with the statuses it is told to (then 200), or hangs.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// One request received.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    /// Whether one of the signatures is `secret`'s: computed here, independently of the server.
    pub fn signed_with(&self, secret: &str) -> bool {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
        mac.update(format!("{}.{}", self.timestamp, self.body).as_bytes());
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        self.signature.split(',').any(|s| s == expected)
    }
}

#[derive(Default)]
struct Script {
    received: Vec<Received>,
    /// Statuses to answer, in order; 200 once they are used up.
    statuses: Vec<u16>,
    hang: Option<Duration>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    script: Arc<Mutex<Script>>,
}

impl Receiver {
    pub async fn start() -> Receiver {
        let script = Arc::new(Mutex::new(Script::default()));
        let shared = script.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(shared.clone()))
                .default_service(web::to(receive))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .expect("bind the receiver");
        let port = server.addrs()[0].port();
        actix_web::rt::spawn(server.run());
        Receiver {
            url: format!("http://127.0.0.1:{port}/hooks"),
            script,
        }
    }

    /// Answers these statuses to the next requests, in order.
    pub fn answer(&self, statuses: &[u16]) {
        self.script.lock().unwrap().statuses = statuses.to_vec();
    }

    /// Holds every next request this long before answering.
    pub fn hang(&self, duration: Option<Duration>) {
        self.script.lock().unwrap().hang = duration;
    }

    pub fn received(&self) -> Vec<Received> {
        self.script.lock().unwrap().received.clone()
    }

    /// Waits until `count` requests came (10 s at most) and returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..400 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            actix_web::rt::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "the receiver got {} requests, not {count}",
            self.received().len()
        );
    }
}

async fn receive(
    req: HttpRequest,
    body: web::Bytes,
    script: web::Data<Arc<Mutex<Script>>>,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (status, hang) = {
        let mut script = script.lock().unwrap();
        script.received.push(Received {
            id: header("x-webhook-id"),
            timestamp: header("x-webhook-timestamp"),
            signature: header("x-webhook-signature-sha256"),
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        let status = if script.statuses.is_empty() {
            200
        } else {
            script.statuses.remove(0)
        };
        (status, script.hang)
    };
    if let Some(hang) = hang {
        actix_web::rt::time::sleep(hang).await;
    }
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap()).finish()
}
