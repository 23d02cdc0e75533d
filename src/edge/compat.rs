//! The original partner docs give the base URL as `https://…/api` while their curl
//! scripts append `/api/internship_offers` to it, so integrations built from them call
//! `/api/api/…`. Such requests are served as if the prefix appeared once.

use actix_web::dev::ServiceRequest;
use actix_web::http::Uri;

const DOUBLED_PREFIX: &str = "/api/api/";

/// Rewrites `/api/api/x` to `/api/x` before routing.
pub fn collapse_doubled_api_prefix(req: &mut ServiceRequest) {
    let uri = req.uri();
    if !uri.path().starts_with(DOUBLED_PREFIX) {
        return;
    }
    let rest = &uri.path()[DOUBLED_PREFIX.len() - 1..];
    let path_and_query = match uri.query() {
        Some(query) => format!("/api{rest}?{query}"),
        None => format!("/api{rest}"),
    };
    if let Ok(new_uri) = path_and_query.parse::<Uri>() {
        req.match_info_mut().get_mut().update(&new_uri);
        req.head_mut().uri = new_uri;
    }
}
