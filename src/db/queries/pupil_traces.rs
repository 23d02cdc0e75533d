//! Pupils' traces (apply clicks, account activities, application trackings): rolled up into
//! anonymous counts per offer and day (`offer_daily_activity`) and deleted, when older than the
//! retention or when their pupil is erased. The statistics add the counts to the traces left,
//! so their totals never change; the seats of rolled-up approvals move to
//! `internship_offers.approved_rolled_up`, so `approved_count` never changes either.

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{BigInt, Timestamptz};

use crate::db::queries::tracking;

/// Which traces to roll up.
#[derive(Debug, Clone, Copy)]
pub enum Traces {
    /// Every trace recorded before this instant.
    OlderThan(DateTime<Utc>),
    /// Every trace of this pupil.
    OfStudent(i64),
}

impl Traces {
    /// `sql`, where `{traces}` stands for the condition on a trace table, with its value bound.
    fn query(self, sql: &str) -> BoxedSqlQuery<'static, Pg, diesel::query_builder::SqlQuery> {
        let condition = match self {
            Traces::OlderThan(_) => "created_at < $1",
            Traces::OfStudent(_) => "student_id = $1",
        };
        let query = diesel::sql_query(sql.replace("{traces}", condition)).into_boxed();
        match self {
            Traces::OlderThan(instant) => query.bind::<Timestamptz, _>(instant),
            Traces::OfStudent(student_id) => query.bind::<BigInt, _>(student_id),
        }
    }
}

/// The traces removed, by table.
#[derive(Debug, Clone, Copy, Default, QueryableByName, serde::Serialize)]
pub struct RolledUp {
    #[diesel(sql_type = BigInt)]
    pub apply_clicks: i64,
    #[diesel(sql_type = BigInt)]
    pub account_activities: i64,
    #[diesel(sql_type = BigInt)]
    pub application_trackings: i64,
}

impl RolledUp {
    pub fn total(&self) -> i64 {
        self.apply_clicks + self.account_activities + self.application_trackings
    }
}

const ROLL_UP: &str = "\
    WITH clicks AS (DELETE FROM apply_clicks WHERE {traces} RETURNING internship_offer_id, created_at), \
    accounts AS (DELETE FROM account_activities WHERE {traces} RETURNING internship_offer_id, created_at), \
    apps AS (DELETE FROM application_trackings WHERE {traces} \
             RETURNING internship_offer_id, created_at, remote_status), \
    traces AS ( \
        SELECT internship_offer_id, created_at, 1 AS click, 0 AS account, NULL::varchar AS status FROM clicks \
        UNION ALL SELECT internship_offer_id, created_at, 0, 1, NULL FROM accounts \
        UNION ALL SELECT internship_offer_id, created_at, 0, 0, remote_status FROM apps), \
    counts AS ( \
        SELECT internship_offer_id, (created_at AT TIME ZONE 'Europe/Paris')::date AS day, \
               sum(click)::int AS apply_clicks, sum(account)::int AS accounts_created, \
               (count(*) FILTER (WHERE status = 'application_submitted'))::int AS applications_submitted, \
               (count(*) FILTER (WHERE status = 'application_approved'))::int AS applications_approved, \
               (count(*) FILTER (WHERE status = 'application_rejected'))::int AS applications_rejected, \
               (count(*) FILTER (WHERE status = 'application_canceled'))::int AS applications_canceled \
        FROM traces GROUP BY 1, 2), \
    kept AS ( \
        INSERT INTO offer_daily_activity AS d (internship_offer_id, day, apply_clicks, accounts_created, \
            applications_submitted, applications_approved, applications_rejected, applications_canceled) \
        SELECT * FROM counts \
        ON CONFLICT (internship_offer_id, day) DO UPDATE SET \
            apply_clicks = d.apply_clicks + excluded.apply_clicks, \
            accounts_created = d.accounts_created + excluded.accounts_created, \
            applications_submitted = d.applications_submitted + excluded.applications_submitted, \
            applications_approved = d.applications_approved + excluded.applications_approved, \
            applications_rejected = d.applications_rejected + excluded.applications_rejected, \
            applications_canceled = d.applications_canceled + excluded.applications_canceled \
        RETURNING 1) \
    SELECT (SELECT count(*) FROM clicks) AS apply_clicks, \
           (SELECT count(*) FROM accounts) AS account_activities, \
           (SELECT count(*) FROM apps) AS application_trackings, \
           (SELECT count(*) FROM kept) AS days";

/// Rolls `traces` up and deletes them; call it inside a transaction.
pub fn roll_up(conn: &mut PgConnection, traces: Traces) -> QueryResult<RolledUp> {
    #[derive(QueryableByName)]
    struct Offer {
        #[diesel(sql_type = BigInt)]
        internship_offer_id: i64,
    }
    // The offers whose seats may move, locked as a tracking locks its offer, so that no
    // recount runs between the deletion and the move of the seats.
    let offers: Vec<Offer> = traces
        .query(
            "SELECT id AS internship_offer_id FROM internship_offers WHERE id IN \
             (SELECT internship_offer_id FROM application_trackings WHERE {traces}) \
             ORDER BY id FOR UPDATE",
        )
        .load(conn)?;
    let approved_before = offers
        .iter()
        .map(|o| {
            Ok((
                o.internship_offer_id,
                tracking::raw_approved(conn, o.internship_offer_id)?,
            ))
        })
        .collect::<QueryResult<Vec<(i64, i64)>>>()?;
    let rolled: RolledUp = traces.query(ROLL_UP).get_result(conn)?;
    for (offer_id, before) in approved_before {
        let moved = before - tracking::raw_approved(conn, offer_id)?;
        if moved != 0 {
            diesel::sql_query(
                "UPDATE internship_offers SET approved_rolled_up = approved_rolled_up + $2 WHERE id = $1",
            )
            .bind::<BigInt, _>(offer_id)
            .bind::<diesel::sql_types::Int4, _>(i32::try_from(moved).unwrap_or(0))
            .execute(conn)?;
        }
    }
    Ok(rolled)
}
