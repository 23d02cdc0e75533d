//! A small HTTP load generator for `make bench`: keeps N connections busy against one URL
//! for a fixed time and prints one JSON line: requests/s, p50 and p99 latency, errors.
//!
//! loadgen URL --method GET|POST --token T --concurrency N --seconds S [--body JSON] [--rate R]
//!         [--header "Name: value"]… [--body-file FILE]
//! In the body, `{n}` becomes a number unique to each request. Redirects are not followed:
//! 2xx and 3xx answers count as successes. With `--rate`, the connections together send at
//! most R requests a second, evenly spaced (a steady background load).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Options {
    url: String,
    method: reqwest::Method,
    token: String,
    concurrency: usize,
    seconds: u64,
    body: Option<String>,
    /// Requests a second, all connections together.
    rate: Option<f64>,
    /// Extra request headers.
    headers: Vec<(String, String)>,
}

fn parse_options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        url: args.next().ok_or("usage: loadgen URL [--method M] [--token T] [--concurrency N] [--seconds S] [--body B] [--rate R]")?,
        method: reqwest::Method::GET,
        token: String::new(),
        concurrency: 1,
        seconds: 5,
        body: None,
        rate: None,
        headers: vec![],
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--method" => {
                options.method = value.parse().map_err(|_| format!("bad method {value}"))?
            }
            "--token" => options.token = value,
            "--concurrency" => {
                options.concurrency = value.parse().map_err(|_| "bad --concurrency")?
            }
            "--seconds" => options.seconds = value.parse().map_err(|_| "bad --seconds")?,
            "--body" => options.body = Some(value),
            "--body-file" => {
                let text = std::fs::read_to_string(&value).map_err(|e| format!("{value}: {e}"))?;
                options.body = Some(text);
            }
            "--rate" => options.rate = Some(value.parse().map_err(|_| "bad --rate")?),
            "--header" => {
                let (name, text) = value.split_once(':').ok_or("--header needs Name: value")?;
                options
                    .headers
                    .push((name.trim().to_owned(), text.trim().to_owned()));
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(options)
}

/// Latencies (µs) of the successful requests of one connection, and its error count.
async fn drive(
    client: reqwest::Client,
    options: Arc<Options>,
    counter: Arc<AtomicU64>,
    until: Instant,
) -> (Vec<u64>, u64) {
    let (mut latencies, mut errors) = (Vec::new(), 0);
    let period = options
        .rate
        .map(|rate| Duration::from_secs_f64(options.concurrency as f64 / rate));
    let mut next = tokio::time::Instant::now();
    while Instant::now() < until {
        if let Some(period) = period {
            tokio::time::sleep_until(next).await;
            next += period;
        }
        let mut request = client
            .request(options.method.clone(), &options.url)
            .bearer_auth(&options.token);
        for (name, value) in &options.headers {
            request = request.header(name, value);
        }
        if let Some(body) = &options.body {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            request = request
                .header("Content-Type", "application/json")
                .body(body.replace("{n}", &n.to_string()));
        }
        let started = Instant::now();
        let ok = match request.send().await {
            Ok(response) => {
                let status = response.status();
                (status.is_success() || status.is_redirection()) && response.bytes().await.is_ok()
            }
            Err(_) => false,
        };
        if ok {
            latencies.push(started.elapsed().as_micros() as u64);
        } else {
            errors += 1;
        }
    }
    (latencies, errors)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)] as f64 / 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), String> {
    let options = Arc::new(parse_options()?);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.concurrency)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let counter = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(options.seconds);
    let workers: Vec<_> = (0..options.concurrency)
        .map(|_| {
            tokio::spawn(drive(
                client.clone(),
                options.clone(),
                counter.clone(),
                until,
            ))
        })
        .collect();
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for worker in workers {
        let (mut l, e) = worker.await.map_err(|e| e.to_string())?;
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    println!(
        "{{\"requests\":{},\"errors\":{errors},\"rps\":{:.1},\"p50_ms\":{:.2},\"p99_ms\":{:.2}}}",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99)
    );
    Ok(())
}
