//! What a database error means for the caller: the database is unreachable (answer 503 and
//! never reuse the connection), a unique constraint refused a row (the domain's conflict), or
//! anything else (a defect of ours).

use diesel::result::{DatabaseErrorKind, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The connection is lost or the server refuses work: retry later.
    Unavailable,
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
