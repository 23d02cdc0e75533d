//! Pupils' privacy: the purge of traces older than the retention, and the erasure of a pupil
//! (`monstage privacy purge`, `monstage student erase`, and the server's daily purge). Both roll
//! the traces up into anonymous counts first (`db::queries::pupil_traces`), so statistics keep
//! their totals.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};
use serde::Serialize;

use super::access::{Actor, Subject, record};
use super::error::AdminError;
use crate::db::queries::pupil_traces::{self, RolledUp, Traces};
use crate::db::queries::{students, webhooks};
use crate::domain::audit::AuditAction;

/// The advisory lock of the purge ("ms3epurg"): one instance purges at a time.
const PURGE_LOCK: i64 = 0x6d73_3365_7075_7267;

#[derive(Debug, Serialize)]
pub struct Purged {
    pub retention_days: i32,
    /// Traces recorded before this instant were rolled up and deleted.
    pub before: DateTime<Utc>,
    /// Another instance was purging: nothing was done here.
    pub skipped: bool,
    pub removed: RolledUp,
}

/// Rolls up and deletes the pupils' traces older than `retention_days`, unless another
/// instance is doing it (then `skipped`). Running it again finds nothing to do.
pub fn purge(conn: &mut PgConnection, retention_days: i32) -> Result<Purged, AdminError> {
    let before = Utc::now() - chrono::Duration::days(i64::from(retention_days));
    conn.transaction(|conn| {
        #[derive(QueryableByName)]
        struct Locked {
            #[diesel(sql_type = Bool)]
            locked: bool,
        }
        let lock: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
            .bind::<BigInt, _>(PURGE_LOCK)
            .get_result(conn)?;
        let removed = if lock.locked {
            // The first purge of a large history may take longer than a request's 15 s.
            diesel::sql_query("SET LOCAL statement_timeout = '10min'").execute(conn)?;
            pupil_traces::roll_up(conn, Traces::OlderThan(before))?
        } else {
            RolledUp::default()
        };
        Ok(Purged {
            retention_days,
            before,
            skipped: !lock.locked,
            removed,
        })
    })
}

#[derive(Debug, Serialize)]
pub struct Erased {
    pub student_id: i64,
    pub removed: RolledUp,
    /// Webhook events kept in the outbox (delivered or not) whose `student_id` was blanked.
    pub webhook_events_blanked: i64,
}

/// Erases a pupil in one transaction: their traces (rolled up into anonymous counts first),
/// their id in the webhook outbox, then their identity. Audited; the id is unknown afterwards.
pub fn erase_student(
    conn: &mut PgConnection,
    student_id: i64,
    actor: &Actor,
) -> Result<Erased, AdminError> {
    conn.transaction(|conn| {
        if !students::exists(conn, student_id)? {
            return Err(AdminError::NotFound(format!("no student {student_id}")));
        }
        let removed = pupil_traces::roll_up(conn, Traces::OfStudent(student_id))?;
        let blanked = webhooks::forget_student(conn, student_id)?;
        students::delete(conn, student_id)?;
        let detail = format!("élève {student_id}");
        record(
            conn,
            actor,
            AuditAction::StudentErased,
            Subject::default(),
            &detail,
        )?;
        Ok(Erased {
            student_id,
            removed,
            webhook_events_blanked: i64::try_from(blanked).unwrap_or(i64::MAX),
        })
    })
}
