//! Idempotency keys: the first request with a key claims it, later ones replay its answer.
//! Claims go through the primary key, so instances agree on who runs a key.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Bytea, Int4, Nullable, Text};

/// How long a key is kept.
pub const KEEP_HOURS: i32 = 24;
/// How long a first request may run before a retry may take it over (a crashed instance).
pub const LOCK_SECONDS: i32 = 60;

/// What a request with a key finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The request is the first with this key (or the key expired, or its first run was
    /// abandoned): run it.
    Claimed,
    /// The key was used by another request (method, path or body).
    Reused,
    /// The first request with this key is still running.
    InUse,
    /// The first request's answer.
    Replay {
        status: u16,
        content_type: Option<String>,
        body: Vec<u8>,
    },
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Bool)]
    #[allow(dead_code)]
    claimed: bool,
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = Bytea)]
    fingerprint: Vec<u8>,
    #[diesel(sql_type = Nullable<Int4>)]
    status_code: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    content_type: Option<String>,
    #[diesel(sql_type = Nullable<Bytea>)]
    response_body: Option<Vec<u8>>,
    /// Older than its 24 hours, or a first run abandoned (its lock ran out): free to claim.
    #[diesel(sql_type = Bool)]
    free: bool,
}

/// A replay reads one row and writes nothing; only a first request (or a takeover) writes.
pub fn claim(
    conn: &mut PgConnection,
    operator_id: i64,
    key: &str,
    fingerprint: &[u8],
) -> QueryResult<Claim> {
    let stored: Option<Stored> = diesel::sql_query(
        "SELECT fingerprint, status_code, content_type, response_body, \
                created_at < now() - make_interval(hours => $4) \
                OR (status_code IS NULL AND locked_until < now() AND fingerprint = $3) AS free \
         FROM idempotency_keys WHERE operator_id = $1 AND key = $2",
    )
    .bind::<BigInt, _>(operator_id)
    .bind::<Text, _>(key)
    .bind::<Bytea, _>(fingerprint)
    .bind::<Int4, _>(KEEP_HOURS)
    .get_result(conn)
    .optional()?;
    let claimed = match stored {
        None => insert(conn, operator_id, key, fingerprint)?,
        Some(Stored { free: true, .. }) => take_over(conn, operator_id, key, fingerprint)?,
        Some(Stored { fingerprint: f, .. }) if f != fingerprint => return Ok(Claim::Reused),
        Some(Stored {
            status_code: Some(status),
            content_type,
            response_body,
            ..
        }) => {
            return Ok(Claim::Replay {
                status: u16::try_from(status).unwrap_or(500),
                content_type,
                body: response_body.unwrap_or_default(),
            });
        }
        Some(Stored { .. }) => false,
    };
    // Not claimed: another request took the key between the read and the write.
    Ok(if claimed {
        Claim::Claimed
    } else {
        Claim::InUse
    })
}

fn insert(
    conn: &mut PgConnection,
    operator_id: i64,
    key: &str,
    fingerprint: &[u8],
) -> QueryResult<bool> {
    diesel::sql_query(
        "INSERT INTO idempotency_keys (operator_id, key, fingerprint, locked_until) \
         VALUES ($1, $2, $3, now() + make_interval(secs => $4)) \
         ON CONFLICT (operator_id, key) DO NOTHING RETURNING true AS claimed",
    )
    .bind::<BigInt, _>(operator_id)
    .bind::<Text, _>(key)
    .bind::<Bytea, _>(fingerprint)
    .bind::<Int4, _>(LOCK_SECONDS)
    .get_result::<Claimed>(conn)
    .optional()
    .map(|row| row.is_some())
}

/// Claims an expired key, or one whose first run was abandoned, unless someone else just did.
fn take_over(
    conn: &mut PgConnection,
    operator_id: i64,
    key: &str,
    fingerprint: &[u8],
) -> QueryResult<bool> {
    diesel::sql_query(
        "UPDATE idempotency_keys SET fingerprint = $3, status_code = NULL, content_type = NULL, \
            response_body = NULL, locked_until = now() + make_interval(secs => $4), created_at = now() \
         WHERE operator_id = $1 AND key = $2 AND (created_at < now() - make_interval(hours => $5) \
            OR (status_code IS NULL AND locked_until < now() AND fingerprint = $3)) \
         RETURNING true AS claimed",
    )
    .bind::<BigInt, _>(operator_id)
    .bind::<Text, _>(key)
    .bind::<Bytea, _>(fingerprint)
    .bind::<Int4, _>(LOCK_SECONDS)
    .bind::<Int4, _>(KEEP_HOURS)
    .get_result::<Claimed>(conn)
    .optional()
    .map(|row| row.is_some())
}

/// Keeps the first request's answer, to replay it.
pub fn complete(
    conn: &mut PgConnection,
    operator_id: i64,
    key: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE idempotency_keys SET status_code = $3, content_type = $4, response_body = $5 \
         WHERE operator_id = $1 AND key = $2",
    )
    .bind::<BigInt, _>(operator_id)
    .bind::<Text, _>(key)
    .bind::<Int4, _>(i32::from(status))
    .bind::<Nullable<Text>, _>(content_type)
    .bind::<Bytea, _>(body)
    .execute(conn)
}

/// Forgets a key whose request failed on our side (5xx): a retry runs it again.
pub fn release(conn: &mut PgConnection, operator_id: i64, key: &str) -> QueryResult<usize> {
    diesel::sql_query("DELETE FROM idempotency_keys WHERE operator_id = $1 AND key = $2")
        .bind::<BigInt, _>(operator_id)
        .bind::<Text, _>(key)
        .execute(conn)
}

/// Deletes the keys older than their 24 hours.
pub fn trim(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)",
    )
    .bind::<Int4, _>(KEEP_HOURS)
    .execute(conn)
}
