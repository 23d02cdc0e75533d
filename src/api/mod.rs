//! The HTTP API: its endpoints, the route table that lists them (`routes`) and the contract
//! derived from it (`contract`). Handlers read a typed request, call the service (or, for
//! reads, a query) through `db::run`, and map the result to a response type.

pub mod account_activities;
pub mod application_trackings;
pub mod conditional;
pub mod contract;
pub mod examples;
pub mod feeds;
pub mod health;
pub mod metrics;
pub mod oauth;
pub mod offers;
pub mod pagination;
pub mod refusals;
pub mod routes;
pub mod sectors;
pub mod stats;
pub mod webhooks;

use actix_web::web;
use utoipa::openapi::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::edge::route::RouteTable;
use crate::error::{ApiError, FieldErrors};
use crate::request::values;

/// The route table, built once.
pub fn route_table() -> RouteTable {
    RouteTable::new(&routes::ROUTES)
}

/// Registers every route of the table, and the Swagger UI over the contract.
pub fn configure(config: &mut web::ServiceConfig, table: &RouteTable, contract: OpenApi) {
    table.register(config, crate::edge::fallback::unrouted);
    config.service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", contract));
}

/// The `{remote_id}` of a path, which the database must be able to store.
pub fn remote_id_of(path: web::Path<String>) -> Result<String, ApiError> {
    let remote_id = path.into_inner();
    values::text(&serde_json::Value::String(remote_id.clone()))
        .map_err(|refusal| ApiError::Validation(FieldErrors::one("remote_id", refusal)))?;
    Ok(remote_id)
}

/// The contract as `monstage openapi` writes it (`doc/openapi.json`): servers relative to the
/// document, as a server without `PUBLIC_URL` serves it.
pub fn openapi_document() -> OpenApi {
    contract::document(&route_table(), None)
}
