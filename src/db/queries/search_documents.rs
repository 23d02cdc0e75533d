//! What the search index holds of each offer of the catalogue (published, live, with seats
//! left), read from the offers table, the source of truth.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Text};

use super::offers::LISTED_COLUMNS;
use crate::db::models::ListedOffer;

/// One offer as the search index holds it: what searches match on, and its listing (a search
/// page is read from the index).
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct SearchDocument {
    #[diesel(embed)]
    pub listing: ListedOffer,
    /// The words searched: title, description, employer description.
    #[diesel(sql_type = Text)]
    pub text: String,
    #[diesel(sql_type = BigInt)]
    pub sector_id: i64,
    #[diesel(sql_type = Text)]
    pub department: String,
    #[diesel(sql_type = Array<Integer>)]
    pub week_ids: Vec<i32>,
}

fn document_query(condition: &str) -> String {
    format!(
        "SELECT {LISTED_COLUMNS}, o.title || ' ' || o.description || ' ' || coalesce(o.employer_description, '') AS text, \
         o.sector_id, o.department, \
         ARRAY(SELECT w.week_id FROM internship_offer_weeks w WHERE w.internship_offer_id = o.id) AS week_ids \
         FROM internship_offers o \
         WHERE o.discarded_at IS NULL AND o.published_at IS NOT NULL AND o.approved_count < o.max_candidates \
         AND {condition}"
    )
}

/// The catalogue's offers among `ids` (the others are not searchable, or gone).
pub fn searchable_among(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<SearchDocument>> {
    diesel::sql_query(document_query("o.id = ANY($1)"))
        .bind::<Array<BigInt>, _>(ids)
        .load(conn)
}

/// At most `limit` offers of the catalogue after `after_id`, in id order (to build the index).
pub fn searchable_page(
    conn: &mut PgConnection,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<SearchDocument>> {
    diesel::sql_query(document_query("o.id > $1 ORDER BY o.id LIMIT $2"))
        .bind::<BigInt, _>(after_id)
        .bind::<BigInt, _>(limit)
        .load(conn)
}
