//! What partners report about pupils: accounts created on their site (`msta`) and the
//! statuses of applications, with the seats they take.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::models::{AccountActivity, ApplicationTracking, Count};
use crate::db::schema::{account_activities, application_trackings, internship_offers};

/// Records that a pupil created an account; None when it was already recorded.
pub fn insert_account_activity(
    conn: &mut PgConnection,
    operator_id: i64,
    offer_id: i64,
    student_id: i64,
) -> QueryResult<Option<AccountActivity>> {
    diesel::insert_into(account_activities::table)
        .values((
            account_activities::operator_id.eq(operator_id),
            account_activities::internship_offer_id.eq(offer_id),
            account_activities::student_id.eq(student_id),
        ))
        .on_conflict_do_nothing()
        .returning(AccountActivity::as_returning())
        .get_result(conn)
        .optional()
}

/// Outcome of reporting an application status.
pub enum Tracked {
    /// The record, and the seats taken on the offer before and after it.
    Recorded {
        record: ApplicationTracking,
        approved_before: i32,
        approved: i32,
    },
    Duplicate,
    NoSeatLeft,
}

/// Rolls back a tracking that would take more seats than the offer has.
enum Rollback {
    NoSeatLeft,
    Database(diesel::result::Error),
}

impl From<diesel::result::Error> for Rollback {
    fn from(error: diesel::result::Error) -> Self {
        Rollback::Database(error)
    }
}

/// Records a status and recounts the seats taken, serialised per offer (the offer row is
/// locked first, so concurrent approvals are all counted).
pub fn insert_application_tracking(
    conn: &mut PgConnection,
    offer_id: i64,
    student_id: Option<i64>,
    remote_status: &str,
) -> QueryResult<Tracked> {
    let outcome = conn.transaction::<_, Rollback, _>(|conn| {
        let (max_candidates, approved_before): (i32, i32) = internship_offers::table
            .find(offer_id)
            .select((
                internship_offers::max_candidates,
                internship_offers::approved_count,
            ))
            .for_update()
            .first(conn)?;
        let inserted = diesel::insert_into(application_trackings::table)
            .values((
                application_trackings::internship_offer_id.eq(offer_id),
                application_trackings::student_id.eq(student_id),
                application_trackings::remote_status.eq(remote_status),
            ))
            .on_conflict_do_nothing()
            .returning(ApplicationTracking::as_returning())
            .get_result(conn)
            .optional()?;
        let Some(tracking) = inserted else {
            return Ok(Tracked::Duplicate);
        };
        let approved = approved_count(conn, offer_id)?;
        if approved > i64::from(max_candidates) {
            return Err(Rollback::NoSeatLeft);
        }
        let approved = i32::try_from(approved).unwrap_or(i32::MAX);
        diesel::update(internship_offers::table.find(offer_id))
            .set(internship_offers::approved_count.eq(approved))
            .execute(conn)?;
        Ok(Tracked::Recorded {
            record: tracking,
            approved_before,
            approved,
        })
    });
    match outcome {
        Ok(tracked) => Ok(tracked),
        Err(Rollback::NoSeatLeft) => Ok(Tracked::NoSeatLeft),
        Err(Rollback::Database(error)) => Err(error),
    }
}

/// The seats taken: those of the traces kept, plus those of traces rolled up
/// (`pupil_traces`).
fn approved_count(conn: &mut PgConnection, offer_id: i64) -> QueryResult<i64> {
    let rolled_up: i32 = internship_offers::table
        .find(offer_id)
        .select(diesel::dsl::sql::<diesel::sql_types::Int4>(
            "approved_rolled_up",
        ))
        .first(conn)?;
    Ok(raw_approved(conn, offer_id)? + i64::from(rolled_up))
}

/// In the traces kept: pupils whose latest status is approved, plus approvals without a pupil.
pub fn raw_approved(conn: &mut PgConnection, offer_id: i64) -> QueryResult<i64> {
    diesel::sql_query(
        "SELECT (SELECT count(*) FROM (SELECT DISTINCT ON (student_id) remote_status FROM application_trackings \
         WHERE internship_offer_id = $1 AND student_id IS NOT NULL ORDER BY student_id, created_at DESC, id DESC) latest \
         WHERE remote_status = 'application_approved') \
         + (SELECT count(*) FROM application_trackings WHERE internship_offer_id = $1 AND student_id IS NULL \
         AND remote_status = 'application_approved') AS count",
    )
    .bind::<BigInt, _>(offer_id)
    .get_result::<Count>(conn)
    .map(|c| c.count)
}
