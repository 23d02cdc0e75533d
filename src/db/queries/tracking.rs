//! What happens around an offer: page views, apply clicks, accounts created by pupils on
//! the partner's site, application statuses reported by the partner, and the seats taken.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date};

use crate::db::models::{AccountActivity, ApplicationTracking, Offer};
use crate::db::schema::{
    account_activities, application_trackings, apply_clicks, internship_offers, offer_daily_views,
};

/// The offer behind a public page, when it exists (deleted or not).
pub fn find_offer(conn: &mut PgConnection, offer_id: i64) -> QueryResult<Option<Offer>> {
    internship_offers::table
        .find(offer_id)
        .select(Offer::as_select())
        .first(conn)
        .optional()
}

/// Counts one view of the offer page today; concurrent views never lose an increment.
pub fn count_view(conn: &mut PgConnection, offer_id: i64, day: NaiveDate) -> QueryResult<usize> {
    diesel::insert_into(offer_daily_views::table)
        .values((
            offer_daily_views::internship_offer_id.eq(offer_id),
            offer_daily_views::day.eq(day),
            offer_daily_views::views.eq(1),
        ))
        .on_conflict((
            offer_daily_views::internship_offer_id,
            offer_daily_views::day,
        ))
        .do_update()
        .set(offer_daily_views::views.eq(offer_daily_views::views + 1))
        .execute(conn)
}

pub fn count_apply_click(
    conn: &mut PgConnection,
    offer_id: i64,
    student_id: Option<i64>,
) -> QueryResult<usize> {
    diesel::insert_into(apply_clicks::table)
        .values((
            apply_clicks::internship_offer_id.eq(offer_id),
            apply_clicks::student_id.eq(student_id),
        ))
        .execute(conn)
}

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
    /// The record and the seats now taken on the offer.
    Recorded(ApplicationTracking, i32),
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
        let max_candidates: i32 = internship_offers::table
            .find(offer_id)
            .select(internship_offers::max_candidates)
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
        Ok(Tracked::Recorded(tracking, approved))
    });
    match outcome {
        Ok(tracked) => Ok(tracked),
        Err(Rollback::NoSeatLeft) => Ok(Tracked::NoSeatLeft),
        Err(Rollback::Database(error)) => Err(error),
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// Pupils whose latest status is approved, plus approvals without a pupil.
fn approved_count(conn: &mut PgConnection, offer_id: i64) -> QueryResult<i64> {
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

/// Activity counts of one day (or of a whole range when summed).
#[derive(Debug, Clone, Default, QueryableByName, serde::Serialize, utoipa::ToSchema)]
pub struct DailyActivity {
    #[diesel(sql_type = Date)]
    pub date: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub views: i64,
    #[diesel(sql_type = BigInt)]
    pub apply_clicks: i64,
    #[diesel(sql_type = BigInt)]
    pub accounts_created: i64,
    #[diesel(sql_type = BigInt)]
    pub applications_submitted: i64,
    #[diesel(sql_type = BigInt)]
    pub applications_approved: i64,
    #[diesel(sql_type = BigInt)]
    pub applications_rejected: i64,
    #[diesel(sql_type = BigInt)]
    pub applications_canceled: i64,
}

/// Per-day activity of the operator's offers (all of them, or one) between two dates.
/// Days are those of Europe/Paris.
pub fn daily_activity(
    conn: &mut PgConnection,
    operator_id: i64,
    offer_id: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<DailyActivity>> {
    diesel::sql_query(
        "WITH offers AS (SELECT id FROM internship_offers WHERE operator_id = $1 AND ($2::bigint IS NULL OR id = $2)), \
         span AS (SELECT $3::date::timestamp AT TIME ZONE 'Europe/Paris' AS since, \
                         ($4::date + 1)::timestamp AT TIME ZONE 'Europe/Paris' AS until), \
         days AS (SELECT d::date AS date FROM generate_series($3::date, $4::date, interval '1 day') d), \
         views AS (SELECT v.day AS date, sum(v.views)::bigint AS n FROM offer_daily_views v JOIN offers o ON o.id = v.internship_offer_id \
                   WHERE v.day BETWEEN $3 AND $4 GROUP BY v.day), \
         clicks AS (SELECT (c.created_at AT TIME ZONE 'Europe/Paris')::date AS date, count(*) AS n FROM apply_clicks c \
                    JOIN offers o ON o.id = c.internship_offer_id WHERE c.created_at >= (SELECT since FROM span) \
                    AND c.created_at < (SELECT until FROM span) GROUP BY 1), \
         accounts AS (SELECT (a.created_at AT TIME ZONE 'Europe/Paris')::date AS date, count(*) AS n FROM account_activities a \
                      JOIN offers o ON o.id = a.internship_offer_id WHERE a.created_at >= (SELECT since FROM span) \
                      AND a.created_at < (SELECT until FROM span) GROUP BY 1), \
         apps AS (SELECT (t.created_at AT TIME ZONE 'Europe/Paris')::date AS date, \
                  count(*) FILTER (WHERE remote_status = 'application_submitted') AS submitted, \
                  count(*) FILTER (WHERE remote_status = 'application_approved') AS approved, \
                  count(*) FILTER (WHERE remote_status = 'application_rejected') AS rejected, \
                  count(*) FILTER (WHERE remote_status = 'application_canceled') AS canceled \
                  FROM application_trackings t JOIN offers o ON o.id = t.internship_offer_id \
                  WHERE t.created_at >= (SELECT since FROM span) AND t.created_at < (SELECT until FROM span) GROUP BY 1) \
         SELECT days.date, coalesce(views.n, 0) AS views, coalesce(clicks.n, 0) AS apply_clicks, \
                coalesce(accounts.n, 0) AS accounts_created, coalesce(apps.submitted, 0) AS applications_submitted, \
                coalesce(apps.approved, 0) AS applications_approved, coalesce(apps.rejected, 0) AS applications_rejected, \
                coalesce(apps.canceled, 0) AS applications_canceled \
         FROM days LEFT JOIN views USING (date) LEFT JOIN clicks USING (date) LEFT JOIN accounts USING (date) \
         LEFT JOIN apps USING (date) ORDER BY days.date",
    )
    .bind::<BigInt, _>(operator_id)
    .bind::<diesel::sql_types::Nullable<BigInt>, _>(offer_id)
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)
}

/// First and last day with any activity on an offer.
pub fn activity_span(
    conn: &mut PgConnection,
    offer_id: i64,
) -> QueryResult<(Option<NaiveDate>, Option<NaiveDate>)> {
    #[derive(QueryableByName)]
    struct Span {
        #[diesel(sql_type = diesel::sql_types::Nullable<Date>)]
        first: Option<NaiveDate>,
        #[diesel(sql_type = diesel::sql_types::Nullable<Date>)]
        last: Option<NaiveDate>,
    }
    diesel::sql_query(
        "SELECT min(day) AS first, max(day) AS last FROM ( \
           SELECT day FROM offer_daily_views WHERE internship_offer_id = $1 \
           UNION ALL SELECT (created_at AT TIME ZONE 'Europe/Paris')::date FROM apply_clicks WHERE internship_offer_id = $1 \
           UNION ALL SELECT (created_at AT TIME ZONE 'Europe/Paris')::date FROM account_activities WHERE internship_offer_id = $1 \
           UNION ALL SELECT (created_at AT TIME ZONE 'Europe/Paris')::date FROM application_trackings WHERE internship_offer_id = $1 \
         ) AS activity",
    )
    .bind::<BigInt, _>(offer_id)
    .get_result::<Span>(conn)
    .map(|s| (s.first, s.last))
}
