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

/// A sign-in attempt let through to the password check: who signs in with the email, and
/// the attempt's number for each subject.
struct Admitted {
    credentials: Option<Credentials>,
    email_attempt: i32,
    ip_attempt: i32,
}

/// Counts the attempt before any password is checked, so that concurrent guesses are counted
/// too: refused (429) while a subject is locked or once its attempts in the window are used up.
async fn admit(state: &AppState, subjects: Subjects, email: String) -> Result<Admitted, PageError> {
    db::run(&state.pool, move |conn| {
        if let Some(until) = sign_in_throttles::locked_until(conn, &subjects.all())? {
            return Err(PageError::Locked(until));
        }
        let email_attempt = sign_in_throttles::count_attempt(conn, &subjects.email, WINDOW_SECS)?;
        let ip_attempt = sign_in_throttles::count_attempt(conn, &subjects.ip, WINDOW_SECS)?;
        let running_lock = email_attempt
            .refused_until()
            .max(ip_attempt.refused_until());
        if let Some(until) = running_lock {
            return Err(PageError::Locked(until));
        }
        let (email_attempt, ip_attempt) = (email_attempt.number, ip_attempt.number);
        let over = [
            (&subjects.email, email_attempt > FAILURES_PER_ACCOUNT),
            (&subjects.ip, ip_attempt > FAILURES_PER_IP),
        ];
        if let Some((subject, _)) = over.iter().find(|(_, over)| *over) {
            return Err(PageError::Locked(sign_in_throttles::lock(
                conn, subject, LOCK_SECS,
            )?));
        }
        Ok(Admitted {
            credentials: credentials::by_email(conn, &email)?,
            email_attempt,
            ip_attempt,
        })
    })
    .await
}

/// After a wrong password: the attempt that used up a subject's allowance locks it (429).
async fn wrong_guess(
    state: &AppState,
    subjects: Subjects,
    admitted: &Admitted,
) -> Result<(), PageError> {
    let exhausted = [
        (
            subjects.email,
            admitted.email_attempt >= FAILURES_PER_ACCOUNT,
        ),
        (subjects.ip, admitted.ip_attempt >= FAILURES_PER_IP),
    ];
    db::run(&state.pool, move |conn| {
        sign_in_throttles::forget_old(conn)?;
        let mut until = None;
        for (subject, _) in exhausted.iter().filter(|(_, used_up)| *used_up) {
            until = until.max(Some(sign_in_throttles::lock(conn, subject, LOCK_SECS)?));
        }
        until.map_or(Ok(()), |until| Err(PageError::Locked(until)))
    })
    .await
}

/// Gives back the attempts that were no wrong guess; after a sign-in, forgets the email's.
async fn give_back(state: &AppState, subjects: Subjects, signed_in: bool) -> Result<(), PageError> {
    db::run(&state.pool, move |conn| {
        if signed_in {
            sign_in_throttles::clear(conn, &subjects.email)?;
        } else {
            sign_in_throttles::give_back_attempt(conn, &subjects.email)?;
        }
        sign_in_throttles::give_back_attempt(conn, &subjects.ip)?;
        Ok::<_, PageError>(())
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
    let admitted = admit(&state, subjects.clone(), email.clone()).await?;
    let stored = admitted
        .credentials
        .as_ref()
        .and_then(|c| c.password_hash.clone());
    let Ok(matches) = state.password_checks.verify(form.password, stored).await else {
        give_back(&state, subjects, false).await?;
        return Err(PageError::Busy);
    };
    let session = req.get_session();
    match admitted.credentials.as_ref().filter(|_| matches) {
        Some(found) => {
            give_back(&state, subjects, true).await?;
            tracing::info!(principal = ?found.principal, "signed in");
            session::sign_in(&session, found.principal)?;
            Ok(layout::see_other(session::home_of(found.principal)))
        }
        None => {
            wrong_guess(&state, subjects, &admitted).await?;
            tracing::info!("sign-in refused");
            let message = alert("error", "Adresse électronique ou mot de passe incorrect.");
            let page = form_page(&csrf::token(&session)?, Some(message), &email);
            Ok(layout::html(StatusCode::UNAUTHORIZED, &page))
        }
    }
}

/// Signs this session out, on the server too: a copy of its cookie no longer opens anything.
#[post("/deconnexion")]
pub async fn sign_out(
    state: web::Data<AppState>,
    session: Session,
    CheckedForm(_): CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    if let Some(id) = session::id_of(&session) {
        db::run(&state.pool, move |conn| {
            credentials::revoke_session(conn, id).map_err(PageError::from)
        })
        .await?;
    }
    session::end(&session);
    session::set_notice(&session, "Vous êtes déconnecté.")?;
    Ok(layout::see_other("/connexion"))
}

/// Signs out every session of the signed-in principal, in every browser.
#[post("/deconnexion-partout")]
pub async fn sign_out_everywhere(
    state: web::Data<AppState>,
    me: session::SignedIn,
    CheckedForm(_): CheckedForm<NoFields>,
) -> Result<HttpResponse, PageError> {
    let principal = me.principal;
    db::run(&state.pool, move |conn| {
        credentials::revoke_sessions(conn, principal).map_err(PageError::from)
    })
    .await?;
    session::end(&me.session);
    session::set_notice(&me.session, "Vous êtes déconnecté de tous vos navigateurs.")?;
    Ok(layout::see_other("/connexion"))
}

/// The site's root: the sign-in page, which sends signed-in visitors on to their page.
#[get("/")]
pub async fn home() -> HttpResponse {
    layout::see_other("/connexion")
}
