//! The changes of an offer that partners or the catalogue can see, as the offer event log
//! records them, and where an event stands in the log.

use std::fmt;

/// One kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferChange {
    Created,
    Updated,
    Unpublished,
    Republished,
    Deleted,
    /// An approved application took a seat.
    SeatTaken,
    /// An approval was withdrawn: a seat is free again.
    SeatFreed,
    /// Its last day is over (recorded by the log's daily job): it left the catalogue.
    Expired,
}

const ALL: [OfferChange; 8] = [
    OfferChange::Created,
    OfferChange::Updated,
    OfferChange::Unpublished,
    OfferChange::Republished,
    OfferChange::Deleted,
    OfferChange::SeatTaken,
    OfferChange::SeatFreed,
    OfferChange::Expired,
];

impl OfferChange {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferChange::Created => "created",
            OfferChange::Updated => "updated",
            OfferChange::Unpublished => "unpublished",
            OfferChange::Republished => "republished",
            OfferChange::Deleted => "deleted",
            OfferChange::SeatTaken => "seat_taken",
            OfferChange::SeatFreed => "seat_freed",
            OfferChange::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<OfferChange> {
        ALL.into_iter().find(|change| change.as_str() == text)
    }

    /// The change an update makes, by whether the offer was published before and after it.
    pub fn of_update(published_before: bool, published_after: bool) -> OfferChange {
        match (published_before, published_after) {
            (true, false) => OfferChange::Unpublished,
            (false, true) => OfferChange::Republished,
            _ => OfferChange::Updated,
        }
    }

    /// The change in seats when the approvals of an offer go from `before` to `after`.
    pub fn of_approvals(before: i32, after: i32) -> Option<OfferChange> {
        match after.cmp(&before) {
            std::cmp::Ordering::Greater => Some(OfferChange::SeatTaken),
            std::cmp::Ordering::Less => Some(OfferChange::SeatFreed),
            std::cmp::Ordering::Equal => None,
        }
    }
}

impl fmt::Display for OfferChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an event stands in the log: its transaction, then its row. Events are read in this
/// order, which no transaction committing late can break (see `db::queries::offer_events`).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct EventPosition {
    pub xact: i64,
    pub id: i64,
}

impl EventPosition {
    /// Before every event.
    pub const ORIGIN: EventPosition = EventPosition { xact: 0, id: 0 };
}

/// `<transaction>.<row>`, as consumers store it.
impl fmt::Display for EventPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.xact, self.id)
    }
}

impl std::str::FromStr for EventPosition {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let (xact, id) = text.split_once('.').ok_or(())?;
        Ok(EventPosition {
            xact: xact.parse().map_err(|_| ())?,
            id: id.parse().map_err(|_| ())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_updates_say_what_changed() {
        for change in ALL {
            assert_eq!(OfferChange::parse(change.as_str()), Some(change));
        }
        assert_eq!(
            OfferChange::of_update(true, false),
            OfferChange::Unpublished
        );
        assert_eq!(
            OfferChange::of_update(false, true),
            OfferChange::Republished
        );
        assert_eq!(OfferChange::of_update(true, true), OfferChange::Updated);
        assert_eq!(
            OfferChange::of_approvals(1, 2),
            Some(OfferChange::SeatTaken)
        );
        assert_eq!(
            OfferChange::of_approvals(2, 1),
            Some(OfferChange::SeatFreed)
        );
        assert_eq!(OfferChange::of_approvals(2, 2), None);
    }

    #[test]
    fn positions_order_by_transaction_then_row() {
        let early_xact = EventPosition { xact: 7, id: 90 };
        let late_xact = EventPosition { xact: 8, id: 3 };
        assert!(early_xact < late_xact);
        assert_eq!("8.3".parse::<EventPosition>(), Ok(late_xact));
        assert_eq!(late_xact.to_string(), "8.3");
        assert!("8".parse::<EventPosition>().is_err());
    }
}
