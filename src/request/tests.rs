//! One test per kind of value: what each reader accepts, clears and refuses.

use serde_json::{Value, json};

use chrono::NaiveDate;

use super::read::*;
use super::values::*;
use crate::error::ApiError;

fn refused<T: std::fmt::Debug>(result: Result<Field<T>, Refusal>) -> bool {
    result.is_err()
}

#[test]
fn text_keeps_what_was_sent_and_writes_scalars_as_text() {
    assert_eq!(text(&json!(" Stage ")), Ok(Field::Set(" Stage ".into())));
    assert_eq!(text(&json!("")), Ok(Field::Set(String::new())));
    assert_eq!(text(&json!(43)), Ok(Field::Set("43".into())));
    assert_eq!(text(&json!(true)), Ok(Field::Set("true".into())));
    assert_eq!(text(&Value::Null), Ok(Field::Cleared));
    assert!(refused(text(&json!(["x"]))));
    assert!(refused(text(&json!({"a": 1}))));
    assert!(refused(text(&json!("a\u{0}b"))));
}

#[test]
fn trimmed_text_trims_and_clears_blanks() {
    assert_eq!(trimmed_text(&json!("  42 ")), Ok(Field::Set("42".into())));
    assert_eq!(trimmed_text(&json!(7)), Ok(Field::Set("7".into())));
    assert_eq!(trimmed_text(&json!("   ")), Ok(Field::Cleared));
    assert_eq!(trimmed_text(&Value::Null), Ok(Field::Cleared));
    assert!(refused(trimmed_text(&json!([1]))));
    assert!(refused(trimmed_text(&json!("\u{0}"))));
}

#[test]
fn integer_accepts_whole_numbers_and_their_digits() {
    assert_eq!(integer(&json!(3)), Ok(Field::Set(3)));
    assert_eq!(integer(&json!(" 3 ")), Ok(Field::Set(3)));
    assert_eq!(integer(&json!(2.0)), Ok(Field::Set(2)));
    assert_eq!(integer(&json!("")), Ok(Field::Cleared));
    assert_eq!(integer(&Value::Null), Ok(Field::Cleared));
    for bad in [
        json!(2.5),
        json!("abc"),
        json!(true),
        json!([1]),
        json!("NaN"),
    ] {
        assert!(refused(integer(&bad)), "{bad}");
    }
}

#[test]
fn id_accepts_positive_integers_only() {
    assert_eq!(id(&json!(5)), Ok(Field::Set(5)));
    assert_eq!(id(&json!("12")), Ok(Field::Set(12)));
    assert_eq!(id(&json!(" ")), Ok(Field::Cleared));
    for bad in [
        json!(0),
        json!(-1),
        json!("1.5"),
        json!(1.5),
        json!("x"),
        json!(false),
    ] {
        assert!(refused(id(&bad)), "{bad}");
    }
}

#[test]
fn boolean_accepts_the_usual_words_in_any_case() {
    for yes in [
        json!(true),
        json!(1),
        json!("TRUE"),
        json!("t"),
        json!(" on "),
        json!("Yes"),
        json!("y"),
        json!("1"),
    ] {
        assert_eq!(boolean(&yes), Ok(Field::Set(true)), "{yes}");
    }
    for no in [
        json!(false),
        json!(0),
        json!("False"),
        json!("f"),
        json!("off"),
        json!("NO"),
        json!("n"),
        json!("0"),
    ] {
        assert_eq!(boolean(&no), Ok(Field::Set(false)), "{no}");
    }
    assert_eq!(boolean(&json!("")), Ok(Field::Cleared));
    assert_eq!(boolean(&Value::Null), Ok(Field::Cleared));
    for bad in [json!("maybe"), json!(2), json!([true])] {
        assert!(refused(boolean(&bad)), "{bad}");
    }
}

#[test]
fn date_is_year_month_day() {
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).map(Field::Set);
    assert_eq!(date(&json!("2026-03-02")).ok(), day);
    assert_eq!(date(&json!(" 2026-03-02 ")).ok(), day);
    assert_eq!(date(&json!("")), Ok(Field::Cleared));
    for bad in [json!("02/03/2026"), json!("2026-02-30"), json!(20260302)] {
        assert!(refused(date(&bad)), "{bad}");
    }
}

#[test]
fn datetime_reads_offsets_paris_time_and_dates() {
    let at = |text: &str| {
        datetime(&json!(text))
            .ok()
            .and_then(Field::value)
            .map(|d| d.to_rfc3339())
    };
    assert_eq!(
        at("2025-03-01T09:00:00+01:00").as_deref(),
        Some("2025-03-01T08:00:00+00:00")
    );
    assert_eq!(
        at("2025-03-01T09:00:00").as_deref(),
        Some("2025-03-01T08:00:00+00:00")
    );
    assert_eq!(
        at("2025-07-01").as_deref(),
        Some("2025-06-30T22:00:00+00:00")
    );
    assert_eq!(datetime(&Value::Null), Ok(Field::Cleared));
    assert!(refused(datetime(&json!("demain"))));
    assert!(refused(datetime(&json!(1_700_000_000))));
}

