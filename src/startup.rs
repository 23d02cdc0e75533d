//! Builds the HTTP server from the settings.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::{Server, Service};
use actix_web::middleware::ErrorHandlers;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, ResponseError, web};
use tracing_actix_web::TracingLogger;

use crate::db::DbPool;
use crate::db::queries::{credentials, idempotency, oauth, offer_events, rate_limits, webhooks};
use crate::error::ApiError;
use crate::state::AppState;
use crate::{api, edge};

pub use crate::request::body::MAX_BODY_BYTES;

/// A path no route or page takes: the JSON envelope under `/api` and `/oauth`, the HTML 404
/// page elsewhere.
async fn route_not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api") || req.path().starts_with("/oauth") {
        edge::fallback::unrouted(req).await
    } else {
        crate::web::PageError::NotFound.error_response()
    }
}

/// Starts serving on `listener`; the returned server runs until stopped through its handle
/// (signals are the caller's: `cli::serve`), then has `drain` to finish the requests in flight.
pub fn run(
    listener: TcpListener,
    state: AppState,
    workers: usize,
    drain: Duration,
) -> std::io::Result<Server> {
    crate::auth::rate_counter::keep_flushing(state.rate_counter.clone(), state.pool.clone());
    let table = web::Data::new(api::route_table());
    let contract = api::contract::document(&table, state.public_url.as_deref());
    let state = web::Data::new(state);
    let server = HttpServer::new(move || {
        // The last `wrap` is the first a request meets: read them from the bottom up.
        App::new()
            .app_data(state.clone())
            .app_data(table.clone())
            .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
            .configure(|config| api::configure(config, &table, contract.clone()))
            .configure(|config| crate::web::configure(config, &state))
            .default_service(web::to(route_not_found))
            // 4. the route's own steps (route, bulkhead, key, caller, claim, rate headers)
            .wrap(actix_web::middleware::from_fn(edge::pass))
            // 3. whatever actix answers by itself leaves as the JSON envelope
            .wrap(ErrorHandlers::new().default_handler(edge::fallback::json_error_envelope))
            // 2. `/api/api/…` served as `/api/…`; the request id and the Swagger UI's headers
            .wrap_fn(|mut req, srv| {
                edge::compat::collapse_doubled_api_prefix(&mut req);
                let served = srv.call(req);
                async move {
                    served
                        .await
                        .map(crate::telemetry::echo_request_id)
                        .map(crate::web::layout::secure_swagger_ui)
                }
            })
            // 1. counted, then logged with its request id
            .wrap(actix_web::middleware::from_fn(
                edge::metrics::count_requests,
            ))
            .wrap(TracingLogger::<crate::telemetry::RouteOnlySpan>::new())
    })
    .workers(workers)
    // Slow and idle clients: the request head within 5 s, an idle keep-alive connection closed
    // after 15 s, at most 4 096 connections a worker (the body has `BODY_TIMEOUT`).
    .client_request_timeout(Duration::from_secs(5))
    .keep_alive(Duration::from_secs(15))
    .max_connections(4096)
    .disable_signals()
    .shutdown_timeout(drain.as_secs())
    .listen(listener)?
    .run();
    Ok(server)
}

/// How long the logs and traces are kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// The offer event log and the delivered webhook events (`OFFER_EVENTS_RETENTION_DAYS`).
    pub offer_events_days: i32,
    /// Pupils' traces, then rolled up (`PUPIL_TRACE_RETENTION_DAYS`).
    pub pupil_traces_days: i32,
}

/// Now, then once an hour: deletes the offer events and the webhook events (once delivered)
/// older than their retention, the expired access tokens and idempotency keys; and purges the
/// pupils' traces older than theirs (one instance at a time).
pub fn keep_logs_trimmed(pool: DbPool, retention: Retention) {
    actix_web::rt::spawn(async move {
        let mut every_hour = actix_web::rt::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            trim_logs(&pool, retention.offer_events_days).await;
            purge_pupil_traces(&pool, retention.pupil_traces_days).await;
        }
    });
}

async fn trim_logs(pool: &DbPool, retention_days: i32) {
    let trimmed = crate::db::run(pool, move |conn| {
        let events = offer_events::trim(conn, retention_days)?;
        let outbox = webhooks::trim(conn, retention_days)?;
        let tokens = oauth::trim_expired_tokens(conn)?;
        let keys = idempotency::trim(conn)? + rate_limits::trim(conn)?;
        let sessions = credentials::trim_revoked_sessions(conn, 12)?;
        Ok::<_, ApiError>((events, outbox, tokens + keys + sessions))
    })
    .await;
    match trimmed {
        Ok((events, outbox, expired)) => {
            tracing::info!(events, outbox, expired, retention_days, "logs trimmed");
        }
        Err(error) => tracing::warn!(%error, "logs not trimmed"),
    }
}

async fn purge_pupil_traces(pool: &DbPool, retention_days: i32) {
    let purged = crate::db::run(pool, move |conn| {
        crate::admin::privacy::purge(conn, retention_days)
            .map_err(|error| ApiError::internal(error.to_string()))
    })
    .await;
    match purged {
        Ok(purged) if !purged.skipped => {
            let removed = purged.removed.total();
            tracing::info!(removed, retention_days, "pupils' traces purged");
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "pupils' traces not purged"),
    }
}
