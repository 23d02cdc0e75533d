//! The offer event log (see the migration `offer_events`). Writers record an event in the
//! transaction of their change; readers take the events in (transaction, row) order, and only
//! those of transactions older than every transaction still running, so that none that commits
//! late is ever skipped.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Int4, Text, Timestamptz};

use crate::domain::offer_event::{EventPosition, OfferChange};

/// One event as consumers read it.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferEvent {
    pub position: EventPosition,
    pub offer_id: i64,
    pub operator_id: i64,
    pub change: OfferChange,
    pub occurred_at: DateTime<Utc>,
}

#[derive(QueryableByName)]
pub struct PositionRow {
    #[diesel(sql_type = BigInt)]
    xact: i64,
    #[diesel(sql_type = BigInt)]
    id: i64,
}

impl From<PositionRow> for EventPosition {
    fn from(row: PositionRow) -> Self {
        EventPosition {
            xact: row.xact,
            id: row.id,
        }
    }
}

#[derive(QueryableByName)]
struct EventRow {
    #[diesel(embed)]
    position: PositionRow,
    #[diesel(sql_type = BigInt)]
    offer_id: i64,
    #[diesel(sql_type = BigInt)]
    operator_id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Timestamptz)]
    occurred_at: DateTime<Utc>,
}

/// Records a change of an offer of `operator_id`, in the caller's transaction.
pub fn record(
    conn: &mut PgConnection,
    operator_id: i64,
    offer_id: i64,
    change: OfferChange,
) -> QueryResult<EventPosition> {
    diesel::sql_query(
        "INSERT INTO offer_events (offer_id, operator_id, kind) VALUES ($1, $2, $3) \
         RETURNING xact_id::text::bigint AS xact, id",
    )
    .bind::<BigInt, _>(offer_id)
    .bind::<BigInt, _>(operator_id)
    .bind::<Text, _>(change.as_str())
    .get_result::<PositionRow>(conn)
    .map(EventPosition::from)
}

/// Records the same change of several offers of `operator_id`, in the caller's transaction,
/// in the order given.
pub fn record_many(
    conn: &mut PgConnection,
    operator_id: i64,
    offer_ids: &[i64],
    change: OfferChange,
) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO offer_events (offer_id, operator_id, kind) \
         SELECT offer_id, $2, $3 FROM unnest($1::bigint[]) WITH ORDINALITY AS t(offer_id, n) ORDER BY n",
    )
    .bind::<Array<BigInt>, _>(offer_ids)
    .bind::<BigInt, _>(operator_id)
    .bind::<Text, _>(change.as_str())
    .execute(conn)
}

/// At most `limit` events after `from`, in log order, among those no running transaction can
/// still precede. Reading again from the last one returned never misses an event.
pub fn after(
    conn: &mut PgConnection,
    from: EventPosition,
    limit: i64,
) -> QueryResult<Vec<OfferEvent>> {
    let rows: Vec<EventRow> = diesel::sql_query(
        "SELECT xact_id::text::bigint AS xact, id, offer_id, operator_id, kind, occurred_at \
         FROM offer_events \
         WHERE (xact_id, id) > ($1::text::xid8, $2) \
           AND xact_id < pg_snapshot_xmin(pg_current_snapshot()) \
         ORDER BY xact_id, id LIMIT $3",
    )
    .bind::<Text, _>(from.xact.to_string())
    .bind::<BigInt, _>(from.id)
    .bind::<BigInt, _>(limit)
    .load(conn)?;
    Ok(rows.into_iter().filter_map(OfferEvent::of_row).collect())
}

impl OfferEvent {
    fn of_row(row: EventRow) -> Option<OfferEvent> {
        Some(OfferEvent {
            position: row.position.into(),
            offer_id: row.offer_id,
            operator_id: row.operator_id,
            change: OfferChange::parse(&row.kind)?,
            occurred_at: row.occurred_at,
        })
    }
}

