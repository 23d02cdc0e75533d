//! The HTTP edge: what a request meets before its endpoint, whatever the endpoint. `startup`
//! wraps the whole app in the order a request meets it (access log, metrics, the doubled
//! `/api` prefix and the request id, the JSON envelope), then `pass` takes each routed request
//! through the route's own steps, all derived from the route table:
//!
//! 1. its route, found once (`route::RouteTable::resolve`);
//! 2. the bulkhead of its class (`db::bulkhead`);
//! 3. its `Idempotency-Key`, checked (`idempotency::key_of`);
//! 4. its caller, authenticated once, counted, its scope checked (`authenticate::caller`);
//! 5. its key claimed, or its kept answer replayed (`idempotency::claimed`);
//! 6. the endpoint; the answer then gets the rate limit headers (`rate_limit`).
//!
//! A request no route takes goes on to the 404/405 answers (`fallback`).

pub mod authenticate;
pub mod compat;
pub mod fallback;
pub mod idempotency;
pub mod metrics;
pub mod rate_limit;
pub mod route;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::state::AppState;
use route::{Resolved, RouteTable};

pub async fn pass(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let table = req.app_data::<web::Data<RouteTable>>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(table), Some(state)) = (table, state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let Some(resolved) = table.resolve(&req) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let steps = steps(req, next, resolved, &state);
    let served = match resolved.facts.class {
        Some(class) => state.bulkheads.within(class, steps).await,
        None => steps.await,
    };
    served.map(rate_limit::with_headers)
}

/// Steps 3 to 5, inside the bulkhead.
async fn steps(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    resolved: Resolved,
    state: &AppState,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let key = match idempotency::key_of(&req, resolved.facts) {
        Ok(key) => key,
        Err(error) => return Ok(req.error_response(error)),
    };
    if let Err(error) = authenticate::caller(&mut req, resolved, state).await {
        return Ok(req.error_response(error));
    }
    match key {
        Some(key) => idempotency::claimed(req, key, next, state).await,
        None => Ok(next.call(req).await?.map_into_boxed_body()),
    }
}
