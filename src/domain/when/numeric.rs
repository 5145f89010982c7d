//! Numeric dates as contact sheets write them: Outlook's `4/13/1981` (US) and `13.04.1981`
//! (Germany), a spreadsheet's `13/4/1981`. The one rule every importer shares, so that a
//! date is read the same from any sheet and is never guessed:
//!
//! - `D.M.YYYY` (dots) is day first: that is the convention everywhere dots are used
//!   (DIN 5008, and the CLDR short date patterns of the countries that write it).
//! - `YYYY/M/D` (the year first) is unambiguous.
//! - `A/B/YYYY` is read by the part that cannot be a month (`4/13/1981` and `13/4/1981` are
//!   both 13 April); when both parts could be the month (`4/5/1981`) the region's order
//!   settles it (month first in the US, day first in most of the world), and without one the
//!   date is refused with both readings spelled out.
//! - A two-digit year is refused: its century would be a guess.

use super::{PartialDate, WhenError};

/// Which comes first in a slashed numeric date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// `4/5/1981` is 5 April (the US).
    MonthFirst,
    /// `4/5/1981` is 4 May (most of the world).
    DayFirst,
}

impl DayOrder {
    /// The order a region (ISO 3166 alpha-2) writes `A/B/YYYY` in, from the CLDR short date
    /// patterns: month first in the US and the places that follow its usage, day first in
    /// most others. Canada writes both, so it settles nothing.
    pub fn of_region(code: &str) -> Option<DayOrder> {
        const MONTH_FIRST: [&str; 11] = [
            "US", "PR", "VI", "GU", "AS", "MP", "UM", "PH", "FM", "MH", "PW",
        ];
        let code = code.trim().to_uppercase();
        if code == "CA" || code.is_empty() {
            None
        } else if MONTH_FIRST.contains(&code.as_str()) {
            Some(DayOrder::MonthFirst)
        } else {
            Some(DayOrder::DayFirst)
        }
    }
}

impl PartialDate {
    /// A date from a contact sheet: every form [`PartialDate::parse`] accepts, and the
    /// numeric forms of the module's rule, with `order` from `--region` or the settings.
    pub fn parse_numeric(input: &str, order: Option<DayOrder>) -> Result<Self, WhenError> {
        let text = input.trim();
        let numeric = |sep: char| {
            let parts: Vec<&str> = text.trim_end_matches(sep).split(sep).collect();
            let digits = parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
            (digits && (2..=3).contains(&parts.len())).then_some(parts)
        };
        let (dotted, parts) = match (numeric('.'), numeric('/')) {
            (Some(parts), _) => (true, parts),
            (None, Some(parts)) => (false, parts),
            (None, None) => return PartialDate::parse(text),
        };
        if parts[0].len() == 4 && parts.len() == 3 {
            return from_parts(text, parts[2], parts[1], Some(parts[0]));
        }
        if dotted {
            return from_parts(text, parts[0], parts[1], parts.get(2).copied());
        }
        let year = parts.get(2).copied();
        let (a, b) = (number(parts[0]), number(parts[1]));
        let reading = if a > 12 || a == b {
            DayOrder::DayFirst
        } else if b > 12 {
            DayOrder::MonthFirst
        } else if let Some(order) = order {
            order
        } else {
            let spell = |month: &str, day: &str| {
                from_parts(text, day, month, year)
                    .map_or_else(|_| "?".to_owned(), |d| d.to_string())
            };
            return Err(WhenError::DayOrder {
                text: text.to_owned(),
                month_first: spell(parts[0], parts[1]),
                day_first: spell(parts[1], parts[0]),
            });
        };
        match reading {
            DayOrder::DayFirst => from_parts(text, parts[0], parts[1], year),
            DayOrder::MonthFirst => from_parts(text, parts[1], parts[0], year),
        }
    }
}

fn number(text: &str) -> u32 {
    text.parse().unwrap_or(0)
}

fn from_parts(
    text: &str,
    day: &str,
    month: &str,
    year: Option<&str>,
) -> Result<PartialDate, WhenError> {
    let year = match year {
        Some(y) if y.len() == 4 => Some(i32::try_from(number(y)).unwrap_or(0)),
        Some(_) => return Err(WhenError::ShortYear(text.to_owned())),
        None => None,
    };
    if day.len() > 2 || month.len() > 2 {
        return Err(WhenError::BadPartialDate(text.to_owned()));
    }
    PartialDate::new(year, number(month), number(day))
        .ok_or_else(|| WhenError::Impossible(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    // Outlook US: 13 cannot be a month, so nothing is ambiguous.
    #[case("4/13/1981", None, "1981-04-13")]
    #[case("13/4/1981", None, "1981-04-13")]
    #[case("12/31/1999", None, "1999-12-31")]
    #[case("7/7/1977", None, "1977-07-07")]
    // Outlook DE, and dots anywhere: day first.
    #[case("13.04.1981", None, "1981-04-13")]
    #[case("24.12.1970", None, "1970-12-24")]
    #[case("4.5.1981", None, "1981-05-04")]
    #[case("24.12.", None, "--12-24")]
    // The region settles what the numbers cannot.
    #[case("4/5/1981", Some(DayOrder::MonthFirst), "1981-04-05")]
    #[case("4/5/1981", Some(DayOrder::DayFirst), "1981-05-04")]
    #[case("1981/4/13", None, "1981-04-13")]
    #[case("1981.04.13", None, "1981-04-13")]
    // What parse already took still parses.
    #[case("1981-04-13", None, "1981-04-13")]
    #[case("--04-13", None, "--04-13")]
    fn numeric_dates(#[case] text: &str, #[case] order: Option<DayOrder>, #[case] iso: &str) {
        assert_eq!(
            PartialDate::parse_numeric(text, order).unwrap().to_string(),
            iso
        );
    }

    #[test]
    fn an_ambiguous_date_names_both_readings_from_its_own_numbers() {
        let err = PartialDate::parse_numeric("4/5/1981", None).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("1981-04-05") && text.contains("1981-05-04"),
            "{text}"
        );
        assert!(
            !text.contains("2026"),
            "no example made from another date: {text}"
        );
        let err = PartialDate::parse_numeric("10/12", None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--10-12") && err.contains("--12-10"), "{err}");
    }

    #[rstest]
    #[case("4/13/81")]
    #[case("31.02.1981")]
    #[case("13/13/1981")]
    #[case("4/5/6/7")]
    fn bad_numeric_dates(#[case] text: &str) {
        assert!(
            PartialDate::parse_numeric(text, Some(DayOrder::DayFirst)).is_err(),
            "{text}"
        );
    }

    #[test]
    fn regions() {
        assert_eq!(DayOrder::of_region("US"), Some(DayOrder::MonthFirst));
        assert_eq!(DayOrder::of_region("gb"), Some(DayOrder::DayFirst));
        assert_eq!(DayOrder::of_region("DE"), Some(DayOrder::DayFirst));
        assert_eq!(DayOrder::of_region("CA"), None);
    }
}
