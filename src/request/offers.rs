//! The typed requests of the offer endpoints: the `internship_offer` object a partner sends
//! (JSON, form-encoded or multipart), read with the request layer's readers. A value of the
//! wrong type is recorded on its field; unknown keys are ignored, as the original did.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::domain::field_errors::FieldErrors;
use crate::domain::geo::GeoPoint;
use crate::domain::offer::OfferDraft;
use crate::domain::week::IsoWeek;
use crate::error::ApiError;
use crate::request::{Field, Fields, Params, read, values};

const ROOT_KEY: &str = "internship_offer";

/// The `internship_offer` object: 422 `BAD_PAYLOAD` when missing, blank or not an object.
pub fn offer_object(params: &Params) -> Result<&Map<String, Value>, ApiError> {
    payload_object(params, ROOT_KEY)
}

/// The object under `key` (`internship_offer`, `application_tracking`): 422 `BAD_PAYLOAD`
/// when it is missing, blank or not an object.
pub fn payload_object<'a>(
    params: &'a Params,
    key: &'static str,
) -> Result<&'a Map<String, Value>, ApiError> {
    match params.get(key) {
        Some(Value::Object(fields)) if !fields.is_empty() => Ok(fields),
        None | Some(Value::Null) | Some(Value::Object(_)) => Err(ApiError::MissingPayload(key)),
        Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::MissingPayload(key)),
        Some(_) => Err(ApiError::PayloadNotAnObject(key)),
    }
}

/// The fields a partner may set on an offer, as sent.
#[derive(Debug, Default)]
pub struct OfferFields {
    pub title: Field<String>,
    pub description: Field<String>,
    pub employer_name: Field<String>,
    pub employer_description: Field<String>,
    pub employer_website: Field<String>,
    pub street: Field<String>,
    pub zipcode: Field<String>,
    pub city: Field<String>,
    pub permalink: Field<String>,
    pub lunch_break: Field<String>,
    pub coordinates: Field<GeoPoint>,
    /// A sector's uuid; one that is unknown or malformed leaves the offer without sector.
    pub sector_uuid: Field<String>,
    /// Replaces every week when sent.
    pub weeks: Option<Vec<IsoWeek>>,
    pub max_candidates: Field<i64>,
    pub max_students_per_group: Field<i64>,
    pub is_public: Field<bool>,
    pub handicap_accessible: Field<bool>,
    pub daily_hours: Field<Value>,
}

impl OfferFields {
    /// Malformed weeks are a 422 `BAD_ARGUMENT` naming the first bad one.
    fn read(f: &mut Fields<'_>) -> Result<OfferFields, ApiError> {
        let weeks = f.iso_weeks("weeks")?;
        Ok(OfferFields {
            title: f.text("title"),
            description: f.text("description"),
            employer_name: f.text("employer_name"),
            employer_description: f.text("employer_description"),
            employer_website: f.text("employer_website"),
            street: f.text("street"),
            zipcode: f.text("zipcode"),
            city: f.text("city"),
            permalink: f.text("permalink"),
            lunch_break: f.text("lunch_break"),
            coordinates: f.point("coordinates"),
            sector_uuid: f.read("sector_uuid", values::trimmed_text),
            weeks,
            max_candidates: f.integer("max_candidates"),
            max_students_per_group: f.integer("max_students_per_group"),
            is_public: f.boolean("is_public"),
            handicap_accessible: f.boolean("handicap_accessible"),
            daily_hours: f.object("daily_hours"),
        })
    }

    /// Overwrites the draft with every field that was sent (the sector and the weeks, which
    /// need the database, are the service's).
    pub fn apply_to(self, draft: &mut OfferDraft) {
        let trimmed = |text: String| text.trim().to_owned();
        let blank_is_none = |text: Field<String>| match text {
            Field::Set(t) if t.trim().is_empty() => Field::Cleared,
            other => other,
        };
        self.title.apply_or_default(&mut draft.title);
        self.description.apply_or_default(&mut draft.description);
        self.employer_name
            .apply_or_default(&mut draft.employer_name);
        blank_is_none(self.employer_description).apply(&mut draft.employer_description);
        blank_is_none(self.employer_website).apply(&mut draft.employer_website);
        self.street.apply_or_default(&mut draft.street);
        self.zipcode
            .map(trimmed)
            .apply_or_default(&mut draft.zipcode);
        self.city.apply_or_default(&mut draft.city);
        self.permalink
            .map(trimmed)
            .apply_or_default(&mut draft.permalink);
        blank_is_none(self.lunch_break).apply(&mut draft.lunch_break);
        self.coordinates.apply(&mut draft.coordinates);
        self.max_candidates.apply(&mut draft.max_candidates);
        self.max_students_per_group
            .apply(&mut draft.max_students_per_group);
        self.is_public.apply(&mut draft.is_public);
        self.handicap_accessible
            .apply_or_default(&mut draft.handicap_accessible);
        self.daily_hours.apply(&mut draft.daily_hours);
    }
}

