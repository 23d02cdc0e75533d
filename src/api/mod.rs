//! The HTTP API: the only place that lists routes.

pub mod compat;
pub mod fallback;
pub mod offers;
pub mod pagination;
pub mod request_docs;
pub mod sectors;
pub mod stats;
pub mod tracking;

use actix_web::HttpRequest;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

pub fn configure(config: &mut ServiceConfig) {
    config
        .service(offers::search::search_offers)
        .service(offers::list::list_offers)
        .service(offers::create::create_offer)
        .service(offers::update::update_offer)
        .service(offers::update::replace_offer)
        .service(offers::delete::delete_offer)
        .service(sectors::list_sectors)
        .service(stats::offer_stats)
        .service(stats::operator_stats)
        .service(tracking::create_account)
        .service(tracking::create_application_tracking);
}

/// The public base URL used in links: `PUBLIC_URL`, or the scheme and host of the request.
pub fn site_url(req: &HttpRequest, state: &AppState) -> String {
    match &state.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
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
    openapi
}
