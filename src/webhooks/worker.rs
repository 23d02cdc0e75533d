//! Delivers the outbox: claims due deliveries (once between instances), posts each signed
//! event to its receiver with a timeout, and records the try: delivered on 2xx, the
//! subscription disabled on 410, otherwise tried again later (exponential backoff with
//! jitter, `MAX_ATTEMPTS` tries over about a day) and then failed.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{SecondsFormat, Utc};
use serde_json::json;
use tokio::sync::{Notify, Semaphore, watch};

use super::{WorkerSettings, feeder};
use crate::db::DbPool;
use crate::db::queries::webhook_deliveries::{self, DueDelivery, Outcome};
use crate::db::queries::webhooks;
use crate::domain::webhook::{DeliveryStatus, MAX_ATTEMPTS, retry_wait};
use crate::paris_time;
use crate::secrets::token::TokenKey;
use crate::secrets::webhook_signature;
use crate::webhook_target::{self, GuardedResolver};

/// Deliveries in flight at once, per instance.
const IN_FLIGHT: usize = 16;

/// What every delivery shares.
struct Deliverer {
    pool: DbPool,
    key: TokenKey,
    client: reqwest::Client,
    settings: WorkerSettings,
    /// The deliveries claimed and not yet recorded.
    in_flight: Mutex<HashSet<i64>>,
}

/// Delivers until `stop` turns true (or its sender is gone), then hands back what is unfinished.
pub async fn run(
    pool: DbPool,
    key: TokenKey,
    settings: WorkerSettings,
    stop: watch::Receiver<bool>,
) {
    let client = reqwest::Client::builder()
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("monstage-webhooks/1.0")
        .dns_resolver(Arc::new(GuardedResolver {
            allow_loopback: settings.allow_loopback,
        }))
        .build();
    let client = match client {
        Ok(client) => client,
        Err(error) => return tracing::error!(%error, "webhook client not built"),
    };
    let deliverer = Arc::new(Deliverer {
        pool,
        key,
        client,
        settings,
        in_flight: Mutex::default(),
    });
    let fed = Arc::new(Notify::new());
    tokio::spawn(keep_feeding(
        deliverer.pool.clone(),
        deliverer.settings.poll,
        fed.clone(),
    ));
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    deliver_until_stopped(&deliverer, &slots, &fed, stop).await;
    hand_back(&deliverer, &slots).await;
}

async fn deliver_until_stopped(
    deliverer: &Arc<Deliverer>,
    slots: &Arc<Semaphore>,
    fed: &Notify,
    mut stop: watch::Receiver<bool>,
) {
    while !*stop.borrow_and_update() {
        deliverer.settings.heartbeat.beat();
        // While every slot is busy, wait for one to free up rather than for the next poll.
        tokio::select! {
            _ = slots.acquire() => {}
            _ = stop.changed() => return,
        }
        if claim_and_deliver(deliverer, slots).await == 0 {
            // Until the next poll, or until this instance's feeder wrote events.
            tokio::select! {
                _ = tokio::time::timeout(deliverer.settings.poll, fed.notified()) => {}
                _ = stop.changed() => return,
            }
        }
    }
}

/// Lets the deliveries in flight finish for a moment (`hand_back_after`), then makes the others
/// due at once, for another instance (or the next start) to deliver without waiting for their
/// lease.
async fn hand_back(deliverer: &Deliverer, slots: &Semaphore) {
    let all = IN_FLIGHT as u32;
    let finishing = deliverer.settings.hand_back_after;
    let _ = tokio::time::timeout(finishing, slots.acquire_many(all)).await;
    let unfinished: Vec<i64> = match deliverer.in_flight.lock() {
        Ok(ids) => ids.iter().copied().collect(),
        Err(_) => return,
    };
    if unfinished.is_empty() {
        return;
    }
    let pool = deliverer.pool.clone();
    let count = unfinished.len();
    let handed = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        webhook_deliveries::hand_back(&mut conn, &unfinished).map_err(|e| e.to_string())
    })
    .await;
    match handed {
        Ok(Ok(_)) => tracing::info!(count, "webhook deliveries handed back"),
        // Their lease runs out and they are tried again: at least once.
        Ok(Err(error)) => tracing::warn!(%error, "webhook deliveries not handed back"),
        Err(error) => tracing::warn!(%error, "webhook hand-back aborted"),
    }
}

/// The feeder, beside the deliveries: reads the log as long as there is something to read,
/// and wakes the deliveries up when it wrote events.
async fn keep_feeding(pool: DbPool, poll: std::time::Duration, fed: Arc<Notify>) {
    loop {
        if feed(&pool).await == 0 {
            tokio::time::sleep(poll).await;
        } else {
            fed.notify_one();
        }
    }
}

/// One step of the feeder; how many log events it read.
async fn feed(pool: &DbPool) -> usize {
    let pool = pool.clone();
    let fed = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        feeder::feed_once(&mut conn, paris_time::today()).map_err(|e| e.to_string())
    })
    .await;
    match fed {
        Ok(Ok(read)) => read,
        Ok(Err(error)) => {
            tracing::warn!(%error, "webhook feeder failed");
            0
        }
        Err(error) => {
            tracing::warn!(%error, "webhook feeder aborted");
            0
        }
    }
}