/// The position of the operator's latest change, if it has made one (what a reader must have
/// reached to show that operator its own writes).
pub fn last_position_of(
    conn: &mut PgConnection,
    operator_id: i64,
) -> QueryResult<Option<EventPosition>> {
    diesel::sql_query(
        "SELECT xact_id::text::bigint AS xact, id FROM offer_events WHERE operator_id = $1 \
         ORDER BY xact_id DESC, id DESC LIMIT 1",
    )
    .bind::<BigInt, _>(operator_id)
    .get_result::<PositionRow>(conn)
    .optional()
    .map(|row| row.map(EventPosition::from))
}

/// The position of the last event readable now (see `after`); the origin when there is none.
pub fn horizon(conn: &mut PgConnection) -> QueryResult<EventPosition> {
    diesel::sql_query(
        "SELECT xact_id::text::bigint AS xact, id FROM offer_events \
         WHERE xact_id < pg_snapshot_xmin(pg_current_snapshot()) \
         ORDER BY xact_id DESC, id DESC LIMIT 1",
    )
    .get_result::<PositionRow>(conn)
    .optional()
    .map(|row| row.map_or(EventPosition::ORIGIN, EventPosition::from))
}

/// The position of the last event written, readable or not yet (a reader that reaches it has
/// seen every change committed so far).
pub fn last_written(conn: &mut PgConnection) -> QueryResult<EventPosition> {
    diesel::sql_query(
        "SELECT xact_id::text::bigint AS xact, id FROM offer_events ORDER BY xact_id DESC, id DESC LIMIT 1",
    )
    .get_result::<PositionRow>(conn)
    .optional()
    .map(|row| row.map_or(EventPosition::ORIGIN, EventPosition::from))
}

#[derive(QueryableByName)]
struct Behind {
    #[diesel(sql_type = BigInt)]
    behind: i64,
}

/// How many events (at most `cap`) were written after `position`: how far a reader lags.
pub fn count_after(conn: &mut PgConnection, position: EventPosition, cap: i64) -> QueryResult<i64> {
    diesel::sql_query(
        "SELECT count(*) AS behind FROM (SELECT 1 FROM offer_events \
         WHERE (xact_id, id) > ($1::text::xid8, $2) LIMIT $3) AS after",
    )
    .bind::<Text, _>(position.xact.to_string())
    .bind::<BigInt, _>(position.id)
    .bind::<BigInt, _>(cap)
    .get_result::<Behind>(conn)
    .map(|b| b.behind)
}

/// Records that the published live offers whose last day fell in [from, to] have left the
/// catalogue (the log's daily job, once per day across instances).
pub fn record_ended(conn: &mut PgConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO offer_events (offer_id, operator_id, kind) \
         SELECT id, operator_id, 'expired' FROM internship_offers \
         WHERE discarded_at IS NULL AND published_at IS NOT NULL AND last_date BETWEEN $1 AND $2 \
         ORDER BY id",
    )
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .execute(conn)
}

#[derive(QueryableByName)]
struct Trimmed {
    #[diesel(sql_type = BigInt)]
    deleted: i64,
}

/// Deletes the events older than `retention_days` (`OFFER_EVENTS_RETENTION_DAYS`), and moves
/// the trimmed position (`offer_events_trimmed`) to the last one deleted.
pub fn trim(conn: &mut PgConnection, retention_days: i32) -> QueryResult<usize> {
    let trimmed = diesel::sql_query(
        "WITH gone AS ( \
           DELETE FROM offer_events WHERE occurred_at < now() - make_interval(days => $1) \
           RETURNING xact_id::text::bigint AS xact, id), \
         last AS (SELECT xact, id FROM gone ORDER BY xact DESC, id DESC LIMIT 1), \
         moved AS ( \
           UPDATE offer_events_trimmed t SET xact = last.xact, event_id = last.id FROM last \
           WHERE (last.xact, last.id) > (t.xact, t.event_id) RETURNING 1) \
         SELECT count(*) AS deleted FROM gone",
    )
    .bind::<Int4, _>(retention_days)
    .get_result::<Trimmed>(conn)?;
    Ok(usize::try_from(trimmed.deleted).unwrap_or(0))
}
