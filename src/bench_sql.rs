//! `monstage bench-sql`: the SQL statements the server runs for one request, with their
//! values written in, so that the benchmark's pgbench runs exactly the same work.

use diesel::PgConnection;
use serde_json::{Value, json};

use crate::api::offers::search::SearchParams;
use crate::api::pagination::PER_PAGE;
use crate::db::queries::{accounts, catalogue};
use crate::params;
use crate::secrets::token;

/// The statements of `GET /api/internship_offers` (my offers, page 1: token, count, page) or, with `search_query`
/// (a query string), of `GET /api/internship_offers/search?<search_query>` (token, page with total).
pub fn statements(
    conn: &mut PgConnection,
    api_token: &str,
    search_query: Option<&str>,
    result_cap: i64,
) -> Result<Value, String> {
    let hash = token::hash(api_token);
    let owner = accounts::find_by_token_hash(conn, &hash)
        .map_err(|e| e.to_string())?
        .ok_or("unknown token")?;
    let listing = match search_query {
        None => vec![
            catalogue::operator_count_statement(owner.operator_id),
            catalogue::operator_page_statement(owner.operator_id, PER_PAGE, 0),
        ],
        Some(query) => {
            let params = params::parse_form(query.as_bytes()).map_err(|e| e.to_string())?;
            let filters = SearchParams::read(&params)
                .and_then(|search| search.filters(conn, result_cap))
                .map_err(|e| {
                    format!(
                        "{}: {}",
                        e.code(),
                        serde_json::to_string(&e.body().error).unwrap_or_default()
                    )
                })?;
            vec![catalogue::search_page_statement(&filters, PER_PAGE, 0)]
        }
    };
    let mut statements = vec![accounts::token_lookup_sql(&hash)];
    statements.extend(listing.iter().map(catalogue::Statement::render_literal));
    Ok(json!({ "statements": statements }))
}