/// Claims as many due deliveries as there are free slots, and starts them.
async fn claim_and_deliver(deliverer: &Arc<Deliverer>, slots: &Arc<Semaphore>) -> usize {
    let free = slots.available_permits().max(1);
    let pool = deliverer.pool.clone();
    let lease = (deliverer.settings.timeout.as_secs() as i32) * 3;
    let claimed = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        webhook_deliveries::claim_due(&mut conn, free as i64, lease).map_err(|e| e.to_string())
    })
    .await;
    let due = match claimed {
        Ok(Ok(due)) => due,
        Ok(Err(error)) => {
            tracing::warn!(%error, "webhook deliveries not claimed");
            return 0;
        }
        Err(error) => {
            tracing::warn!(%error, "webhook claim aborted");
            return 0;
        }
    };
    let count = due.len();
    for delivery in due {
        let Ok(permit) = slots.clone().acquire_owned().await else {
            break;
        };
        let deliverer = deliverer.clone();
        deliverer.track(delivery.id, true);
        tokio::spawn(async move {
            let id = delivery.id;
            deliverer.deliver(delivery).await;
            deliverer.track(id, false);
            drop(permit);
        });
    }
    count
}

impl Deliverer {
    fn track(&self, delivery_id: i64, in_flight: bool) {
        if let Ok(mut ids) = self.in_flight.lock() {
            if in_flight {
                ids.insert(delivery_id);
            } else {
                ids.remove(&delivery_id);
            }
        }
    }

    async fn deliver(&self, delivery: DueDelivery) {
        let started = Instant::now();
        let (status_code, error) = self.post(&delivery).await;
        let outcome = Outcome {
            status_code,
            error,
            duration_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
        };
        self.record(delivery, outcome).await;
    }

    /// Posts the signed event: the receiver's status, or why there was none.
    async fn post(&self, delivery: &DueDelivery) -> (Option<i32>, Option<String>) {
        if let Err(refusal) =
            webhook_target::check(&delivery.url, self.settings.allow_loopback).await
        {
            return (None, Some(format!("adresse refusée : {refusal}")));
        }
        let body = json!({
            "id": delivery.event_id,
            "type": delivery.event_type,
            "created_at": delivery.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "data": delivery.data,
        })
        .to_string();
        let secrets: Vec<String> = [
            Some(&delivery.secret_sealed),
            delivery.previous_secret_sealed.as_ref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|sealed| self.key.open(sealed))
        .collect();
        let timestamp = Utc::now().timestamp();
        let signature = webhook_signature::header_value(&secrets, timestamp, body.as_bytes());
        let sent = self
            .client
            .post(&delivery.url)
            .header("Content-Type", "application/json")
            .header("X-Webhook-Id", delivery.event_id.to_string())
            .header("X-Webhook-Timestamp", timestamp.to_string())
            .header("X-Webhook-Signature-SHA256", signature)
            .body(body)
            .send()
            .await;
        match sent {
            Ok(response) => (Some(i32::from(response.status().as_u16())), None),
            Err(error) if error.is_timeout() => (None, Some("délai de 10 s dépassé".into())),
            Err(error) => (None, Some(format!("envoi impossible : {error}"))),
        }
    }

    /// Where the delivery stands after this try, and when the next one comes.
    fn next_step(&self, attempts_before: i32, outcome: &Outcome) -> (DeliveryStatus, Option<f64>) {
        match outcome.status_code {
            Some(code) if (200..300).contains(&code) => (DeliveryStatus::Delivered, None),
            Some(410) => (DeliveryStatus::Cancelled, None),
            _ => {
                let attempts = attempts_before + 1;
                if attempts >= MAX_ATTEMPTS {
                    return (DeliveryStatus::Failed, None);
                }
                let wait = retry_wait(attempts, rand::random::<f64>(), self.settings.retry_scale);
                (DeliveryStatus::Pending, wait.map(|w| w.as_secs_f64()))
            }
        }
    }

    async fn record(&self, delivery: DueDelivery, outcome: Outcome) {
        let (status, retry_in) = self.next_step(delivery.attempts, &outcome);
        let pool = self.pool.clone();
        let recorded = tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            webhook_deliveries::record_attempt(
                &mut conn,
                delivery.id,
                &outcome,
                status.as_str(),
                retry_in,
            )
            .map_err(|e| e.to_string())?;
            if outcome.status_code == Some(410) {
                webhooks::disable(&mut conn, delivery.subscription_id, "410 Gone")
                    .map_err(|e| e.to_string())?;
            }
            Ok::<_, String>(())
        })
        .await;
        if let Ok(Err(error)) = recorded {
            // The lease runs out and the delivery is tried again: at least once.
            tracing::warn!(%error, delivery = delivery.id, "webhook try not recorded");
        }
    }
}
