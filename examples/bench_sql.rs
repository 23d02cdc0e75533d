//! `bench_sql`: the SQL statements the server runs for `GET /api/internship_offers` (my offers,
//! page 1: token, count, page), with their values written in, so that the benchmark's pgbench
//! runs exactly the same work (used by `make bench`).
//!
//! bench_sql --token T   (DATABASE_URL from the environment). Prints `{"statements": [...]}`.

use diesel::{Connection, PgConnection};
use monstage::api::pagination::PER_PAGE;
use monstage::db::queries::{accounts, offers};
use monstage::secrets::token;
use serde_json::json;

fn main() {
    if let Err(message) = run() {
        eprintln!("bench_sql: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let api_token = std::env::args()
        .skip_while(|a| a != "--token")
        .nth(1)
        .ok_or("--token is required")?;
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set")?;
    let conn = &mut PgConnection::establish(&url).map_err(|e| e.to_string())?;
    let hash = token::hash(&api_token);
    let owner = accounts::find_by_token_hash(conn, &hash)
        .map_err(|e| e.to_string())?
        .ok_or("unknown token")?;
    let listing = [
        offers::live_count_statement(owner.operator_id),
        offers::live_page_statement(owner.operator_id, PER_PAGE, 0),
    ];
    let mut statements = vec![token_lookup_sql(&hash)];
    statements.extend(listing.iter().map(|sql| sql.render_literal()));
    println!("{}", json!({ "statements": statements }));
    Ok(())
}

/// The token lookup's SQL with the hash written in.
fn token_lookup_sql(hash: &[u8]) -> String {
    let rendered =
        diesel::debug_query::<diesel::pg::Pg, _>(&accounts::token_lookup(hash)).to_string();
    let sql = rendered.split(" -- binds:").next().unwrap_or_default();
    sql.replace("$1", &format!("'\\x{}'::bytea", hex::encode(hash)))
        .replace("$2", "1")
}
