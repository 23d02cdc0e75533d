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
//! | object | a JSON object, its numbers within ±10^15 | null: cleared |
//! | ISO weeks | a list of `YYYY-Www` | absent |
//! | list | one value or a list of them | empty |
//!
//! No text may hold a NUL character (PostgreSQL cannot store it). A value of the wrong kind
//! records a message on its field and reads as absent. Unknown keys are ignored.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value};

use super::values::{
    Field, Refusal, boolean, date, datetime, id, integer, object, point, text, trimmed_text,
};
use crate::domain::field_errors::FieldErrors;
use crate::domain::geo::GeoPoint;
use crate::domain::week::IsoWeek;
use crate::error::ApiError;

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
