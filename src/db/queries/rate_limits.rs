//! The rate limit counters (`rate_limit_hits`): one row per subject and class of route, to
//! which every instance adds what it counted (see `auth::rate_counter`).

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Text};

use crate::domain::rate_limit::RouteClass;

/// What an instance counted for a subject in a window.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    pub subject: String,
    pub class: RouteClass,
    /// Seconds since the epoch.
    pub window_start: i64,
    pub hits: u32,
}

/// Every instance's total for a subject, in the latest window known.
#[derive(Debug, QueryableByName)]
pub struct Total {
    #[diesel(sql_type = Text)]
    pub subject: String,
    #[diesel(sql_type = Text)]
    pub route_class: String,
    #[diesel(sql_type = BigInt)]
    pub window_start: i64,
    #[diesel(sql_type = Integer)]
    hits: i32,
}

impl Total {
    pub fn hits(&self) -> u32 {
        u32::try_from(self.hits).unwrap_or(0)
    }
}

/// Adds counts (a later window replaces an earlier one; an earlier one adds nothing); the
/// totals. A subject with nothing to add is only read: no row version is written for it.
pub fn add(conn: &mut PgConnection, added: &[Added]) -> QueryResult<Vec<Total>> {
    let subjects: Vec<&str> = added.iter().map(|a| a.subject.as_str()).collect();
    let classes: Vec<&str> = added.iter().map(|a| a.class.as_str()).collect();
    let windows: Vec<i64> = added.iter().map(|a| a.window_start).collect();
    let hits: Vec<i32> = added
        .iter()
        .map(|a| i32::try_from(a.hits).unwrap_or(i32::MAX))
        .collect();
    diesel::sql_query(
        "WITH sent AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[]) AS t(s, c, w, n)), \
         added AS ( \
           INSERT INTO rate_limit_hits AS h (subject, route_class, window_start, hits) \
           SELECT s, c, to_timestamp(w), n FROM sent WHERE n > 0 \
           ON CONFLICT (subject, route_class) DO UPDATE SET \
             hits = CASE WHEN h.window_start = excluded.window_start THEN h.hits + excluded.hits \
                         WHEN h.window_start < excluded.window_start THEN excluded.hits \
                         ELSE h.hits END, \
             window_start = greatest(h.window_start, excluded.window_start) \
           RETURNING subject, route_class, window_start, hits) \
         SELECT subject, route_class, extract(epoch FROM window_start)::bigint AS window_start, hits FROM added \
         UNION ALL \
         SELECT h.subject, h.route_class, extract(epoch FROM h.window_start)::bigint, h.hits \
         FROM rate_limit_hits h JOIN sent ON h.subject = sent.s AND h.route_class = sent.c \
         WHERE sent.n = 0",
    )
    .bind::<Array<Text>, _>(subjects)
    .bind::<Array<Text>, _>(classes)
    .bind::<Array<BigInt>, _>(windows)
    .bind::<Array<Integer>, _>(hits)
    .load(conn)
}

/// Deletes the counters of windows that ended more than an hour ago.
pub fn trim(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM rate_limit_hits WHERE window_start < now() - interval '1 hour'")
        .execute(conn)
}
