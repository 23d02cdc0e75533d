//! Counts every request by its route pattern, method and status, with its latency, and the 429s
//! by class (`metrics::Metrics`; scraped at `GET /metrics`).

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::domain::rate_limit::RateState;
use crate::state::AppState;

/// Counts each request by its route pattern.
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
        let refused = response
            .request()
            .extensions()
            .get::<RateState>()
            .filter(|rate| rate.exceeded())
            .map(|rate| rate.class.as_str());
        let status = response.status().as_u16();
        metrics.count_request(&route, &method, status, started.elapsed(), refused);
    }
    Ok(response)
}
