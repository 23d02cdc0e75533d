//! Listings of offers: a partner's own offers, and the catalogue search (geo, keyword,
//! sectors, weeks). Written as SQL so that the benchmark can run exactly the same
//! statements through pgbench (see `Statement::render_literal` and bench/).

use chrono::NaiveDate;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{Array, BigInt, Date, Double, Integer, Text};

/// One offer as listings show it.
#[derive(Debug, Clone, QueryableByName)]
pub struct ListedOffer {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Text)]
    pub employer_name: String,
    #[diesel(sql_type = Text)]
    pub city: String,
    #[diesel(sql_type = Date)]
    pub first_date: NaiveDate,
    #[diesel(sql_type = Date)]
    pub last_date: NaiveDate,
    #[diesel(sql_type = Double)]
    pub latitude: f64,
    #[diesel(sql_type = Double)]
    pub longitude: f64,
    #[diesel(sql_type = Text)]
    pub sector: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub handicap_accessible: bool,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// A value bound to a `$n` placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Int(i64),
    Float(f64),
    Text(String),
    Ints(Vec<i64>),
    Int4s(Vec<i32>),
}

/// An SQL statement with its `$1…$n` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl Statement {
    fn push(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    fn boxed(&self) -> BoxedSqlQuery<'static, Pg, diesel::query_builder::SqlQuery> {
        let mut query = diesel::sql_query(self.sql.clone()).into_boxed::<Pg>();
        for bind in &self.binds {
            query = match bind.clone() {
                Bind::Int(v) => query.bind::<BigInt, _>(v),
                Bind::Float(v) => query.bind::<Double, _>(v),
                Bind::Text(v) => query.bind::<Text, _>(v),
                Bind::Ints(v) => query.bind::<Array<BigInt>, _>(v),
                Bind::Int4s(v) => query.bind::<Array<Integer>, _>(v),
            };
        }
        query
    }

    /// The statement with its values written in, for pgbench and EXPLAIN.
    pub fn render_literal(&self) -> String {
        let mut sql = self.sql.clone();
        for (i, bind) in self.binds.iter().enumerate().rev() {
            let literal = match bind {
                Bind::Int(v) => v.to_string(),
                Bind::Float(v) => format!("{v:?}"),
                Bind::Text(v) => format!("'{}'", v.replace('\'', "''")),
                Bind::Ints(v) => format!(
                    "'{{{}}}'::bigint[]",
                    v.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
                ),
                Bind::Int4s(v) => format!(
                    "'{{{}}}'::int[]",
                    v.iter().map(i32::to_string).collect::<Vec<_>>().join(",")
                ),
            };
            sql = sql.replace(&format!("${}", i + 1), &literal);
        }
        sql
    }
}

/// The listed columns; the sector name is looked up for the rows of the page only.
const LISTED_COLUMNS: &str = "o.id, o.title, o.description, o.employer_name, o.city, o.first_date, o.last_date, \
     ST_Y(o.coordinates::geometry) AS latitude, ST_X(o.coordinates::geometry) AS longitude, \
     (SELECT s.name FROM sectors s WHERE s.id = o.sector_id) AS sector, o.handicap_accessible";

/// One page of an operator's live offers, newest first.
pub fn operator_page_statement(operator_id: i64, limit: i64, offset: i64) -> Statement {
    let mut st = Statement {
        sql: String::new(),
        binds: vec![],
    };
    let (op, lim, off) = (
        st.push(Bind::Int(operator_id)),
        st.push(Bind::Int(limit)),
        st.push(Bind::Int(offset)),
    );
    st.sql = format!(
        "SELECT {LISTED_COLUMNS} FROM internship_offers o \
         WHERE o.operator_id = {op} AND o.discarded_at IS NULL ORDER BY o.id DESC LIMIT {lim} OFFSET {off}"
    );
    st
}

pub fn operator_count_statement(operator_id: i64) -> Statement {
    Statement {
        sql: "SELECT count(*) AS count FROM internship_offers o WHERE o.operator_id = $1 AND o.discarded_at IS NULL"
            .into(),
        binds: vec![Bind::Int(operator_id)],
    }
}

/// A search point and radius in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: f64,
}

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
    wheres: Vec<String>,
    /// The order in which candidates are collected (an index order, so that the scan stops early).
    walk: String,
    /// The per-candidate value the page is ordered on (distance, relevance or id).
    sort_key: String,
    /// Candidates to keep (true, or the radius when it is not in the WHERE clause).
    visible: String,
    /// The page order, on `c.sort_key` and `c.id`.
    display: &'static str,
}

