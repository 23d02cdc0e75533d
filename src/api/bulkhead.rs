//! Runs each request under `/api` inside the bulkhead of its class of route (`db::bulkhead`).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::state::AppState;

pub async fn within_its_class(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    match state {
        Some(state) if req.path().starts_with("/api/") => {
            let class = crate::auth::route_class(req.request());
            state.bulkheads.within(class, next.call(req)).await
        }
        _ => next.call(req).await,
    }
}
