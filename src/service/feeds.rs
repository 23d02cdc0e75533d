//! The changes feeds: a snapshot of the offers, then the offer event log, as entries that say
//! what each changed offer is *now* (an upsert) or that it is gone (a tombstone). Because an
//! entry carries the offer's state when the page is read, never the event's, a reader that
//! applies the entries in order ends with exactly the server's state, whatever the order in
//! which concurrent transactions commit. A page reads in one repeatable-read snapshot.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};

use crate::db::models::{ListedOffer, Offer};
use crate::db::queries::feeds::{self, Changed};
use crate::db::queries::offer_events;
use crate::domain::feed::FeedCursor;
use crate::domain::offer_event::EventPosition;
use crate::error::ApiError;

/// One offer as a feed sends it: its ids, and what it is now (None: gone from the feed).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedOffer<T> {
    pub offer_id: i64,
    pub remote_id: String,
    pub offer: Option<T>,
}

/// One entry, and the cursor to resume after it.
#[derive(Debug, PartialEq)]
pub struct Change<T> {
    pub cursor: FeedCursor,
    pub offer: FeedOffer<T>,
}

#[derive(Debug, PartialEq)]
pub struct FeedPage<T> {
    pub changes: Vec<Change<T>>,
    pub next_cursor: FeedCursor,
    /// Read again at once: the snapshot or the log has more.
    pub has_more: bool,
}

/// Which offers a feed follows, and how it reads them.
pub trait FeedSource {
    type Offer: Clone;
    /// The operator whose events are read; None for every operator's.
    fn operator_id(&self) -> Option<i64>;
    /// At most `limit` offers of the snapshot after `after_id`, in id order, but `skip`.
    fn snapshot(
        &self,
        conn: &mut PgConnection,
        after: (i64, &[i64]),
        limit: i64,
    ) -> QueryResult<Vec<FeedOffer<Self::Offer>>>;
    /// What each of these changed offers is now, by the id its event names.
    fn now(
        &self,
        conn: &mut PgConnection,
        offer_ids: &[i64],
    ) -> QueryResult<HashMap<i64, FeedOffer<Self::Offer>>>;
}

/// The operator's own offers, by `remote_id`: a remote_id is gone when no live offer has it.
pub struct OwnOffers {
    pub operator_id: i64,
}

impl FeedSource for OwnOffers {
    type Offer = Offer;

    fn operator_id(&self) -> Option<i64> {
        Some(self.operator_id)
    }

    fn snapshot(
        &self,
        conn: &mut PgConnection,
        after: (i64, &[i64]),
        limit: i64,
    ) -> QueryResult<Vec<FeedOffer<Offer>>> {
        let offers = feeds::own_live_after(conn, self.operator_id, after, limit)?;
        Ok(offers.into_iter().map(live_offer).collect())
    }

    fn now(
        &self,
        conn: &mut PgConnection,
        offer_ids: &[i64],
    ) -> QueryResult<HashMap<i64, FeedOffer<Offer>>> {
        let remote_ids = feeds::remote_ids_of(conn, offer_ids)?;
        let names: Vec<String> = remote_ids.iter().map(|(_, name)| name.clone()).collect();
        let live: HashMap<String, Offer> =
            feeds::own_live_by_remote_ids(conn, self.operator_id, &names)?
                .into_iter()
                .map(|offer| (offer.remote_id.clone(), offer))
                .collect();
        Ok(remote_ids
            .into_iter()
            .map(|(id, remote_id)| {
                let now = match live.get(&remote_id) {
                    Some(offer) => live_offer(offer.clone()),
                    None => FeedOffer {
                        offer_id: id,
                        remote_id,
                        offer: None,
                    },
                };
                (id, now)
            })
            .collect())
    }
}

fn live_offer(offer: Offer) -> FeedOffer<Offer> {
    FeedOffer {
        offer_id: offer.id,
        remote_id: offer.remote_id.clone(),
        offer: Some(offer),
    }
}

/// The catalogue on `today`, by offer id: an offer is gone when it is unpublished, full, over
/// or deleted.
pub struct Catalogue {
    pub today: NaiveDate,
}

impl FeedSource for Catalogue {
    type Offer = ListedOffer;

    fn operator_id(&self) -> Option<i64> {
        None
    }

    fn snapshot(
        &self,
        conn: &mut PgConnection,
        after: (i64, &[i64]),
        limit: i64,
    ) -> QueryResult<Vec<FeedOffer<ListedOffer>>> {
        let rows = feeds::catalogue_after(conn, self.today, after, limit)?;
        Ok(rows
            .into_iter()
            .map(|row| FeedOffer {
                offer_id: row.listing.id,
                remote_id: row.remote_id,
                offer: Some(row.listing),
            })
            .collect())
    }

