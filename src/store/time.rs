//! How instants are stored: UTC text of fixed width, so SQL text order is time order and the
//! file stays readable with `sqlite3`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::StoreError;

const FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

pub fn to_text(at: DateTime<Utc>) -> String {
    at.format(FORMAT).to_string()
}

pub fn from_text(text: &str) -> Result<DateTime<Utc>, StoreError> {
    NaiveDateTime::parse_from_str(text, FORMAT)
        .map(|t| t.and_utc())
        .map_err(|_| StoreError::Corrupt(format!("instant '{text}'")))
}

pub fn date_to_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub fn date_from_text(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("date '{text}'")))
}

/// Maps an optional column through a fallible parser.
pub fn opt<T>(
    text: Option<String>,
    parse: impl Fn(&str) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    text.map(|t| parse(&t)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn instants_round_trip_and_sort_as_text() {
        let a = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let b = Utc.with_ymd_and_hms(2026, 11, 2, 3, 4, 5).unwrap();
        assert_eq!(from_text(&to_text(a)).unwrap(), a);
        assert!(to_text(a) < to_text(b));
        assert!(from_text("yesterday").is_err());
    }
}
