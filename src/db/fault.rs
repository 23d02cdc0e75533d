//! What a database error means for the caller: the database is unreachable (answer 503 and
//! never reuse the connection), busy (a lock or the statement waited too long: 503 too), a
//! unique constraint refused a row (the domain's conflict), or anything else (a defect of ours).

use diesel::result::{DatabaseErrorKind, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The connection is lost or the server refuses work: retry later.
    Unavailable,
    /// The statement waited for a lock longer than `lock_timeout`, or ran longer than
    /// `statement_timeout` (a slow table): retry later.
    Busy,
    /// A unique index refused the row.
    UniqueViolation,
    Other,
}

pub fn fault(error: &Error) -> Fault {
    match error {
        Error::DatabaseError(kind, info) => match kind {
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
                Fault::Unavailable
            }
            DatabaseErrorKind::UniqueViolation => Fault::UniqueViolation,
            _ if is_shutting_down(info.message()) => Fault::Unavailable,
            _ if is_timed_out(info.message()) => Fault::Busy,
            _ => Fault::Other,
        },
        Error::BrokenTransactionManager => Fault::Unavailable,
        _ => Fault::Other,
    }
}

/// Messages of the errors a server sends while it shuts down, restarts or recovers (SQLSTATE
/// 57P01–57P03); diesel reports them with no kind of their own.
fn is_shutting_down(message: &str) -> bool {
    [
        "terminating connection due to administrator command",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "terminating connection because of crash of another server process",
    ]
    .iter()
    .any(|known| message.contains(known))
}

/// Messages of a statement cancelled by `lock_timeout` (SQLSTATE 55P03) or `statement_timeout`
/// (57014).
fn is_timed_out(message: &str) -> bool {
    message.starts_with("canceling statement due to lock timeout")
        || message.starts_with("canceling statement due to statement timeout")
}
