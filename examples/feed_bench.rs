//! `feed_bench`: how long a client takes to copy a whole changes feed over HTTP (pages of
//! 1 000, each entry parsed and applied to an in-memory copy), beside the service reading the
//! same pages with no HTTP and no JSON (the limit), in the same run (used by `bench/feed.sh`).
//!
//! feed_bench --base URL --token TOKEN --path /api/catalogue/changes [--feed catalogue|own
//! --operator-id N]   (DATABASE_URL from the environment). Prints one JSON line per side.

use std::collections::HashMap;
use std::time::Instant;

use diesel::{Connection, PgConnection};
use monstage::domain::feed::{FeedCursor, MAX_LIMIT};
use monstage::paris_time;
use monstage::service::feeds::{self, Catalogue, FeedSource, OwnOffers};
use serde_json::{Value, json};

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let outcome = runtime
        .map_err(|e| e.to_string())
        .and_then(|rt| rt.block_on(run()));
    if let Err(message) = outcome {
        eprintln!("feed_bench: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .ok_or(format!("{name} is required"))
    };
    let (base, token, path) = (option("--base")?, option("--token")?, option("--path")?);
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let conn = &mut PgConnection::establish(&url).map_err(|e| e.to_string())?;
    let over_http = follow_over_http(&format!("{base}{path}"), &token).await?;
    println!("{over_http}");
    let alone = match option("--feed").as_deref() {
        Ok("own") => {
            let operator_id = option("--operator-id")?
                .parse()
                .map_err(|_| "--operator-id N")?;
            read_in_process(conn, &OwnOffers { operator_id })?
        }
        _ => read_in_process(
            conn,
            &Catalogue {
                today: paris_time::today(),
            },
        )?,
    };
    println!("{alone}");
    Ok(())
}

/// Follows the feed from the start until it has nothing more, as a partner's mirror does.
async fn follow_over_http(url: &str, token: &str) -> Result<Value, String> {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let (mut copy, mut cursor, mut pages) = (HashMap::<String, Value>::new(), None::<String>, 0);
    loop {
        let mut query = vec![("limit", MAX_LIMIT.to_string())];
        query.extend(cursor.clone().map(|c| ("since", c)));
        let response = client
            .get(url)
            .bearer_auth(token)
            .query(&query)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let page: Value = response.json().await.map_err(|e| e.to_string())?;
        let changes = page["changes"]
            .as_array()
            .ok_or(format!("not a page: {page}"))?;
        for change in changes {
            match change["type"].as_str() {
                Some("upsert") => copy.insert(key_of(change), change["offer"].clone()),
                _ => copy.remove(&key_of(change)),
            };
        }
        pages += 1;
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if page["has_more"] != json!(true) {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(
        json!({"side": "HTTP, parsed and applied", "offers": copy.len(), "pages": pages,
              "seconds": round(seconds), "offers_per_s": (copy.len() as f64 / seconds).round()}),
    )
}

fn key_of(change: &Value) -> String {
    change
        .get("id")
        .map_or(change["remote_id"].to_string(), Value::to_string)
}

/// The same pages read by the service in this process: the database's part of each page.
fn read_in_process<S: FeedSource>(conn: &mut PgConnection, source: &S) -> Result<Value, String> {
    let started = Instant::now();
    let (mut cursor, mut offers, mut pages) = (None::<FeedCursor>, 0usize, 0);
    loop {
        let page = feeds::page(conn, source, cursor, MAX_LIMIT).map_err(|e| e.to_string())?;
        offers += page
            .changes
            .iter()
            .filter(|c| c.offer.offer.is_some())
            .count();
        pages += 1;
        cursor = Some(page.next_cursor);
        if !page.has_more {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    Ok(
        json!({"side": "service alone (no HTTP, no JSON)", "offers": offers, "pages": pages,
              "seconds": round(seconds), "offers_per_s": (offers as f64 / seconds).round()}),
    )
}

fn round(seconds: f64) -> f64 {
    (seconds * 100.0).round() / 100.0
}
