//! The catalogue search (place, keyword, sectors, weeks), written as SQL so that the benchmark
//! can run exactly the same statements through pgbench (`Sql::render_literal`).

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::models::{Count, ListedOffer};
use crate::db::sql::{Bind, Sql};
pub use crate::domain::geo::Near;

/// The listed columns of an offer `o`; the sector name is looked up for the rows of the page only.
pub const LISTED_COLUMNS: &str = "o.id, o.title, o.description, o.employer_name, o.city, o.first_date, o.last_date, \
     ST_Y(o.coordinates::geometry) AS latitude, ST_X(o.coordinates::geometry) AS longitude, \
     (SELECT s.name FROM sectors s WHERE s.id = o.sector_id) AS sector, o.handicap_accessible";

/// What the catalogue search filters on; empty vectors mean "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchFilters {
    pub near: Option<Near>,
    /// A `to_tsquery` expression of prefix terms, e.g. `cuisine:* & chef:*`.
    pub tsquery: Option<String>,
    pub sector_ids: Vec<i64>,
    pub week_ids: Vec<i32>,
    /// At most this many offers are considered (the nearest, or the newest): totals above
    /// it are reported as this value and pages stop there (see doc/performance.md).
    pub result_cap: i64,
}

/// The default `result_cap` (setting `SEARCH_RESULT_CAP`).
pub const DEFAULT_SEARCH_RESULT_CAP: i64 = 1000;

/// How a search walks the offers, keeps them and orders the page.
struct SearchShape {
    wheres: Vec<Sql>,
    /// The order in which candidates are collected (an index order, so that the scan stops early).
    walk: Sql,
    /// The per-candidate value the page is ordered on (distance, relevance or id).
    sort_key: Sql,
    /// Candidates to keep (true, or the radius when it is not in the WHERE clause).
    visible: Sql,
    /// The page order, on `c.sort_key` and `c.id`.
    display: &'static str,
}

fn search_shape(filters: &SearchFilters) -> SearchShape {
    let mut shape = SearchShape {
        wheres: [
            "o.discarded_at IS NULL",
            "o.published_at IS NOT NULL",
            "o.last_date >= CURRENT_DATE",
            "o.approved_count < o.max_candidates",
        ]
        .map(Sql::new)
        .to_vec(),
        walk: Sql::new("o.id DESC"),
        sort_key: Sql::new("o.id::float8"),
        visible: Sql::new("true"),
        display: "c.id DESC",
    };
    if let Some(near) = filters.near {
        shape.near(near, filters);
    }
    if let Some(tsquery) = &filters.tsquery {
        let query = Sql::new("to_tsquery('public.monstage_fr', ")
            .bind(Bind::Text(tsquery.clone()))
            .push(")");
        shape
            .wheres
            .push(Sql::new("o.search_tsv @@ ").append(&query));
        if filters.near.is_none() {
            shape.sort_key = Sql::new("ts_rank(o.search_tsv, ").append(&query).push(")");
            shape.display = "c.sort_key DESC, c.id DESC";
        }
    }
    if !filters.sector_ids.is_empty() {
        shape.wheres.push(
            Sql::new("o.sector_id = ANY(")
                .bind(Bind::Ints(filters.sector_ids.clone()))
                .push(")"),
        );
    }
    if !filters.week_ids.is_empty() {
        shape.wheres.push(
            Sql::new("EXISTS (SELECT 1 FROM internship_offer_weeks w WHERE w.internship_offer_id = o.id AND w.week_id = ANY(")
                .bind(Bind::Int4s(filters.week_ids.clone()))
                .push("))"),
        );
    }
    shape
}

impl SearchShape {
    fn near(&mut self, near: Near, filters: &SearchFilters) {
        let point = Sql::new("ST_SetSRID(ST_MakePoint(")
            .bind(Bind::Float(near.longitude))
            .push(", ")
            .bind(Bind::Float(near.latitude))
            .push("), 4326)::geography");
        let radius = Sql::default().bind(Bind::Float(near.radius_m));
        // `<->` is the distance on the sphere, walked nearest first by the GiST index.
        self.walk = Sql::new("o.coordinates <-> ").append(&point);
        self.sort_key = self.walk.clone();
        self.display = "c.sort_key, c.id DESC";
        let only_place = filters.tsquery.is_none()
            && filters.sector_ids.is_empty()
            && filters.week_ids.is_empty();
        if only_place {
            // Nothing else to filter on: the nearest offers are the candidates, and the radius
            // is applied to them (a bitmap of every offer in the radius would cost far more).
            self.visible = Sql::new("c.sort_key <= ").append(&radius);
        } else {
            self.wheres.push(
                Sql::new("ST_DWithin(o.coordinates, ")
                    .append(&point)
                    .push(", ")
                    .append(&radius)
                    .push(", false)"),
            );
        }
    }

