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
use crate::client_ip::client_ip;
use crate::db;
use crate::db::queries::credentials::{self, Credentials};
use crate::db::queries::sign_in_throttles;
use crate::secrets::password;
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

/// What failed sign-ins are counted against: the email address and the client's IP address.
#[derive(Debug, Clone)]
struct Subjects {
    email: String,
    ip: String,
}

impl Subjects {
    fn of(req: &HttpRequest, email: &str) -> Subjects {
        let ip = client_ip(req).map(|ip| ip.to_string()).unwrap_or_default();
        Subjects {
            email: format!("email:{email}"),
            ip: format!("ip:{ip}"),
        }
    }

    fn all(&self) -> [String; 2] {
        [self.email.clone(), self.ip.clone()]
    }
}

/// Who signs in with `email`, unless the email or the IP address is locked.
async fn credentials_unless_locked(
    state: &AppState,
    subjects: Subjects,
    email: String,
) -> Result<Option<Credentials>, PageError> {
    db::run(&state.pool, move |conn| {
        if let Some(until) = sign_in_throttles::locked_until(conn, &subjects.all())? {
            return Err(PageError::Locked(until));
        }
        Ok(credentials::by_email(conn, &email)?)
    })
    .await
}

/// Counts a failure against both subjects; the failure that locks one is answered 429.
async fn count_failure(state: &AppState, subjects: Subjects) -> Result<(), PageError> {
    db::run(&state.pool, move |conn| {
        let counts = [
            (&subjects.email, FAILURES_PER_ACCOUNT),
            (&subjects.ip, FAILURES_PER_IP),
        ];
        for (subject, limit) in counts {
            sign_in_throttles::record_failure(conn, subject, limit, WINDOW_SECS, LOCK_SECS)?;
        }
        match sign_in_throttles::locked_until(conn, &subjects.all())? {
            Some(until) => Err(PageError::Locked(until)),
            None => Ok(()),
        }
    })
    .await
}

#[post("/connexion")]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    CheckedForm(form): CheckedForm<SignInForm>,
) -> Result<HttpResponse, PageError> {
    let email = form.email.trim().to_lowercase();
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(PageError::Invalid(
            "Adresse électronique trop longue.".into(),
        ));
    }
    let subjects = Subjects::of(&req, &email);
    let found = credentials_unless_locked(&state, subjects.clone(), email.clone()).await?;
    let stored = found.as_ref().and_then(|c| c.password_hash.clone());
    let password = form.password;
    let matches = web::block(move || password::verify(&password, stored.as_deref())).await?;
    let session = req.get_session();
    match found.filter(|_| matches) {
        Some(found) => {
            db::run(&state.pool, move |conn| {
                sign_in_throttles::clear(conn, &subjects.email).map_err(PageError::from)
            })
            .await?;
            tracing::info!(principal = ?found.principal, "signed in");
            session::sign_in(&session, found.principal)?;
            Ok(layout::see_other(session::home_of(found.principal)))
        }
        None => {
            count_failure(&state, subjects).await?;
            tracing::info!("sign-in refused");
            let message = alert("error", "Adresse électronique ou mot de passe incorrect.");
            let page = form_page(&csrf::token(&session)?, Some(message), &email);
            Ok(layout::html(StatusCode::UNAUTHORIZED, &page))
        }
    }
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
