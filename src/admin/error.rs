//! What can go wrong in administration: English for the CLI (`Display`), French for the pages.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("invalid email: {0}")]
    InvalidEmail(String),
    #[error("operator name must have 1 to 120 characters")]
    InvalidOperatorName,
    #[error("first and last names must have 1 to 80 characters")]
    InvalidStudentName,
    #[error("{0}")]
    InvalidToken(String),
    #[error("an operator is already named {0}")]
    OperatorNameTaken(String),
    #[error("an account or admin already uses {0}")]
    EmailTaken(String),
    #[error("another account already uses this token")]
    TokenTaken,
    #[error("account {0} is already deactivated")]
    AlreadyDeactivated(i64),
    #[error("account {0} is already active")]
    AlreadyActive(i64),
    #[error("admin {0} is already deactivated")]
    AdminAlreadyDeactivated(i64),
    #[error("a rate limit factor goes from 1 to 1000")]
    InvalidRateLimitFactor,
    #[error("admins cannot deactivate themselves")]
    SelfDeactivation,
    #[error("this token was sealed under another TOKEN_ENCRYPTION_KEY")]
    SealedUnderAnotherKey,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidClient(String),
    #[error("token generation failed: {0}")]
    Crypto(String),
    #[error("database error: {0}")]
    Database(#[from] DieselError),
}

impl AdminError {
    /// The message for the web pages; None for what only the server's logs should tell.
    pub fn french(&self) -> Option<String> {
        Some(match self {
            AdminError::InvalidEmail(email) => {
                format!("« {email} » n'est pas une adresse électronique valide.")
            }
            AdminError::InvalidOperatorName => {
                "Le nom de l'opérateur doit avoir de 1 à 120 caractères.".into()
            }
            AdminError::InvalidStudentName => {
                "Le prénom et le nom doivent avoir de 1 à 80 caractères.".into()
            }
            AdminError::InvalidToken(_) => "Ce jeton n'a pas un format accepté.".into(),
            AdminError::OperatorNameTaken(name) => {
                format!("Un opérateur s'appelle déjà « {name} ».")
            }
            AdminError::EmailTaken(email) => {
                format!("Un compte ou un administrateur utilise déjà {email}.")
            }
            AdminError::TokenTaken => "Un autre compte utilise déjà ce jeton.".into(),
            AdminError::InvalidRateLimitFactor => {
                "Le facteur des limites de débit va de 1 à 1 000.".into()
            }
            AdminError::AlreadyDeactivated(_) => "Ce compte est déjà désactivé.".into(),
            AdminError::AlreadyActive(_) => "Ce compte est déjà actif.".into(),
            AdminError::AdminAlreadyDeactivated(_) => {
                "Cet administrateur est déjà désactivé.".into()
            }
            AdminError::SelfDeactivation => {
                "Vous ne pouvez pas désactiver votre propre accès : demandez-le à un autre \
                 administrateur."
                    .into()
            }
            AdminError::InvalidClient(reason) => {
                format!(
                    "Client OAuth refusé : {}.",
                    client_refusal_in_french(reason)
                )
            }
            AdminError::SealedUnderAnotherKey => {
                "Ce jeton a été chiffré avec une autre clé du serveur : renouvelez-le.".into()
            }
            AdminError::NotFound(_) | AdminError::Crypto(_) | AdminError::Database(_) => {
                return None;
            }
        })
    }
}

/// Maps a unique violation to `taken`, any other database error to `Database`.
pub fn taken_on_unique(taken: AdminError) -> impl FnOnce(DieselError) -> AdminError {
    move |e| match e {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => taken,
        other => AdminError::Database(other),
    }
}

/// The French of a client refusal (the CLI prints the English).
fn client_refusal_in_french(reason: &str) -> &'static str {
    if reason.starts_with("unknown scope") {
        "une des autorisations demandées n'existe pas"
    } else if reason.starts_with("catalogue:read") {
        "la recherche dans le catalogue demande l'accès complet de l'opérateur"
    } else {
        "son nom doit avoir de 1 à 100 caractères"
    }
}
