//! What happens around an offer on Mon stage de 3e: page views and apply clicks; and the
//! statistics partners read (views, clicks, accounts created, applications, per day), from the
//! pupils' traces and their anonymous roll-ups (`pupil_traces`).

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date};

use crate::db::schema::{apply_clicks, offer_daily_views};

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
                  WHERE t.created_at >= (SELECT since FROM span) AND t.created_at < (SELECT until FROM span) GROUP BY 1), \
         rolled AS (SELECT r.day AS date, sum(r.apply_clicks) AS clicks, sum(r.accounts_created) AS accounts, \
                    sum(r.applications_submitted) AS submitted, sum(r.applications_approved) AS approved, \
                    sum(r.applications_rejected) AS rejected, sum(r.applications_canceled) AS canceled \
                    FROM offer_daily_activity r JOIN offers o ON o.id = r.internship_offer_id \
                    WHERE r.day BETWEEN $3 AND $4 GROUP BY r.day) \
         SELECT days.date, coalesce(views.n, 0) AS views, \
                (coalesce(clicks.n, 0) + coalesce(rolled.clicks, 0))::bigint AS apply_clicks, \
                (coalesce(accounts.n, 0) + coalesce(rolled.accounts, 0))::bigint AS accounts_created, \
                (coalesce(apps.submitted, 0) + coalesce(rolled.submitted, 0))::bigint AS applications_submitted, \
                (coalesce(apps.approved, 0) + coalesce(rolled.approved, 0))::bigint AS applications_approved, \
                (coalesce(apps.rejected, 0) + coalesce(rolled.rejected, 0))::bigint AS applications_rejected, \
                (coalesce(apps.canceled, 0) + coalesce(rolled.canceled, 0))::bigint AS applications_canceled \
         FROM days LEFT JOIN views USING (date) LEFT JOIN clicks USING (date) LEFT JOIN accounts USING (date) \
         LEFT JOIN apps USING (date) LEFT JOIN rolled USING (date) ORDER BY days.date",
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
           UNION ALL SELECT day FROM offer_daily_activity WHERE internship_offer_id = $1 \
         ) AS activity",
    )
    .bind::<BigInt, _>(offer_id)
    .get_result::<Span>(conn)
    .map(|s| (s.first, s.last))
}
