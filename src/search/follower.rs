//! Keeps an index in step with the offer event log, on a thread of its own: at start, it
//! rebuilds the index from the offers table when it has no checkpoint or one older than the
//! log's retention; then it applies the log's events, batch by batch, as they come, and once a
//! day deletes the offers that have ended.

use std::collections::BTreeSet;
use std::sync::{Arc, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::Utc;
use diesel::PgConnection;

use super::schema::day_number;
use super::{Checkpoint, SearchIndex};
use crate::db::DbPool;
use crate::db::queries::offer_events::{self, OfferEvent};
use crate::db::queries::search_documents;
use crate::domain::offer_event::EventPosition;
use crate::paris_time;

/// How often the log is read when it had nothing new.
const POLL: Duration = Duration::from_millis(25);
/// How long to wait after a failure (the database is down or restarting).
const BACKOFF: Duration = Duration::from_secs(1);
/// Events read at once.
const BATCH_EVENTS: i64 = 2_000;
/// Offers read at once while rebuilding.
const BATCH_OFFERS: i64 = 5_000;

/// Starts following the log from `checkpoint` (or from a rebuild), until the index is dropped.
pub fn start(
    index: Arc<SearchIndex>,
    pool: DbPool,
    checkpoint: Option<Checkpoint>,
    retention_days: i32,
) -> Option<JoinHandle<()>> {
    let fresh = checkpoint
        .filter(|c| Utc::now() - c.at < chrono::Duration::days(i64::from(retention_days)));
    let index = Arc::downgrade(&index);
    let spawned = std::thread::Builder::new()
        .name("search-index".into())
        .spawn(move || follow(&index, &pool, fresh));
    spawned
        .inspect_err(|error| tracing::error!(%error, "the search index follower could not start"))
        .ok()
}

fn follow(index: &Weak<SearchIndex>, pool: &DbPool, checkpoint: Option<Checkpoint>) {
    let mut position = checkpoint.map(|c| c.position);
    while let Some(index) = index.upgrade() {
        let step =
            pool.get()
                .map_err(|e| e.to_string())
                .and_then(|mut conn| match position {
                    None => rebuild(&index, &mut conn).map(Some),
                    Some(from) => catch_up(&index, &mut conn, from)
                        .map(|to| Some(to).filter(|to| *to != from)),
                });
        drop(index);
        match step {
            Ok(Some(reached)) => position = Some(reached),
            Ok(None) => std::thread::sleep(POLL),
            Err(error) => {
                tracing::warn!(%error, "search index: cannot follow the offer event log");
                std::thread::sleep(BACKOFF);
            }
        }
    }
}

/// Once a day, when the log has nothing new: deletes the offers that ended before today.
fn sweep_on_a_new_day(index: &SearchIndex) {
    let today = day_number(paris_time::today());
    if index.swept_day() < today {
        match index.sweep(today) {
            Ok(()) => tracing::info!(today, "search index: ended offers swept"),
            Err(error) => tracing::warn!(%error, "search index: cannot sweep ended offers"),
        }
    }
}

/// Applies the events after `from`; the position reached (`from` when there were none).
fn catch_up(
    index: &SearchIndex,
    conn: &mut PgConnection,
    from: EventPosition,
) -> Result<EventPosition, String> {
    let events = offer_events::after(conn, from, BATCH_EVENTS).map_err(|e| e.to_string())?;
    let Some(last) = events.last().map(|e| e.position) else {
        // Caught up: the sweep of the day comes before the index says it is.
        sweep_on_a_new_day(index);
        index.advance(from, true);
        return Ok(from);
    };
    let ids = offer_ids(&events);
    let documents = search_documents::searchable_among(conn, &ids).map_err(|e| e.to_string())?;
    index
        .apply(&ids, &documents, last)
        .map_err(|e| e.to_string())?;
    Ok(last)
}

fn offer_ids(events: &[OfferEvent]) -> Vec<i64> {
    let ids: BTreeSet<i64> = events.iter().map(|e| e.offer_id).collect();
    ids.into_iter().collect()
}

/// Indexes every offer of the catalogue anew; the log position the index then stands at.
/// The position is taken first: the changes made while the table is read come again from the
/// log, and applying one twice changes nothing.
fn rebuild(index: &SearchIndex, conn: &mut PgConnection) -> Result<EventPosition, String> {
    let started = std::time::Instant::now();
    let position = offer_events::horizon(conn).map_err(|e| e.to_string())?;
    index.clear().map_err(|e| e.to_string())?;
    let (mut after_id, mut indexed) = (0, 0);
    loop {
        let page = search_documents::searchable_page(conn, after_id, BATCH_OFFERS)
            .map_err(|e| e.to_string())?;
        let Some(last) = page.last() else { break };
        after_id = last.listing.id;
        indexed += page.len();
        index.add(&page).map_err(|e| e.to_string())?;
        tracing::info!(indexed, "search index: rebuilding");
    }
    index.commit_at(position).map_err(|e| e.to_string())?;
    tracing::info!(
        indexed,
        seconds = started.elapsed().as_secs_f64(),
        "search index rebuilt"
    );
    Ok(position)
}
