//! Where a reader stands in a changes feed. A feed without a cursor starts with a snapshot:
//! the offers, in id order, as they are when each page is read, from a log position taken
//! first; then it follows the offer event log from that position, so a change made while the
//! snapshot was read comes again. Cursors are opaque to partners: `s.<xact>.<event>.<offer>`
//! in the snapshot, `l.<xact>.<event>` in the log.

use std::fmt;

use super::offer_event::EventPosition;

/// Entries per page when `limit` is not sent, and at most.
pub const DEFAULT_LIMIT: i64 = 100;
pub const MAX_LIMIT: i64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedCursor {
    /// In the snapshot taken at `horizon`, after the offer `after_offer`.
    Snapshot {
        horizon: EventPosition,
        after_offer: i64,
    },
    /// In the log, after this event.
    Live(EventPosition),
}

impl FeedCursor {
    /// The start of a feed whose snapshot is taken at `horizon`.
    pub fn snapshot_at(horizon: EventPosition) -> FeedCursor {
        FeedCursor::Snapshot {
            horizon,
            after_offer: 0,
        }
    }

    /// The log position the reader's copy depends on: every event after it must still be kept.
    pub fn needs_events_after(&self) -> EventPosition {
        match *self {
            FeedCursor::Snapshot { horizon, .. } => horizon,
            FeedCursor::Live(position) => position,
        }
    }
}

impl fmt::Display for FeedCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeedCursor::Snapshot {
                horizon,
                after_offer,
            } => write!(f, "s.{horizon}.{after_offer}"),
            FeedCursor::Live(position) => write!(f, "l.{position}"),
        }
    }
}

impl std::str::FromStr for FeedCursor {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let number = |part: Option<&str>| -> Result<i64, ()> {
            part.and_then(|p| p.parse().ok())
                .filter(|n: &i64| *n >= 0)
                .ok_or(())
        };
        let mut parts = text.split('.');
        let tag = parts.next();
        let position = EventPosition {
            xact: number(parts.next())?,
            id: number(parts.next())?,
        };
        let cursor = match tag {
            Some("s") => FeedCursor::Snapshot {
                horizon: position,
                after_offer: number(parts.next())?,
            },
            Some("l") => FeedCursor::Live(position),
            _ => return Err(()),
        };
        match parts.next() {
            None => Ok(cursor),
            Some(_) => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_anything_else_is_refused() {
        let at = EventPosition { xact: 812, id: 40 };
        for cursor in [
            FeedCursor::snapshot_at(at),
            FeedCursor::Snapshot {
                horizon: at,
                after_offer: 77,
            },
            FeedCursor::Live(at),
        ] {
            assert_eq!(cursor.to_string().parse(), Ok(cursor));
            assert_eq!(cursor.needs_events_after(), at);
        }
        assert_eq!("l.812.40".parse(), Ok(FeedCursor::Live(at)));
        for bad in [
            "",
            "l",
            "l.812",
            "l.812.40.1",
            "s.812.40",
            "x.1.2",
            "l.-1.2",
            "l.a.2",
        ] {
            assert_eq!(bad.parse::<FeedCursor>(), Err(()), "{bad}");
        }
    }
}
