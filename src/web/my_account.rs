//! `/mon-compte/api`: an operator account's own token ("Mon profil → API" of the partner
//! documentation), revealed on request, rotated after a confirmation.

use actix_web::{HttpResponse, get, post, web};
use maud::html;

use super::csrf::{CheckedForm, NoFields};
use super::error::PageError;
use super::layout::{self, alert};
use super::session::AccountUser;
use super::token_panel::{TokenPanel, load};
use crate::admin;
use crate::db;
use crate::db::models::{Account, Operator};
use crate::state::AppState;

const BASE: &str = "/mon-compte/api";

fn render(
    me: &AccountUser,
    account: &Account,
    operator: &Operator,
    revealed: Option<&str>,
    notice: Option<&str>,
) -> HttpResponse {
    let viewer = me.user.viewer();
    let panel = TokenPanel {
        account,
        base: BASE,
        csrf: viewer.csrf,
        revealed,
    };
    let body = html! {
        h1 { "Mon profil — API" }
        @if let Some(notice) = notice { (alert("success", notice)) }
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
        h2 class="fr-h4 fr-mt-4w" { "Documentation" }
        ul {
            li { a class="fr-link" href="/documentation/" { "Documentation partenaires (en français)" } }
            li { a class="fr-link" href="/api/docs/" { "Swagger UI — essayer l'API" } }
        }
    };
    layout::ok(&layout::page("Mon profil — API", Some(&viewer), body))
}

#[get("/mon-compte/api")]
pub async fn show(me: AccountUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let (account, operator) = load(&state, me.account_id).await?;
    let notice = me.user.take_notice();
    Ok(render(&me, &account, &operator, None, notice.as_deref()))
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
    let (account, operator) = load(&state, me.account_id).await?;
    Ok(render(&me, &account, &operator, Some(&token), None))
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
    let (account, operator) = load(&state, me.account_id).await?;
    let notice = "Nouveau jeton créé. L'ancien ne fonctionne plus.";
    Ok(render(
        &me,
        &account,
        &operator,
        Some(&rotated.api_token),
        Some(notice),
    ))
}
