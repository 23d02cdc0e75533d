//! `/admin/journal`: the audit log, newest first.

use actix_web::{HttpResponse, get, web};
use maud::html;
use serde::Deserialize;

use crate::db;
use crate::db::queries::audit;
use crate::domain::audit::AuditAction;
use crate::paris_time::french_datetime;
use crate::state::AppState;
use crate::web::error::PageError;
use crate::web::layout;
use crate::web::session::AdminUser;

const PER_PAGE: i64 = 50;

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

#[get("/admin/journal")]
pub async fn show(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let (entries, total) = db::run(&state.pool, move |conn| {
        let entries = audit::newest(conn, PER_PAGE, (page - 1) * PER_PAGE)?;
        Ok::<_, PageError>((entries, audit::count(conn)?))
    })
    .await?;
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    let viewer = me.viewer();
    let body = html! {
        h1 { "Journal" }
        p { "Chaque affichage ou renouvellement de jeton, changement d'accès et désactivation de "
            "compte, par qui et quand (" (total) " entrées)." }
        div class="fr-table" { table id="journal" {
            caption { "Journal d'audit" }
            thead { tr { th { "Date" } th { "Par" } th { "Action" } th { "Opérateur" } th { "Compte" } th { "Détail" } } }
            tbody {
                @for entry in &entries {
                    tr {
                        td { (french_datetime(entry.created_at)) }
                        td { (entry.actor) }
                        td { (AuditAction::from_code(&entry.action).map_or(entry.action.as_str(), |a| a.label())) }
                        td { (entry.operator_name.as_deref().unwrap_or("")) }
                        td { (entry.account_email.as_deref().unwrap_or("")) }
                        td { (entry.detail) }
                    }
                }
            }
        } }
        @if pages > 1 {
            nav role="navigation" class="fr-pagination" aria-label="Pagination" {
                ul class="fr-pagination__list" {
                    @if page > 1 { li { a class="fr-pagination__link fr-pagination__link--prev" href=(format!("/admin/journal?page={}", page - 1)) { "Page précédente" } } }
                    li { span class="fr-pagination__link" aria-current="page" { (page) " / " (pages) } }
                    @if page < pages { li { a class="fr-pagination__link fr-pagination__link--next" href=(format!("/admin/journal?page={}", page + 1)) { "Page suivante" } } }
                }
            }
        }
    };
    Ok(layout::ok(&layout::page("Journal", Some(&viewer), body)))
}
