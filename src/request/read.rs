//! Readers of loose values, as partners send them: JSON scalars, or the strings of a form or
//! query string. Each kind of value has one meaning everywhere:
//!
//! | kind | accepted | null or `""` |
//! |---|---|---|
//! | text | string, number, boolean (as written) | null: cleared; `""`: the empty text |
//! | trimmed text | string, number, boolean, trimmed | cleared |
//! | integer | whole number, or its digits | cleared |
//! | id | positive integer, or its digits | cleared |
//! | boolean | true/false, 0/1, t/f, yes/no, y/n, on/off (any case) | cleared |
//! | date | `AAAA-MM-JJ` | cleared |
//! | datetime | ISO 8601, with an offset or in Paris time, or a date | cleared |
//! | number | finite decimal number | cleared |
//! | point | `{"latitude", "longitude"}`, both numbers | cleared |
//! | object | a JSON object | cleared |
//! | ISO weeks | a list of `YYYY-Www` | absent |
//! | list | one value or a list of them | empty |
//!
//! No text may hold a NUL character (PostgreSQL cannot store it). A value of the wrong kind
//! records a message on its field and reads as absent. Unknown keys are ignored.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use crate::domain::field_errors::FieldErrors;
use crate::domain::geo::{GeoPoint, GeoPointError};
use crate::domain::week::IsoWeek;
use crate::error::ApiError;
use crate::paris_time;

/// A field as sent: absent, sent empty (null or blank), or with a value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    #[default]
    Absent,
    Cleared,
    Set(T),
}

impl<T> Field<T> {
    /// The value, if one was sent.
    pub fn value(self) -> Option<T> {
        match self {
            Field::Set(value) => Some(value),
            Field::Absent | Field::Cleared => None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Set(value) => Field::Set(f(value)),
            Field::Cleared => Field::Cleared,
            Field::Absent => Field::Absent,
        }
    }

    /// Writes what was sent into an optional value: cleared empties it, absent keeps it.
    pub fn apply(self, target: &mut Option<T>) {
        match self {
            Field::Set(value) => *target = Some(value),
            Field::Cleared => *target = None,
            Field::Absent => {}
        }
    }
}

impl<T: Default> Field<T> {
    /// Writes what was sent into a value whose empty form is its default.
    pub fn apply_or_default(self, target: &mut T) {
        match self {
            Field::Set(value) => *target = value,
            Field::Cleared => *target = T::default(),
            Field::Absent => {}
        }
    }
}

/// Why a value was refused, in the words recorded on its field.
pub type Refusal = String;

const NUL_REFUSED: &str = "ne doit pas contenir le caractère nul (U+0000)";

/// Reads the values of one JSON object, recording the refused ones by field.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    errors: FieldErrors,
    keys: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Fields<'a> {
        Fields {
            map,
            errors: FieldErrors::default(),
            keys: vec![],
        }
    }

    /// The raw value of `key`; every key read is remembered (see `keys`).
    pub fn get(&mut self, key: &'static str) -> Option<&'a Value> {
        if !self.keys.contains(&key) {
            self.keys.push(key);
        }
        self.map.get(key)
    }

    /// Reads `key` with `reader`; a refusal is recorded on the field.
    pub fn read<T>(
        &mut self,
        key: &'static str,
        reader: impl FnOnce(&Value) -> Result<Field<T>, Refusal>,
    ) -> Field<T> {
        self.read_as(key, key, reader)
    }

    /// Reads `key`, recording a refusal on `field`.
    pub fn read_as<T>(
        &mut self,
        key: &'static str,
        field: &str,
        reader: impl FnOnce(&Value) -> Result<Field<T>, Refusal>,
    ) -> Field<T> {
        let Some(value) = self.get(key) else {
            return Field::Absent;
        };
        reader(value).unwrap_or_else(|refusal| {
            self.errors.add(field, refusal);
            Field::Absent
        })
    }

    pub fn text(&mut self, key: &'static str) -> Field<String> {
        self.read(key, text)
    }

    pub fn trimmed_text(&mut self, key: &'static str) -> Option<String> {
        self.read(key, trimmed_text).value()
    }

    pub fn integer(&mut self, key: &'static str) -> Field<i64> {
        self.read(key, integer)
    }

    pub fn id(&mut self, key: &'static str) -> Option<i64> {
        self.read(key, id).value()
    }

    pub fn boolean(&mut self, key: &'static str) -> Field<bool> {
        self.read(key, boolean)
    }

    pub fn date(&mut self, key: &'static str) -> Option<NaiveDate> {
        self.read(key, date).value()
    }

    pub fn datetime(&mut self, key: &'static str) -> Field<DateTime<Utc>> {
        self.read(key, datetime)
    }

    pub fn point(&mut self, key: &'static str) -> Field<GeoPoint> {
        self.read(key, point)
    }

    pub fn object(&mut self, key: &'static str) -> Field<Value> {
        self.read(key, object)
    }

    /// One value or a list of values (`sector_ids[]=1&sector_ids[]=2`, or `sector_ids=1`).
    pub fn list(&mut self, key: &'static str) -> Vec<&'a Value> {
        match self.get(key) {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(items)) => items.iter().collect(),
            Some(Value::String(s)) if s.trim().is_empty() => vec![],
            Some(other) => vec![other],
        }
    }

    /// A list of ISO weeks, without repeats; absent or null is None. Anything but a list of
    /// `YYYY-Www` is a 422 `BAD_ARGUMENT` naming the first bad value, as the original did.
    pub fn iso_weeks(&mut self, key: &'static str) -> Result<Option<Vec<IsoWeek>>, ApiError> {
        let items = match self.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Array(items)) => items,
            Some(other) => return Err(bad_week(other)),
        };
        let mut weeks = Vec::with_capacity(items.len());
        for item in items {
            let week = iso_week(item)?;
            if !weeks.contains(&week) {
                weeks.push(week);
            }
        }
        Ok(Some(weeks))
    }

    /// `value`, or else "Missing <key>" on its field when it has no error yet.
    pub fn required<T>(&mut self, key: &str, value: Option<T>) -> Option<T> {
        if value.is_none() && !self.errors.has(key) {
            self.errors.add(key, format!("Missing {key}"));
        }
        value
    }

    /// Records an error on `field` (a rule of the request itself).
    pub fn refuse(&mut self, field: &str, message: impl Into<String>) {
        self.errors.add(field, message);
    }

    pub fn errors(&self) -> &FieldErrors {
        &self.errors
    }

    /// The errors recorded, and every key that was read.
    pub fn finish(self) -> (FieldErrors, Vec<&'static str>) {
        (self.errors, self.keys)
    }
}

