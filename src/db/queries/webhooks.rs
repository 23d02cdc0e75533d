//! Webhook subscriptions, the outbox of events, and the feeder's place in the offer event log.
//! Every query on subscriptions takes the caller's operator id.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Jsonb, Nullable, Text, Uuid as SqlUuid};
use uuid::Uuid;

use crate::db::schema::webhook_subscriptions;
use crate::domain::offer_event::EventPosition;

/// A subscription, its secrets still sealed.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_subscriptions)]
pub struct Subscription {
    pub id: i64,
    pub operator_id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub secret_sealed: Vec<u8>,
    pub previous_secret_sealed: Option<Vec<u8>>,
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

pub fn subscribe(
    conn: &mut PgConnection,
    operator_id: i64,
    url: &str,
    events: &[String],
    secret_sealed: &[u8],
) -> QueryResult<Subscription> {
    diesel::insert_into(webhook_subscriptions::table)
        .values((
            webhook_subscriptions::operator_id.eq(operator_id),
            webhook_subscriptions::url.eq(url),
            webhook_subscriptions::events.eq(events),
            webhook_subscriptions::secret_sealed.eq(secret_sealed),
        ))
        .returning(Subscription::as_returning())
        .get_result(conn)
}

/// The operator's subscriptions (not deleted), oldest first.
pub fn of_operator(conn: &mut PgConnection, operator_id: i64) -> QueryResult<Vec<Subscription>> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::operator_id.eq(operator_id))
        .filter(webhook_subscriptions::deleted_at.is_null())
        .order(webhook_subscriptions::id)
        .select(Subscription::as_select())
        .load(conn)
}

pub fn find(
    conn: &mut PgConnection,
    operator_id: i64,
    id: i64,
) -> QueryResult<Option<Subscription>> {
    webhook_subscriptions::table
        .find(id)
        .filter(webhook_subscriptions::operator_id.eq(operator_id))
        .filter(webhook_subscriptions::deleted_at.is_null())
        .select(Subscription::as_select())
        .first(conn)
        .optional()
}

/// Deletes a subscription and cancels its pending deliveries; false if there was none.
pub fn delete(conn: &mut PgConnection, operator_id: i64, id: i64) -> QueryResult<bool> {
    let deleted = diesel::update(webhook_subscriptions::table.find(id))
        .filter(webhook_subscriptions::operator_id.eq(operator_id))
        .filter(webhook_subscriptions::deleted_at.is_null())
        .set(webhook_subscriptions::deleted_at.eq(Utc::now()))
        .execute(conn)?;
    cancel_pending(conn, id)?;
    Ok(deleted == 1)
}

/// Disables a subscription (its receiver answered 410 Gone) and cancels what it still had
/// to receive.
pub fn disable(conn: &mut PgConnection, id: i64, reason: &str) -> QueryResult<usize> {
    diesel::update(webhook_subscriptions::table.find(id))
        .filter(webhook_subscriptions::disabled_at.is_null())
        .set((
            webhook_subscriptions::disabled_at.eq(Utc::now()),
            webhook_subscriptions::disabled_reason.eq(reason),
        ))
        .execute(conn)?;
    cancel_pending(conn, id)
}

fn cancel_pending(conn: &mut PgConnection, subscription_id: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL \
         WHERE subscription_id = $1 AND status = 'pending'",
    )
    .bind::<BigInt, _>(subscription_id)
    .execute(conn)
}

/// A new secret; the current one keeps signing until `previous_until`.
pub fn rotate_secret(
    conn: &mut PgConnection,
    operator_id: i64,
    id: i64,
    sealed: &[u8],
    previous_until: DateTime<Utc>,
) -> QueryResult<Option<Subscription>> {
    diesel::update(webhook_subscriptions::table.find(id))
        .filter(webhook_subscriptions::operator_id.eq(operator_id))
        .filter(webhook_subscriptions::deleted_at.is_null())
        .set((
            webhook_subscriptions::previous_secret_sealed
                .eq(webhook_subscriptions::secret_sealed.nullable()),
            webhook_subscriptions::previous_secret_until.eq(previous_until),
            webhook_subscriptions::secret_sealed.eq(sealed),
        ))
        .returning(Subscription::as_returning())
        .get_result(conn)
        .optional()
}

/// An event to write to the outbox.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub operator_id: i64,
    pub event_type: &'a str,
    pub data: &'a serde_json::Value,
    /// Written at most once for a key (scheduled events).
    pub dedupe_key: Option<&'a str>,
    /// Only to this subscription (a ping).
    pub subscription: Option<i64>,
    /// When the change happened: subscriptions made after it do not receive it.
    pub changed_at: Option<DateTime<Utc>>,
}

impl<'a> NewEvent<'a> {
    pub fn new(operator_id: i64, event_type: &'a str, data: &'a serde_json::Value) -> Self {
        NewEvent {
            operator_id,
            event_type,
            data,
            dedupe_key: None,
            subscription: None,
            changed_at: None,
        }
    }
}

