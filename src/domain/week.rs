//! ISO 8601 weeks ("2025-W10") and the school-year window used when a partner sends none.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IsoWeek {
    year: i32,
    number: u32,
}

impl IsoWeek {
    /// Parses exactly `YYYY-Www` (one or two week digits), a week that exists in that year.
    pub fn parse(text: &str) -> Option<IsoWeek> {
        let (year, number) = text.split_once("-W")?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !all_digits(year) || number.len() > 2 || !all_digits(number) {
            return None;
        }
        let week = IsoWeek {
            year: year.parse().ok()?,
            number: number.parse().ok()?,
        };
        NaiveDate::from_isoywd_opt(week.year, week.number, Weekday::Mon)?;
        Some(week)
    }

    pub fn containing(day: NaiveDate) -> IsoWeek {
        let iso = day.iso_week();
        IsoWeek {
            year: iso.year(),
            number: iso.week(),
        }
    }

    pub fn monday(&self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.number, Weekday::Mon).unwrap_or(NaiveDate::MIN)
    }

    pub fn sunday(&self) -> NaiveDate {
        self.monday() + Duration::days(6)
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.number)
    }
}

/// The days an offer without weeks is open: from today (or 1 September, when the next
/// school year has not started yet) to 31 May, the end of the school year.
/// After the week that contains 31 May, the next school year is used.
pub fn default_window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let end_of = |year: i32| NaiveDate::from_ymd_opt(year, 5, 31).unwrap_or(NaiveDate::MAX);
    let mut end = end_of(today.year());
    if today > IsoWeek::containing(end).sunday() {
        end = end_of(today.year() + 1);
    }
    let start = NaiveDate::from_ymd_opt(end.year() - 1, 9, 1).unwrap_or(NaiveDate::MIN);
    (today.max(start), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn parses_strict_iso_weeks() {
        assert_eq!(
            IsoWeek::parse("2025-W10").map(|w| w.to_string()),
            Some("2025-W10".into())
        );
        assert_eq!(
            IsoWeek::parse("2019-W1").map(|w| w.monday()),
            Some(day(2018, 12, 31))
        );
        assert_eq!(
            IsoWeek::parse("2020-W53").map(|w| w.monday()),
            Some(day(2020, 12, 28))
        );
        for bad in [
            "2019-W1-foo",
            "2021-W53",
            "2019-W0",
            "2019-W54",
            "2019W01",
            "",
            "2020-Wsem9-23",
            "19-W10",
            "2019-W001",
            "2019-W+1",
        ] {
            assert_eq!(IsoWeek::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn default_window_spans_new_year_correctly() {
        assert_eq!(
            default_window(day(2024, 12, 30)),
            (day(2024, 12, 30), day(2025, 5, 31))
        );
        assert_eq!(
            default_window(day(2025, 1, 2)),
            (day(2025, 1, 2), day(2025, 5, 31))
        );
    }

    #[test]
    fn default_window_in_summer_is_the_next_school_year() {
        assert_eq!(
            default_window(day(2025, 7, 14)),
            (day(2025, 9, 1), day(2026, 5, 31))
        );
        // 31 May 2025 is a Saturday: its week ends on Sunday 1 June.
        assert_eq!(
            default_window(day(2025, 6, 1)),
            (day(2025, 6, 1), day(2025, 5, 31))
        );
        assert_eq!(
            default_window(day(2025, 6, 2)),
            (day(2025, 9, 1), day(2026, 5, 31))
        );
    }
}
