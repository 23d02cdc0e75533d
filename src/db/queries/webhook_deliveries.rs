//! Deliveries of webhook events: claimed by workers (once between instances), their tries
//! recorded, listed and replayed for the operator they belong to.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{
    BigInt, Bytea, Int4, Interval, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
};
use uuid::Uuid;

/// A delivery claimed for a try: the event and where it goes.
#[derive(Debug, Clone, QueryableByName)]
pub struct DueDelivery {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Int4)]
    pub attempts: i32,
    #[diesel(sql_type = BigInt)]
    pub subscription_id: i64,
    #[diesel(sql_type = Text)]
    pub url: String,
    #[diesel(sql_type = Bytea)]
    pub secret_sealed: Vec<u8>,
    #[diesel(sql_type = Nullable<Bytea>)]
    pub previous_secret_sealed: Option<Vec<u8>>,
    #[diesel(sql_type = SqlUuid)]
    pub event_id: Uuid,
    #[diesel(sql_type = Text)]
    pub event_type: String,
    #[diesel(sql_type = Jsonb)]
    pub data: serde_json::Value,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// Claims at most `limit` due deliveries of active subscriptions, skipping those another
/// worker holds, and leases them for `lease_secs` (a worker that dies mid-try leaves them to
/// be tried again once the lease is over).
pub fn claim_due(
    conn: &mut PgConnection,
    limit: i64,
    lease_secs: i32,
) -> QueryResult<Vec<DueDelivery>> {
    diesel::sql_query(
        "WITH due AS ( \
            SELECT d.id FROM webhook_deliveries d \
            WHERE d.status = 'pending' AND d.next_attempt_at <= now() \
            ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED), \
         leased AS ( \
            UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2) \
            FROM due WHERE d.id = due.id RETURNING d.id, d.attempts, d.subscription_id, d.event_id) \
         SELECT l.id, l.attempts, l.subscription_id, s.url, s.secret_sealed, \
                CASE WHEN s.previous_secret_until > now() THEN s.previous_secret_sealed END AS previous_secret_sealed, \
                e.id AS event_id, e.type AS event_type, e.data, e.created_at \
         FROM leased l JOIN webhook_subscriptions s ON s.id = l.subscription_id \
         JOIN webhook_events e ON e.id = l.event_id",
    )
    .bind::<BigInt, _>(limit)
    .bind::<Int4, _>(lease_secs)
    .load(conn)
}

/// Makes deliveries claimed by a stopping instance due at once (still pending ones only).
pub fn hand_back(conn: &mut PgConnection, delivery_ids: &[i64]) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE webhook_deliveries SET next_attempt_at = now() \
         WHERE id = ANY($1) AND status = 'pending'",
    )
    .bind::<diesel::sql_types::Array<BigInt>, _>(delivery_ids)
    .execute(conn)
}

/// What one try gave.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// Records a try, and where the delivery stands after it: `status`, and when still pending,
/// the next try after `retry_in` (seconds).
pub fn record_attempt(
    conn: &mut PgConnection,
    delivery_id: i64,
    outcome: &Outcome,
    status: &str,
    retry_in: Option<f64>,
) -> QueryResult<usize> {
    let error = outcome.error.as_deref().map(|e| truncate(e, 300));
    diesel::sql_query(
        "INSERT INTO webhook_attempts (delivery_id, status_code, error, duration_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind::<BigInt, _>(delivery_id)
    .bind::<Nullable<Int4>, _>(outcome.status_code)
    .bind::<Nullable<Text>, _>(error.as_deref())
    .bind::<Int4, _>(outcome.duration_ms)
    .execute(conn)?;
    diesel::sql_query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, \
            last_status_code = $3, last_error = $4, \
            next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + $5 END, \
            delivered_at = CASE WHEN $2 = 'delivered' THEN now() END \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind::<BigInt, _>(delivery_id)
    .bind::<Text, _>(status)
    .bind::<Nullable<Int4>, _>(outcome.status_code)
    .bind::<Nullable<Text>, _>(error.as_deref())
    .bind::<Interval, _>(diesel::data_types::PgInterval::from_microseconds(
        (retry_in.unwrap_or(0.0) * 1e6) as i64,
    ))
    .execute(conn)
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// A delivery as the operator's log shows it.
#[derive(Debug, Clone, QueryableByName, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryEntry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = SqlUuid)]
    pub event_id: Uuid,
    #[diesel(sql_type = Text)]
    #[serde(rename = "type")]
    pub event_type: String,
    /// `pending`, `delivered`, `failed` or `cancelled`.
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Int4)]
    pub attempts: i32,
    #[diesel(sql_type = Nullable<Int4>)]
    pub last_status_code: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub next_attempt_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    pub subscription_id: i64,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub delivered_at: Option<DateTime<Utc>>,
}

