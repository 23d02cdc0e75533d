//! The rate limit counters (`rate_limit_hits`): one row per subject and class of route, shared
//! by every instance.

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = Integer)]
    hits: i32,
    #[diesel(sql_type = Integer)]
    reset_secs: i32,
}

/// Counts one request of `subject` in the current window of `window_secs` (windows are aligned
/// on the clock, so every instance agrees); the requests counted so far in it, this one
/// included, and the seconds until it ends.
pub fn hit(
    conn: &mut PgConnection,
    subject: &str,
    route_class: &str,
    window_secs: u32,
) -> QueryResult<(u32, u32)> {
    let window = i32::try_from(window_secs).unwrap_or(i32::MAX).max(1);
    let hit: Hit = diesel::sql_query(
        "INSERT INTO rate_limit_hits AS h (subject, route_class, window_start, hits) \
         VALUES ($1, $2, to_timestamp(floor(extract(epoch FROM now()) / $3) * $3), 1) \
         ON CONFLICT (subject, route_class) DO UPDATE \
           SET hits = CASE WHEN h.window_start = excluded.window_start THEN h.hits + 1 ELSE 1 END, \
               window_start = excluded.window_start \
         RETURNING hits, \
           greatest(1, ceil(extract(epoch FROM window_start - now()) + $3))::int AS reset_secs",
    )
    .bind::<Text, _>(subject)
    .bind::<Text, _>(route_class)
    .bind::<Integer, _>(window)
    .get_result(conn)?;
    let positive = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok((positive(hit.hits), positive(hit.reset_secs)))
}

/// Deletes the counters of windows that ended more than an hour ago.
pub fn trim(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM rate_limit_hits WHERE window_start < now() - interval '1 hour'")
        .execute(conn)
}
