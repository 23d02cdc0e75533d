//! A partner's offers: written and read by `remote_id` within the caller's operator; the
//! public page's lookup by id; and the "my offers" listing.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer};

use crate::db::models::{Count, ListedOffer, NewOffer, Offer, OfferValues};
use crate::db::schema::{internship_offer_weeks, internship_offers, weeks};
use crate::db::sql::{Bind, Sql};
use crate::domain::offer::ValidOffer;

/// The listed columns of an offer `o`; the sector name is looked up for the rows of the page only.
pub const LISTED_COLUMNS: &str = "o.id, o.title, o.description, o.employer_name, o.city, o.first_date, o.last_date, \
     ST_Y(o.coordinates::geometry) AS latitude, ST_X(o.coordinates::geometry) AS longitude, \
     (SELECT s.name FROM sectors s WHERE s.id = o.sector_id) AS sector, o.handicap_accessible";

/// The operator's offer with this remote_id: the live one, else the last deleted one.
pub fn find_owned(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_id: &str,
) -> QueryResult<Option<Offer>> {
    internship_offers::table
        .filter(internship_offers::operator_id.eq(operator_id))
        .filter(internship_offers::remote_id.eq(remote_id))
        .order((
            internship_offers::discarded_at.desc().nulls_first(),
            internship_offers::id.desc(),
        ))
        .select(Offer::as_select())
        .first(conn)
        .optional()
}

/// Whether another operator has an offer with this remote_id.
pub fn exists_elsewhere(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        internship_offers::table
            .filter(internship_offers::remote_id.eq(remote_id))
            .filter(internship_offers::operator_id.ne(operator_id)),
    ))
    .get_result(conn)
}

/// Whether the operator has a live (not deleted) offer with this remote_id.
pub fn live_exists(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        internship_offers::table
            .filter(internship_offers::operator_id.eq(operator_id))
            .filter(internship_offers::remote_id.eq(remote_id))
            .filter(internship_offers::discarded_at.is_null()),
    ))
    .get_result(conn)
}

/// Stores a new offer of `operator_id` and its weeks (call within a transaction).
pub fn insert(
    conn: &mut PgConnection,
    operator_id: i64,
    account_id: i64,
    offer: ValidOffer,
    week_ids: &[i32],
) -> QueryResult<Offer> {
    let new_offer = NewOffer {
        operator_id,
        account_id,
        remote_id: offer.remote_id.clone(),
        values: offer.into(),
    };
    let offer = diesel::insert_into(internship_offers::table)
        .values(new_offer)
        .returning(Offer::as_returning())
        .get_result(conn)?;
    insert_weeks(conn, offer.id, week_ids)?;
    Ok(offer)
}

/// Stores new offers of `operator_id`, with their weeks, in a few statements (call within a
/// transaction); returns their ids in the order given.
pub fn insert_many(
    conn: &mut PgConnection,
    operator_id: i64,
    account_id: i64,
    new_offers: Vec<(ValidOffer, Vec<i32>)>,
) -> QueryResult<Vec<i64>> {
    // One statement binds every column of every row: stay far below PostgreSQL's 65 535 parameters.
    const ROWS_PER_STATEMENT: usize = 1_000;
    let mut ids = Vec::with_capacity(new_offers.len());
    let (mut week_offer_ids, mut week_ids) = (vec![], vec![]);
    let mut rows = new_offers.into_iter().peekable();
    while rows.peek().is_some() {
        let mut chunk = Vec::with_capacity(ROWS_PER_STATEMENT);
        let mut chunk_weeks = Vec::with_capacity(ROWS_PER_STATEMENT);
        for (offer, weeks) in rows.by_ref().take(ROWS_PER_STATEMENT) {
            chunk.push(NewOffer {
                operator_id,
                account_id,
                remote_id: offer.remote_id.clone(),
                values: offer.into(),
            });
            chunk_weeks.push(weeks);
        }
        let chunk_ids: Vec<i64> = diesel::insert_into(internship_offers::table)
            .values(chunk)
            .returning(internship_offers::id)
            .get_results(conn)?;
        for (id, weeks) in chunk_ids.iter().zip(chunk_weeks) {
            week_offer_ids.extend(std::iter::repeat_n(*id, weeks.len()));
            week_ids.extend(weeks);
        }
        ids.extend(chunk_ids);
    }
    insert_week_rows(conn, &week_offer_ids, &week_ids)?;
    Ok(ids)
}

/// Which of these remote_ids the operator's live offers have.
pub fn live_remote_ids(
    conn: &mut PgConnection,
    operator_id: i64,
    remote_ids: &[String],
) -> QueryResult<Vec<String>> {
    internship_offers::table
        .filter(internship_offers::operator_id.eq(operator_id))
        .filter(internship_offers::remote_id.eq_any(remote_ids))
        .filter(internship_offers::discarded_at.is_null())
        .select(internship_offers::remote_id)
        .load(conn)
}

/// Writes the new values of an offer of `operator_id`, and its weeks when given (call within
/// a transaction).
pub fn update(
    conn: &mut PgConnection,
    operator_id: i64,
    offer_id: i64,
    offer: ValidOffer,
    week_ids: Option<&[i32]>,
) -> QueryResult<Offer> {
    let offer = diesel::update(
        internship_offers::table
            .filter(internship_offers::id.eq(offer_id))
            .filter(internship_offers::operator_id.eq(operator_id)),
    )
    .set((
        OfferValues::from(offer),
        internship_offers::updated_at.eq(Utc::now()),
    ))
    .returning(Offer::as_returning())
    .get_result(conn)?;
    if let Some(week_ids) = week_ids {
        replace_weeks(conn, offer.id, week_ids)?;
    }
    Ok(offer)
}

