//! One reader per kind of value (see the table in `read`): each takes a loose JSON value and
//! gives what was sent (`Field`), or the message recorded on its field.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::domain::geo::{GeoPoint, GeoPointError};
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

/// A scalar read with `parse` from its text: a JSON number as written, or a string trimmed;
/// null or a blank string is cleared; anything else is refused with `refused`.
fn parse_scalar<T>(
    value: &Value,
    refused: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Field<T>, Refusal> {
    let text = match value {
        Value::Null => return Ok(Field::Cleared),
        Value::Number(n) => n.to_string(),
        Value::String(_) => match trimmed_text(value).map_err(|_| refused)? {
            Field::Set(text) => text,
            _ => return Ok(Field::Cleared),
        },
        _ => return Err(refused.into()),
    };
    parse(&text).map(Field::Set).ok_or_else(|| refused.into())
}

pub fn integer(value: &Value) -> Result<Field<i64>, Refusal> {
    parse_scalar(value, "doit être un nombre entier", |text| {
        let n = text.parse::<f64>().ok()?;
        (n.is_finite() && n.fract() == 0.0).then_some(n as i64)
    })
}

pub fn id(value: &Value) -> Result<Field<i64>, Refusal> {
    parse_scalar(value, "doit être un identifiant entier positif", |text| {
        text.parse::<i64>().ok().filter(|id| *id > 0)
    })
}

pub fn boolean(value: &Value) -> Result<Field<bool>, Refusal> {
    if let Value::Bool(b) = value {
        return Ok(Field::Set(*b));
    }
    parse_scalar(
        value,
        "doit être un booléen (true ou false)",
        |text| match text.to_ascii_lowercase().as_str() {
            "1" | "t" | "true" | "on" | "yes" | "y" => Some(true),
            "0" | "f" | "false" | "off" | "no" | "n" => Some(false),
            _ => None,
        },
    )
}

pub fn date(value: &Value) -> Result<Field<NaiveDate>, Refusal> {
    parse_scalar(value, "doit être une date AAAA-MM-JJ", |text| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    })
}

pub fn datetime(value: &Value) -> Result<Field<DateTime<Utc>>, Refusal> {
    parse_scalar(
        value,
        "doit être une date ISO 8601 (ex. 2025-03-01T09:00:00+01:00)",
        paris_time::parse_datetime,
    )
}

pub fn number(value: &Value) -> Result<Field<f64>, Refusal> {
    parse_scalar(value, "doit être un nombre", |text| {
        text.parse::<f64>().ok().filter(|n| n.is_finite())
    })
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
        return match trimmed_text(value) {
            Ok(Field::Cleared) => Ok(Field::Cleared),
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
