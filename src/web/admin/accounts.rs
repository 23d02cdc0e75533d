//! `/admin/comptes/{id}`: one account for an admin: reveal or rotate its token, send an
//! invitation link, deactivate it.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use maud::html;

use diesel::PgConnection;

use crate::admin::access::{self, Invitation};
use crate::admin::clients::{self, CreatedClient};
use crate::admin::{self, Actor, AdminError};
use crate::db;
use crate::db::models::Principal;
use crate::paris_time::french_datetime;
use crate::secrets::token::TokenKey;
use crate::site::site_url;
use crate::state::AppState;
use crate::web::client_panel::{self, ClientForm, request_of};
use crate::web::csrf::{CheckedForm, NoFields};
use crate::web::error::PageError;
use crate::web::layout::{self, alert, csrf_field};
use crate::web::path_id;
use crate::web::session::{AdminUser, SignedIn, set_notice};
use crate::web::token_panel::{TokenPanel, load};

/// What the page shows once, in answer to an action.
pub enum Extra {
    Nothing,
    Token(String, Option<&'static str>),
    Invitation(Invitation),
    Client(CreatedClient),
}

impl Extra {
    fn revealed(&self) -> Option<&str> {
        match self {
            Extra::Token(token, _) => Some(token),
            _ => None,
        }
    }