fn replace_weeks(conn: &mut PgConnection, offer_id: i64, week_ids: &[i32]) -> QueryResult<()> {
    diesel::delete(
        internship_offer_weeks::table
            .filter(internship_offer_weeks::internship_offer_id.eq(offer_id)),
    )
    .execute(conn)?;
    insert_weeks(conn, offer_id, week_ids)
}

fn insert_weeks(conn: &mut PgConnection, offer_id: i64, week_ids: &[i32]) -> QueryResult<()> {
    insert_week_rows(conn, &vec![offer_id; week_ids.len()], week_ids)
}

/// Rows `(offer_ids[i], week_ids[i])` of offers' weeks, in one statement.
fn insert_week_rows(
    conn: &mut PgConnection,
    offer_ids: &[i64],
    week_ids: &[i32],
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO internship_offer_weeks (internship_offer_id, week_id) \
         SELECT * FROM unnest($1::bigint[], $2::int[]) ON CONFLICT DO NOTHING",
    )
    .bind::<Array<BigInt>, _>(offer_ids)
    .bind::<Array<Integer>, _>(week_ids)
    .execute(conn)?;
    Ok(())
}

/// Soft-deletes a live offer of `operator_id`; None when it was already deleted.
pub fn discard(
    conn: &mut PgConnection,
    operator_id: i64,
    offer_id: i64,
) -> QueryResult<Option<Offer>> {
    diesel::update(
        internship_offers::table
            .filter(internship_offers::id.eq(offer_id))
            .filter(internship_offers::operator_id.eq(operator_id))
            .filter(internship_offers::discarded_at.is_null()),
    )
    .set(internship_offers::discarded_at.eq(Utc::now()))
    .returning(Offer::as_returning())
    .get_result(conn)
    .optional()
}

/// ISO weeks ("YYYY-Www" parts) of an offer, in calendar order.
pub fn weeks_of(conn: &mut PgConnection, offer_id: i64) -> QueryResult<Vec<(i32, i32, NaiveDate)>> {
    internship_offer_weeks::table
        .inner_join(weeks::table)
        .filter(internship_offer_weeks::internship_offer_id.eq(offer_id))
        .order(weeks::monday)
        .select((weeks::year, weeks::number, weeks::monday))
        .load(conn)
}

/// The offer behind a public page, when it exists (deleted or not).
pub fn find_by_id(conn: &mut PgConnection, offer_id: i64) -> QueryResult<Option<Offer>> {
    internship_offers::table
        .find(offer_id)
        .select(Offer::as_select())
        .first(conn)
        .optional()
}

/// These offers (deleted ones included), in no order.
pub fn find_by_ids(conn: &mut PgConnection, offer_ids: &[i64]) -> QueryResult<Vec<Offer>> {
    internship_offers::table
        .filter(internship_offers::id.eq_any(offer_ids))
        .select(Offer::as_select())
        .load(conn)
}

/// How many live offers the operator has.
pub fn live_count_statement(operator_id: i64) -> Sql {
    Sql::new(
        "SELECT count(*) AS count FROM internship_offers o WHERE o.discarded_at IS NULL AND o.operator_id = ",
    )
    .bind(Bind::Int(operator_id))
}

/// One page of the operator's live offers, newest first.
pub fn live_page_statement(operator_id: i64, limit: i64, offset: i64) -> Sql {
    Sql::new(&format!(
        "SELECT {LISTED_COLUMNS} FROM internship_offers o WHERE o.discarded_at IS NULL AND o.operator_id = "
    ))
    .bind(Bind::Int(operator_id))
    .push(" ORDER BY o.id DESC LIMIT ")
    .bind(Bind::Int(limit))
    .push(" OFFSET ")
    .bind(Bind::Int(offset))
}

/// One page of the operator's live offers and their number (the page is not read past the end).
pub fn live_page(
    conn: &mut PgConnection,
    operator_id: i64,
    limit: i64,
    offset: i64,
) -> QueryResult<(i64, Vec<ListedOffer>)> {
    let total = live_count_statement(operator_id)
        .query()
        .get_result::<Count>(conn)?
        .count;
    if offset >= total {
        return Ok((total, vec![]));
    }
    let page = live_page_statement(operator_id, limit, offset)
        .query()
        .load(conn)?;
    Ok((total, page))
}

/// The published live offers of these operators whose last day fell in [from, to].
pub fn ended_between(
    conn: &mut PgConnection,
    operator_ids: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Offer>> {
    internship_offers::table
        .filter(internship_offers::operator_id.eq_any(operator_ids))
        .filter(internship_offers::discarded_at.is_null())
        .filter(internship_offers::published_at.is_not_null())
        .filter(internship_offers::last_date.between(from, to))
        .order(internship_offers::id)
        .select(Offer::as_select())
        .load(conn)
}

/// Locks an offer's row for the caller's transaction; its `updated_at`, and whether it is
/// still live.
pub fn lock_version(
    conn: &mut PgConnection,
    offer_id: i64,
) -> QueryResult<Option<(chrono::DateTime<Utc>, bool)>> {
    internship_offers::table
        .find(offer_id)
        .select((
            internship_offers::updated_at,
            internship_offers::discarded_at.is_null(),
        ))
        .for_update()
        .first(conn)
        .optional()
}
