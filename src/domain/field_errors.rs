//! Field name → messages: what a request or an offer got wrong, field by field, rendered as
//! the `error` object of a `VALIDATION_ERROR` in the order the original API lists the fields.

use serde::Serialize;
use serde::ser::SerializeMap;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors(Vec<(String, Vec<String>)>);

/// The order in which the original API reports invalid fields; the others follow in the
/// order they were found.
const FIELD_ORDER: &[&str] = &[
    "coordinates",
    "title",
    "employer_name",
    "zipcode",
    "city",
    "description",
    "sector",
    "remote_id",
    "permalink",
];

impl FieldErrors {
    /// One error on `field`; a message already recorded for it is not repeated.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let message = message.into();
        match self.0.iter_mut().find(|(name, _)| name == field) {
            Some((_, messages)) => {
                if !messages.contains(&message) {
                    messages.push(message);
                }
            }
            None => self.0.push((field.to_owned(), vec![message])),
        }
    }

    /// A single error on `field`.
    pub fn one(field: &str, message: impl Into<String>) -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        errors
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Adds the errors of fields that have none yet.
    pub fn merge_new_fields(&mut self, other: FieldErrors) {
        for (field, messages) in other.0 {
            if !self.has(&field) {
                self.0.push((field, messages));
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, m)| m.as_slice())
    }

    /// Ok when empty, otherwise these errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    fn rank(field: &str) -> usize {
        FIELD_ORDER
            .iter()
            .position(|f| *f == field)
            .unwrap_or(FIELD_ORDER.len())
    }
}

impl Serialize for FieldErrors {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_by_key(|(field, _)| Self::rank(field));
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (field, messages) in entries {
            map.serialize_entry(field, messages)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_fields_in_the_original_order_without_repeating_a_message() {
        let mut errors = FieldErrors::default();
        errors.add("weeks", "Missing weeks");
        errors.add("sector", "Missing sector");
        errors.add("coordinates", "Missing coordinates");
        errors.add("sector", "Missing sector");
        let json = serde_json::to_string(&errors).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"coordinates":["Missing coordinates"],"sector":["Missing sector"],"weeks":["Missing weeks"]}"#
        );
    }
}