/// Writes an event to the outbox, with one delivery per active subscription of the operator
/// that listens to its type, in the caller's transaction. Nothing is written when no
/// subscription listens, or when the dedupe key was already used. Returns the event's id when
/// it was written.
pub fn emit(conn: &mut PgConnection, event: &NewEvent<'_>) -> QueryResult<Option<Uuid>> {
    #[derive(QueryableByName)]
    struct Emitted {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let emitted = diesel::sql_query(
        "WITH targets AS ( \
            SELECT id FROM webhook_subscriptions \
            WHERE operator_id = $2 AND deleted_at IS NULL AND disabled_at IS NULL \
              AND ($6::bigint IS NULL AND $3 = ANY (events) OR id = $6) \
              AND ($7::timestamptz IS NULL OR created_at <= $7)), \
         event AS ( \
            INSERT INTO webhook_events (id, operator_id, type, data, dedupe_key) \
            SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM targets) \
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id), \
         deliveries AS ( \
            INSERT INTO webhook_deliveries (event_id, subscription_id, next_attempt_at) \
            SELECT event.id, targets.id, now() FROM event, targets) \
         SELECT id FROM event",
    )
    .bind::<SqlUuid, _>(Uuid::new_v4())
    .bind::<BigInt, _>(event.operator_id)
    .bind::<Text, _>(event.event_type)
    .bind::<Jsonb, _>(event.data)
    .bind::<Nullable<Text>, _>(event.dedupe_key)
    .bind::<Nullable<BigInt>, _>(event.subscription)
    .bind::<Nullable<diesel::sql_types::Timestamptz>, _>(event.changed_at)
    .get_result::<Emitted>(conn)
    .optional()?;
    Ok(emitted.map(|e| e.id))
}

/// The operators with an active subscription to `event_type`.
pub fn operators_listening(conn: &mut PgConnection, event_type: &str) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Listening {
        #[diesel(sql_type = BigInt)]
        operator_id: i64,
    }
    let rows: Vec<Listening> = diesel::sql_query(
        "SELECT DISTINCT operator_id FROM webhook_subscriptions \
         WHERE deleted_at IS NULL AND disabled_at IS NULL AND $1 = ANY (events)",
    )
    .bind::<Text, _>(event_type)
    .load(conn)?;
    Ok(rows.into_iter().map(|row| row.operator_id).collect())
}

/// The operators with an active subscription, to whatever.
pub fn operators_listening_any(conn: &mut PgConnection) -> QueryResult<Vec<i64>> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::deleted_at.is_null())
        .filter(webhook_subscriptions::disabled_at.is_null())
        .select(webhook_subscriptions::operator_id)
        .distinct()
        .load(conn)
}

/// Blanks an erased pupil's id in the outbox's events (delivered or not, so that a replay
/// no longer carries it); how many events named them.
pub fn forget_student(conn: &mut PgConnection, student_id: i64) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE webhook_events SET data = jsonb_set(data, '{student_id}', 'null') \
         WHERE data->'student_id' = to_jsonb($1::bigint)",
    )
    .bind::<BigInt, _>(student_id)
    .execute(conn)
}

/// Deletes the events older than `retention_days` that no delivery still waits to send.
pub fn trim(conn: &mut PgConnection, retention_days: i32) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM webhook_events e WHERE e.created_at < now() - make_interval(days => $1) \
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')",
    )
    .bind::<diesel::sql_types::Int4, _>(retention_days)
    .execute(conn)
}

/// The feeder's place in the offer event log and the last day its daily jobs ran, locked for
/// this transaction; None while another instance holds it.
#[derive(Debug, Clone, QueryableByName)]
pub struct FeedState {
    #[diesel(sql_type = BigInt)]
    pub xact: i64,
    #[diesel(sql_type = BigInt)]
    pub event_id: i64,
    #[diesel(sql_type = Nullable<Date>)]
    pub daily_done_on: Option<NaiveDate>,
}

impl FeedState {
    pub fn position(&self) -> EventPosition {
        EventPosition {
            xact: self.xact,
            id: self.event_id,
        }
    }
}

pub fn lock_feed(conn: &mut PgConnection) -> QueryResult<Option<FeedState>> {
    diesel::sql_query(
        "SELECT xact, event_id, daily_done_on FROM webhook_feed FOR UPDATE SKIP LOCKED",
    )
    .get_result(conn)
    .optional()
}

pub fn save_feed(
    conn: &mut PgConnection,
    position: EventPosition,
    daily_done_on: Option<NaiveDate>,
) -> QueryResult<usize> {
    diesel::sql_query("UPDATE webhook_feed SET xact = $1, event_id = $2, daily_done_on = $3")
        .bind::<BigInt, _>(position.xact)
        .bind::<BigInt, _>(position.id)
        .bind::<Nullable<Date>, _>(daily_done_on)
        .execute(conn)
}
