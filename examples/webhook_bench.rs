//! Webhook benchmark (`bench/webhooks.sh`): what a partner sees from the moment its write is
//! acknowledged until its receiver gets the event, and whether subscribing slows its writes.
//!
//! webhook_bench URL TOKEN [--offers N] [--concurrency C]
//!
//! 1. creates N offers, then updates them with C connections, no subscription (the API's own
//!    latency);
//! 2. starts a receiver on a loopback port, subscribes it to offer.updated, and updates the N
//!    offers again the same way;
//! 3. waits for the N events and prints a table: write latency without and with a
//!    subscription (same run, same machine), and end-to-end delivery latency (write
//!    acknowledged → receiver called) for a steady trickle (7 writes a second per connection)
//!    and for the burst, with the delivery rate.
//!
//! Prints one JSON line with every figure as its last line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

type Receipts = Arc<Mutex<HashMap<String, Instant>>>;

fn offer(remote_id: &str, title: &str) -> Value {
    json!({"internship_offer": {
        "remote_id": remote_id, "title": title,
        "description": "Une semaine de découverte des métiers de la boulangerie.",
        "employer_name": "Boulangerie du Canal", "street": "12 quai de Valmy", "zipcode": "75010",
        "city": "Paris", "coordinates": {"latitude": 48.8708, "longitude": 2.364},
        "sector_uuid": "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6",
        "permalink": format!("https://partenaire.example/{remote_id}"), "max_candidates": 2,
    }})
}

/// Sends one request per remote id, `concurrency` at a time; the acknowledgement instant of each.
async fn write_all(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    ids: &[String],
    concurrency: usize,
    update: Option<&'static str>,
    pace: Option<Duration>,
) -> (Vec<Duration>, HashMap<String, Instant>) {
    let chunks: Vec<Vec<String>> = ids
        .chunks(ids.len().div_ceil(concurrency))
        .map(<[String]>::to_vec)
        .collect();
    let tasks = chunks.into_iter().map(|chunk| {
        let (client, base, token) = (client.clone(), base.to_owned(), token.to_owned());
        tokio::spawn(async move {
            let mut out = vec![];
            for id in chunk {
                if let Some(pace) = pace {
                    tokio::time::sleep(pace).await;
                }
                let request = if let Some(title) = update {
                    client
                        .patch(format!("{base}/api/internship_offers/{id}"))
                        .json(&offer(&id, title))
                } else {
                    client
                        .post(format!("{base}/api/internship_offers"))
                        .json(&offer(&id, "Boulangerie"))
                };
                let started = Instant::now();
                let status = request
                    .bearer_auth(&token)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                assert!((200..300).contains(&status), "write of {id}: HTTP {status}");
                out.push((id, started.elapsed(), Instant::now()));
            }
            out
        })
    });
    let mut latencies = vec![];
    let mut acknowledged = HashMap::new();
    for task in futures_util::future::join_all(tasks).await {
        for (id, latency, at) in task.expect("a writer") {
            latencies.push(latency);
            acknowledged.insert(id, at);
        }
    }
    (latencies, acknowledged)
}

async fn receive(
    req: HttpRequest,
    body: web::Bytes,
    receipts: web::Data<Receipts>,
) -> HttpResponse {
    let at = Instant::now();
    let event: Value = serde_json::from_slice(&body).unwrap_or_default();
    if req.headers().contains_key("x-webhook-signature-sha256")
        && let Some(id) = event["data"]["remote_id"].as_str()
    {
        receipts
            .lock()
            .expect("receipts")
            .entry(id.to_owned())
            .or_insert(at);
    }
    HttpResponse::Ok().finish()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn row(name: &str, mut values: Vec<Duration>) -> Value {
    values.sort();
    let (p50, p95, p99, max) = (
        percentile(&values, 0.5),
        percentile(&values, 0.95),
        percentile(&values, 0.99),
        percentile(&values, 1.0),
    );
    println!(
        "| {name:<38} | {:>6} | {p50:>8.1} | {p95:>8.1} | {p99:>8.1} | {max:>8.1} |",
        values.len()
    );
    json!({"n": values.len(), "p50_ms": p50, "p95_ms": p95, "p99_ms": p99, "max_ms": max})
}

/// A receiver on a loopback port that notes when each offer's event arrived; its URL.
fn start_receiver(receipts: &Receipts) -> String {
    let shared = receipts.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(shared.clone()))
            .default_service(web::to(receive))
    })
    .workers(2)
    .bind("127.0.0.1:0")
    .expect("bind the receiver");
    let url = format!("http://127.0.0.1:{}/hooks", server.addrs()[0].port());
    actix_web::rt::spawn(server.run());
    url
}

