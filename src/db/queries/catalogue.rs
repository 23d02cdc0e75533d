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
}

/// Searches never count past this many offers: totals above it are reported as this value,
/// and pages stop there (see doc/performance.md).
pub const SEARCH_RESULT_CAP: i64 = 1000;

/// The WHERE clause and ORDER BY of a search, pushing their values onto `st`.
fn search_clauses(st: &mut Statement, filters: &SearchFilters) -> (String, String) {
    let mut wheres = vec![
        "o.discarded_at IS NULL".to_owned(),
        "o.published_at IS NOT NULL".to_owned(),
        "o.last_date >= CURRENT_DATE".to_owned(),
    ];
    let mut order = "o.id DESC".to_owned();
    if let Some(near) = filters.near {
        let (lon, lat, radius) = (
            st.push(Bind::Float(near.longitude)),
            st.push(Bind::Float(near.latitude)),
            st.push(Bind::Float(near.radius_m)),
        );
        let point = format!("ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography");
        // On the sphere, as `<->` measures: 5× cheaper than the spheroid, within 0.3 %.
        wheres.push(format!("ST_DWithin(o.coordinates, {point}, {radius}, false)"));
        order = format!("o.coordinates <-> {point}");
    }
    if let Some(tsquery) = &filters.tsquery {
        let q = st.push(Bind::Text(tsquery.clone()));
        wheres.push(format!(
            "o.search_tsv @@ to_tsquery('public.monstage_fr', {q})"
        ));
        if filters.near.is_none() {
            order = format!(
                "ts_rank(o.search_tsv, to_tsquery('public.monstage_fr', {q})) DESC, o.id DESC"
            );
        }
    }
    if !filters.sector_ids.is_empty() {
        let ids = st.push(Bind::Ints(filters.sector_ids.clone()));
        wheres.push(format!("o.sector_id = ANY({ids})"));
    }
    if !filters.week_ids.is_empty() {
        let ids = st.push(Bind::Int4s(filters.week_ids.clone()));
        wheres.push(format!(
            "EXISTS (SELECT 1 FROM internship_offer_weeks w WHERE w.internship_offer_id = o.id AND w.week_id = ANY({ids}))"
        ));
    }
    (wheres.join(" AND "), order)
}

/// One page of the catalogue search.
pub fn search_page_statement(filters: &SearchFilters, limit: i64, offset: i64) -> Statement {
    let mut st = Statement {
        sql: String::new(),
        binds: vec![],
    };
    let (wheres, order) = search_clauses(&mut st, filters);
    let (lim, off) = (st.push(Bind::Int(limit)), st.push(Bind::Int(offset)));
    st.sql = format!(
        "SELECT {LISTED_COLUMNS} FROM internship_offers o \
         WHERE {wheres} ORDER BY {order} LIMIT {lim} OFFSET {off}"
    );
    st
}

/// How many offers match, counted up to `SEARCH_RESULT_CAP` (walking the index in the
/// page's order so that the scan stops early).
pub fn search_count_statement(filters: &SearchFilters) -> Statement {
    let mut st = Statement {
        sql: String::new(),
        binds: vec![],
    };
    let (wheres, order) = search_clauses(&mut st, filters);
    let order = if filters.near.is_some() {
        order
    } else {
        "o.id DESC".to_owned()
    };
    let cap = st.push(Bind::Int(SEARCH_RESULT_CAP));
    st.sql = format!(
        "SELECT count(*) AS count FROM (SELECT 1 FROM internship_offers o WHERE {wheres} ORDER BY {order} LIMIT {cap}) AS matched"
    );
    st
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
