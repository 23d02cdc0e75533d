//! `/admin/operateurs`: operators with their accounts, search by name, creation of
//! operators and accounts, catalogue access.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use maud::{Markup, html};
use serde::Deserialize;

use diesel::{Connection, PgConnection};

use super::accounts::{self as account_page, Extra};
use crate::admin::{self, Actor, AdminError, OperatorSummary};
use crate::db;
use crate::db::models::Principal;
use crate::secrets::token::TokenKey;
use crate::site::site_url;
use crate::state::AppState;
use crate::web::csrf::CheckedForm;
use crate::web::error::PageError;
use crate::web::layout::{self, Viewer, alert, csrf_field, french_datetime_or_never};
use crate::web::path_id;
use crate::web::session::{AdminUser, SignedIn};

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[get("/admin/operateurs")]
pub async fn list(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let search = query.into_inner().q;
    let wanted = search.clone();
    let operators = db::run(&state.pool, move |conn| {
        admin::list_operators(conn, Some(&wanted)).map_err(PageError::from)
    })
    .await?;
    let notice = me.take_notice();
    let viewer = me.viewer();
    let body = html! {
        h1 { "Opérateurs" }
        @if let Some(notice) = notice { (alert("success", &notice)) }
        form method="get" action="/admin/operateurs" role="search" class="fr-mb-4w" {
            div class="fr-search-bar" id="recherche-operateurs" {
                label class="fr-label" for="q" { "Rechercher un opérateur par son nom" }
                input class="fr-input" type="search" id="q" name="q" value=(search) placeholder="Nom de l'opérateur";
                button class="fr-btn" type="submit" title="Rechercher" { "Rechercher" }
            }
        }
        @if operators.is_empty() { p { "Aucun opérateur ne correspond." } }
        @for operator in &operators { (operator_section(&viewer, operator)) }
        (new_operator_form(&viewer))
    };
    Ok(layout::ok(&layout::page("Opérateurs", Some(&viewer), body)))
}

fn operator_section(viewer: &Viewer<'_>, operator: &OperatorSummary) -> Markup {
    let (badge, toggle_label, toggle_value) = if operator.api_full_access {
        (
            "Accès complet (recherche)",
            "Retirer l'accès complet",
            "non",
        )
    } else {
        ("Ses offres uniquement", "Donner l'accès complet", "oui")
    };
    html! {
        section class="fr-mb-6w monstage-operator" id=(format!("operateur-{}", operator.id)) {
            h2 class="fr-h4" { (operator.name) " " span class="fr-badge fr-badge--sm" { (badge) } }
            form method="post" action=(format!("/admin/operateurs/{}/acces", operator.id)) class="fr-mb-2w" {
                (csrf_field(viewer.csrf))
                input type="hidden" name="full_access" value=(toggle_value);
                button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit" { (toggle_label) }
            }
            (rate_limit_form(viewer, operator))
            div class="fr-table fr-table--no-caption" { table {
                caption { "Comptes de " (operator.name) }
                thead { tr { th { "Compte" } th { "État" } th { "Mot de passe" } th { "Dernière utilisation du jeton" } th { "" } } }
                tbody {
                    @for account in &operator.accounts {
                        tr {
                            td { (account.email) }
                            td { @if account.active { "Actif" } @else { "Désactivé" } }
                            td { @if account.password_set { "Choisi" } @else { "Invitation en attente" } }
                            td { (french_datetime_or_never(account.token_last_used_at)) }
                            td { a class="fr-link" href=(format!("/admin/comptes/{}", account.id)) { "Gérer le compte" } }
                        }
                    }
                }
            } }
            form method="post" action=(format!("/admin/operateurs/{}/comptes", operator.id)) class="monstage-inline-form" {
                (csrf_field(viewer.csrf))
                div class="fr-input-group" {
                    label class="fr-label" for=(format!("email-{}", operator.id)) { "Ajouter un compte (adresse électronique)" }
                    input class="fr-input" type="email" required name="email" id=(format!("email-{}", operator.id));
                }
                button class="fr-btn fr-btn--sm" type="submit" { "Ajouter le compte" }
            }
        }
    }
}

/// The factor of the operator's rate limits (1: the defaults).
fn rate_limit_form(viewer: &Viewer<'_>, operator: &OperatorSummary) -> Markup {
    let id = format!("facteur-{}", operator.id);
    html! {
        form method="post" action=(format!("/admin/operateurs/{}/limites", operator.id)) class="monstage-inline-form fr-mb-2w" {
            (csrf_field(viewer.csrf))
            div class="fr-input-group" {
                label class="fr-label" for=(id) {
                    "Limites de débit × (1 : limites par défaut)"
                }
                input class="fr-input" type="number" min="1" max="1000" required name="factor" id=(id) value=(operator.rate_limit_factor);
            }
            button class="fr-btn fr-btn--secondary fr-btn--sm" type="submit" { "Enregistrer" }
        }
    }
}

