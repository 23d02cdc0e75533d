//! What this instance counts for `GET /metrics` (`api::metrics`), in Prometheus' registry:
//! requests by route pattern, method and status with their latency, rate-limit refusals, and the
//! gauges set at each scrape (database pool, search index and its lag, webhook queue).

use std::time::Duration;

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// What this instance counts.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    rate_limited: IntCounterVec,
    pool_in_use: IntGauge,
    pool_idle: IntGauge,
    index_ready: IntGauge,
    index_offers: IntGauge,
    index_lag: IntGauge,
    webhooks_pending: IntGauge,
}

impl Metrics {
    pub fn new() -> Result<Metrics, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "Requests served, by route pattern, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer, by route pattern",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
            ]),
            &["route"],
        )?;
        let rate_limited = IntCounterVec::new(
            Opts::new(
                "rate_limit_refusals_total",
                "Requests refused with 429, by class of route",
            ),
            &["class"],
        )?;
        let gauge = |name: &str, help: &str| IntGauge::new(name, help);
        let metrics = Metrics {
            pool_in_use: gauge(
                "db_pool_connections_in_use",
                "Pooled connections checked out",
            )?,
            pool_idle: gauge("db_pool_connections_idle", "Pooled connections idle")?,
            index_ready: gauge(
                "search_index_ready",
                "1 once the index has caught up with the log",
            )?,
            index_offers: gauge("search_index_offers", "Offers in the search index")?,
            index_lag: gauge(
                "search_index_lag_events",
                "Events of the offer log not yet in the index (counted up to 100 000)",
            )?,
            webhooks_pending: gauge(
                "webhook_deliveries_pending",
                "Webhook deliveries waiting to be sent",
            )?,
            registry,
            requests,
            latency,
            rate_limited,
        };
        metrics.register()?;
        Ok(metrics)
    }

    fn register(&self) -> Result<(), prometheus::Error> {
        self.registry.register(Box::new(self.requests.clone()))?;
        self.registry.register(Box::new(self.latency.clone()))?;
        self.registry
            .register(Box::new(self.rate_limited.clone()))?;
        for gauge in [
            &self.pool_in_use,
            &self.pool_idle,
            &self.index_ready,
            &self.index_offers,
            &self.index_lag,
            &self.webhooks_pending,
        ] {
            self.registry.register(Box::new(gauge.clone()))?;
        }
        Ok(())
    }

    /// One request answered: its route pattern (never its path: no token or secret in a
    /// label), method, status and time; `refused_class` when it was a 429.
    pub fn count_request(
        &self,
        route: &str,
        method: &str,
        status: u16,
        took: Duration,
        refused_class: Option<&str>,
    ) {
        let status = status.to_string();
        self.requests
            .with_label_values(&[route, method, status.as_str()])
            .inc();
        self.latency
            .with_label_values(&[route])
            .observe(took.as_secs_f64());
        if let Some(class) = refused_class {
            self.rate_limited.with_label_values(&[class]).inc();
        }
    }

    /// The gauges, as read at a scrape.
    pub fn set_gauges(&self, gauges: Gauges) {
        self.pool_in_use.set(gauges.pool_in_use);
        self.pool_idle.set(gauges.pool_idle);
        self.index_ready.set(i64::from(gauges.index_ready));
        self.index_offers.set(gauges.index_offers);
        if let Some((pending, lag)) = gauges.queue_and_lag {
            self.webhooks_pending.set(pending);
            self.index_lag.set(lag);
        }
    }

    /// Everything, in Prometheus' text format.
    pub fn render(&self) -> Result<Vec<u8>, prometheus::Error> {
        let mut text = vec![];
        TextEncoder::new().encode(&self.registry.gather(), &mut text)?;
        Ok(text)
    }
}

/// What a scrape reads besides the counters.
#[derive(Debug, Clone, Copy)]
pub struct Gauges {
    pub pool_in_use: i64,
    pub pool_idle: i64,
    pub index_ready: bool,
    pub index_offers: i64,
    /// The webhook deliveries pending and the index's lag in events, when the database answered.
    pub queue_and_lag: Option<(i64, i64)>,
}