    fn created(&self) -> Option<&CreatedClient> {
        match self {
            Extra::Client(created) => Some(created),
            _ => None,
        }
    }
}

fn base(account_id: i64) -> String {
    format!("/admin/comptes/{account_id}")
}

pub async fn render(
    me: &SignedIn,
    state: &AppState,
    account_id: i64,
    extra: Extra,
) -> Result<HttpResponse, PageError> {
    let (account, operator) = load(state, account_id).await?;
    let viewer = me.viewer();
    let base = base(account_id);
    let panel = TokenPanel {
        account: &account,
        base: &base,
        csrf: viewer.csrf,
        revealed: extra.revealed(),
    };
    let full_access = operator.api_full_access;
    let created = extra.created();
    let clients =
        client_panel::section(state, account_id, &base, viewer.csrf, full_access, created).await?;
    let notice = me.take_notice();
    let body = html! {
        p { a class="fr-link" href=(format!("/admin/operateurs#operateur-{}", operator.id)) { "← " (operator.name) } }
        h1 { (account.email) }
        @if let Some(notice) = notice { (alert("success", &notice)) }
        @if let Extra::Token(_, Some(notice)) = &extra { (alert("success", notice)) }
        @if let Extra::Invitation(invitation) = &extra { (layout::invitation_alert(invitation)) }
        p { "Opérateur : " strong { (operator.name) } " — "
            @if operator.api_full_access { "accès complet (recherche)" } @else { "ses offres uniquement" } }
        p { "Mot de passe : " @if account.password_set { "choisi" } @else { "invitation en attente" } }
        @match account.deactivated_at {
            Some(at) => {
                (alert("warning", &format!("Compte désactivé le {} : son jeton est refusé par l'API.", french_datetime(at))))
                form method="post" action=(format!("{base}/reactiver")) {
                    (csrf_field(viewer.csrf))
                    button class="fr-btn fr-btn--secondary" type="submit" id="reactiver" { "Réactiver le compte avec un nouveau jeton" }
                }
            }
            None => {
                (panel.render())
                (clients)
                h2 class="fr-h4 fr-mt-4w" { "Invitation" }
                form method="post" action=(format!("{base}/invitation")) {
                    (csrf_field(viewer.csrf))
                    button class="fr-btn fr-btn--secondary" type="submit" id="inviter" { "Créer un lien d'invitation" }
                }
                h2 class="fr-h4 fr-mt-4w" { "Désactivation" }
                p { "Le jeton cesse aussitôt de fonctionner et le compte ne peut plus se connecter." }
                a class="fr-btn fr-btn--tertiary" id="desactiver" href=(format!("{base}/desactiver")) { "Désactiver le compte" }
            }
        }
    };
    Ok(layout::ok(&layout::page(
        &account.email,
        Some(&viewer),
        body,
    )))
}

#[get("/admin/comptes/{id}")]
pub async fn show(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    render(&me, &state, path_id(&path)?, Extra::Nothing).await
}

/// Runs `action` on the account named by the path, as the signed-in admin; the account's id
/// and what the action returned.
async fn on_account<T, F>(
    me: &SignedIn,
    state: &AppState,
    path: &str,
    action: F,
) -> Result<(i64, T), PageError>
where
    F: FnOnce(&mut PgConnection, &TokenKey, i64, &Actor) -> Result<T, AdminError> + Send + 'static,
    T: Send + 'static,
{
    let account_id = path_id(path)?;
    let (actor, key) = (me.actor(), state.token_key.clone());
    let done = db::run(&state.pool, move |conn| {
        action(conn, &key, account_id, &actor).map_err(PageError::from)
    })
    .await?;
    Ok((account_id, done))
}

#[post("/admin/comptes/{id}/afficher")]
pub async fn reveal(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (account_id, token) = on_account(&me, &state, &path, access::reveal_token).await?;
    render(&me, &state, account_id, Extra::Token(token, None)).await
}

/// The confirmation page of the action `{base}/{verb}` on an account.
fn confirm(
    me: &SignedIn,
    path: &str,
    verb: &str,
    title: &str,
    warning: &str,
) -> Result<HttpResponse, PageError> {
    let base = base(path_id(path)?);
    let action = format!("{base}/{verb}");
    let page = layout::confirmation(&me.viewer(), title, warning, &action, &base);
    Ok(layout::ok(&page))
}

#[get("/admin/comptes/{id}/renouveler")]
pub async fn confirm_rotation(
    AdminUser(me): AdminUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let warning = "Un nouveau jeton va être créé. L'ancien cessera immédiatement de fonctionner : \
                   l'opérateur devra mettre à jour ses intégrations.";
    confirm(&me, &path, "renouveler", "Renouveler le jeton", warning)
}

#[post("/admin/comptes/{id}/renouveler")]
pub async fn rotate(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (account_id, rotated) = on_account(&me, &state, &path, admin::rotate_token).await?;
    let notice = Some("Nouveau jeton créé. L'ancien ne fonctionne plus.");
    let extra = Extra::Token(rotated.api_token, notice);
    render(&me, &state, account_id, extra).await
}

#[post("/admin/comptes/{id}/invitation")]
pub async fn invite(
    req: HttpRequest,
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let site = site_url(&req, &state);
    let (account_id, invitation) = on_account(&me, &state, &path, move |conn, _, id, actor| {
        access::invite(conn, &site, Principal::Account(id), actor)
    })
    .await?;
    render(&me, &state, account_id, Extra::Invitation(invitation)).await
}

#[get("/admin/comptes/{id}/desactiver")]
pub async fn confirm_deactivation(
    AdminUser(me): AdminUser,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let warning = "Le jeton de ce compte sera refusé dès maintenant et le compte ne pourra plus se \
                   connecter. Les offres de l'opérateur restent publiées.";
    confirm(&me, &path, "desactiver", "Désactiver le compte", warning)
}

#[post("/admin/comptes/{id}/desactiver")]
pub async fn deactivate(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (account_id, ()) = on_account(&me, &state, &path, |conn, _, id, actor| {
        access::deactivate_account(conn, id, actor)
    })
    .await?;
    set_notice(&me.session, "Compte désactivé.")?;
    Ok(layout::see_other(&base(account_id)))
}

#[post("/admin/comptes/{id}/reactiver")]
pub async fn reactivate(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (account_id, ()) = on_account(&me, &state, &path, access::reactivate_account).await?;
    let notice = "Compte réactivé avec un nouveau jeton : l'ancien reste refusé.";
    set_notice(&me.session, notice)?;
    Ok(layout::see_other(&base(account_id)))
}

#[post("/admin/comptes/{id}/clients")]
pub async fn create_client(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CheckedForm<ClientForm>,
) -> Result<HttpResponse, PageError> {
    let read = form.0.read()?;
    let (account_id, created) = on_account(&me, &state, &path, move |conn, _, id, actor| {
        clients::create(conn, id, request_of(&read), actor)
    })
    .await?;
    render(&me, &state, account_id, Extra::Client(created)).await
}

#[post("/admin/comptes/{id}/clients/{client_id}/revoquer")]
pub async fn revoke_client(
    AdminUser(me): AdminUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (raw_id, client_id) = path.into_inner();
    let (account_id, _) = on_account(&me, &state, &raw_id, move |conn, _, id, actor| {
        clients::revoke(conn, &client_id, Some(id), actor)
    })
    .await?;
    set_notice(
        &me.session,
        "Client OAuth révoqué : ses jetons ne fonctionnent plus.",
    )?;
    Ok(layout::see_other(&base(account_id)))
}
