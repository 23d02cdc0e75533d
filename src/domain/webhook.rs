//! Webhooks: the events partners can subscribe to, what becomes of a delivery, and when a
//! failed one is tried again.

use std::time::Duration;

/// A kind of event sent to partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    OfferCreated,
    OfferUpdated,
    OfferUnpublished,
    OfferDeleted,
    /// The last seat was taken.
    OfferFull,
    /// The offer's last week is over.
    OfferExpired,
    PupilApplyClicked,
    ApplicationStatusRecorded,
    StatsDaily,
    /// Sent on demand to one subscription (`POST /api/webhooks/{id}/ping`); never subscribed to.
    Ping,
}

/// The types a subscription may list.
pub const SUBSCRIBABLE: [EventType; 9] = [
    EventType::OfferCreated,
    EventType::OfferUpdated,
    EventType::OfferUnpublished,
    EventType::OfferDeleted,
    EventType::OfferFull,
    EventType::OfferExpired,
    EventType::PupilApplyClicked,
    EventType::ApplicationStatusRecorded,
    EventType::StatsDaily,
];

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::OfferCreated => "offer.created",
            EventType::OfferUpdated => "offer.updated",
            EventType::OfferUnpublished => "offer.unpublished",
            EventType::OfferDeleted => "offer.deleted",
            EventType::OfferFull => "offer.full",
            EventType::OfferExpired => "offer.expired",
            EventType::PupilApplyClicked => "pupil.apply_clicked",
            EventType::ApplicationStatusRecorded => "application.status_recorded",
            EventType::StatsDaily => "stats.daily",
            EventType::Ping => "ping",
        }
    }

    pub fn parse(text: &str) -> Option<EventType> {
        SUBSCRIBABLE
            .into_iter()
            .chain([EventType::Ping])
            .find(|kind| kind.as_str() == text)
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next try.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every try failed.
    Failed,
    /// Its subscription was deleted or disabled (410) before it was delivered.
    Cancelled,
}

pub const DELIVERY_STATUSES: [DeliveryStatus; 4] = [
    DeliveryStatus::Pending,
    DeliveryStatus::Delivered,
    DeliveryStatus::Failed,
    DeliveryStatus::Cancelled,
];

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        DELIVERY_STATUSES.into_iter().find(|s| s.as_str() == text)
    }
}

/// Tries of one delivery, at most.
pub const MAX_ATTEMPTS: i32 = 8;

/// Waits after the 1st, 2nd… 7th failed try, in seconds: 8 tries over about 24 hours.
const RETRY_WAITS: [u64; 7] = [60, 300, 1_800, 7_200, 18_000, 28_800, 28_800];

/// How long to wait after `attempts` failed tries before the next one (None: give up).
/// `jitter` in [0, 1) spreads retries by ±10 %; `scale` shortens the schedule (tests, demos).
pub fn retry_wait(attempts: i32, jitter: f64, scale: f64) -> Option<Duration> {
    let index = usize::try_from(attempts).ok()?.checked_sub(1)?;
    let wait = *RETRY_WAITS.get(index)? as f64;
    let spread = 0.9 + 0.2 * jitter.clamp(0.0, 1.0);
    Some(Duration::from_secs_f64(wait * spread * scale.max(0.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_tries_over_about_a_day() {
        let total: f64 = (1..MAX_ATTEMPTS)
            .filter_map(|n| retry_wait(n, 0.5, 1.0))
            .map(|d| d.as_secs_f64())
            .sum();
        assert!((20.0 * 3600.0..=26.0 * 3600.0).contains(&total), "{total}");
        assert_eq!(retry_wait(MAX_ATTEMPTS, 0.5, 1.0), None);
        assert_eq!(retry_wait(0, 0.5, 1.0), None);
        let (low, high) = (retry_wait(1, 0.0, 1.0), retry_wait(1, 0.999, 1.0));
        assert!(low < high && low >= Some(Duration::from_secs(54)));
    }

    #[test]
    fn names_round_trip() {
        for kind in SUBSCRIBABLE {
            assert_eq!(EventType::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventType::parse("ping"), Some(EventType::Ping));
        for status in DELIVERY_STATUSES {
            assert_eq!(DeliveryStatus::parse(status.as_str()), Some(status));
        }
    }
}
