//! How instants are stored: UTC text of fixed width, so SQL text order is time order and the
//! file stays readable with `sqlite3`.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};

use crate::domain::when::PartialDate;

use super::StoreError;

// The store writes these formats itself, so reading them back is a fixed-width parse:
// chrono's format-string parser re-reads the pattern for every value, and at ten thousand
// rows per screen that was most of the agenda's time.

/// `2026-11-22T10:00:00Z`
pub fn to_text(at: DateTime<Utc>) -> String {
    let (d, t) = (at.date_naive(), at.time());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        d.year(),
        d.month(),
        d.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn from_text(text: &str) -> Result<DateTime<Utc>, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("instant '{text}'"));
    let b = text.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return Err(corrupt());
    }
    let date = date_from_text(&text[..10]).map_err(|_| corrupt())?;
    let time = NaiveTime::from_hms_opt(
        digits(&b[11..13]).ok_or_else(corrupt)?,
        digits(&b[14..16]).ok_or_else(corrupt)?,
        digits(&b[17..19]).ok_or_else(corrupt)?,
    )
    .ok_or_else(corrupt)?;
    Ok(date.and_time(time).and_utc())
}

/// `2026-11-22`
pub fn date_to_text(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

pub fn date_from_text(text: &str) -> Result<NaiveDate, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("date '{text}'"));
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(corrupt());
    }
    let year = i32::try_from(digits(&b[..4]).ok_or_else(corrupt)?).map_err(|_| corrupt())?;
    NaiveDate::from_ymd_opt(
        year,
        digits(&b[5..7]).ok_or_else(corrupt)?,
        digits(&b[8..10]).ok_or_else(corrupt)?,
    )
    .ok_or_else(corrupt)
}

/// `1815-12-10` or `--12-10`, as `PartialDate` displays itself.
pub fn partial_date_from_text(text: &str) -> Result<PartialDate, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("date '{text}'"));
    if let Some(md) = text.strip_prefix("--") {
        let b = md.as_bytes();
        if b.len() != 5 || b[2] != b'-' {
            return Err(corrupt());
        }
        return PartialDate::new(
            None,
            digits(&b[..2]).ok_or_else(corrupt)?,
            digits(&b[3..]).ok_or_else(corrupt)?,
        )
        .ok_or_else(corrupt);
    }
    let date = date_from_text(text)?;
    PartialDate::new(Some(date.year()), date.month(), date.day()).ok_or_else(corrupt)
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
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
        assert!(from_text("2026-13-02T03:04:05Z").is_err());
        assert!(from_text("2026-01-02T03:04:05").is_err());
        let date = NaiveDate::from_ymd_opt(987, 6, 5).unwrap();
        assert_eq!(date_from_text(&date_to_text(date)).unwrap(), date);
        assert!(date_from_text("2026-02-30").is_err());
    }

    #[test]
    fn partial_dates_read_back() {
        for text in ["1815-12-10", "--02-29", "--12-10"] {
            assert_eq!(partial_date_from_text(text).unwrap().to_string(), text);
        }
        for bad in ["--13-01", "--1210", "12-10", "x"] {
            assert!(partial_date_from_text(bad).is_err(), "{bad}");
        }
    }
}
