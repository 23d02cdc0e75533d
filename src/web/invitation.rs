//! Invitation links: `/invitation/{secret}` moves the secret into the session and out of
//! the address bar, then `/invitation` lets its holder choose a password, once.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use diesel::Connection;
use maud::{Markup, html};
use serde::Deserialize;

use super::csrf::{self, CheckedForm};
use super::error::PageError;
use super::layout::{self, alert, csrf_field};
use super::session;
use crate::db;
use crate::db::queries::{credentials, invitations};
use crate::secrets::{password, token};
use crate::state::AppState;

const SECRET: &str = "invitation";

#[get("/invitation/{secret}")]
pub async fn open_link(
    path: web::Path<String>,
    session: Session,
) -> Result<HttpResponse, PageError> {
    session::end(&session);
    let secret = path.into_inner();
    // Secrets have 43 characters; anything much longer is not one (and would bloat the cookie).
    if secret.len() <= 64 {
        session.insert(SECRET, secret)?;
    }
    Ok(layout::see_other("/invitation"))
}

/// The invitation secret of the session and the email it is for, while it can be used.
async fn invited_email(state: &AppState, session: &Session) -> Result<(String, String), PageError> {
    let secret = session
        .get::<String>(SECRET)?
        .ok_or(PageError::InvitationUnusable)?;
    let hash = token::hash(&secret);
    let email = db::run(&state.pool, move |conn| {
        match invitations::usable(conn, &hash)? {
            Some(principal) => {
                Ok::<_, PageError>(credentials::active(conn, principal)?.map(|a| a.email))
            }
            None => Ok(None),
        }
    })
    .await?;
    email
        .map(|email| (secret, email))
        .ok_or(PageError::InvitationUnusable)
}

fn form_page(csrf: &str, email: &str, error: Option<&str>) -> Markup {
    let body = html! {
        div class="fr-grid-row fr-grid-row--center" { div class="fr-col-12 fr-col-md-8 fr-col-lg-6" {
            h1 { "Choisir votre mot de passe" }
            p { "Compte : " strong id="email-invite" { (email) } }
            @if let Some(error) = error { (alert("error", error)) }
            form method="post" action="/invitation" id="choisir-mot-de-passe" {
                (csrf_field(csrf))
                input type="hidden" name="username" autocomplete="username" value=(email);
                div class="fr-input-group" {
                    label class="fr-label" for="password" {
                        "Mot de passe"
                        span class="fr-hint-text" {
                            "Au moins " (password::MIN_CHARS) " caractères. Une phrase de passe est une bonne idée."
                        }
                    }
                    input class="fr-input" type="password" id="password" name="password" autocomplete="new-password" required minlength=(password::MIN_CHARS) maxlength=(password::MAX_CHARS);
                }
                div class="fr-input-group" {
                    label class="fr-label" for="confirmation" { "Confirmer le mot de passe" }
                    input class="fr-input" type="password" id="confirmation" name="confirmation" autocomplete="new-password" required;
                }
                button class="fr-btn" type="submit" id="enregistrer" { "Enregistrer le mot de passe" }
            }
        } }
    };
    layout::page("Choisir votre mot de passe", None, body)
}

#[get("/invitation")]
pub async fn password_form(
    state: web::Data<AppState>,
    session: Session,
) -> Result<HttpResponse, PageError> {
    let (_, email) = invited_email(&state, &session).await?;
    Ok(layout::ok(&form_page(
        &csrf::token(&session)?,
        &email,
        None,
    )))
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

#[post("/invitation")]
pub async fn set_password(
    state: web::Data<AppState>,
    session: Session,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let (secret, email) = invited_email(&state, &session).await?;
    if let Some(refusal) = password::refusal(&form.password, &form.confirmation) {
        let page = form_page(&csrf::token(&session)?, &email, Some(&refusal));
        return Ok(layout::html(StatusCode::BAD_REQUEST, &page));
    }
    let phc = web::block(move || password::hash(&form.password))
        .await?
        .map_err(PageError::internal)?;
    let hash = token::hash(&secret);
    db::run(&state.pool, move |conn| {
        conn.transaction(|conn| {
            let principal =
                invitations::usable(conn, &hash)?.ok_or(PageError::InvitationUnusable)?;
            if !invitations::consume(conn, &hash)? {
                return Err(PageError::InvitationUnusable);
            }
            credentials::set_password(conn, principal, &phc)?;
            Ok(())
        })
    })
    .await?;
    session::end(&session);
    session::set_notice(
        &session,
        "Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter.",
    )?;
    Ok(layout::see_other("/connexion"))
}
