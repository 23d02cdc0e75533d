//! The public base URL of the site, for links in answers and pages: `PUBLIC_URL`, or the scheme
//! and host of the request. Shared by `api/` and `web/`.

use actix_web::HttpRequest;

use crate::state::AppState;

pub fn site_url(req: &HttpRequest, state: &AppState) -> String {
    match &state.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}
