//! An internship offer as a partner describes it, before it is stored, and the rules it
//! must satisfy. The messages are the original API's, so partners' error handling keeps working.

use chrono::{DateTime, NaiveDate, Utc};
use validator::{Validate, ValidationError};

use crate::domain::field_errors::FieldErrors;
use crate::domain::geo::GeoPoint;
use crate::domain::postal;

pub const MAX_CANDIDATES: i64 = 200;

/// The original's message when `max_candidates` would drop below the approved applications.
const SEATS_ALREADY_GIVEN: &str = "Impossible de réduire le nombre de places de cette offre de stage car vous avez déjà \
     accepté plus de candidats que vous n'allez leur offrir de places.";

/// An offer being written: a new one with the original's defaults, or a stored one, with the
/// partner's changes applied. Its text rules are declared for `validator`; the others are
/// checked by `validate`, which also yields the offer's typed values.
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
    pub is_public: Option<bool>,
    pub handicap_accessible: bool,
    #[validate(length(max = 500, message = "est trop long (pas plus de 500 caractères)"))]
    pub lunch_break: Option<String>,
    pub daily_hours: Option<serde_json::Value>,
    /// First Monday and last Sunday of the offer's weeks; None when it has none.
    pub weeks_span: Option<(NaiveDate, NaiveDate)>,
    /// Applications already approved: `max_candidates` cannot go below.
    pub approved_count: i64,
    pub published_at: Option<DateTime<Utc>>,
}

/// An offer that satisfies every rule, with its derived values: ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOffer {
    pub title: String,
    pub description: String,
    pub employer_name: String,
    pub employer_description: Option<String>,
    pub employer_website: Option<String>,
    pub street: String,
    pub zipcode: String,
    pub city: String,
    pub department: &'static str,
    pub coordinates: GeoPoint,
    pub sector_id: i64,
    pub remote_id: String,
    pub permalink: String,
    pub max_candidates: i32,
    pub max_students_per_group: i32,
    pub is_public: bool,
    pub handicap_accessible: bool,
    pub lunch_break: Option<String>,
    pub daily_hours: Option<serde_json::Value>,
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub published_at: Option<DateTime<Utc>>,
}

/// The values that only exist once their rules hold.
struct Checked {
    department: &'static str,
    coordinates: GeoPoint,
    sector_id: i64,
    seats: (i32, i32),
    is_public: bool,
    span: (NaiveDate, NaiveDate),
}

impl OfferDraft {
    /// A new offer before the partner's fields are applied: the original's defaults.
    pub fn new(published_at: DateTime<Utc>) -> OfferDraft {
        OfferDraft {
            title: String::new(),
            description: String::new(),
            employer_name: String::new(),
            employer_description: None,
            employer_website: None,
            street: String::new(),
            zipcode: String::new(),
            city: String::new(),
            coordinates: None,
            sector_id: None,
            remote_id: String::new(),
            permalink: String::new(),
            max_candidates: Some(1),
            max_students_per_group: Some(1),
            is_public: Some(false),
            handicap_accessible: false,
            lunch_break: None,
            daily_hours: None,
            weeks_span: None,
            approved_count: 0,
            published_at: Some(published_at),
        }
    }

    /// The valid offer, or every broken rule by field. `prior` holds the errors found while
    /// reading the request: a field that has one reports only it.
    pub fn validate(self, prior: FieldErrors) -> Result<ValidOffer, FieldErrors> {
        let mut errors = self.text_errors();
        let checked = self.check(&mut errors);
        let mut all = prior;
        all.merge_new_fields(errors);
        match checked {
            Some(checked) if all.is_empty() => Ok(self.into_valid(checked)),
            _ => Err(all),
        }
    }

    /// The rules declared on the fields.
    fn text_errors(&self) -> FieldErrors {
        let mut errors = FieldErrors::default();
        if let Err(found) = Validate::validate(self) {
            for (field, field_errors) in found.field_errors() {
                for error in field_errors {
                    errors.add(
                        field.as_ref(),
                        error.message.as_deref().unwrap_or("est invalide"),
                    );
                }
            }
        }
        errors
    }

    /// The other rules; the values they yield when they all hold.
    fn check(&self, errors: &mut FieldErrors) -> Option<Checked> {
        let sector_id = self.sector_id;
        if sector_id.is_none() {
            errors.add("sector", "Missing sector");
        }
        let is_public = self.is_public;
        if is_public.is_none() {
            errors.add("is_public", "n'est pas inclus(e) dans la liste");
        }
        let coordinates = self.coordinates;
        if coordinates.is_none() {
            errors.add("coordinates", "Missing coordinates");
        }
        let department = self.check_zipcode(errors);
        let seats = self.check_seats(errors);
        if self.weeks_span.is_none() {
            errors.add("weeks", "Missing weeks");
        }
        Some(Checked {
            department: department?,
            coordinates: coordinates?,
            sector_id: sector_id?,
            seats: seats?,
            is_public: is_public?,
            span: self.weeks_span?,
        })
    }

    fn check_zipcode(&self, errors: &mut FieldErrors) -> Option<&'static str> {
        if self.zipcode.trim().is_empty() {
            errors.add("zipcode", "Missing zipcode");
        }
        if !postal::is_well_formed(&self.zipcode) {
            errors.add("zipcode", "Zipcode is invalid");
            return None;
        }
        let department = postal::department(&self.zipcode);
        if department.is_none() {
            errors.add(
                "zipcode",
                "le code postal ne permet pas de déduire le département",
            );
        }
        department
    }

    /// `max_candidates` and `max_students_per_group`, as stored.
    fn check_seats(&self, errors: &mut FieldErrors) -> Option<(i32, i32)> {
        let Some(max_candidates) = self.max_candidates else {
            errors.add(
                "max_candidates",
                "Veuillez saisir un nombre de candidats par stage",
            );
            return None;
        };
        let mut valid = true;
        if max_candidates <= 0 {
            errors.add("max_candidates", "doit être supérieur à 0");
            valid = false;
        } else if max_candidates > MAX_CANDIDATES {
            errors.add("max_candidates", "doit être inférieur ou égal à 200");
            valid = false;
        } else if max_candidates < self.approved_count {
            errors.add("max_candidates", SEATS_ALREADY_GIVEN);
            valid = false;
        }
        let group = self
            .max_students_per_group
            .filter(|group| *group >= 1 && *group <= max_candidates);
        if group.is_none() {
            errors.add(
                "max_students_per_group",
                "Le nombre maximal d'élèves par groupe ne peut pas dépasser le nombre maximal d'élèves attendus dans l'année",
            );
        }
        let seats = (
            i32::try_from(max_candidates).ok()?,
            i32::try_from(group?).ok()?,
        );
        valid.then_some(seats)
    }

    fn into_valid(self, checked: Checked) -> ValidOffer {
        ValidOffer {
            title: self.title,
            description: self.description,
            employer_name: self.employer_name,
            employer_description: self.employer_description,
            employer_website: self.employer_website,
            street: self.street,
            zipcode: self.zipcode,
            city: self.city,
            department: checked.department,
            coordinates: checked.coordinates,
            sector_id: checked.sector_id,
            remote_id: self.remote_id,
            permalink: self.permalink,
            max_candidates: checked.seats.0,
            max_students_per_group: checked.seats.1,
            is_public: checked.is_public,
            handicap_accessible: self.handicap_accessible,
            lunch_break: self.lunch_break,
            daily_hours: self.daily_hours,
            first_date: checked.span.0,
            last_date: checked.span.1,
            published_at: self.published_at,
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
