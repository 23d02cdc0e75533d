//! `GET /health`: the process is alive (no database call). `GET /ready`: whether this instance
//! can serve searches (its search index has caught up with the offer event log since it
//! started). For load balancers and orchestrators.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::state::AppState;

pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let index = &state.search_index;
    let body = json!({
        "ready": index.is_ready(),
        "search_index": {"position": index.position().to_string(), "offers": index.size()},
    });
    if index.is_ready() {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "1"))
            .json(body)
    }
}
