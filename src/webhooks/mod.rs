//! Webhooks to partners: the feeder turns the offer event log (and, once a day, expired offers
//! and yesterday's statistics) into outbox events; the worker delivers the outbox, signed, with
//! retries. Pupil activity writes its events to the outbox in the transaction that records it
//! (`db::queries::webhooks::emit`). Both run on a thread of their own, never on the API's.

pub mod feeder;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use crate::db::DbPool;
use crate::secrets::token::TokenKey;

/// How the delivery worker behaves.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Loopback receivers allowed (development and tests).
    pub allow_loopback: bool,
    /// Multiplies the retry schedule.
    pub retry_scale: f64,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// How often the outbox and the event log are looked at when idle.
    pub poll: Duration,
    /// When the worker stops, how long its deliveries in flight have to finish before the
    /// others are handed back.
    pub hand_back_after: Duration,
    /// Beats at each turn of the delivery loop (`GET /ready` checks it).
    pub heartbeat: Arc<crate::state::Heartbeat>,
}

impl WorkerSettings {
    pub fn new(allow_loopback: bool, retry_scale: f64) -> WorkerSettings {
        WorkerSettings {
            allow_loopback,
            retry_scale,
            timeout: Duration::from_secs(10),
            poll: Duration::from_millis(200),
            hand_back_after: Duration::from_secs(3),
            heartbeat: Arc::default(),
        }
    }
}

/// The running worker: stopping it hands back its unfinished deliveries.
pub struct WorkerHandle {
    stop: tokio::sync::watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl WorkerHandle {
    /// Stops claiming deliveries, lets those in flight finish for a few seconds, hands back the
    /// others (due at once, for another instance), and waits for the worker's thread.
    pub fn stop(mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts the feeder and the delivery worker on a thread of their own.
pub fn start(pool: DbPool, key: TokenKey, settings: WorkerSettings) -> WorkerHandle {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let spawned = std::thread::Builder::new()
        .name("webhooks".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            match runtime {
                Ok(runtime) => runtime.block_on(worker::run(pool, key, settings, stopped)),
                Err(error) => tracing::error!(%error, "webhook worker not started"),
            }
        });
    let thread = spawned
        .inspect_err(|error| tracing::error!(%error, "webhook thread not started"))
        .ok();
    WorkerHandle { stop, thread }
}