    /// The candidates of a search: at most `result_cap` offers, in the walk order.
    fn candidates(&self, result_cap: i64) -> Sql {
        Sql::new(
            "WITH candidates AS MATERIALIZED (SELECT o.id, o.title, o.description, o.employer_name, o.city, \
             o.first_date, o.last_date, o.coordinates, o.sector_id, o.handicap_accessible, ",
        )
        .append(&self.sort_key)
        .push(" AS sort_key FROM internship_offers o WHERE ")
        .append(&Sql::join(&self.wheres, " AND "))
        .push(" ORDER BY ")
        .append(&self.walk)
        .push(" LIMIT ")
        .bind(Bind::Int(result_cap))
        .push(")")
    }
}

/// One page of the catalogue search, each row carrying the (capped) total.
pub fn search_page_statement(filters: &SearchFilters, limit: i64, offset: i64) -> Sql {
    let shape = search_shape(filters);
    shape
        .candidates(filters.result_cap)
        .push(" SELECT (SELECT count(*) FROM candidates c WHERE ")
        .append(&shape.visible)
        .push(
            ") AS total, c.id, c.title, c.description, c.employer_name, c.city, c.first_date, c.last_date, \
             ST_Y(c.coordinates::geometry) AS latitude, ST_X(c.coordinates::geometry) AS longitude, \
             (SELECT s.name FROM sectors s WHERE s.id = c.sector_id) AS sector, c.handicap_accessible \
             FROM candidates c WHERE ",
        )
        .append(&shape.visible)
        .push(&format!(" ORDER BY {} LIMIT ", shape.display))
        .bind(Bind::Int(limit))
        .push(" OFFSET ")
        .bind(Bind::Int(offset))
}

/// The (capped) number of offers a search finds, for pages past the end.
pub fn search_count_statement(filters: &SearchFilters) -> Sql {
    let shape = search_shape(filters);
    shape
        .candidates(filters.result_cap)
        .push(" SELECT count(*) AS count FROM candidates c WHERE ")
        .append(&shape.visible)
}

#[derive(QueryableByName)]
struct SearchRow {
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(embed)]
    offer: ListedOffer,
}

/// One page of search results and the (capped) total, in one statement when the page has rows.
pub fn search(
    conn: &mut PgConnection,
    filters: &SearchFilters,
    limit: i64,
    offset: i64,
) -> QueryResult<(i64, Vec<ListedOffer>)> {
    let rows: Vec<SearchRow> = search_page_statement(filters, limit, offset)
        .query()
        .load(conn)?;
    match rows.first() {
        Some(first) => Ok((first.total, rows.into_iter().map(|row| row.offer).collect())),
        None if offset == 0 => Ok((0, vec![])),
        None => Ok((
            search_count_statement(filters)
                .query()
                .get_result::<Count>(conn)?
                .count,
            vec![],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_values_in_place_of_placeholders() {
        let filters = SearchFilters {
            near: Some(Near {
                latitude: 48.85,
                longitude: 2.35,
                radius_m: 10_000.0,
            }),
            tsquery: Some("l'eau:*".into()),
            sector_ids: vec![3, 4],
            week_ids: vec![],
            result_cap: DEFAULT_SEARCH_RESULT_CAP,
        };
        let rendered = search_page_statement(&filters, 30, 0).render_literal();
        assert!(rendered.contains("ST_MakePoint(2.35, 48.85)"), "{rendered}");
        assert!(
            rendered.contains("to_tsquery('public.monstage_fr', 'l''eau:*')"),
            "{rendered}"
        );
        assert!(
            rendered.contains("ANY('{3,4}'::bigint[])") && rendered.ends_with("LIMIT 30 OFFSET 0"),
            "{rendered}"
        );
        assert!(!rendered.contains('$'));
    }
}
