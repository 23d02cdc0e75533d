//! What every request handler shares: the composition root of the state, built by `cli` (and
//! the tests) from the settings, read by the edge, the endpoints and the pages.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use crate::db::DbPool;
use crate::search::SearchIndex;
use crate::secrets::password_checks::PasswordChecks;
use crate::secrets::token::TokenKey;
use crate::service::referentials::Referentials;

/// Shared by every request.
pub struct AppState {
    pub pool: DbPool,
    /// Bounds the connections each class of route holds (`db::bulkhead`).
    pub bulkheads: Arc<crate::db::bulkhead::Bulkheads>,
    /// Base URL of the public site for links, when not derived from the request.
    pub public_url: Option<String>,
    /// Without `PUBLIC_URL`, the hosts links may name (`ALLOWED_HOSTS`; the listen address by
    /// default).
    pub allowed_hosts: Vec<String>,
    /// The catalogue's search index, fed by the offer event log.
    pub search_index: Arc<SearchIndex>,
    /// The weeks and sectors seen so far (they never change once stored).
    pub referentials: Arc<Referentials>,
    /// Seals and opens API tokens; the session cookies' key derives from it.
    pub token_key: TokenKey,
    /// Session cookies only over HTTPS (when the public URL is https).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Bounds the argon2 work of sign-ins (`SIGN_IN_CONCURRENCY`).
    pub password_checks: Arc<PasswordChecks>,
    /// Webhooks may target loopback addresses (`WEBHOOK_ALLOW_LOOPBACK`, development only).
    pub webhook_allow_loopback: bool,
    /// Requests allowed per window and class of route (`RATE_LIMIT_*`).
    pub rate_limits: crate::domain::rate_limit::RateLimits,
    /// This instance's request counts, shared with the others every 100 ms.
    pub rate_counter: Arc<crate::auth::rate_counter::RateCounter>,
    /// The webhook worker's heartbeat (`GET /ready`).
    pub webhook_heartbeat: Arc<Heartbeat>,
    /// What this instance counts for `GET /metrics` (None if its registry could not be made).
    pub metrics: Option<Arc<crate::metrics::Metrics>>,
    /// The bearer token of `GET /metrics` (`METRICS_TOKEN`); without it, no metrics route.
    pub metrics_token: Option<String>,
}

impl AppState {
    /// What authentication needs of the state.
    pub fn authenticator(&self) -> crate::auth::Authenticator<'_> {
        crate::auth::Authenticator {
            pool: &self.pool,
            limits: self.rate_limits,
            counter: &self.rate_counter,
        }
    }
}

/// When a background worker (the webhook worker) last went round its loop.
#[derive(Debug, Default)]
pub struct Heartbeat {
    last_ms: AtomicI64,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Heartbeat {
    pub fn beat(&self) {
        self.last_ms.store(now_ms(), Ordering::Relaxed);
    }

    /// Whether it beat within `within` (a worker stuck or dead stops beating).
    pub fn alive(&self, within: Duration) -> bool {
        let within = i64::try_from(within.as_millis()).unwrap_or(i64::MAX);
        now_ms() - self.last_ms.load(Ordering::Relaxed) <= within
    }
}
