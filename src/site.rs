//! The public base URL of the site, for links in answers and pages: `PUBLIC_URL`, or else the
//! request's host when it is one of `ALLOWED_HOSTS` (any other `Host` or `X-Forwarded-Host` a
//! client sends never ends up in a link), or else the first allowed host. Shared by `api/` and
//! `web/`.

use actix_web::HttpRequest;

use crate::state::AppState;

pub fn site_url(req: &HttpRequest, state: &AppState) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let info = req.connection_info();
    let host = info.host();
    if state
        .allowed_hosts
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(host))
    {
        return format!("{}://{host}", info.scheme());
    }
    let fallback = state
        .allowed_hosts
        .first()
        .map_or("127.0.0.1:3000", String::as_str);
    format!("http://{fallback}")
}