/// `POST /api/internship_offers`.
#[derive(Debug)]
pub struct CreateOfferRequest {
    pub remote_id: Field<String>,
    pub fields: OfferFields,
    /// Fields whose value had the wrong type.
    pub errors: FieldErrors,
}

impl CreateOfferRequest {
    pub fn read(params: &Params) -> Result<CreateOfferRequest, ApiError> {
        Self::read_from(&mut Fields::new(offer_object(params)?))
    }

    fn read_from(f: &mut Fields<'_>) -> Result<CreateOfferRequest, ApiError> {
        let fields = OfferFields::read(f)?;
        let remote_id = f.text("remote_id");
        Ok(CreateOfferRequest {
            remote_id,
            fields,
            errors: f.errors().clone(),
        })
    }

    /// The keys of `internship_offer` this request reads (the OpenAPI schema lists the same).
    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }
}

/// `PATCH` or `PUT /api/internship_offers/{remote_id}`.
#[derive(Debug)]
pub struct UpdateOfferRequest {
    /// null unpublishes; a date republishes.
    pub published_at: Field<DateTime<Utc>>,
    pub fields: OfferFields,
    pub errors: FieldErrors,
}

impl UpdateOfferRequest {
    pub fn read(params: &Params) -> Result<UpdateOfferRequest, ApiError> {
        Self::read_from(&mut Fields::new(offer_object(params)?))
    }

    fn read_from(f: &mut Fields<'_>) -> Result<UpdateOfferRequest, ApiError> {
        let fields = OfferFields::read(f)?;
        let published_at = f.datetime("published_at");
        Ok(UpdateOfferRequest {
            published_at,
            fields,
            errors: f.errors().clone(),
        })
    }

    pub fn keys_read() -> Vec<&'static str> {
        read::keys_read_by(Self::read_from)
    }
}

/// The bodies as the OpenAPI document shows them. A test proves that these schemas list
/// exactly the keys the requests above read.
pub mod schema {
    use serde::{Deserialize, Serialize};
    use utoipa::ToSchema;

    /// A point, in the requests and the answers.
    #[derive(Debug, Serialize, Deserialize, ToSchema)]
    pub struct Coordinates {
        #[schema(example = 48.8566, minimum = -90, maximum = 90)]
        pub latitude: f64,
        #[schema(example = 2.3522, minimum = -180, maximum = 180)]
        pub longitude: f64,
    }

    /// An ISO 8601 week, `2025-W10`.
    #[derive(Debug, Deserialize, ToSchema)]
    #[schema(pattern = "^[0-9]{4}-W[0-9]{2}$", example = "2025-W10")]
    #[allow(dead_code, reason = "documentation only")]
    pub struct IsoWeekText(String);