fn search_shape(st: &mut Statement, filters: &SearchFilters) -> SearchShape {
    let mut shape = SearchShape {
        wheres: vec![
            "o.discarded_at IS NULL".to_owned(),
            "o.published_at IS NOT NULL".to_owned(),
            "o.last_date >= CURRENT_DATE".to_owned(),
            "o.approved_count < o.max_candidates".to_owned(),
        ],
        walk: "o.id DESC".to_owned(),
        sort_key: "o.id::float8".to_owned(),
        visible: "true".to_owned(),
        display: "c.id DESC",
    };
    let only_place =
        filters.tsquery.is_none() && filters.sector_ids.is_empty() && filters.week_ids.is_empty();
    if let Some(near) = filters.near {
        let (lon, lat) = (
            st.push(Bind::Float(near.longitude)),
            st.push(Bind::Float(near.latitude)),
        );
        let radius = st.push(Bind::Float(near.radius_m));
        let point = format!("ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography");
        // `<->` is the distance on the sphere, walked nearest first by the GiST index.
        shape.walk = format!("o.coordinates <-> {point}");
        shape.sort_key = shape.walk.clone();
        shape.display = "c.sort_key, c.id DESC";
        if only_place {
            // Nothing else to filter on: the nearest offers are the candidates, and the radius
            // is applied to them (a bitmap of every offer in the radius would cost far more).
            shape.visible = format!("c.sort_key <= {radius}");
        } else {
            shape.wheres.push(format!(
                "ST_DWithin(o.coordinates, {point}, {radius}, false)"
            ));
        }
    }
    if let Some(tsquery) = &filters.tsquery {
        let q = st.push(Bind::Text(tsquery.clone()));
        shape.wheres.push(format!(
            "o.search_tsv @@ to_tsquery('public.monstage_fr', {q})"
        ));
        if filters.near.is_none() {
            shape.sort_key =
                format!("ts_rank(o.search_tsv, to_tsquery('public.monstage_fr', {q}))");
            shape.display = "c.sort_key DESC, c.id DESC";
        }
    }
    if !filters.sector_ids.is_empty() {
        let ids = st.push(Bind::Ints(filters.sector_ids.clone()));
        shape.wheres.push(format!("o.sector_id = ANY({ids})"));
    }
    if !filters.week_ids.is_empty() {
        let ids = st.push(Bind::Int4s(filters.week_ids.clone()));
        shape.wheres.push(format!(
            "EXISTS (SELECT 1 FROM internship_offer_weeks w WHERE w.internship_offer_id = o.id AND w.week_id = ANY({ids}))"
        ));
    }
    shape
}

/// The candidates of a search: at most `result_cap` offers, in the walk order.
fn candidates_cte(st: &mut Statement, shape: &SearchShape, result_cap: i64) -> String {
    let cap = st.push(Bind::Int(result_cap));
    format!(
        "WITH candidates AS MATERIALIZED (SELECT o.id, o.title, o.description, o.employer_name, o.city, \
         o.first_date, o.last_date, o.coordinates, o.sector_id, o.handicap_accessible, {} AS sort_key \
         FROM internship_offers o WHERE {} ORDER BY {} LIMIT {cap})",
        shape.sort_key,
        shape.wheres.join(" AND "),
        shape.walk
    )
}

/// One page of the catalogue search, each row carrying the (capped) total.
pub fn search_page_statement(filters: &SearchFilters, limit: i64, offset: i64) -> Statement {
    let mut st = Statement {
        sql: String::new(),
        binds: vec![],
    };
    let shape = search_shape(&mut st, filters);
    let cte = candidates_cte(&mut st, &shape, filters.result_cap);
    let (lim, off) = (st.push(Bind::Int(limit)), st.push(Bind::Int(offset)));
    st.sql = format!(
        "{cte} SELECT (SELECT count(*) FROM candidates c WHERE {visible}) AS total, c.id, c.title, c.description, \
         c.employer_name, c.city, c.first_date, c.last_date, ST_Y(c.coordinates::geometry) AS latitude, \
         ST_X(c.coordinates::geometry) AS longitude, (SELECT s.name FROM sectors s WHERE s.id = c.sector_id) AS sector, \
         c.handicap_accessible FROM candidates c WHERE {visible} ORDER BY {display} LIMIT {lim} OFFSET {off}",
        visible = shape.visible,
        display = shape.display,
    );
    st
}

/// The (capped) number of offers a search finds, for pages past the end.
pub fn search_count_statement(filters: &SearchFilters) -> Statement {
    let mut st = Statement {
        sql: String::new(),
        binds: vec![],
    };
    let shape = search_shape(&mut st, filters);
    let cte = candidates_cte(&mut st, &shape, filters.result_cap);
    st.sql = format!(
        "{cte} SELECT count(*) AS count FROM candidates c WHERE {}",
        shape.visible
    );
    st
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
        .boxed()
        .load(conn)?;
    match rows.first() {
        Some(first) => Ok((first.total, rows.into_iter().map(|row| row.offer).collect())),
        None if offset == 0 => Ok((0, vec![])),
        None => Ok((
            search_count_statement(filters)
                .boxed()
                .get_result::<Count>(conn)?
                .count,
            vec![],
        )),
    }
}

/// Runs a count statement and then, when the page is not past the end, the page statement.
pub fn count_and_page(
    conn: &mut PgConnection,
    count: &Statement,
    page: &Statement,
    offset: i64,
) -> QueryResult<(i64, Vec<ListedOffer>)> {
    let total = count.boxed().get_result::<Count>(conn)?.count;
    if offset >= total {
        return Ok((total, vec![]));
    }
    Ok((total, page.boxed().load::<ListedOffer>(conn)?))
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
