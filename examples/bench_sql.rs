//! `bench_sql`: the SQL statements the server runs for one request, with their values written
//! in, so that the benchmark's pgbench runs exactly the same work (used by `make bench`).
//!
//! bench_sql --token T [--search QUERY]   (DATABASE_URL, SEARCH_RESULT_CAP from the environment)
//!
//! Without `--search`, the statements of `GET /api/internship_offers` (my offers, page 1: token,
//! count, page); with it, those of `GET /api/internship_offers/search?QUERY` (token, page with
//! total). Prints `{"statements": [...]}`.

use diesel::{Connection, PgConnection};
use monstage::api::pagination::PER_PAGE;
use monstage::db::queries::catalogue::{self, DEFAULT_SEARCH_RESULT_CAP};
use monstage::db::queries::{accounts, offers};
use monstage::request::body::parse_form;
use monstage::request::search::SearchRequest;
use monstage::secrets::token;
use serde_json::json;

fn main() {
    if let Err(message) = run() {
        eprintln!("bench_sql: {message}");
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
    };
    let api_token = option("--token").ok_or("--token is required")?;
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let conn = &mut PgConnection::establish(&url).map_err(|e| e.to_string())?;
    let hash = token::hash(&api_token);
    let owner = accounts::find_by_token_hash(conn, &hash)
        .map_err(|e| e.to_string())?
        .ok_or("unknown token")?;
    let listing = match option("--search") {
        None => vec![
            offers::live_count_statement(owner.operator_id),
            offers::live_page_statement(owner.operator_id, PER_PAGE, 0),
        ],
        Some(query) => vec![search_statement(conn, &query)?],
    };
    let mut statements = vec![token_lookup_sql(&hash)];
    statements.extend(listing.iter().map(|sql| sql.render_literal()));
    println!("{}", json!({ "statements": statements }));
    Ok(())
}

/// The search's page statement, as the server builds it for this query string.
fn search_statement(
    conn: &mut PgConnection,
    query: &str,
) -> Result<monstage::db::sql::Sql, String> {
    let result_cap = std::env::var("SEARCH_RESULT_CAP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEARCH_RESULT_CAP);
    let params = parse_form(query.as_bytes()).map_err(|e| e.to_string())?;
    let request = SearchRequest::read(&params).map_err(|e| e.body().error.to_string())?;
    let filters = monstage::service::catalogue::filters(conn, &request, result_cap)
        .map_err(|e| e.body().error.to_string())?;
    Ok(catalogue::search_page_statement(&filters, PER_PAGE, 0))
}

/// The token lookup's SQL with the hash written in.
fn token_lookup_sql(hash: &[u8]) -> String {
    let rendered =
        diesel::debug_query::<diesel::pg::Pg, _>(&accounts::token_lookup(hash)).to_string();
    let sql = rendered.split(" -- binds:").next().unwrap_or_default();
    sql.replace("$1", &format!("'\\x{}'::bytea", hex::encode(hash)))
        .replace("$2", "1")
}