async fn wait_for(receipts: &Receipts, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while receipts.lock().expect("receipts").len() < count && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// For each write, the time from its acknowledgement to its event's arrival.
fn latencies(
    acknowledged: &HashMap<String, Instant>,
    receipts: &HashMap<String, Instant>,
) -> Vec<Duration> {
    acknowledged
        .iter()
        .filter_map(|(id, at)| {
            receipts
                .get(id)
                .map(|received| received.saturating_duration_since(*at))
        })
        .collect()
}

#[actix_web::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (base, token) = (
        args.get(1).expect("URL").trim_end_matches('/').to_owned(),
        args.get(2).expect("TOKEN").clone(),
    );
    let flag = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (count, concurrency) = (flag("--offers", 2000), flag("--concurrency", 8));
    let client = reqwest::Client::new();
    let run = std::process::id();
    let ids: Vec<String> = (0..count).map(|n| format!("wh-{run}-{n}")).collect();

    let write = |ids: Vec<String>, title: Option<&'static str>, pace: Option<Duration>| {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        async move { write_all(&client, &base, &token, &ids, concurrency, title, pace).await }
    };
    write(ids.clone(), None, None).await;
    let (without, _) = write(ids.clone(), Some("Boulangerie (1)"), None).await;

    let receipts: Receipts = Arc::default();
    let url = start_receiver(&receipts);
    let subscribed = client
        .post(format!("{base}/api/webhooks"))
        .bearer_auth(&token)
        .json(&json!({"url": url, "events": ["offer.updated"]}))
        .send()
        .await
        .expect("subscribe");
    assert_eq!(
        subscribed.status().as_u16(),
        201,
        "subscription refused (WEBHOOK_ALLOW_LOOPBACK=true?)"
    );

    // A steady trickle first: each connection writes every 137 ms (not in step with any poll).
    let steady_ids = ids[..ids.len().min(concurrency * 25)].to_vec();
    let pace = Some(Duration::from_millis(137));
    let (_, steady_acks) = write(steady_ids.clone(), Some("Boulangerie (steady)"), pace).await;
    wait_for(&receipts, steady_ids.len()).await;
    let steady = latencies(
        &steady_acks,
        &std::mem::take(&mut *receipts.lock().expect("receipts")),
    );

    let started = Instant::now();
    let (with, acknowledged) = write(ids.clone(), Some("Boulangerie (2)"), None).await;
    wait_for(&receipts, count).await;
    let receipts = receipts.lock().expect("receipts").clone();
    let last = receipts.values().max().copied().unwrap_or(started);
    let delivery = latencies(&acknowledged, &receipts);
    let rate = receipts.len() as f64
        / last
            .saturating_duration_since(started)
            .as_secs_f64()
            .max(0.001);

    println!(
        "| {:<38} | {:>6} | {:>8} | {:>8} | {:>8} | {:>8} |",
        "ms", "n", "p50", "p95", "p99", "max"
    );
    println!(
        "|{:-<40}|{:->8}|{:->10}|{:->10}|{:->10}|{:->10}|",
        "", "", "", "", "", ""
    );
    let created = row(
        &format!("update, no subscription (c={concurrency})"),
        without,
    );
    let updated = row(&format!("update, subscribed (c={concurrency})"), with);
    let steady = row(
        &format!("ack -> receiver, steady {}/s", concurrency * 1000 / 137),
        steady,
    );
    let delivered = row(
        &format!("ack -> receiver, burst (c={concurrency})"),
        delivery,
    );
    println!(
        "deliveries: {} of {count} received, {rate:.0}/s over the burst",
        receipts.len()
    );
    println!(
        "{}",
        json!({"unsubscribed": created, "subscribed": updated, "steady": steady, "delivered": delivered, "received": receipts.len(), "deliveries_per_s": rate})
    );
}
