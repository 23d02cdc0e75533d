//! From the offer event log to the outbox. One instance at a time feeds (it holds the
//! feeder's row, `FOR UPDATE SKIP LOCKED`), and the position read is saved in the transaction
//! that writes the events, so each change becomes one event, once. Its daily job also records
//! in the log the offers whose last day is over (the catalogue feed's tombstones).

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use diesel::{Connection, PgConnection, QueryResult};
use serde_json::{Value, json};

use crate::api::offers::response::OfferResponse;
use crate::db::models::Offer;
use crate::db::queries::offer_events::{self, OfferEvent};
use crate::db::queries::webhooks::{self, NewEvent};
use crate::db::queries::{activity, offers};
use crate::domain::offer_event::OfferChange;
use crate::domain::webhook::EventType;

/// Events of the log read per transaction.
const BATCH: i64 = 500;

/// Reads the next events of the log into the outbox; when caught up on a new day, runs the
/// daily jobs. Returns how many log events were read (0: nothing new, or another instance
/// is feeding).
pub fn feed_once(conn: &mut PgConnection, today: NaiveDate) -> QueryResult<usize> {
    conn.transaction(|conn| {
        let Some(state) = webhooks::lock_feed(conn)? else {
            return Ok(0);
        };
        let events = offer_events::after(conn, state.position(), BATCH)?;
        if !events.is_empty() {
            let listening: HashSet<i64> = webhooks::operators_listening_any(conn)?
                .into_iter()
                .collect();
            let told: Vec<&OfferEvent> = events
                .iter()
                .filter(|e| listening.contains(&e.operator_id))
                .collect();
            // The batch's offers in one read.
            let ids: Vec<i64> = told.iter().map(|e| e.offer_id).collect();
            let offers: HashMap<i64, Offer> = offers::find_by_ids(conn, &ids)?
                .into_iter()
                .map(|offer| (offer.id, offer))
                .collect();
            for event in told {
                if let Some(offer) = offers.get(&event.offer_id) {
                    emit_offer_event(conn, event, offer)?;
                }
            }
        }
        let position = events.last().map_or(state.position(), |e| e.position);
        let mut daily_done_on = state.daily_done_on;
        let caught_up = events.len() < BATCH as usize;
        if caught_up && daily_done_on != Some(today) {
            let yesterday = today - Duration::days(1);
            let since = daily_done_on.map_or(yesterday, |done| done.min(yesterday));
            offer_events::record_ended(conn, since, yesterday)?;
            emit_expired(conn, since, yesterday)?;
            emit_daily_stats(conn, yesterday)?;
            daily_done_on = Some(today);
        }
        // Nothing written while idle: no row churn, no transaction id taken.
        if position != state.position() || daily_done_on != state.daily_done_on {
            webhooks::save_feed(conn, position, daily_done_on)?;
        }
        Ok(events.len())
    })
}

/// What an offer change tells partners: None for changes they are not sent.
fn event_type_of(change: OfferChange, offer: &Offer) -> Option<EventType> {
    match change {
        OfferChange::Created => Some(EventType::OfferCreated),
        OfferChange::Updated | OfferChange::Republished => Some(EventType::OfferUpdated),
        OfferChange::Unpublished => Some(EventType::OfferUnpublished),
        OfferChange::Deleted => Some(EventType::OfferDeleted),
        OfferChange::SeatTaken if offer.approved_count >= offer.max_candidates => {
            Some(EventType::OfferFull)
        }
        // `offer.expired` comes from the daily job, for the offers of listening operators.
        OfferChange::SeatTaken | OfferChange::SeatFreed | OfferChange::Expired => None,
    }
}

/// `{"remote_id", "offer"}` (without `offer` for a deletion).
pub fn offer_data(offer: &Offer, with_offer: bool) -> Value {
    if with_offer {
        json!({ "remote_id": offer.remote_id, "offer": OfferResponse::from(offer) })
    } else {
        json!({ "remote_id": offer.remote_id })
    }
}

fn emit_offer_event(conn: &mut PgConnection, event: &OfferEvent, offer: &Offer) -> QueryResult<()> {
    let Some(kind) = event_type_of(event.change, offer) else {
        return Ok(());
    };
    let data = offer_data(offer, kind != EventType::OfferDeleted);
    // A subscription made after the change does not receive it.
    let new = NewEvent {
        changed_at: Some(event.occurred_at),
        ..NewEvent::new(event.operator_id, kind.as_str(), &data)
    };
    webhooks::emit(conn, &new)?;
    Ok(())
}

/// `offer.expired` for the published offers whose last day fell in [from, to].
fn emit_expired(conn: &mut PgConnection, from: NaiveDate, to: NaiveDate) -> QueryResult<()> {
    let kind = EventType::OfferExpired.as_str();
    let operators = webhooks::operators_listening(conn, kind)?;
    if operators.is_empty() {
        return Ok(());
    }
    for offer in offers::ended_between(conn, &operators, from, to)? {
        let key = format!("{kind}:{}", offer.id);
        let data = offer_data(&offer, true);
        let new = NewEvent {
            dedupe_key: Some(&key),
            ..NewEvent::new(offer.operator_id, kind, &data)
        };
        webhooks::emit(conn, &new)?;
    }
    Ok(())
}

/// `stats.daily`: yesterday's counts, for each listening operator with activity.
fn emit_daily_stats(conn: &mut PgConnection, day: NaiveDate) -> QueryResult<()> {
    let kind = EventType::StatsDaily.as_str();
    for operator_id in webhooks::operators_listening(conn, kind)? {
        let Some(counts) = activity::daily_activity(conn, operator_id, None, day, day)?.pop()
        else {
            continue;
        };
        let any = [
            counts.views,
            counts.apply_clicks,
            counts.accounts_created,
            counts.applications_submitted,
            counts.applications_approved,
            counts.applications_rejected,
            counts.applications_canceled,
        ]
        .iter()
        .any(|n| *n > 0);
        if any {
            let key = format!("{kind}:{operator_id}:{day}");
            let data = serde_json::to_value(&counts).unwrap_or_default();
            let new = NewEvent {
                dedupe_key: Some(&key),
                ..NewEvent::new(operator_id, kind, &data)
            };
            webhooks::emit(conn, &new)?;
        }
    }
    Ok(())
}
