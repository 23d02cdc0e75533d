//! The audit log: who revealed, rotated or deactivated which token, who changed which access.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::{accounts, audit_events, operators};

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_events)]
pub struct NewAuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub operator_id: Option<i64>,
    pub account_id: Option<i64>,
    pub detail: &'a str,
}

/// One line of the journal, with the names it refers to.
#[derive(Debug, Clone, Queryable)]
pub struct AuditEntry {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub operator_name: Option<String>,
    pub account_email: Option<String>,
    pub detail: String,
}

pub fn record(conn: &mut PgConnection, event: NewAuditEvent<'_>) -> QueryResult<usize> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)
}

/// The newest entries first, `limit` of them after skipping `offset`.
pub fn newest(conn: &mut PgConnection, limit: i64, offset: i64) -> QueryResult<Vec<AuditEntry>> {
    audit_events::table
        .left_join(operators::table)
        .left_join(accounts::table)
        .order((audit_events::created_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .offset(offset)
        .select((
            audit_events::id,
            audit_events::created_at,
            audit_events::actor,
            audit_events::action,
            operators::name.nullable(),
            accounts::email.nullable(),
            audit_events::detail,
        ))
        .load(conn)
}

pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    audit_events::table.count().get_result(conn)
}
