//! Dates and times as the service shows them: in Paris time, the way Rails rendered them for
//! the API, and in French for the pages. Shared by `api/` and `web/`.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Europe::Paris;

const FRENCH_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Today in Paris.
pub fn today() -> NaiveDate {
    date_of(Utc::now())
}

/// The day `at` falls on in Paris.
pub fn date_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Paris).date_naive()
}

/// `2025-03-01T10:00:00.000+01:00`, as Rails renders times in the Paris zone.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris)
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// `5 février 2024`.
pub fn french_date(day: NaiveDate) -> String {
    format!(
        "{} {} {}",
        day.day(),
        FRENCH_MONTHS[day.month0() as usize],
        day.year()
    )
}

/// `05/02/2024 à 14:30`, as French readers expect a date and time.
pub fn french_datetime(at: DateTime<Utc>) -> String {
    at.with_timezone(&Paris)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// An ISO 8601 date-time (with an offset, or else read in Paris time) or a date (its midnight
/// in Paris).
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
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
        .and_local_timezone(Paris)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_the_original() {
        let at = |text: &str| parse_datetime(text).map(timestamp);
        assert_eq!(
            at("2019-03-01T00:00:00Z").as_deref(),
            Some("2019-03-01T01:00:00.000+01:00")
        );
        assert_eq!(
            at("2019-10-15T14:50:42.101Z").as_deref(),
            Some("2019-10-15T16:50:42.101+02:00")
        );
        assert_eq!(
            at("2019-10-15 09:00:00").as_deref(),
            Some("2019-10-15T09:00:00.000+02:00")
        );
        assert_eq!(
            NaiveDate::from_ymd_opt(2024, 2, 5)
                .map(french_date)
                .as_deref(),
            Some("5 février 2024")
        );
        assert_eq!(
            parse_datetime("2024-02-05T14:30:00+01:00")
                .map(french_datetime)
                .as_deref(),
            Some("05/02/2024 à 14:30")
        );
    }
}
