//! `/documentation/`: the partner documentation (doc/README.md, the quickstart, the pages on
//! tracking, authentication, webhooks and environments, the receiver samples and the
//! screenshots), compiled into the binary and shown in the site's frame.

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use maud::{PreEscaped, html};
use rust_embed::RustEmbed;

use super::error::PageError;
use super::layout;
use super::session;

#[derive(RustEmbed)]
#[folder = "doc/"]
#[include = "README.md"]
#[include = "suivi.md"]
#[include = "demarrage-rapide.md"]
#[include = "authentification.md"]
#[include = "webhooks.md"]
#[include = "environnements.md"]
#[include = "synchronisation.md"]
#[include = "donnees-personnelles.md"]
#[include = "exemples/*"]
#[include = "captures/*.png"]
struct PartnerDocs;

#[get("/documentation")]
pub async fn index_redirect() -> HttpResponse {
    layout::see_other("/documentation/")
}

#[get("/documentation/")]
pub async fn index(req: HttpRequest, session: Session) -> Result<HttpResponse, PageError> {
    page(&req, &session, "README.md").await
}

#[get("/documentation/{file:.*}")]
pub async fn doc_file(
    req: HttpRequest,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let name = path.into_inner();
    if name.ends_with(".md") {
        return page(&req, &session, &name).await;
    }
    let file = PartnerDocs::get(&name).ok_or(PageError::NotFound)?;
    // Receiver samples are shown as text, never run by the browser.
    let content_type = if name.starts_with("exemples/") {
        "text/plain; charset=utf-8"
    } else {
        file.metadata.mimetype()
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .content_type(content_type)
        .body(file.data.into_owned()))
}

async fn page(req: &HttpRequest, session: &Session, name: &str) -> Result<HttpResponse, PageError> {
    let source = PartnerDocs::get(name).ok_or(PageError::NotFound)?;
    let markdown = String::from_utf8_lossy(&source.data);
    let title = markdown
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .unwrap_or("Documentation")
        .to_owned();
    let mut rendered = String::new();
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    pulldown_cmark::html::push_html(
        &mut rendered,
        pulldown_cmark::Parser::new_ext(&markdown, options),
    );
    let user = session::current(req, session).await?;
    let viewer = user.as_ref().map(session::SignedIn::viewer);
    let body = html! { div class="monstage-doc" { (PreEscaped(rendered)) } };
    Ok(layout::ok(&layout::page(&title, viewer.as_ref(), body)))
}
