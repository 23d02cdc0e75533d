//! What the search index holds of each offer of the catalogue (published, live, with seats
//! left), read from the offers table, the source of truth.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Double, Integer, Text};

/// One offer as the search index stores it.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
pub struct SearchDocument {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// The words searched: title, description, employer description.
    #[diesel(sql_type = Text)]
    pub text: String,
    #[diesel(sql_type = Double)]
    pub latitude: f64,
    #[diesel(sql_type = Double)]
    pub longitude: f64,
    #[diesel(sql_type = BigInt)]
    pub sector_id: i64,
    #[diesel(sql_type = Text)]
    pub department: String,
    #[diesel(sql_type = Date)]
    pub last_date: NaiveDate,
    #[diesel(sql_type = Array<Integer>)]
    pub week_ids: Vec<i32>,
}

const DOCUMENT: &str = "SELECT o.id, o.title || ' ' || o.description || ' ' || coalesce(o.employer_description, '') AS text, \
     ST_Y(o.coordinates::geometry) AS latitude, ST_X(o.coordinates::geometry) AS longitude, o.sector_id, o.department, \
     o.last_date, ARRAY(SELECT w.week_id FROM internship_offer_weeks w WHERE w.internship_offer_id = o.id) AS week_ids \
     FROM internship_offers o \
     WHERE o.discarded_at IS NULL AND o.published_at IS NOT NULL AND o.approved_count < o.max_candidates";

/// The catalogue's offers among `ids` (the others are not searchable, or gone).
pub fn searchable_among(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<SearchDocument>> {
    diesel::sql_query(format!("{DOCUMENT} AND o.id = ANY($1)"))
        .bind::<Array<BigInt>, _>(ids)
        .load(conn)
}

/// At most `limit` offers of the catalogue after `after_id`, in id order (to build the index).
pub fn searchable_page(
    conn: &mut PgConnection,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<SearchDocument>> {
    diesel::sql_query(format!("{DOCUMENT} AND o.id > $1 ORDER BY o.id LIMIT $2"))
        .bind::<BigInt, _>(after_id)
        .bind::<BigInt, _>(limit)
        .load(conn)
}
