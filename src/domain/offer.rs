//! An internship offer as a partner describes it, before it is stored, and the rules it
//! must satisfy. The messages are the original API's, so partners' error handling keeps working.

use chrono::{DateTime, Utc};
use validator::{Validate, ValidationError};

use crate::domain::geo::GeoPoint;
use crate::domain::postal;
use crate::error::FieldErrors;

pub const MAX_CANDIDATES: i64 = 200;

#[derive(Debug, Clone, Validate)]
pub struct OfferDraft {
    #[validate(
        custom(function = "present", message = "Missing title"),
        length(max = 150, message = "est trop long (pas plus de 150 caractères)")
    )]
    pub title: String,
    #[validate(
        custom(function = "present", message = "Missing description"),
        length(max = 500, message = "Description too long, allowed up 500 chars")
    )]
    pub description: String,
    #[validate(
        custom(function = "present", message = "Missing employer_name"),
        length(max = 180, message = "est trop long (pas plus de 180 caractères)")
    )]
    pub employer_name: String,
    #[validate(length(
        max = 275,
        message = "La description doit faire au maximum 275 caractères"
    ))]
    pub employer_description: Option<String>,
    #[validate(length(max = 560, message = "est trop long (pas plus de 560 caractères)"))]
    pub employer_website: Option<String>,
    #[validate(length(max = 3000, message = "est trop long (pas plus de 3000 caractères)"))]
    pub street: String,
    pub zipcode: String,
    #[validate(
        custom(function = "present", message = "Missing city"),
        length(max = 50, message = "est trop long (pas plus de 50 caractères)")
    )]
    pub city: String,
    pub coordinates: Option<GeoPoint>,
    #[validate(required(message = "Missing sector"))]
    pub sector_id: Option<i64>,
    #[validate(
        custom(function = "present", message = "Missing remote_id"),
        length(max = 50, message = "est trop long (pas plus de 50 caractères)")
    )]
    pub remote_id: String,
    #[validate(
        custom(function = "present", message = "Missing permalink"),
        length(max = 280, message = "est trop long (pas plus de 280 caractères)"),
        custom(
            function = "web_link",
            message = "Le lien doit être une adresse web commençant par http:// ou https://"
        ),
        custom(
            function = "not_a_test_environment",
            message = "Le lien ne doit pas renvoyer vers un environnement de test."
        )
    )]
    pub permalink: String,
    pub max_candidates: Option<i64>,
    pub max_students_per_group: Option<i64>,
    #[validate(required(message = "n'est pas inclus(e) dans la liste"))]
    pub is_public: Option<bool>,
    pub handicap_accessible: bool,
    #[validate(length(max = 500, message = "est trop long (pas plus de 500 caractères)"))]
    pub lunch_break: Option<String>,
    pub daily_hours: Option<serde_json::Value>,
    pub has_weeks: bool,
    pub published_at: Option<DateTime<Utc>>,
}

impl OfferDraft {
    /// Every broken rule, by field. Empty when the offer can be stored.
    pub fn errors(&self) -> FieldErrors {
        let mut errors = FieldErrors::default();
        if let Err(found) = self.validate() {
            for (field, field_errors) in found.field_errors() {
                let field = if field == "sector_id" {
                    "sector"
                } else {
                    field.as_ref()
                };
                for error in field_errors {
                    errors.add(field, error.message.as_deref().unwrap_or("est invalide"));
                }
            }
        }
        self.check_place(&mut errors);
        self.check_seats(&mut errors);
        if !self.has_weeks && self.published_at.is_some() {
            errors.add("weeks", "Missing weeks");
        }
        errors
    }

    fn check_place(&self, errors: &mut FieldErrors) {
        if self.coordinates.is_none() {
            errors.add("coordinates", "Missing coordinates");
        }
        if self.zipcode.trim().is_empty() {
            errors.add("zipcode", "Missing zipcode");
        }
        if !postal::is_well_formed(&self.zipcode) {
            errors.add("zipcode", "Zipcode is invalid");
        } else if postal::department(&self.zipcode).is_none() {
            errors.add(
                "zipcode",
                "le code postal ne permet pas de déduire le département",
            );
        }
    }

    fn check_seats(&self, errors: &mut FieldErrors) {
        let Some(max_candidates) = self.max_candidates else {
            errors.add(
                "max_candidates",
                "Veuillez saisir un nombre de candidats par stage",
            );
            return;
        };
        if max_candidates <= 0 {
            errors.add("max_candidates", "doit être supérieur à 0");
        } else if max_candidates > MAX_CANDIDATES {
            errors.add("max_candidates", "doit être inférieur ou égal à 200");
        }
        match self.max_students_per_group {
            Some(group) if group >= 1 && group <= max_candidates => {}
            _ => errors.add(
                "max_students_per_group",
                "Le nombre maximal d'élèves par groupe ne peut pas dépasser le nombre maximal d'élèves attendus dans l'année",
            ),
        }
    }
}

fn present(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        Err(ValidationError::new("blank"))
    } else {
        Ok(())
    }
}

/// Refuses links whose host names a test or staging environment
/// (`staging.partner.fr`, `partner-test.fr`), not paths such as `/contest` or `/attestation`.
fn not_a_test_environment(permalink: &str) -> Result<(), ValidationError> {
    let Some(host) = url::Url::parse(permalink)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    else {
        return Ok(());
    };
    let names_test_env = host
        .split(['.', '-'])
        .any(|label| matches!(label, "test" | "tests" | "testing" | "staging"));
    if names_test_env {
        Err(ValidationError::new("test_environment"))
    } else {
        Ok(())
    }
}

fn web_link(permalink: &str) -> Result<(), ValidationError> {
    if permalink.trim().is_empty() || is_web_url(permalink) {
        Ok(())
    } else {
        Err(ValidationError::new("not_a_url"))
    }
}

/// Whether a permalink is an absolute http(s) URL with a host.
pub fn is_web_url(permalink: &str) -> bool {
    url::Url::parse(permalink)
        .map(|u| {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalink_is_refused_only_for_test_hosts() {
        for ok in [
            "https://www.google.fr",
            "https://partner.fr/contest",
            "https://partner.fr/attestation?env=test",
            "https://latestnews.fr/",
        ] {
            assert!(not_a_test_environment(ok).is_ok(), "{ok}");
        }
        for refused in [
            "https://staging.partner.fr/offre/1",
            "https://partner-test.fr/",
            "http://test.partner.fr",
        ] {
            assert!(not_a_test_environment(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn web_urls_need_a_scheme_and_a_host() {
        assert!(is_web_url("https://www.google.fr"));
        assert!(!is_web_url("www.google.fr"));
        assert!(!is_web_url("javascript:alert(1)"));
    }
}