fn new_operator_form(viewer: &Viewer<'_>) -> Markup {
    html! {
        section class="fr-mt-6w" {
            h2 class="fr-h4" { "Nouvel opérateur" }
            form method="post" action="/admin/operateurs" id="nouvel-operateur" {
                (csrf_field(viewer.csrf))
                div class="fr-input-group" {
                    label class="fr-label" for="nom" { "Nom de l'opérateur" }
                    input class="fr-input" type="text" required maxlength="120" name="name" id="nom";
                }
                div class="fr-input-group" {
                    label class="fr-label" for="email-premier-compte" { "Adresse électronique du premier compte" }
                    input class="fr-input" type="email" required name="email" id="email-premier-compte";
                }
                div class="fr-checkbox-group fr-mb-3w" {
                    input type="checkbox" name="full_access" value="oui" id="acces-complet";
                    label class="fr-label" for="acces-complet" { "Accès complet au catalogue (recherche)" }
                }
                button class="fr-btn" type="submit" { "Créer l'opérateur" }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct NewOperatorForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    full_access: Option<String>,
}

/// Runs `new_account` (which creates an account and returns its id) and invites that account, in one
/// transaction; then shows the account with its invitation link.
async fn create_and_invite<F>(
    req: &HttpRequest,
    me: &SignedIn,
    state: &AppState,
    new_account: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut PgConnection, &TokenKey, &Actor) -> Result<i64, AdminError> + Send + 'static,
{
    let (actor, key, site) = (me.actor(), state.token_key.clone(), site_url(req, state));
    let (account_id, invitation) = db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let account_id = new_account(conn, &key, &actor)?;
            let invitation =
                admin::access::invite(conn, &site, Principal::Account(account_id), &actor)?;
            Ok::<_, AdminError>((account_id, invitation))
        })
        .map_err(PageError::from)
    })
    .await?;
    account_page::render(me, state, account_id, Extra::Invitation(invitation)).await
}

/// Creates the operator and its first account, then shows the account with its invitation link.
#[post("/admin/operateurs")]
pub async fn create(
    req: HttpRequest,
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<NewOperatorForm>,
) -> Result<HttpResponse, PageError> {
    let full_access = form.full_access.as_deref() == Some("oui");
    create_and_invite(&req, &me, &state, move |conn, key, actor| {
        admin::create_operator(conn, key, &form.name, &form.email, full_access, actor)
            .map(|created| created.account_id)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    email: String,
}

#[post("/admin/operateurs/{id}/comptes")]
pub async fn add_account(
    req: HttpRequest,
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    CheckedForm(form): CheckedForm<NewAccountForm>,
) -> Result<HttpResponse, PageError> {
    let operator_id = path_id(&path)?;
    create_and_invite(&req, &me, &state, move |conn, key, actor| {
        admin::create_account(conn, key, operator_id, &form.email, actor)
            .map(|created| created.account_id)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct AccessForm {
    #[serde(default)]
    full_access: String,
}

#[post("/admin/operateurs/{id}/acces")]
pub async fn set_access(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    CheckedForm(form): CheckedForm<AccessForm>,
) -> Result<HttpResponse, PageError> {
    let operator_id = path_id(&path)?;
    let full_access = match form.full_access.as_str() {
        "oui" => true,
        "non" => false,
        _ => return Err(PageError::Invalid("Valeur d'accès inconnue.".into())),
    };
    let actor = me.actor();
    db::run(&state.pool, move |conn| {
        admin::access::set_full_access(conn, operator_id, full_access, &actor)
            .map_err(PageError::from)
    })
    .await?;
    let notice = if full_access {
        "Accès complet accordé : les comptes de l'opérateur peuvent utiliser la recherche."
    } else {
        "Accès complet retiré : les comptes de l'opérateur ne voient plus que leurs offres."
    };
    crate::web::session::set_notice(&me.session, notice)?;
    Ok(layout::see_other(&format!(
        "/admin/operateurs#operateur-{operator_id}"
    )))
}

#[derive(Debug, Deserialize)]
pub struct RateLimitForm {
    factor: String,
}

#[post("/admin/operateurs/{id}/limites")]
pub async fn set_rate_limits(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    CheckedForm(form): CheckedForm<RateLimitForm>,
) -> Result<HttpResponse, PageError> {
    let operator_id = path_id(&path)?;
    let factor: i32 = form.factor.trim().parse().map_err(|_| {
        PageError::Invalid("Le facteur des limites de débit est un nombre entier.".into())
    })?;
    let actor = me.actor();
    db::run(&state.pool, move |conn| {
        admin::access::set_rate_limit_factor(conn, operator_id, factor, &actor)
            .map_err(PageError::from)
    })
    .await?;
    let notice = format!("Limites de débit de l'opérateur multipliées par {factor}.");
    crate::web::session::set_notice(&me.session, &notice)?;
    Ok(layout::see_other(&format!(
        "/admin/operateurs#operateur-{operator_id}"
    )))
}
