//! The HTTP API: the only place that lists routes. Handlers read a typed request, call the
//! service (or, for reads, a query) through `db::run`, and map the result to a response type.

pub mod account_activities;
pub mod application_trackings;
pub mod bulkhead;
pub mod compat;
pub mod conditional;
pub mod fallback;
pub mod feeds;
pub mod health;
pub mod idempotency;
pub mod metrics;
pub mod oauth;
pub mod offers;
pub mod pagination;
pub mod rate_limit;
pub mod sectors;
pub mod stats;
pub mod webhooks;

use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, FieldErrors};
use crate::request::values;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(offers::search::search_offers)
        .service(offers::list::list_offers)
        .service(offers::bulk::bulk_upsert)
        .service(offers::create::create_offer)
        .service(feeds::own_changes)
        .service(feeds::catalogue_changes)
        .service(offers::show::show_offer)
        .service(offers::update::update_offer)
        .service(offers::update::replace_offer)
        .service(offers::delete::delete_offer)
        .service(sectors::list_sectors)
        .service(stats::offer_stats)
        .service(stats::operator_stats)
        .service(account_activities::create_account_activity)
        .service(application_trackings::create_application_tracking)
        .service(oauth::token)
        .service(webhooks::deliveries)
        .service(webhooks::replay)
        .service(webhooks::replay_range)
        .service(webhooks::subscribe)
        .service(webhooks::list)
        .service(webhooks::remove)
        .service(webhooks::ping)
        .service(webhooks::rotate_secret);
}

/// The `{remote_id}` of a path, which the database must be able to store.
pub fn remote_id_of(path: web::Path<String>) -> Result<String, ApiError> {
    let remote_id = path.into_inner();
    values::text(&serde_json::Value::String(remote_id.clone()))
        .map_err(|refusal| ApiError::Validation(FieldErrors::one("remote_id", refusal)))?;
    Ok(remote_id)
}

/// The whole OpenAPI document, paths included (as served at /api/openapi.json).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    use utoipa_actix_web::AppExt;
    let (_, openapi) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(crate::openapi::ApiDoc::openapi())
        .configure(configure)
        .split_for_parts();
    crate::openapi::complete(openapi)
}
