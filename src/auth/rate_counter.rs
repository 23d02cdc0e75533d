//! Each instance counts requests in memory and, every `FLUSH`, adds what it counted to the
//! shared counters (`rate_limit_hits`) and learns the totals of every instance. A request is
//! judged on the last total plus what this instance counted since: exact on one instance, and
//! within one `FLUSH` of the others' requests on several. The hot path takes no database
//! round trip: a mutex and a map.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::db::DbPool;
use crate::db::queries::rate_limits::{self, Added};
use crate::domain::rate_limit::RouteClass;
use crate::error::ApiError;

/// How often counts are shared with the other instances.
pub const FLUSH: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    subject: String,
    class: RouteClass,
}

/// One subject's count in one window.
#[derive(Debug, Default, Clone, Copy)]
struct Count {
    /// The window's start, in seconds since the epoch, and its length.
    window_start: i64,
    window_secs: i64,
    /// Every instance's total at the last flush.
    shared: u32,
    /// Counted here and being added to the shared total.
    in_flight: u32,
    /// Counted here since.
    pending: u32,
}

#[derive(Debug, Default)]
pub struct RateCounter {
    counts: Mutex<HashMap<Key, Count>>,
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl RateCounter {
    /// Counts one request; the requests counted in its window (this one included, every
    /// instance's as last known) and the seconds until the window ends.
    pub fn count(&self, subject: &str, class: RouteClass, window_secs: u32) -> (u32, u32) {
        let window = i64::from(window_secs.max(1));
        let now = now_secs();
        let window_start = now - now.rem_euclid(window);
        let key = Key {
            subject: subject.to_owned(),
            class,
        };
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let count = counts.entry(key).or_default();
        if count.window_start != window_start {
            *count = Count {
                window_start,
                window_secs: window,
                ..Count::default()
            };
        }
        count.pending += 1;
        let hits = count.shared + count.in_flight + count.pending;
        let reset = u32::try_from(window_start + window - now)
            .unwrap_or(1)
            .max(1);
        (hits, reset)
    }

    /// Adds this instance's counts to the shared ones and learns every instance's totals.
    pub fn flush(&self, conn: &mut diesel::PgConnection) -> Result<(), ApiError> {
        let sent = self.take();
        if sent.is_empty() {
            return Ok(());
        }
        let totals: HashMap<(String, String), (i64, u32)> = rate_limits::add(conn, &sent)?
            .into_iter()
            .map(|t| {
                let hits = t.hits();
                ((t.subject, t.route_class), (t.window_start, hits))
            })
            .collect();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        for added in &sent {
            let key = Key {
                subject: added.subject.clone(),
                class: added.class,
            };
            let Some(count) = counts.get_mut(&key) else {
                continue;
            };
            if count.window_start != added.window_start {
                continue;
            }
            count.in_flight = count.in_flight.saturating_sub(added.hits);
            let total = totals.get(&(key.subject, key.class.as_str().to_owned()));
            if let Some(&(_, hits)) = total.filter(|(start, _)| *start == added.window_start) {
                count.shared = hits;
            }
        }
        Ok(())
    }

    /// Moves what was counted here to in flight; forgets the windows that have ended.
    fn take(&self) -> Vec<Added> {
        let now = now_secs();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        // An ended window is sent once more with what it still had, then forgotten.
        counts.retain(|_, c| c.window_start + c.window_secs > now || c.pending > 0);
        counts
            .iter_mut()
            .map(|(key, count)| {
                let hits = std::mem::take(&mut count.pending);
                count.in_flight += hits;
                Added {
                    subject: key.subject.clone(),
                    class: key.class,
                    window_start: count.window_start,
                    hits,
                }
            })
            .collect()
    }
}

/// Shares the counts every `FLUSH`, on a runtime task, until the server stops.
pub fn keep_flushing(counter: std::sync::Arc<RateCounter>, pool: DbPool) {
    actix_web::rt::spawn(async move {
        let mut every = actix_web::rt::time::interval(FLUSH);
        loop {
            every.tick().await;
            let counter = counter.clone();
            let flushed = crate::db::run(&pool, move |conn| counter.flush(conn)).await;
            if let Err(error) = flushed {
                tracing::debug!(%error, "rate limit counts not shared");
            }
        }
    });
}
