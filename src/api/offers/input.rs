//! Reads the `internship_offer` object a partner sent (JSON or form-encoded) into typed
//! values, collecting type errors per field instead of failing on the first one.
//! Unknown keys are ignored, as the original did.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use crate::domain::geo::{GeoPoint, GeoPointError};
use crate::domain::offer::OfferDraft;
use crate::domain::week::IsoWeek;
use crate::error::{ApiError, FieldErrors};
use crate::params::Params;

const ROOT_KEY: &str = "internship_offer";

/// The `internship_offer` object: 422 `BAD_PAYLOAD` when missing, blank or not an object.
pub fn offer_object(params: &Params) -> Result<&Map<String, Value>, ApiError> {
    match params.get(ROOT_KEY) {
        Some(Value::Object(fields)) if !fields.is_empty() => Ok(fields),
        None | Some(Value::Null) | Some(Value::Object(_)) => {
            Err(ApiError::MissingPayload(ROOT_KEY))
        }
        Some(Value::String(s)) if s.trim().is_empty() => Err(ApiError::MissingPayload(ROOT_KEY)),
        Some(_) => Err(ApiError::BadPayload(format!(
            "{ROOT_KEY} doit être un objet"
        ))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
}

/// What the partner sent. `None`: the key was absent; `Some(None)`: sent empty or null.
#[derive(Debug, Default)]
pub struct OfferInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub employer_name: Option<String>,
    pub employer_description: Option<String>,
    pub employer_website: Option<String>,
    pub street: Option<String>,
    pub zipcode: Option<String>,
    pub city: Option<String>,
    pub remote_id: Option<String>,
    pub permalink: Option<String>,
    pub lunch_break: Option<String>,
    pub coordinates: Option<Option<GeoPoint>>,
    pub sector_uuid: Option<Option<String>>,
    pub weeks: Option<Vec<IsoWeek>>,
    pub max_candidates: Option<Option<i64>>,
    pub max_students_per_group: Option<Option<i64>>,
    pub is_public: Option<Option<bool>>,
    pub handicap_accessible: Option<Option<bool>>,
    pub daily_hours: Option<Option<Value>>,
    pub published_at: Option<Option<DateTime<Utc>>>,
    /// Fields whose value had the wrong type or shape.
    pub errors: FieldErrors,
}

impl OfferInput {
    /// Reads the fields; a malformed week is a 422 `BAD_ARGUMENT` naming the first bad one.
    pub fn read(fields: &Map<String, Value>, mode: Mode) -> Result<OfferInput, ApiError> {
        let weeks = read_weeks(fields.get("weeks"))?;
        let mut r = Reader {
            fields,
            errors: FieldErrors::default(),
        };
        let mut input = OfferInput {
            title: r.text("title"),
            description: r.text("description"),
            employer_name: r.text("employer_name"),
            employer_description: r.text("employer_description"),
            employer_website: r.text("employer_website"),
            street: r.text("street"),
            zipcode: r.text("zipcode"),
            city: r.text("city"),
            remote_id: if mode == Mode::Create {
                r.text("remote_id")
            } else {
                None
            },
            permalink: r.text("permalink"),
            lunch_break: r.text("lunch_break"),
            coordinates: r.coordinates("coordinates"),
            sector_uuid: r
                .text("sector_uuid")
                .map(|s| Some(s).filter(|s| !s.trim().is_empty())),
            weeks,
            max_candidates: r.integer("max_candidates"),
            max_students_per_group: r.integer("max_students_per_group"),
            is_public: r.boolean("is_public"),
            handicap_accessible: r.boolean("handicap_accessible"),
            daily_hours: r.object("daily_hours"),
            published_at: if mode == Mode::Update {
                r.datetime("published_at")
            } else {
                None
            },
            errors: FieldErrors::default(),
        };
        input.errors = r.errors;
        Ok(input)
    }

    /// Overwrites the draft with every field that was sent.
    pub fn apply_to(&self, draft: &mut OfferDraft) {
        let optional = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
        set(&mut draft.title, self.title.clone());
        set(&mut draft.description, self.description.clone());
        set(&mut draft.employer_name, self.employer_name.clone());
        set(
            &mut draft.employer_description,
            self.employer_description.as_ref().map(optional),
        );
        set(
            &mut draft.employer_website,
            self.employer_website.as_ref().map(optional),
        );
        set(&mut draft.street, self.street.clone());
        set(
            &mut draft.zipcode,
            self.zipcode.as_ref().map(|z| z.trim().to_owned()),
        );
        set(&mut draft.city, self.city.clone());
        set(&mut draft.remote_id, self.remote_id.clone());
        set(
            &mut draft.permalink,
            self.permalink.as_ref().map(|p| p.trim().to_owned()),
        );
        set(
            &mut draft.lunch_break,
            self.lunch_break.as_ref().map(optional),
        );
        set(&mut draft.coordinates, self.coordinates);
        set(&mut draft.max_candidates, self.max_candidates);
        set(
            &mut draft.max_students_per_group,
            self.max_students_per_group,
        );
        set(&mut draft.is_public, self.is_public);
        set(
            &mut draft.handicap_accessible,
            self.handicap_accessible.map(|b| b.unwrap_or(false)),
        );
        set(&mut draft.daily_hours, self.daily_hours.clone());
    }
}

fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *target = value;
    }
}

