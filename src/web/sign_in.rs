//! `/connexion` and `/deconnexion`. Failed sign-ins are counted per email address and per
//! IP address; too many in a window lock that address for a while, whatever the password.

use actix_session::{Session, SessionExt};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use maud::{Markup, html};
use serde::Deserialize;

use super::csrf::{self, CheckedForm, NoFields};
use super::error::PageError;
use super::layout::{self, alert, csrf_field};
use super::session;
use crate::auth::password;
use crate::db;
use crate::db::queries::{credentials, sign_in_throttles};
use crate::state::AppState;

/// Failures allowed per email address within the window before it is locked.
pub const FAILURES_PER_ACCOUNT: i32 = 5;
/// Failures allowed per IP address within the window (schools and offices share one).
pub const FAILURES_PER_IP: i32 = 30;
const WINDOW_SECS: i32 = 15 * 60;
const LOCK_SECS: i32 = 15 * 60;
const MAX_EMAIL_CHARS: usize = 254;

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn form_page(csrf: &str, message: Option<Markup>, email: &str) -> Markup {
    let body = html! {
        div class="fr-grid-row fr-grid-row--center" { div class="fr-col-12 fr-col-md-8 fr-col-lg-6" {
            h1 { "Connexion à l'espace partenaires" }
            @if let Some(message) = message { (message) }
            form method="post" action="/connexion" id="connexion" {
                (csrf_field(csrf))
                div class="fr-input-group" {
                    label class="fr-label" for="email" {
                        "Adresse électronique"
                        span class="fr-hint-text" { "Format attendu : nom@domaine.fr" }
                    }
                    input class="fr-input" type="email" id="email" name="email" autocomplete="username" required value=(email);
                }
                div class="fr-input-group" {
                    label class="fr-label" for="password" { "Mot de passe" }
                    input class="fr-input" type="password" id="password" name="password" autocomplete="current-password" required;
                }
                button class="fr-btn" type="submit" id="se-connecter" { "Se connecter" }
            }
            p class="fr-mt-4w fr-text--sm" {
                "Pas encore de mot de passe ? Suivez le lien d'invitation que l'équipe Mon stage de 3e "
                "vous a transmis ; il est valable 72 heures."
            }
        } }
    };
    layout::page("Connexion", None, body)
}

/// The sign-in form; a signed-in visitor goes straight to their page.
#[get("/connexion")]
pub async fn sign_in_page(req: HttpRequest, session: Session) -> Result<HttpResponse, PageError> {
    if let Some(user) = session::current(&req, &session).await? {
        return Ok(layout::see_other(session::home_of(user.principal)));
    }
    let notice = session::take_notice(&session).map(|text| alert("success", &text));
    let csrf = csrf::token(&session)?;
    Ok(layout::ok(&form_page(&csrf, notice, "")))
}

fn subjects(req: &HttpRequest, email: &str) -> [String; 2] {
    let ip = req
        .peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_default();
    [format!("email:{email}"), format!("ip:{ip}")]
}

#[post("/connexion")]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<SignInForm>,
) -> Result<HttpResponse, PageError> {
    let session = req.get_session();
    let email: String = form.email.trim().to_lowercase();
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(PageError::Invalid(
            "Adresse électronique trop longue.".into(),
        ));
    }
    let [by_email, by_ip] = subjects(&req, &email);
    let lookup = (vec![by_email.clone(), by_ip.clone()], email.clone());
    let found = db::run_with(&state.pool, move |conn| {
        let (subjects, email) = lookup;
        if let Some(until) = sign_in_throttles::locked_until(conn, &subjects)? {
            return Ok(Err(until));
        }
        Ok::<_, PageError>(Ok(credentials::by_email(conn, &email)?))
    })
    .await?
    .map_err(PageError::Locked)?;
    let stored = found.as_ref().and_then(|c| c.password_hash.clone());
    let password = form.password;
    let matches = web::block(move || password::verify(&password, stored.as_deref())).await?;
    if let Some(found) = found.filter(|_| matches) {
        db::run_with(&state.pool, move |conn| {
            sign_in_throttles::clear(conn, &by_email).map_err(PageError::from)
        })
        .await?;
        tracing::info!(principal = ?found.principal, "signed in");
        session::sign_in(&session, found.principal)?;
        return Ok(layout::see_other(session::home_of(found.principal)));
    }
    let locked = db::run_with(&state.pool, move |conn| {
        sign_in_throttles::record_failure(
            conn,
            &by_email,
            FAILURES_PER_ACCOUNT,
            WINDOW_SECS,
            LOCK_SECS,
        )?;
        sign_in_throttles::record_failure(conn, &by_ip, FAILURES_PER_IP, WINDOW_SECS, LOCK_SECS)?;
        sign_in_throttles::locked_until(conn, &[by_email, by_ip]).map_err(PageError::from)
    })
    .await?;
    if let Some(until) = locked {
        return Err(PageError::Locked(until));
    }
    tracing::info!("sign-in refused");
    let message = alert("error", "Adresse électronique ou mot de passe incorrect.");
    let csrf = csrf::token(&session)?;
    Ok(layout::html(
        StatusCode::UNAUTHORIZED,
        &form_page(&csrf, Some(message), &email),
    ))
}

#[post("/deconnexion")]
pub async fn sign_out(
    session: Session,
    CheckedForm(_): CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    session::end(&session);
    session::set_notice(&session, "Vous êtes déconnecté.")?;
    Ok(layout::see_other("/connexion"))
}

/// The site's root: the sign-in page, which sends signed-in visitors on to their page.
#[get("/")]
pub async fn home() -> HttpResponse {
    layout::see_other("/connexion")
}