    fn now(
        &self,
        conn: &mut PgConnection,
        offer_ids: &[i64],
    ) -> QueryResult<HashMap<i64, FeedOffer<ListedOffer>>> {
        let mut listed: HashMap<i64, ListedOffer> =
            feeds::catalogue_among(conn, self.today, offer_ids)?
                .into_iter()
                .map(|row| (row.listing.id, row.listing))
                .collect();
        Ok(feeds::remote_ids_of(conn, offer_ids)?
            .into_iter()
            .map(|(id, remote_id)| {
                let offer = listed.remove(&id);
                let now = FeedOffer {
                    offer_id: id,
                    remote_id,
                    offer,
                };
                (id, now)
            })
            .collect())
    }
}

/// The page after `since` (from the start without it), of at most `limit` entries.
pub fn page<S: FeedSource>(
    conn: &mut PgConnection,
    source: &S,
    since: Option<FeedCursor>,
    limit: i64,
) -> Result<FeedPage<S::Offer>, ApiError> {
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(|conn| {
            let trimmed = feeds::trimmed_through(conn)?;
            let cursor = match since {
                Some(cursor) => cursor,
                None => FeedCursor::snapshot_at(offer_events::horizon(conn)?.max(trimmed)),
            };
            if cursor.needs_events_after() < trimmed {
                return Err(ApiError::CursorExpired);
            }
            let page = match cursor {
                FeedCursor::Snapshot {
                    horizon,
                    after_offer,
                } => snapshot_page(conn, source, horizon, after_offer, limit)?,
                FeedCursor::Live(from) => live_page(conn, source, from, limit)?,
            };
            Ok(page)
        })
}

/// The snapshot's next offers; at its end, the reader goes on from the log at `horizon`. The
/// offers changed since `horizon` are left to the log: each offer comes once.
fn snapshot_page<S: FeedSource>(
    conn: &mut PgConnection,
    source: &S,
    horizon: EventPosition,
    after_offer: i64,
    limit: i64,
) -> QueryResult<FeedPage<S::Offer>> {
    let changed = feeds::changed_since(conn, horizon, source.operator_id())?;
    let mut offers = source.snapshot(conn, (after_offer, &changed), limit + 1)?;
    let more_offers = offers.len() > limit as usize;
    offers.truncate(limit as usize);
    let at = |after_offer| FeedCursor::Snapshot {
        horizon,
        after_offer,
    };
    let next_cursor = match offers.last() {
        Some(last) if more_offers => at(last.offer_id),
        _ => FeedCursor::Live(horizon),
    };
    let changes = offers
        .into_iter()
        .map(|offer| Change {
            cursor: at(offer.offer_id),
            offer,
        })
        .collect();
    Ok(FeedPage {
        changes,
        next_cursor,
        has_more: true,
    })
}

/// The log's next events, each offer once (at its last event in the page), as it is now.
fn live_page<S: FeedSource>(
    conn: &mut PgConnection,
    source: &S,
    from: EventPosition,
    limit: i64,
) -> QueryResult<FeedPage<S::Offer>> {
    let mut events = feeds::changed_after(conn, from, source.operator_id(), limit + 1)?;
    let has_more = events.len() > limit as usize;
    events.truncate(limit as usize);
    let last = events.last().map_or(from, |event| event.position);
    // Caught up: every event readable in this snapshot was read, so the reader may skip to the
    // log's horizon (an idle reader's cursor stays within the retention).
    let next = if has_more {
        last
    } else {
        last.max(offer_events::horizon(conn)?)
    };
    let ids: Vec<i64> = events
        .iter()
        .map(|e| e.offer_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let now = source.now(conn, &ids)?;
    Ok(FeedPage {
        changes: latest_per_offer(&events, &now),
        next_cursor: FeedCursor::Live(next),
        has_more,
    })
}

/// The entries of `events` in log order, keeping only the last one of each offer.
fn latest_per_offer<T: Clone>(
    events: &[Changed],
    now: &HashMap<i64, FeedOffer<T>>,
) -> Vec<Change<T>> {
    let last_event_of: HashMap<i64, usize> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| now.get(&e.offer_id).map(|offer| (offer.offer_id, i)))
        .collect();
    events
        .iter()
        .enumerate()
        .filter_map(|(i, event)| {
            let offer = now.get(&event.offer_id)?;
            (last_event_of.get(&offer.offer_id) == Some(&i)).then(|| Change {
                cursor: FeedCursor::Live(event.position),
                offer: offer.clone(),
            })
        })
        .collect()
}