fn bad_week(value: &Value) -> ApiError {
    let shown = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    ApiError::BadArgument(format!(
        "bad week format: {shown}, expecting ISO 8601 format"
    ))
}

/// `weeks`: absent or null → None; otherwise a list of `YYYY-Www` strings.
fn read_weeks(value: Option<&Value>) -> Result<Option<Vec<IsoWeek>>, ApiError> {
    let items = match value {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => return Err(bad_week(other)),
    };
    let mut weeks = Vec::with_capacity(items.len());
    for item in items {
        let week = item
            .as_str()
            .and_then(|s| IsoWeek::parse(s.trim()))
            .ok_or_else(|| bad_week(item))?;
        if !weeks.contains(&week) {
            weeks.push(week);
        }
    }
    Ok(Some(weeks))
}

/// Reads one field at a time, recording a message for each value of the wrong type.
struct Reader<'a> {
    fields: &'a Map<String, Value>,
    errors: FieldErrors,
}

impl Reader<'_> {
    /// Strings, numbers and booleans are read as text (partners send numeric remote_ids);
    /// null is the empty text.
    fn text(&mut self, key: &str) -> Option<String> {
        match self.fields.get(key)? {
            Value::Null => Some(String::new()),
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Array(_) | Value::Object(_) => {
                self.errors.add(key, "doit être une chaîne de caractères");
                None
            }
        }
    }

    fn integer(&mut self, key: &str) -> Option<Option<i64>> {
        let number = match self.fields.get(key)? {
            Value::Null => return Some(None),
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.trim().parse::<f64>().ok(),
            Value::Number(n) => n.as_f64(),
            _ => None,
        };
        match number {
            Some(n) if n.is_finite() && n.fract() == 0.0 => Some(Some(n as i64)),
            Some(n) if n.is_finite() => {
                self.errors.add(key, "doit être un nombre entier");
                None
            }
            _ => {
                self.errors.add(key, "doit être un nombre entier");
                None
            }
        }
    }

    /// Booleans, 0/1, and the usual words in any case ("true"/"false", "t"/"f", "on"/"off",
    /// "yes"/"no", "1"/"0"). "" and null are empty. Anything else is refused (the original
    /// read "no" and "False" as true).
    fn boolean(&mut self, key: &str) -> Option<Option<bool>> {
        match self.fields.get(key)? {
            Value::Null => Some(None),
            Value::Bool(b) => Some(Some(*b)),
            Value::Number(n) if n.as_f64() == Some(0.0) => Some(Some(false)),
            Value::Number(n) if n.as_f64() == Some(1.0) => Some(Some(true)),
            Value::String(s) if s.is_empty() => Some(None),
            Value::String(s)
                if matches!(
                    s.trim().to_ascii_lowercase().as_str(),
                    "0" | "f" | "false" | "off" | "no" | "n"
                ) =>
            {
                Some(Some(false))
            }
            Value::String(s)
                if matches!(
                    s.trim().to_ascii_lowercase().as_str(),
                    "1" | "t" | "true" | "on" | "yes" | "y"
                ) =>
            {
                Some(Some(true))
            }
            _ => {
                self.errors.add(key, "doit être un booléen (true ou false)");
                None
            }
        }
    }

    fn object(&mut self, key: &str) -> Option<Option<Value>> {
        match self.fields.get(key)? {
            Value::Null => Some(None),
            Value::Object(map) => Some(Some(Value::Object(map.clone()))),
            _ => {
                self.errors.add(key, "doit être un objet");
                None
            }
        }
    }

    fn coordinates(&mut self, key: &str) -> Option<Option<GeoPoint>> {
        let value = self.fields.get(key)?;
        let Value::Object(map) = value else {
            if !value.is_null() && value.as_str().is_none_or(|s| !s.is_empty()) {
                self.errors.add(
                    key,
                    "doit être un objet {\"latitude\": …, \"longitude\": …}",
                );
            }
            return Some(None);
        };
        let component = |name: &str| -> Result<Option<f64>, String> {
            match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => s
                    .trim()
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| format!("{name} doit être un nombre")),
                Some(Value::Number(n)) => Ok(n.as_f64()),
                Some(_) => Err(format!("{name} doit être un nombre")),
            }
        };
        let (latitude, longitude) = match (component("latitude"), component("longitude")) {
            (Ok(Some(lat)), Ok(Some(lon))) => (lat, lon),
            (Ok(_), Ok(_)) => return Some(None),
            (lat, lon) => {
                for message in [lat.err(), lon.err()].into_iter().flatten() {
                    self.errors.add(key, message);
                }
                return None;
            }
        };
        match GeoPoint::new(latitude, longitude) {
            Ok(point) => Some(Some(point)),
            Err(GeoPointError::Zero) => Some(None),
            Err(GeoPointError::LatitudeOutOfRange) => {
                self.errors
                    .add(key, "la latitude doit être comprise entre -90 et 90");
                None
            }
            Err(GeoPointError::LongitudeOutOfRange) => {
                self.errors
                    .add(key, "la longitude doit être comprise entre -180 et 180");
                None
            }
        }
    }

    /// ISO 8601 date-time (with or without offset, read as Europe/Paris when without) or date.
    fn datetime(&mut self, key: &str) -> Option<Option<DateTime<Utc>>> {
        let text = match self.fields.get(key)? {
            Value::Null => return Some(None),
            Value::String(s) if s.trim().is_empty() => return Some(None),
            Value::String(s) => s.trim().to_owned(),
            _ => String::new(),
        };
        match parse_datetime(&text) {
            Some(at) => Some(Some(at)),
            None => {
                self.errors.add(
                    key,
                    "doit être une date ISO 8601 (ex. 2025-03-01T09:00:00+01:00)",
                );
                None
            }
        }
    }
}

fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    local
        .and_local_timezone(chrono_tz::Europe::Paris)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value, mode: Mode) -> Result<OfferInput, ApiError> {
        let Value::Object(map) = value else {
            return Err(ApiError::internal("not an object"));
        };
        OfferInput::read(&map, mode)
    }

    #[test]
    fn reads_form_strings_and_json_scalars() -> Result<(), ApiError> {
        let input = read(
            json!({"remote_id": 43, "max_candidates": "3", "is_public": "False", "handicap_accessible": "on", "coordinates": {"latitude": "48.5", "longitude": 2.25}}),
            Mode::Create,
        )?;
        assert_eq!(input.remote_id.as_deref(), Some("43"));
        assert_eq!(input.max_candidates, Some(Some(3)));
        assert_eq!(
            (input.is_public, input.handicap_accessible),
            (Some(Some(false)), Some(Some(true)))
        );
        assert_eq!(
            input
                .coordinates
                .flatten()
                .map(|p| (p.latitude(), p.longitude())),
            Some((48.5, 2.25))
        );
        assert!(input.errors.is_empty());
        Ok(())
    }

    #[test]
    fn records_wrong_types_per_field() -> Result<(), ApiError> {
        let input = read(
            json!({"title": ["x"], "max_candidates": "abc", "coordinates": {"latitude": 95, "longitude": 2}, "daily_hours": "9-17"}),
            Mode::Create,
        )?;
        assert_eq!(
            input.errors.get("title"),
            Some(&["doit être une chaîne de caractères".to_owned()][..])
        );
        assert!(input.errors.get("max_candidates").is_some());
        assert!(input.errors.get("coordinates").is_some());
        assert!(input.errors.get("daily_hours").is_some());
        Ok(())
    }

    #[test]
    fn weeks_must_be_strings_in_strict_iso_format() {
        for bad in [
            json!({"weeks": [2025]}),
            json!({"weeks": ["2019-W1-foo"]}),
            json!({"weeks": "2025-W10"}),
        ] {
            assert!(matches!(
                read(bad, Mode::Create),
                Err(ApiError::BadArgument(_))
            ));
        }
    }

    #[test]
    fn payload_root_must_be_a_non_empty_object() {
        let params = |v: Value| v.as_object().cloned().unwrap_or_default();
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
            Err(ApiError::BadPayload(_))
        ));
        assert!(offer_object(&params(json!({"internship_offer": {"title": "t"}}))).is_ok());
    }
}
