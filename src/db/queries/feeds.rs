//! What the changes feeds read: the log's events after a cursor (the caller's operator's only,
//! or the whole catalogue's), and the offers as they are now, for the snapshot and for the
//! events' offers. A feed page runs them in one repeatable-read transaction.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Text};

use super::offer_events::PositionRow;
use super::offers::LISTED_COLUMNS;
use crate::db::models::{ListedOffer, Offer};
use crate::db::schema::internship_offers;
use crate::domain::offer_event::EventPosition;

/// An event as a feed reads it: where it stands, and which offer changed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Changed {
    pub position: EventPosition,
    pub offer_id: i64,
}

#[derive(QueryableByName)]
struct ChangedRow {
    #[diesel(embed)]
    position: PositionRow,
    #[diesel(sql_type = BigInt)]
    offer_id: i64,
}

/// The last position the trim has deleted: a reader before it may have lost events.
pub fn trimmed_through(conn: &mut PgConnection) -> QueryResult<EventPosition> {
    diesel::sql_query("SELECT xact, event_id AS id FROM offer_events_trimmed")
        .get_result::<PositionRow>(conn)
        .map(EventPosition::from)
}

/// At most `limit` events after `from` that no running transaction can still precede (see
/// `offer_events::after`), of one operator's offers or of all.
pub fn changed_after(
    conn: &mut PgConnection,
    from: EventPosition,
    operator_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<Changed>> {
    // `xact_id >= $1` lets the operator's index start at the cursor.
    let rows: Vec<ChangedRow> = diesel::sql_query(
        "SELECT xact_id::text::bigint AS xact, id, offer_id FROM offer_events \
         WHERE xact_id >= $1::text::xid8 AND (xact_id, id) > ($1::text::xid8, $2) \
           AND xact_id < pg_snapshot_xmin(pg_current_snapshot()) \
           AND ($3::bigint IS NULL OR operator_id = $3) \
         ORDER BY xact_id, id LIMIT $4",
    )
    .bind::<Text, _>(from.xact.to_string())
    .bind::<BigInt, _>(from.id)
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(operator_id)
    .bind::<BigInt, _>(limit)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| Changed {
            position: row.position.into(),
            offer_id: row.offer_id,
        })
        .collect())
}

#[derive(QueryableByName)]
struct OfferId {
    #[diesel(sql_type = BigInt)]
    offer_id: i64,
}

/// The offers (of one operator, or all) with an event after `horizon`, readable yet or not: a
/// snapshot taken at `horizon` leaves them to the log, so no offer comes twice.
pub fn changed_since(
    conn: &mut PgConnection,
    horizon: EventPosition,
    operator_id: Option<i64>,
) -> QueryResult<Vec<i64>> {
    let rows: Vec<OfferId> = diesel::sql_query(
        "SELECT DISTINCT offer_id FROM offer_events \
         WHERE xact_id >= $1::text::xid8 AND (xact_id, id) > ($1::text::xid8, $2) \
           AND ($3::bigint IS NULL OR operator_id = $3)",
    )
    .bind::<Text, _>(horizon.xact.to_string())
    .bind::<BigInt, _>(horizon.id)
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(operator_id)
    .load(conn)?;
    Ok(rows.into_iter().map(|row| row.offer_id).collect())
}

/// The `remote_id` of each of these offers (deleted ones included).
pub fn remote_ids_of(conn: &mut PgConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    internship_offers::table
        .filter(internship_offers::id.eq_any(ids))
        .select((internship_offers::id, internship_offers::remote_id))
        .load(conn)
}

/// At most `limit` live offers of the operator after `after_id`, in id order, but `skip`.
pub fn own_live_after(
    conn: &mut PgConnection,
    operator_id: i64,
    (after_id, skip): (i64, &[i64]),
    limit: i64,
) -> QueryResult<Vec<Offer>> {
    internship_offers::table
        .filter(internship_offers::operator_id.eq(operator_id))
        .filter(internship_offers::discarded_at.is_null())
        .filter(internship_offers::id.gt(after_id))
        .filter(internship_offers::id.ne_all(skip))
        .order(internship_offers::id)
        .limit(limit)
        .select(Offer::as_select())
        .load(conn)
}

/// The operator's live offers with these remote_ids.
pub fn own_live_by_remote_ids(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_ids: &[String],
) -> QueryResult<Vec<Offer>> {
    internship_offers::table
        .filter(internship_offers::operator_id.eq(operator_id))
        .filter(internship_offers::discarded_at.is_null())
        .filter(internship_offers::remote_id.eq_any(remote_ids))
        .select(Offer::as_select())
        .load(conn)
}

/// An offer of the catalogue as listed, with its `remote_id`.
#[derive(Debug, QueryableByName)]
pub struct CatalogueRow {
    #[diesel(embed)]
    pub listing: ListedOffer,
    #[diesel(sql_type = Text)]
    pub remote_id: String,
}

/// The catalogue on `today`: published, live, with seats left, not over.
fn catalogue_query(condition: &str) -> String {
    format!(
        "SELECT {LISTED_COLUMNS}, o.remote_id FROM internship_offers o \
         WHERE o.discarded_at IS NULL AND o.published_at IS NOT NULL \
           AND o.approved_count < o.max_candidates AND o.last_date >= $1 AND {condition}"
    )
}

/// At most `limit` offers of the catalogue after `after_id`, in id order, but `skip`.
pub fn catalogue_after(
    conn: &mut PgConnection,
    today: NaiveDate,
    (after_id, skip): (i64, &[i64]),
    limit: i64,
) -> QueryResult<Vec<CatalogueRow>> {
    diesel::sql_query(catalogue_query(
        "o.id > $2 AND o.id <> ALL($4) ORDER BY o.id LIMIT $3",
    ))
    .bind::<Date, _>(today)
    .bind::<BigInt, _>(after_id)
    .bind::<BigInt, _>(limit)
    .bind::<Array<BigInt>, _>(skip)
    .load(conn)
}

/// The offers among `ids` that are in the catalogue.
pub fn catalogue_among(
    conn: &mut PgConnection,
    today: NaiveDate,
    ids: &[i64],
) -> QueryResult<Vec<CatalogueRow>> {
    diesel::sql_query(catalogue_query("o.id = ANY($2)"))
        .bind::<Date, _>(today)
        .bind::<Array<BigInt>, _>(ids)
        .load(conn)
}