const ENTRY_COLUMNS: &str = "d.id, d.event_id, e.type AS event_type, d.status, d.attempts, \
    d.last_status_code, d.last_error, d.next_attempt_at, d.subscription_id, d.created_at, d.delivered_at";

/// The operator's deliveries, newest first, filtered by status and event type.
pub fn log(
    conn: &mut PgConnection,
    operator_id: i64,
    status: Option<&str>,
    event_type: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<DeliveryEntry>> {
    diesel::sql_query(format!(
        "SELECT {ENTRY_COLUMNS} FROM webhook_deliveries d \
         JOIN webhook_subscriptions s ON s.id = d.subscription_id \
         JOIN webhook_events e ON e.id = d.event_id \
         WHERE s.operator_id = $1 AND ($2::text IS NULL OR d.status = $2) \
           AND ($3::text IS NULL OR e.type = $3) \
         ORDER BY d.id DESC LIMIT $4"
    ))
    .bind::<BigInt, _>(operator_id)
    .bind::<Nullable<Text>, _>(status)
    .bind::<Nullable<Text>, _>(event_type)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// The delivery of an event to one subscription.
pub fn of_event(
    conn: &mut PgConnection,
    event_id: Uuid,
    subscription_id: i64,
) -> QueryResult<Option<DeliveryEntry>> {
    diesel::sql_query(format!(
        "SELECT {ENTRY_COLUMNS} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id \
         WHERE d.event_id = $1 AND d.subscription_id = $2"
    ))
    .bind::<SqlUuid, _>(event_id)
    .bind::<BigInt, _>(subscription_id)
    .get_result(conn)
    .optional()
}

/// Sends again the event of one of the operator's deliveries, to the same subscription (a
/// new delivery, the same event id); None if it is not the operator's or its subscription
/// was deleted.
pub fn replay(
    conn: &mut PgConnection,
    operator_id: i64,
    delivery_id: i64,
) -> QueryResult<Option<DeliveryEntry>> {
    diesel::sql_query(format!(
        "WITH replayed AS ( \
            INSERT INTO webhook_deliveries (event_id, subscription_id, next_attempt_at) \
            SELECT d.event_id, d.subscription_id, now() FROM webhook_deliveries d \
            JOIN webhook_subscriptions s ON s.id = d.subscription_id \
            WHERE d.id = $2 AND s.operator_id = $1 AND s.deleted_at IS NULL RETURNING *) \
         SELECT {ENTRY_COLUMNS} FROM replayed d JOIN webhook_events e ON e.id = d.event_id"
    ))
    .bind::<BigInt, _>(operator_id)
    .bind::<BigInt, _>(delivery_id)
    .get_result(conn)
    .optional()
}

/// Sends again every event of the operator created in [since, until) to the subscriptions
/// that received it (one of them when given); returns how many deliveries were queued.
pub fn replay_range(
    conn: &mut PgConnection,
    operator_id: i64,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    subscription: Option<i64>,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO webhook_deliveries (event_id, subscription_id, next_attempt_at) \
         SELECT DISTINCT d.event_id, d.subscription_id, now() FROM webhook_deliveries d \
         JOIN webhook_subscriptions s ON s.id = d.subscription_id \
         JOIN webhook_events e ON e.id = d.event_id \
         WHERE s.operator_id = $1 AND s.deleted_at IS NULL AND s.disabled_at IS NULL \
           AND e.created_at >= $2 AND e.created_at < $3 \
           AND ($4::bigint IS NULL OR d.subscription_id = $4)",
    )
    .bind::<BigInt, _>(operator_id)
    .bind::<Timestamptz, _>(since)
    .bind::<Timestamptz, _>(until)
    .bind::<Nullable<BigInt>, _>(subscription)
    .execute(conn)
}

#[derive(QueryableByName)]
struct Pending {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pending: i64,
}

/// Deliveries waiting to be sent, every subscription's (for the metrics).
pub fn pending_count(conn: &mut PgConnection) -> QueryResult<i64> {
    diesel::sql_query("SELECT count(*) AS pending FROM webhook_deliveries WHERE status = 'pending'")
        .get_result::<Pending>(conn)
        .map(|p| p.pending)
}