#[test]
fn number_is_a_finite_decimal() {
    assert_eq!(number(&json!(48.85)), Ok(Field::Set(48.85)));
    assert_eq!(number(&json!(" -1.5 ")), Ok(Field::Set(-1.5)));
    assert_eq!(number(&json!("")), Ok(Field::Cleared));
    for bad in [json!("inf"), json!("NaN"), json!("1,5"), json!([1])] {
        assert!(refused(number(&bad)), "{bad}");
    }
}

#[test]
fn point_needs_both_coordinates_in_range() {
    let point_of = |value: Value| point(&value).map(|p| p.map(|p| (p.latitude(), p.longitude())));
    assert_eq!(
        point_of(json!({"latitude": "48.5", "longitude": 2.25})),
        Ok(Field::Set((48.5, 2.25)))
    );
    assert_eq!(point_of(json!({"latitude": 48.5})), Ok(Field::Cleared));
    assert_eq!(
        point_of(json!({"latitude": 0, "longitude": 0})),
        Ok(Field::Cleared)
    );
    assert_eq!(point_of(json!("")), Ok(Field::Cleared));
    assert!(point_of(json!({"latitude": 95, "longitude": 2})).is_err());
    assert!(point_of(json!({"latitude": 45, "longitude": 181})).is_err());
    assert!(point_of(json!({"latitude": "nord", "longitude": 2})).is_err());
    assert!(point_of(json!("48.5,2.25")).is_err());
}

#[test]
fn object_is_a_json_object_without_nul() {
    assert_eq!(
        object(&json!({"lundi": ["9:00"]})),
        Ok(Field::Set(json!({"lundi": ["9:00"]})))
    );
    assert_eq!(object(&Value::Null), Ok(Field::Cleared));
    assert!(refused(object(&json!("9-17"))));
    assert!(refused(object(&json!({"lundi": ["9:00\u{0}"]}))));
    assert!(refused(object(&json!({"lu\u{0}ndi": 1}))));
    assert!(refused(object(
        &json!({"lundi": [1.797_693_134_862_315_7e308]})
    )));
    assert!(refused(object(&json!({"lundi": {"fin": -1e16}}))));
    assert!(refused(object(&json!({"lundi": 1e-320}))));
    assert_eq!(
        object(&json!({"lundi": [8.5, 0, -3]})).map(|f| f.value().is_some()),
        Ok(true)
    );
}

#[test]
fn iso_weeks_are_a_strict_list_without_repeats() -> Result<(), ApiError> {
    let map = json!({"weeks": ["2025-W10", " 2025-W10", "2025-W11"], "none": null, "one": "2025-W10", "bad": ["2025-W60"]});
    let map = map.as_object().cloned().unwrap_or_default();
    let mut f = Fields::new(&map);
    let weeks = f.iso_weeks("weeks")?.unwrap_or_default();
    assert_eq!(
        weeks.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["2025-W10", "2025-W11"]
    );
    assert_eq!(f.iso_weeks("none")?, None);
    assert_eq!(f.iso_weeks("absent")?, None);
    assert!(matches!(f.iso_weeks("one"), Err(ApiError::BadWeek(w)) if w == "2025-W10"));
    assert!(matches!(f.iso_weeks("bad"), Err(ApiError::BadWeek(w)) if w == "2025-W60"));
    Ok(())
}

#[test]
fn list_takes_one_value_or_many() {
    let map = json!({"many": [1, 2], "one": "3", "blank": " ", "null": null});
    let map = map.as_object().cloned().unwrap_or_default();
    let mut f = Fields::new(&map);
    assert_eq!(f.list("many"), [&json!(1), &json!(2)]);
    assert_eq!(f.list("one"), [&json!("3")]);
    assert!(f.list("blank").is_empty() && f.list("null").is_empty() && f.list("absent").is_empty());
}

#[test]
fn fields_record_refusals_and_the_keys_read() {
    let map = json!({"title": ["x"], "remote_id": "  ", "ignored": 1});
    let map = map.as_object().cloned().unwrap_or_default();
    let mut f = Fields::new(&map);
    assert_eq!(f.text("title"), Field::Absent);
    let remote_id = f.trimmed_text("remote_id");
    assert_eq!(f.required("remote_id", remote_id), None);
    let (errors, keys) = f.finish();
    assert_eq!(
        errors.get("title"),
        Some(&["doit être une chaîne de caractères".to_owned()][..])
    );
    assert_eq!(
        errors.get("remote_id"),
        Some(&["Missing remote_id".to_owned()][..])
    );
    assert_eq!(keys, ["title", "remote_id"]);
}
