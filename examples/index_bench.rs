//! `index_bench`: the search index's own query time (the page's listings read from it
//! included), with no HTTP and no database in the timing, over the same query mix as the HTTP
//! benchmark (used by `make bench`).
//!
//! index_bench --index DIR --paths FILE   (DATABASE_URL from the environment, to resolve
//! sectors and weeks before timing). Prints `{"queries","p50_ms","p99_ms","max_ms"}`, and
//! the slowest queries on stderr with `--slowest N`.

use std::time::Instant;

use diesel::{Connection, PgConnection};
use monstage::paris_time;
use monstage::request::body::parse_form;
use monstage::request::search::SearchRequest;
use monstage::search::schema::day_number;
use monstage::search::{IndexSearch, SearchIndex};
use monstage::service::catalogue::resolve;
use monstage::service::referentials::Referentials;
use serde_json::json;

fn main() {
    if let Err(message) = run() {
        eprintln!("index_bench: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .ok_or(format!("{name} is required"))
    };
    let (dir, paths) = (option("--index")?, option("--paths")?);
    let slowest: usize =
        option("--slowest").map_or(Ok(0), |n| n.parse().map_err(|_| "--slowest N"))?;
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let conn = &mut PgConnection::establish(&url).map_err(|e| e.to_string())?;
    let (index, _) = SearchIndex::open(Some(dir.as_ref())).map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&paths).map_err(|e| e.to_string())?;
    let today = day_number(paris_time::today());
    // As a server's follower does once caught up: the offers that have ended leave the index.
    index.sweep(today).map_err(|e| e.to_string())?;
    let referentials = Referentials::default();
    let mut searches = vec![];
    for path in text.lines() {
        let query = path.split_once('?').map_or("", |(_, q)| q);
        let params = parse_form(query.as_bytes()).map_err(|e| e.to_string())?;
        let request = SearchRequest::read(&params).map_err(|e| e.to_string())?;
        let filters = resolve(conn, &referentials, &request).map_err(|e| e.to_string())?;
        let search = IndexSearch {
            filters,
            keep: usize::try_from(request.page * 30).unwrap_or(30),
            facets: request.facets,
            today,
        };
        searches.push((path, search));
    }
    // One untimed pass first: the index's files come into the page cache, as on a server
    // that has been answering for a while.
    let page = |search: &IndexSearch| index.search_page(search, search.keep.saturating_sub(30));
    for (_, search) in &searches {
        page(search).map_err(|e| e.to_string())?;
    }
    let mut timings = vec![];
    for (path, search) in &searches {
        let started = Instant::now();
        page(search).map_err(|e| e.to_string())?;
        timings.push((started.elapsed().as_secs_f64() * 1000.0, path));
    }
    timings.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (ms, path) in timings.iter().rev().take(slowest) {
        eprintln!("{ms:8.3} ms  {path}");
    }
    let timings: Vec<f64> = timings.into_iter().map(|(ms, _)| ms).collect();
    let at = |q: f64| {
        let ms = timings[((timings.len() as f64 - 1.0) * q).round() as usize];
        (ms * 1000.0).round() / 1000.0
    };
    println!(
        "{}",
        json!({"queries": timings.len(), "p50_ms": at(0.5), "p99_ms": at(0.99), "max_ms": at(1.0)})
    );
    Ok(())
}
