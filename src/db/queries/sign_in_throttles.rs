//! Failed sign-ins per subject (`email:…` or `ip:…`) and the locks they lead to.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Int4, Text};

use crate::db::schema::sign_in_throttles;

/// The latest end of a lock on any of these subjects, if one is still running.
pub fn locked_until(
    conn: &mut PgConnection,
    subjects: &[String],
) -> QueryResult<Option<DateTime<Utc>>> {
    sign_in_throttles::table
        .filter(sign_in_throttles::subject.eq_any(subjects))
        .filter(sign_in_throttles::locked_until.gt(Utc::now()))
        .select(diesel::dsl::max(sign_in_throttles::locked_until))
        .first::<Option<DateTime<Utc>>>(conn)
}

/// Counts one failure for `subject` within a window of `window_secs`; the failure that
/// reaches `limit` locks the subject for `lock_secs` and starts a new count.
pub fn record_failure(
    conn: &mut PgConnection,
    subject: &str,
    limit: i32,
    window_secs: i32,
    lock_secs: i32,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO sign_in_throttles AS t (subject, failures, window_started_at)
         VALUES ($1, 1, now())
         ON CONFLICT (subject) DO UPDATE SET
           failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                           THEN 1 ELSE t.failures + 1 END,
           window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                                    THEN now() ELSE t.window_started_at END",
    )
    .bind::<Text, _>(subject)
    .bind::<Int4, _>(window_secs)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE sign_in_throttles
         SET locked_until = now() + make_interval(secs => $2), failures = 0,
             window_started_at = now()
         WHERE subject = $1 AND failures >= $3",
    )
    .bind::<Text, _>(subject)
    .bind::<Int4, _>(lock_secs)
    .bind::<Int4, _>(limit)
    .execute(conn)?;
    forget_old(conn)?;
    Ok(())
}

/// Deletes a few counts whose window ended a day ago and whose lock is over, so that the table
/// stays small whatever addresses an attacker tries.
fn forget_old(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM sign_in_throttles WHERE subject IN (
           SELECT subject FROM sign_in_throttles
           WHERE window_started_at < now() - interval '1 day'
             AND (locked_until IS NULL OR locked_until < now())
           LIMIT 100)",
    )
    .execute(conn)
}

/// Forgets the failures of `subject` (after a successful sign-in).
pub fn clear(conn: &mut PgConnection, subject: &str) -> QueryResult<usize> {
    diesel::delete(sign_in_throttles::table.find(subject)).execute(conn)
}
