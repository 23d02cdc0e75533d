//! The one error type of the web pages: each renders as a French HTML page, never JSON.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use chrono::{DateTime, Utc};
use maud::html;

use super::layout;
use crate::admin::AdminError;
use crate::db::{RunError, failure};

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("sign-in required")]
    SignInRequired,
    #[error("this page is for another kind of user: {0}")]
    ElsewhereFor(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("missing or wrong CSRF token")]
    CsrfRejected,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("sign-in locked until {0}")]
    Locked(DateTime<Utc>),
    #[error("too many sign-ins at once")]
    Busy,
    #[error("invitation link expired or already used")]
    InvitationUnusable,
    #[error("service temporarily unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(String),
}

impl PageError {
    pub fn internal(cause: impl std::fmt::Display) -> PageError {
        PageError::Internal(cause.to_string())
    }

    fn title_and_text(&self) -> (&'static str, String) {
        match self {
            PageError::SignInRequired | PageError::ElsewhereFor(_) => {
                ("Redirection", String::new())
            }
            PageError::Forbidden => (
                "Accès refusé",
                "Cette page est réservée aux administrateurs de la plateforme.".into(),
            ),
            PageError::CsrfRejected => (
                "Formulaire expiré",
                "Ce formulaire n'est plus valable. Revenez à la page précédente, rechargez-la et \
                 recommencez."
                    .into(),
            ),
            PageError::NotFound => ("Page non trouvée", "Cette page n'existe pas.".into()),
            PageError::Invalid(message) => ("Demande incorrecte", message.clone()),
            PageError::Conflict(message) => ("Action impossible", message.clone()),
            PageError::Locked(until) => (
                "Trop de tentatives",
                format!(
                    "Trop de tentatives de connexion ont échoué. Réessayez dans {} minute(s).",
                    minutes_until(*until)
                ),
            ),
            PageError::Busy => (
                "Trop de connexions simultanées",
                "Le service reçoit beaucoup de connexions en ce moment. Réessayez dans quelques \
                 secondes."
                    .into(),
            ),
            PageError::InvitationUnusable => (
                "Lien d'invitation expiré",
                "Ce lien d'invitation a expiré ou a déjà servi. Demandez un nouveau lien à \
                 l'équipe Mon stage de 3e."
                    .into(),
            ),
            PageError::Unavailable => (
                "Service indisponible",
                "Le service est momentanément indisponible. Réessayez dans quelques instants."
                    .into(),
            ),
            PageError::Internal(_) => (
                "Erreur du serveur",
                "Une erreur inattendue s'est produite. Réessayez plus tard.".into(),
            ),
        }
    }
}

fn minutes_until(until: DateTime<Utc>) -> i64 {
    ((until - Utc::now()).num_seconds() + 59)
        .div_euclid(60)
        .max(1)
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignInRequired | PageError::ElsewhereFor(_) => StatusCode::SEE_OTHER,
            PageError::Forbidden | PageError::CsrfRejected => StatusCode::FORBIDDEN,
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Invalid(_) => StatusCode::BAD_REQUEST,
            PageError::Conflict(_) => StatusCode::CONFLICT,
            PageError::Locked(_) | PageError::Busy => StatusCode::TOO_MANY_REQUESTS,
            PageError::InvitationUnusable => StatusCode::GONE,
            PageError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::SignInRequired => return layout::see_other("/connexion"),
            PageError::ElsewhereFor(path) => return layout::see_other(path),
            PageError::Internal(cause) => tracing::error!(error.cause = %cause, "internal error"),
            PageError::CsrfRejected => tracing::warn!("form refused: missing or wrong CSRF token"),
            _ => {}
        }
        let (title, text) = self.title_and_text();
        let body = html! {
            h1 { (title) }
            p { (text) }
            p { a class="fr-link" href="/" { "Retour à l'accueil" } }
        };
        let mut response = layout::html(self.status_code(), &layout::page(title, None, body));
        if let PageError::Locked(until) = self {
            let seconds = (*until - Utc::now()).num_seconds().max(1);
            if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        if let PageError::Busy = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(1));
        }
        if let PageError::Unavailable = self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(crate::error::RETRY_AFTER_SECS),
            );
        }
        response
    }
}

impl From<AdminError> for PageError {
    fn from(error: AdminError) -> Self {
        let french = error.french();
        match (error, french) {
            (AdminError::NotFound(_), _) => PageError::NotFound,
            (AdminError::Database(error), _) => PageError::from(error),
            (
                AdminError::InvalidEmail(_)
                | AdminError::InvalidOperatorName
                | AdminError::InvalidStudentName
                | AdminError::InvalidToken(_)
                | AdminError::InvalidRateLimitFactor
                | AdminError::InvalidClient(_),
                Some(message),
            ) => PageError::Invalid(message),
            (_, Some(message)) => PageError::Conflict(message),
            (other, None) => PageError::internal(other),
        }
    }
}

impl From<diesel::result::Error> for PageError {
    fn from(error: diesel::result::Error) -> Self {
        failure(error)
    }
}

impl RunError for PageError {
    fn unavailable() -> Self {
        PageError::Unavailable
    }

    fn internal(cause: String) -> Self {
        PageError::Internal(cause)
    }

    fn is_unavailable(&self) -> bool {
        matches!(self, PageError::Unavailable)
    }
}

impl From<actix_web::error::BlockingError> for PageError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        PageError::internal(error)
    }
}

impl From<actix_session::SessionGetError> for PageError {
    fn from(error: actix_session::SessionGetError) -> Self {
        PageError::internal(format!("session: {error}"))
    }
}

impl From<actix_session::SessionInsertError> for PageError {
    fn from(error: actix_session::SessionInsertError) -> Self {
        PageError::internal(format!("session: {error}"))
    }
}