/// The keys a request's reader looks at, read from an empty object (the OpenAPI document
/// must list the same: a test compares them).
pub fn keys_read_by<T, E>(read: impl FnOnce(&mut Fields<'_>) -> Result<T, E>) -> Vec<&'static str> {
    let empty = Map::new();
    let mut fields = Fields::new(&empty);
    let _ = read(&mut fields);
    fields.finish().1
}

/// One ISO week, `YYYY-Www`; anything else is a 422 `BAD_ARGUMENT`.
pub fn iso_week(value: &Value) -> Result<IsoWeek, ApiError> {
    value
        .as_str()
        .and_then(|s| IsoWeek::parse(s.trim()))
        .ok_or_else(|| bad_week(value))
}

fn bad_week(value: &Value) -> ApiError {
    ApiError::BadWeek(
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned),
    )
}

fn without_nul(text: &str) -> Result<(), Refusal> {
    if text.contains('\0') {
        Err(NUL_REFUSED.into())
    } else {
        Ok(())
    }
}

/// A scalar as text: strings as sent, numbers and booleans as written.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn text(value: &Value) -> Result<Field<String>, Refusal> {
    if value.is_null() {
        return Ok(Field::Cleared);
    }
    let text = scalar(value).ok_or("doit être une chaîne de caractères")?;
    without_nul(&text)?;
    Ok(Field::Set(text))
}

pub fn trimmed_text(value: &Value) -> Result<Field<String>, Refusal> {
    Ok(match text(value)? {
        Field::Set(t) if !t.trim().is_empty() => Field::Set(t.trim().to_owned()),
        _ => Field::Cleared,
    })
}

/// A blank value (null or a blank string) reads as cleared; otherwise its trimmed text.
fn non_blank(value: &Value) -> Result<Option<String>, Refusal> {
    match trimmed_text(value) {
        Ok(Field::Set(text)) => Ok(Some(text)),
        Ok(_) => Ok(None),
        Err(refusal) => Err(refusal),
    }
}

pub fn integer(value: &Value) -> Result<Field<i64>, Refusal> {
    const REFUSED: &str = "doit être un nombre entier";
    let number = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(_) => match non_blank(value).map_err(|_| REFUSED)? {
            None => return Ok(Field::Cleared),
            Some(text) => text.parse::<f64>().ok(),
        },
        Value::Null => return Ok(Field::Cleared),
        _ => None,
    };
    match number {
        Some(n) if n.is_finite() && n.fract() == 0.0 => Ok(Field::Set(n as i64)),
        _ => Err(REFUSED.into()),
    }
}

pub fn id(value: &Value) -> Result<Field<i64>, Refusal> {
    const REFUSED: &str = "doit être un identifiant entier positif";
    let parsed = match value {
        Value::Number(n) => n.as_i64(),
        Value::String(_) => match non_blank(value).map_err(|_| REFUSED)? {
            None => return Ok(Field::Cleared),
            Some(text) => text.parse::<i64>().ok(),
        },
        Value::Null => return Ok(Field::Cleared),
        _ => None,
    };
    match parsed {
        Some(id) if id > 0 => Ok(Field::Set(id)),
        _ => Err(REFUSED.into()),
    }
}

