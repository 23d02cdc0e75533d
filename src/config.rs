//! Settings, read once from the environment (see .env.example).

use std::net::IpAddr;

use crate::domain::rate_limit::RateLimits;
use crate::secrets::token::TokenKey;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub listen_addr: String,
    pub token_key: TokenKey,
    pub public_url: Option<String>,
    /// Without `PUBLIC_URL`: the hosts (`host:port`) links may name.
    pub allowed_hosts: Vec<String>,
    pub db_pool_size: u32,
    pub workers: usize,
    /// On `SIGTERM`/`SIGINT`, how long requests in flight have to finish (`SHUTDOWN_DRAIN_SECS`).
    pub shutdown_drain: std::time::Duration,
    /// Where the search index is kept (`SEARCH_INDEX_DIR`).
    pub search_index_dir: std::path::PathBuf,
    pub trusted_proxies: Vec<IpAddr>,
    /// Password checks (argon2id, 19 MiB each) that may run at once.
    pub sign_in_concurrency: usize,
    /// Days the offer event log keeps its events.
    pub event_retention_days: i32,
    /// Days pupils' traces are kept before they are rolled up into anonymous counts.
    pub pupil_trace_retention_days: i32,
    /// Webhooks may target loopback addresses (development and tests only).
    pub webhook_allow_loopback: bool,
    /// Multiplies the webhook retry schedule (1 = about 24 h over 8 tries).
    pub webhook_retry_scale: f64,
    /// Requests allowed per window and class of route.
    pub rate_limits: RateLimits,
    /// The bearer token of `GET /metrics`.
    pub metrics_token: Option<String>,
}

/// `RATE_LIMIT_WRITE`, `_READ`, `_SEARCH`, `_TRACKING` (per credential), `_UNAUTHENTICATED` (per
/// client address), per `RATE_LIMIT_WINDOW_SECS`; `RATE_LIMIT_ENABLED=false` turns them off.
fn rate_limits() -> Result<RateLimits, String> {
    let default = RateLimits::default();
    let limit = |name: &str, default: u32| parsed(name, default).map(|n: u32| n.max(1));
    Ok(RateLimits {
        enabled: var("RATE_LIMIT_ENABLED")
            .is_none_or(|v| !matches!(v.trim(), "false" | "0" | "no")),
        window_secs: limit("RATE_LIMIT_WINDOW_SECS", default.window_secs)?,
        write: limit("RATE_LIMIT_WRITE", default.write)?,
        read: limit("RATE_LIMIT_READ", default.read)?,
        search: limit("RATE_LIMIT_SEARCH", default.search)?,
        tracking: limit("RATE_LIMIT_TRACKING", default.tracking)?,
        unauthenticated: limit("RATE_LIMIT_UNAUTHENTICATED", default.unauthenticated)?,
    })
}

/// `ALLOWED_HOSTS` (comma-separated `host:port`), or the listen address and `localhost` on its
/// port.
fn allowed_hosts(listen_addr: &str) -> Vec<String> {
    match var("ALLOWED_HOSTS") {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect(),
        None => {
            let port = listen_addr.rsplit_once(':').map_or("3000", |(_, p)| p);
            vec![listen_addr.to_owned(), format!("localhost:{port}")]
        }
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    var(name).map_or(Ok(default), |v| {
        v.trim()
            .parse()
            .map_err(|_| format!("{name} is not a valid number: {v}"))
    })
}

/// A comma-separated list of IP addresses.
fn ip_list(name: &str) -> Result<Vec<IpAddr>, String> {
    var(name).map_or(Ok(vec![]), |list| {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse()
                    .map_err(|_| format!("{name}: not an IP address: {entry}"))
            })
            .collect()
    })
}

impl Settings {
    /// The base URL of links printed by the CLI: `PUBLIC_URL`, or the listen address.
    pub fn site_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen_addr),
        }
    }

    /// `DATABASE_URL` alone (what `monstage migrate` needs).
    pub fn database_url_from_env() -> Result<String, String> {
        var("DATABASE_URL").ok_or_else(|| "DATABASE_URL is not set (see .env.example)".into())
    }

    pub fn from_env() -> Result<Settings, String> {
        let database_url = Self::database_url_from_env()?;
        let key = var("TOKEN_ENCRYPTION_KEY").ok_or(
            "TOKEN_ENCRYPTION_KEY is not set: 64 hex digits, e.g. from `openssl rand -hex 32`",
        )?;
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let listen_addr = var("LISTEN_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        Ok(Settings {
            database_url,
            listen_addr: listen_addr.clone(),
            token_key: TokenKey::from_hex(&key)?,
            public_url: var("PUBLIC_URL"),
            allowed_hosts: allowed_hosts(&listen_addr),
            db_pool_size: parsed("DATABASE_POOL_SIZE", 16)?,
            workers: parsed("WORKERS", cores)?,
            shutdown_drain: std::time::Duration::from_secs(
                parsed("SHUTDOWN_DRAIN_SECS", 25_u64)?.clamp(1, 600),
            ),
            search_index_dir: var("SEARCH_INDEX_DIR")
                .unwrap_or_else(|| ".local/search-index".into())
                .into(),
            trusted_proxies: ip_list("TRUSTED_PROXIES")?,
            sign_in_concurrency: parsed("SIGN_IN_CONCURRENCY", cores.min(4))?.clamp(1, 64),
            event_retention_days: parsed("OFFER_EVENTS_RETENTION_DAYS", 30)?.clamp(1, 3650),
            pupil_trace_retention_days: parsed("PUPIL_TRACE_RETENTION_DAYS", 395)?.clamp(1, 3650),
            webhook_allow_loopback: var("WEBHOOK_ALLOW_LOOPBACK")
                .is_some_and(|v| matches!(v.trim(), "true" | "1" | "yes")),
            webhook_retry_scale: parsed("WEBHOOK_RETRY_SCALE", 1.0_f64)?.clamp(0.0, 10.0),
            rate_limits: rate_limits()?,
            metrics_token: var("METRICS_TOKEN"),
        })
    }
}
