//! `GET /health`: the process is alive (no database call). `GET /ready`: whether this instance
//! should get traffic: the database answers, no migration is pending, the search index has
//! caught up with the offer event log since it started, and the webhook worker is alive; 503
//! with the failing reasons otherwise. For load balancers and orchestrators.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;

/// A webhook worker silent for longer is stuck or gone (a turn of its loop waits at most for a
/// delivery's 10 s timeout).
const WORKER_SILENCE: Duration = Duration::from_secs(60);

pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let index = &state.search_index;
    let mut reasons = vec![];
    let pending = crate::db::run(&state.pool, |conn| {
        crate::db::has_pending_migrations(conn).map_err(ApiError::internal)
    })
    .await;
    match pending {
        Err(_) => reasons.push("database unreachable"),
        Ok(true) => reasons.push("migrations pending"),
        Ok(false) => {}
    }
    if !index.is_ready() {
        reasons.push("search index catching up");
    }
    if !state.webhook_heartbeat.alive(WORKER_SILENCE) {
        reasons.push("webhook worker not running");
    }
    let body = json!({
        "ready": reasons.is_empty(),
        "reasons": reasons,
        "search_index": {"position": index.position().to_string(), "offers": index.size()},
    });
    if reasons.is_empty() {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "1"))
            .json(body)
    }
}
