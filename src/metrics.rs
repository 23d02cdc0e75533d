//! `GET /metrics`: Prometheus text, behind `METRICS_TOKEN` (a bearer token; without it the route
//! does not exist). Requests by route pattern, method and status with their latency, rate-limit
//! refusals, and, read at each scrape, the database pool, the search index (and its lag behind the
//! offer event log) and the webhook queue.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::db::queries::{offer_events, webhook_deliveries};
use crate::error::ApiError;
use crate::state::AppState;

/// What this instance counts.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pub rate_limited: IntCounterVec,
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
}

/// Counts each request by its route pattern (never its path: no token or secret in a label).
pub async fn count_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = next.call(req).await?;
    if let Some(metrics) = state.as_ref().and_then(|s| s.metrics.as_ref()) {
        let status = response.status().as_u16().to_string();
        metrics
            .requests
            .with_label_values(&[route.as_str(), method.as_str(), status.as_str()])
            .inc();
        metrics
            .latency
            .with_label_values(&[route.as_str()])
            .observe(started.elapsed().as_secs_f64());
        if let Some(rate) = response
            .request()
            .extensions()
            .get::<crate::domain::rate_limit::RateState>()
            .filter(|rate| rate.exceeded())
        {
            metrics
                .rate_limited
                .with_label_values(&[rate.class.as_str()])
                .inc();
        }
    }
    Ok(response)
}

/// The scrape: 404 without `METRICS_TOKEN` or with another token.
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (Some(metrics), Some(expected)) = (state.metrics.as_ref(), state.metrics_token.as_deref())
    else {
        return Err(ApiError::RouteNotFound);
    };
    let sent = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let matches = sent.is_some_and(|sent| {
        use subtle::ConstantTimeEq;
        sent.as_bytes().ct_eq(expected.as_bytes()).into()
    });
    if !matches {
        return Err(ApiError::RouteNotFound);
    }
    let pool = state.pool.state();
    metrics.pool_idle.set(i64::from(pool.idle_connections));
    metrics
        .pool_in_use
        .set(i64::from(pool.connections - pool.idle_connections));
    metrics
        .index_ready
        .set(i64::from(state.search_index.is_ready()));
    metrics
        .index_offers
        .set(i64::try_from(state.search_index.size()).unwrap_or(i64::MAX));
    let indexed = state.search_index.position();
    let read = crate::db::run(&state.pool, move |conn| {
        let pending = webhook_deliveries::pending_count(conn)?;
        let lag = offer_events::count_after(conn, indexed, 100_000)?;
        Ok::<_, ApiError>((pending, lag))
    })
    .await;
    if let Ok((pending, lag)) = read {
        metrics.webhooks_pending.set(pending);
        metrics.index_lag.set(lag);
    }
    let mut text = vec![];
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut text)
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text))
}
