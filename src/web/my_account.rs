//! `/mon-compte/api`: an operator account's own token ("Mon profil → API" of the partner
//! documentation), revealed on request, rotated after a confirmation; its OAuth2 clients.

use actix_web::{HttpResponse, get, post, web};
use maud::html;

use super::client_panel::{self, ClientForm, request_of};
use super::csrf::{CheckedForm, NoFields};
use super::error::PageError;
use super::layout::{self, alert};
use super::session::AccountUser;
use super::token_panel::{TokenPanel, load};
use crate::admin;
use crate::admin::clients::{self, CreatedClient};
use crate::db;
use crate::state::AppState;

const BASE: &str = "/mon-compte/api";

/// What the page shows once, in answer to an action.
#[derive(Default)]
struct Shown<'a> {
    revealed: Option<&'a str>,
    notice: Option<&'a str>,
    created: Option<&'a CreatedClient>,
}

async fn respond(
    me: &AccountUser,
    state: &AppState,
    shown: Shown<'_>,
) -> Result<HttpResponse, PageError> {
    let (account, operator) = load(state, me.account_id).await?;
    let viewer = me.user.viewer();
    let panel = TokenPanel {
        account: &account,
        base: BASE,
        csrf: viewer.csrf,
        revealed: shown.revealed,
    };
    let clients = client_panel::section(
        state,
        me.account_id,
        BASE,
        viewer.csrf,
        operator.api_full_access,
        shown.created,
    )
    .await?;
    let body = html! {
        h1 { "Mon profil — API" }
        @if let Some(notice) = shown.notice { (alert("success", notice)) }
        p class="fr-text--lead" { (operator.name) }
        p {
            "Votre jeton identifie votre compte " strong { (account.email) } " auprès de l'API. "
            "Gardez-le secret : quiconque le détient peut publier, modifier et supprimer les offres de "
            (operator.name) "."
        }
        (panel.render())
        h2 class="fr-h4 fr-mt-4w" { "Accès" }
        p id="acces" {
            @if operator.api_full_access {
                "Vos offres et le catalogue complet (recherche dans toutes les offres)."
            } @else {
                "Vos offres uniquement. L'accès au catalogue complet (recherche) est accordé par "
                "l'équipe Mon stage de 3e."
            }
        }
        (clients)
        h2 class="fr-h4 fr-mt-4w" { "Webhooks" }
        p { a class="fr-link" href="/mon-compte/webhooks" id="lien-webhooks" { "Abonnements et journal des livraisons" } }
        h2 class="fr-h4 fr-mt-4w" { "Documentation" }
        ul {
            li { a class="fr-link" href="/documentation/demarrage-rapide.md" { "Démarrage rapide (30 minutes)" } }
            li { a class="fr-link" href="/documentation/" { "Documentation partenaires (en français)" } }
            li { a class="fr-link" href="/api/docs/" { "Swagger UI — essayer l'API" } }
        }
    };
    Ok(layout::ok(&layout::page(
        "Mon profil — API",
        Some(&viewer),
        body,
    )))
}

#[get("/mon-compte/api")]
pub async fn show(me: AccountUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let notice = me.user.take_notice();
    let shown = Shown {
        notice: notice.as_deref(),
        ..Shown::default()
    };
    respond(&me, &state, shown).await
}

#[post("/mon-compte/api/afficher")]
pub async fn reveal(
    me: AccountUser,
    state: web::Data<AppState>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (account_id, actor, key) = (me.account_id, me.user.actor(), state.token_key.clone());
    let token = db::run(&state.pool, move |conn| {
        admin::access::reveal_token(conn, &key, account_id, &actor).map_err(PageError::from)
    })
    .await?;
    let shown = Shown {
        revealed: Some(&token),
        ..Shown::default()
    };
    respond(&me, &state, shown).await
}

#[get("/mon-compte/api/renouveler")]
pub async fn confirm_rotation(me: AccountUser) -> HttpResponse {
    let viewer = me.user.viewer();
    layout::ok(&layout::confirmation(
        &viewer,
        "Renouveler le jeton",
        "Un nouveau jeton va être créé. L'ancien cessera immédiatement de fonctionner : \
         mettez à jour vos intégrations juste après.",
        "/mon-compte/api/renouveler",
        BASE,
    ))
}

#[post("/mon-compte/api/renouveler")]
pub async fn rotate(
    me: AccountUser,
    state: web::Data<AppState>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (account_id, actor, key) = (me.account_id, me.user.actor(), state.token_key.clone());
    let rotated = db::run(&state.pool, move |conn| {
        admin::rotate_token(conn, &key, account_id, &actor).map_err(PageError::from)
    })
    .await?;
    let shown = Shown {
        revealed: Some(&rotated.api_token),
        notice: Some("Nouveau jeton créé. L'ancien ne fonctionne plus."),
        created: None,
    };
    respond(&me, &state, shown).await
}

#[post("/mon-compte/api/clients")]
pub async fn create_client(
    me: AccountUser,
    state: web::Data<AppState>,
    form: CheckedForm<ClientForm>,
) -> Result<HttpResponse, PageError> {
    let read = form.0.read()?;
    let (account_id, actor) = (me.account_id, me.user.actor());
    let created = db::run(&state.pool, move |conn| {
        clients::create(conn, account_id, request_of(&read), &actor).map_err(PageError::from)
    })
    .await?;
    let shown = Shown {
        created: Some(&created),
        ..Shown::default()
    };
    respond(&me, &state, shown).await
}

#[post("/mon-compte/api/clients/{client_id}/revoquer")]
pub async fn revoke_client(
    me: AccountUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let (account_id, actor, client_id) = (me.account_id, me.user.actor(), path.into_inner());
    db::run(&state.pool, move |conn| {
        clients::revoke(conn, &client_id, Some(account_id), &actor).map_err(PageError::from)
    })
    .await?;
    let shown = Shown {
        notice: Some("Client révoqué : ses jetons ne fonctionnent plus."),
        ..Shown::default()
    };
    respond(&me, &state, shown).await
}