    /// The fields of an offer (documentation of `internship_offer`; the server also accepts
    /// the same fields form-encoded, `internship_offer[weeks][]=2025-W10`).
    #[derive(Debug, Deserialize, ToSchema)]
    #[allow(dead_code, reason = "documentation only")]
    pub struct OfferFields {
        /// Obligatoire à la création, ≤ 150 caractères.
        #[schema(example = "Découverte des métiers de la cuisine", max_length = 150)]
        pub title: Option<String>,
        /// Obligatoire à la création, ≤ 500 caractères.
        #[schema(max_length = 500)]
        pub description: Option<String>,
        /// Obligatoire à la création, ≤ 180 caractères.
        #[schema(max_length = 180)]
        pub employer_name: Option<String>,
        /// Optionnel, ≤ 275 caractères.
        #[schema(max_length = 275)]
        pub employer_description: Option<String>,
        /// ≤ 560 caractères.
        #[schema(max_length = 560)]
        pub employer_website: Option<String>,
        /// ≤ 3000 caractères.
        #[schema(max_length = 3000)]
        pub street: Option<String>,
        /// Obligatoire à la création : code postal de la liste officielle de La Poste.
        #[schema(example = "75002", pattern = "^[0-9]{5}$")]
        pub zipcode: Option<String>,
        /// Obligatoire à la création, ≤ 50 caractères.
        #[schema(max_length = 50)]
        pub city: Option<String>,
        pub coordinates: Option<Coordinates>,
        /// Obligatoire à la création : voir GET /api/sectors.
        #[schema(example = "1ce60ecc-273d-4c73-9b1a-2f5ee14e1bc6", format = Uuid)]
        pub sector_uuid: Option<String>,
        /// Semaines ISO 8601 ; absent : toutes les semaines restantes de l'année scolaire.
        #[schema(example = json!(["2025-W10", "2025-W11"]), inline)]
        pub weeks: Option<Vec<IsoWeekText>>,
        /// Obligatoire à la création : URL http(s) de l'offre chez le partenaire, ≤ 280 caractères.
        #[schema(
            example = "https://www.partenaire.fr/offres/42",
            max_length = 280,
            pattern = "^https?://"
        )]
        pub permalink: Option<String>,
        /// 1 à 200 ; 1 par défaut.
        #[schema(minimum = 1, maximum = 200)]
        pub max_candidates: Option<i32>,
        /// 1 à `max_candidates` ; 1 par défaut.
        #[schema(minimum = 1, maximum = 200)]
        pub max_students_per_group: Option<i32>,
        /// false par défaut.
        pub is_public: Option<bool>,
        pub handicap_accessible: Option<bool>,
        /// ≤ 500 caractères.
        #[schema(max_length = 500)]
        pub lunch_break: Option<String>,
        #[schema(value_type = Option<Object>, example = json!({"lundi": ["9:00", "17:00"]}))]
        pub daily_hours: Option<serde_json::Value>,
    }

    /// Creation fields: the offer fields plus `remote_id`.
    #[derive(Debug, Deserialize, ToSchema)]
    #[allow(dead_code, reason = "documentation only")]
    pub struct CreateOfferFields {
        /// Identifiant de l'offre chez le partenaire, ≤ 50 caractères, unique parmi vos offres en ligne.
        #[schema(example = "offre-42", min_length = 1, max_length = 50)]
        pub remote_id: String,
        #[serde(flatten)]
        pub fields: OfferFields,
    }

    #[derive(Debug, Deserialize, ToSchema)]
    #[allow(dead_code, reason = "documentation only")]
    pub struct CreateOfferRequest {
        pub internship_offer: CreateOfferFields,
    }

    /// Update fields: the offer fields plus `published_at`.
    #[derive(Debug, Deserialize, ToSchema)]
    #[allow(dead_code, reason = "documentation only")]
    pub struct UpdateOfferFields {
        /// null : dépublie l'offre ; une date : la republie.
        pub published_at: Option<String>,
        #[serde(flatten)]
        pub fields: OfferFields,
    }

    #[derive(Debug, Deserialize, ToSchema)]
    #[allow(dead_code, reason = "documentation only")]
    pub struct UpdateOfferRequest {
        pub internship_offer: UpdateOfferFields,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(value: Value) -> Params {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn reads_form_strings_and_json_scalars() -> Result<(), ApiError> {
        let request = CreateOfferRequest::read(&params(json!({"internship_offer":
            {"remote_id": 43, "max_candidates": "3", "is_public": "False", "handicap_accessible": "on",
             "coordinates": {"latitude": "48.5", "longitude": 2.25}}})))?;
        assert_eq!(request.remote_id, Field::Set("43".into()));
        assert_eq!(request.fields.max_candidates, Field::Set(3));
        assert_eq!(
            (request.fields.is_public, request.fields.handicap_accessible),
            (Field::Set(false), Field::Set(true))
        );
        assert_eq!(
            request
                .fields
                .coordinates
                .value()
                .map(|p| (p.latitude(), p.longitude())),
            Some((48.5, 2.25))
        );
        assert!(request.errors.is_empty());
        Ok(())
    }

    #[test]
    fn records_wrong_types_per_field() -> Result<(), ApiError> {
        let request = CreateOfferRequest::read(&params(json!({"internship_offer":
            {"title": ["x"], "max_candidates": "abc", "coordinates": {"latitude": 95, "longitude": 2},
             "daily_hours": "9-17"}})))?;
        assert_eq!(
            request.errors.get("title"),
            Some(&["doit être une chaîne de caractères".to_owned()][..])
        );
        assert!(request.errors.get("max_candidates").is_some());
        assert!(request.errors.get("coordinates").is_some());
        assert!(request.errors.get("daily_hours").is_some());
        Ok(())
    }

    #[test]
    fn weeks_must_be_strings_in_strict_iso_format() {
        for bad in [json!([2025]), json!(["2019-W1-foo"]), json!("2025-W10")] {
            let sent = params(json!({"internship_offer": {"weeks": bad}}));
            assert!(matches!(
                CreateOfferRequest::read(&sent),
                Err(ApiError::BadWeek(_))
            ));
        }
    }

    #[test]
    fn payload_root_must_be_a_non_empty_object() {
        assert!(matches!(
            offer_object(&params(json!({}))),
            Err(ApiError::MissingPayload(_))
        ));
        assert!(matches!(
            offer_object(&params(json!({"internship_offer": {}}))),
            Err(ApiError::MissingPayload(_))
        ));
        assert!(matches!(
            offer_object(&params(json!({"internship_offer": "x"}))),
            Err(ApiError::PayloadNotAnObject(_))
        ));
        assert!(offer_object(&params(json!({"internship_offer": {"title": "t"}}))).is_ok());
    }

    #[test]
    fn create_and_update_read_their_own_keys() {
        let create = CreateOfferRequest::keys_read();
        let update = UpdateOfferRequest::keys_read();
        assert!(create.contains(&"remote_id") && !create.contains(&"published_at"));
        assert!(update.contains(&"published_at") && !update.contains(&"remote_id"));
        assert_eq!(create.len(), 19);
        assert_eq!(update.len(), 19);
    }
}
