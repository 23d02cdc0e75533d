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

/// An attempt as counted: its number in the window, and the lock running on its subject.
#[derive(Debug, QueryableByName)]
pub struct Attempt {
    #[diesel(sql_type = Int4)]
    pub number: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    pub locked_until: Option<DateTime<Utc>>,
}

impl Attempt {
    /// The end of the lock that refuses this attempt, if one is running.
    pub fn refused_until(&self) -> Option<DateTime<Utc>> {
        self.locked_until.filter(|until| *until > Utc::now())
    }
}

/// Counts one sign-in attempt for `subject` within a window of `window_secs`, before its
/// password is checked. Concurrent attempts are serialised on the row: each gets its own
/// number, and each sees a lock set before it.
pub fn count_attempt(
    conn: &mut PgConnection,
    subject: &str,
    window_secs: i32,
) -> QueryResult<Attempt> {
    diesel::sql_query(
        "INSERT INTO sign_in_throttles AS t (subject, failures, window_started_at)
         VALUES ($1, 1, now())
         ON CONFLICT (subject) DO UPDATE SET
           failures = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                           THEN 1 ELSE t.failures + 1 END,
           window_started_at = CASE WHEN t.window_started_at < now() - make_interval(secs => $2)
                                    THEN now() ELSE t.window_started_at END
         RETURNING failures AS number, locked_until",
    )
    .bind::<Text, _>(subject)
    .bind::<Int4, _>(window_secs)
    .get_result(conn)
}

/// Locks `subject` for `lock_secs` (a lock already running is kept) and starts a new count;
/// returns the end of the lock.
pub fn lock(conn: &mut PgConnection, subject: &str, lock_secs: i32) -> QueryResult<DateTime<Utc>> {
    diesel::update(sign_in_throttles::table.find(subject))
        .set((
            sign_in_throttles::locked_until.eq(diesel::dsl::sql::<
                diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>,
            >(
                "greatest(locked_until, now() + make_interval(secs => ",
            )
            .bind::<Int4, _>(lock_secs)
            .sql("))")),
            sign_in_throttles::failures.eq(0),
            sign_in_throttles::window_started_at.eq(diesel::dsl::now),
        ))
        .returning(sign_in_throttles::locked_until)
        .get_result::<Option<DateTime<Utc>>>(conn)
        .map(|until| until.unwrap_or_else(Utc::now))
}

/// Gives back an attempt that was no wrong guess (a sign-in that succeeded, or one whose
/// password could not be checked).
pub fn give_back_attempt(conn: &mut PgConnection, subject: &str) -> QueryResult<usize> {
    diesel::update(sign_in_throttles::table.find(subject))
        .set(sign_in_throttles::failures.eq(diesel::dsl::sql::<Int4>("greatest(failures - 1, 0)")))
        .execute(conn)
}

/// Deletes a few counts whose window ended a day ago and whose lock is over, so that the table
/// stays small whatever addresses an attacker tries.
pub fn forget_old(conn: &mut PgConnection) -> QueryResult<usize> {
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
