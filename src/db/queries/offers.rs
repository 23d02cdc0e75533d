use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::models::{NewOffer, Offer, OfferValues};
use crate::db::schema::{internship_offer_weeks, internship_offers, weeks};

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

pub fn insert(conn: &mut PgConnection, offer: NewOffer, week_ids: &[i32]) -> QueryResult<Offer> {
    conn.transaction(|conn| {
        let offer = diesel::insert_into(internship_offers::table)
            .values(offer)
            .returning(Offer::as_returning())
            .get_result(conn)?;
        insert_weeks(conn, offer.id, week_ids)?;
        Ok(offer)
    })
}

/// Writes the new values of an offer of `operator_id`, and its weeks when given.
pub fn update(
    conn: &mut PgConnection,
    operator_id: i64,
    offer_id: i64,
    values: OfferValues,
    week_ids: Option<&[i32]>,
) -> QueryResult<Offer> {
    conn.transaction(|conn| {
        let offer = diesel::update(
            internship_offers::table
                .filter(internship_offers::id.eq(offer_id))
                .filter(internship_offers::operator_id.eq(operator_id)),
        )
        .set((values, internship_offers::updated_at.eq(Utc::now())))
        .returning(Offer::as_returning())
        .get_result(conn)?;
        if let Some(week_ids) = week_ids {
            replace_weeks(conn, offer.id, week_ids)?;
        }
        Ok(offer)
    })
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
    let rows: Vec<_> = week_ids
        .iter()
        .map(|week_id| {
            (
                internship_offer_weeks::internship_offer_id.eq(offer_id),
                internship_offer_weeks::week_id.eq(*week_id),
            )
        })
        .collect();
    diesel::insert_into(internship_offer_weeks::table)
        .values(rows)
        .on_conflict_do_nothing()
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
