//! `GET /metrics`: Prometheus text, behind `METRICS_TOKEN` (a bearer token; without it the route
//! does not exist). The requests are counted by the edge (`edge::metrics`).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::db::queries::{offer_events, webhook_deliveries};
use crate::error::ApiError;
use crate::metrics::Gauges;
use crate::state::AppState;

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
    metrics.set_gauges(gauges(&state).await);
    let text = metrics.render().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text))
}

async fn gauges(state: &AppState) -> Gauges {
    let pool = state.pool.state();
    let indexed = state.search_index.position();
    let queue_and_lag = crate::db::run(&state.pool, move |conn| {
        let pending = webhook_deliveries::pending_count(conn)?;
        let lag = offer_events::count_after(conn, indexed, 100_000)?;
        Ok::<_, ApiError>((pending, lag))
    })
    .await
    .ok();
    Gauges {
        pool_in_use: i64::from(pool.connections - pool.idle_connections),
        pool_idle: i64::from(pool.idle_connections),
        index_ready: state.search_index.is_ready(),
        index_offers: i64::try_from(state.search_index.size()).unwrap_or(i64::MAX),
        queue_and_lag,
    }
}