pub fn boolean(value: &Value) -> Result<Field<bool>, Refusal> {
    const REFUSED: &str = "doit être un booléen (true ou false)";
    let word = match value {
        Value::Bool(b) => return Ok(Field::Set(*b)),
        Value::Number(n) => n.to_string(),
        Value::String(_) => match non_blank(value).map_err(|_| REFUSED)? {
            None => return Ok(Field::Cleared),
            Some(text) => text.to_ascii_lowercase(),
        },
        Value::Null => return Ok(Field::Cleared),
        _ => return Err(REFUSED.into()),
    };
    match word.as_str() {
        "1" | "t" | "true" | "on" | "yes" | "y" => Ok(Field::Set(true)),
        "0" | "f" | "false" | "off" | "no" | "n" => Ok(Field::Set(false)),
        _ => Err(REFUSED.into()),
    }
}

pub fn date(value: &Value) -> Result<Field<NaiveDate>, Refusal> {
    const REFUSED: &str = "doit être une date AAAA-MM-JJ";
    match non_blank(value).map_err(|_| REFUSED)? {
        None => Ok(Field::Cleared),
        Some(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Field::Set)
            .map_err(|_| REFUSED.into()),
    }
}

pub fn datetime(value: &Value) -> Result<Field<DateTime<Utc>>, Refusal> {
    const REFUSED: &str = "doit être une date ISO 8601 (ex. 2025-03-01T09:00:00+01:00)";
    match non_blank(value).map_err(|_| REFUSED)? {
        None => Ok(Field::Cleared),
        Some(text) => paris_time::parse_datetime(&text)
            .map(Field::Set)
            .ok_or_else(|| REFUSED.into()),
    }
}

pub fn number(value: &Value) -> Result<Field<f64>, Refusal> {
    const REFUSED: &str = "doit être un nombre";
    let parsed = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(_) => match non_blank(value).map_err(|_| REFUSED)? {
            None => return Ok(Field::Cleared),
            Some(text) => text.parse::<f64>().ok(),
        },
        Value::Null => return Ok(Field::Cleared),
        _ => None,
    };
    match parsed {
        Some(n) if n.is_finite() => Ok(Field::Set(n)),
        _ => Err(REFUSED.into()),
    }
}

/// Numbers an object may hold: PostgreSQL keeps any, but those far from everyday values do
/// not come back as the same JSON number.
const OBJECT_NUMBER_LIMIT: f64 = 1e15;

pub fn object(value: &Value) -> Result<Field<Value>, Refusal> {
    match value {
        Value::Null => Ok(Field::Cleared),
        Value::Object(_) if any_leaf(value, &|v| v.as_str().is_some_and(|s| s.contains('\0'))) => {
            Err(NUL_REFUSED.into())
        }
        Value::Object(_) if any_leaf(value, &|v| v.as_f64().is_some_and(unstorable)) => Err(
            "ne peut contenir que des nombres compris entre -10^15 et 10^15 (ou 0 et des \
             décimaux d'au plus 15 chiffres après la virgule)"
                .into(),
        ),
        Value::Object(_) => Ok(Field::Set(value.clone())),
        _ => Err("doit être un objet".into()),
    }
}

fn unstorable(number: f64) -> bool {
    number.abs() >= OBJECT_NUMBER_LIMIT
        || (number != 0.0 && number.abs() < 1.0 / OBJECT_NUMBER_LIMIT)
}

/// Whether a leaf of `value` (a key counts as a string leaf) satisfies `test`.
fn any_leaf(value: &Value, test: &dyn Fn(&Value) -> bool) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|v| any_leaf(v, test)),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| test(&Value::String(k.clone())) || any_leaf(v, test)),
        leaf => test(leaf),
    }
}

pub fn point(value: &Value) -> Result<Field<GeoPoint>, Refusal> {
    let Value::Object(map) = value else {
        return match non_blank(value) {
            Ok(None) => Ok(Field::Cleared),
            _ => Err("doit être un objet {\"latitude\": …, \"longitude\": …}".into()),
        };
    };
    let component = |name: &str| {
        number(map.get(name).unwrap_or(&Value::Null))
            .map(Field::value)
            .map_err(|_| format!("{name} doit être un nombre"))
    };
    let (latitude, longitude) = match (component("latitude"), component("longitude")) {
        (Ok(Some(lat)), Ok(Some(lon))) => (lat, lon),
        (Ok(_), Ok(_)) => return Ok(Field::Cleared),
        (Err(refusal), _) | (_, Err(refusal)) => return Err(refusal),
    };
    match GeoPoint::new(latitude, longitude) {
        Ok(point) => Ok(Field::Set(point)),
        Err(GeoPointError::Zero) => Ok(Field::Cleared),
        Err(GeoPointError::LatitudeOutOfRange) => {
            Err("la latitude doit être comprise entre -90 et 90".into())
        }
        Err(GeoPointError::LongitudeOutOfRange) => {
            Err("la longitude doit être comprise entre -180 et 180".into())
        }
    }
}

#[cfg(test)]
mod tests;
