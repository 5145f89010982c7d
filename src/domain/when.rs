//! Date phrases and durations: the small language a user types after `!`, `^`, `--on`,
//! `--at`, `--every` and `--birthday`. Pure: "today" and "now" are always parameters.
//!
//! Accepted date forms: ISO `2026-12-01`; `today` `tomorrow` `yesterday`; weekday names
//! (`fri` is the next Friday when looking forward, the last one when looking back);
//! `next fri` / `last fri` (forced direction); `in 3 days`, `3 days ago`; `3d` `2w` `1m` `1y`
//! (forward, or back when the context is the past); `eow` `eom` `eoy`; `dec 1`, `1 dec`,
//! `dec 1 2026`. Slash forms such as `03/04/2026` are ambiguous between countries and are
//! refused, never guessed.

use std::fmt;

mod numeric;

pub use numeric::DayOrder;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// What a user is shown whenever a date phrase is not understood.
pub const ACCEPTED_DATES: &str = "2026-12-01, today, tomorrow, yesterday, fri, next fri, \
     last fri, in 3 days, 3 days ago, 3d, 2w, 1m, 1y, eow, eom, eoy, dec 1, 1 dec 2026";

/// Which way a relative phrase points when it does not say so itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Due dates, follow-ups, snoozes: `fri` is the coming Friday.
    Future,
    /// When something happened: `fri` is the Friday just gone, `2w` is two weeks ago.
    Past,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error(
        "'{0}' is ambiguous (day/month order differs by country); write the year first (2026-04-03) or the month as a word (3 apr 2026)"
    )]
    Ambiguous(String),
    #[error("'{0}' is not a date; accepted forms: {ACCEPTED_DATES}")]
    Unknown(String),
    #[error(
        "'{text}' is ambiguous: {month_first} (month first) or {day_first} (day first)? give --region (US reads month first, most others day first) or write the year first"
    )]
    DayOrder {
        text: String,
        month_first: String,
        day_first: String,
    },
    #[error("'{0}' has a two-digit year; write the year in full (1981, not 81)")]
    ShortYear(String),
    #[error("'{0}' is not a real calendar date")]
    Impossible(String),
    #[error("'{0}' is not a duration; write e.g. 30d, 2w, 3m or 1y")]
    BadDuration(String),
    #[error("'{0}' is not a birthday; write 1815-12-10, 12-10 (month-day) or dec 10")]
    BadPartialDate(String),
    #[error("'{0}' is not a time of day; write 14:00 or 9:30")]
    BadTime(String),
}

/// The unit of an [`Every`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    #[serde(rename = "d")]
    Day,
    #[serde(rename = "w")]
    Week,
    #[serde(rename = "m")]
    Month,
    #[serde(rename = "y")]
    Year,
}

impl Unit {
    fn letter(self) -> char {
        match self {
            Unit::Day => 'd',
            Unit::Week => 'w',
            Unit::Month => 'm',
            Unit::Year => 'y',
        }
    }

    fn from_word(word: &str) -> Option<Unit> {
        Some(match word {
            "d" | "day" | "days" => Unit::Day,
            "w" | "wk" | "wks" | "week" | "weeks" => Unit::Week,
            "m" | "mo" | "month" | "months" => Unit::Month,
            "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
            _ => return None,
        })
    }
}

/// A calendar span: a stay-in-touch cadence or a reminder's recurrence ("every 2w").
/// Months and years are calendar months and years, not fixed numbers of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Every {
    pub count: u32,
    pub unit: Unit,
}

impl Every {
    pub const fn days(count: u32) -> Self {
        Every {
            count,
            unit: Unit::Day,
        }
    }

    /// `date` moved forward by this span; month ends clamp (Jan 31 + 1m = Feb 28).
    pub fn after(self, date: NaiveDate) -> NaiveDate {
        self.shift(date, true)
    }

    /// `date` moved back by this span.
    pub fn before(self, date: NaiveDate) -> NaiveDate {
        self.shift(date, false)
    }

    /// The `n`-th occurrence of a series that starts on `anchor` (the 0th is the anchor).
    /// Always counted from the anchor, so a series keeps its day: monthly from Jan 31 is
    /// Feb 28, Mar 31, Apr 30; yearly from Feb 29 is Feb 28 in common years and Feb 29 again
    /// in leap years. (Stepping from the previous date instead would drift to the 28th.)
    pub fn nth(self, anchor: NaiveDate, n: u32) -> NaiveDate {
        Every {
            count: self.count.saturating_mul(n),
            unit: self.unit,
        }
        .shift(anchor, true)
    }

    /// The first occurrence of the series from `anchor` that lies strictly after `after`.
    pub fn first_after(self, anchor: NaiveDate, after: NaiveDate) -> NaiveDate {
        self.nth(anchor, self.index_after(anchor, after))
    }

    /// The last occurrence on or before `date` (the anchor when `date` is before it).
    pub fn last_on_or_before(self, anchor: NaiveDate, date: NaiveDate) -> NaiveDate {
        self.nth(anchor, self.index_after(anchor, date).saturating_sub(1))
    }

    /// Which occurrence (0 is the anchor) is the first strictly after `after`.
    pub fn index_after(self, anchor: NaiveDate, after: NaiveDate) -> u32 {
        if anchor > after {
            return 0;
        }
        // Start just below the answer, then walk: cheap however far apart the dates are.
        let days = u32::try_from((after - anchor).num_days()).unwrap_or(u32::MAX);
        let span_days = match self.unit {
            Unit::Day => 1,
            Unit::Week => 7,
            Unit::Month => 31,
            Unit::Year => 366,
        } * self.count.max(1);
        let mut n = (days / span_days).saturating_sub(1).max(1);
        loop {
            let date = self.nth(anchor, n);
            if date > after || date == NaiveDate::MAX || n == u32::MAX {
                return n;
            }
            n = n.saturating_add(1);
        }
    }

    fn shift(self, date: NaiveDate, forward: bool) -> NaiveDate {
        let n = u64::from(self.count);
        let months = |m: u64| Months::new(u32::try_from(m).unwrap_or(u32::MAX));
        let moved = match (self.unit, forward) {
            (Unit::Day, true) => date.checked_add_days(Days::new(n)),
            (Unit::Day, false) => date.checked_sub_days(Days::new(n)),
            (Unit::Week, true) => date.checked_add_days(Days::new(n * 7)),
            (Unit::Week, false) => date.checked_sub_days(Days::new(n * 7)),
            (Unit::Month, true) => date.checked_add_months(months(n)),
            (Unit::Month, false) => date.checked_sub_months(months(n)),
            (Unit::Year, true) => date.checked_add_months(months(n * 12)),
            (Unit::Year, false) => date.checked_sub_months(months(n * 12)),
        };
        // Only absurd spans overflow chrono's ±262,000-year range; saturate rather than panic.
        moved.unwrap_or(if forward {
            NaiveDate::MAX
        } else {
            NaiveDate::MIN
        })
    }
}

impl fmt::Display for Every {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.count, self.unit.letter())
    }
}

impl std::str::FromStr for Every {
    type Err = WhenError;

    /// `30d`, `2w`, `3m`, `1y`, `30 days`, `every 2 weeks`, `weekly`, `monthly`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        let text = lower.strip_prefix("every ").unwrap_or(&lower).trim();
        let named = match text {
            "daily" | "day" => Some(Every::days(1)),
            "weekly" | "week" => Some(Every {
                count: 1,
                unit: Unit::Week,
            }),
            "monthly" | "month" => Some(Every {
                count: 1,
                unit: Unit::Month,
            }),
            "quarterly" => Some(Every {
                count: 3,
                unit: Unit::Month,
            }),
            "yearly" | "annually" | "year" => Some(Every {
                count: 1,
                unit: Unit::Year,
            }),
            _ => None,
        };
        if let Some(every) = named {
            return Ok(every);
        }
        let bad = || WhenError::BadDuration(s.trim().to_owned());
        let digits_end = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let count: u32 = text[..digits_end].parse().map_err(|_| bad())?;
        let unit = Unit::from_word(text[digits_end..].trim()).ok_or_else(bad)?;
        // A cadence of zero would make everything due forever; ten thousand years is no cadence.
        if count == 0 || count > 10_000 {
            return Err(bad());
        }
        Ok(Every { count, unit })
    }
}

impl Serialize for Every {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Every {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses a date phrase relative to `today`.
pub fn parse_date(
    input: &str,
    today: NaiveDate,
    direction: Direction,
) -> Result<NaiveDate, WhenError> {
    let phrase = input.trim().to_lowercase();
    let words: Vec<&str> = phrase.split_whitespace().collect();
    let unknown = || WhenError::Unknown(input.trim().to_owned());
    if words.is_empty() {
        return Err(unknown());
    }
    if phrase.contains('/') {
        return Err(WhenError::Ambiguous(input.trim().to_owned()));
    }
    if let Some(date) = parse_iso(&phrase, input)? {
        return Ok(date);
    }
    let sign = |forward: bool| if forward { 1 } else { -1 };
    let date = match words.as_slice() {
        ["today" | "now"] => Some(today),
        ["tomorrow" | "tmr" | "tom"] => today.succ_opt(),
        ["yesterday"] => today.pred_opt(),
        ["eow"] => Some(end_of_week(today)),
        ["eom"] => Some(end_of_month(today)),
        ["eoy"] => NaiveDate::from_ymd_opt(today.year(), 12, 31),
        [day] if weekday(day).is_some() => weekday(day).map(|wd| step_to(today, wd, direction)),
        ["next", day] => weekday(day).map(|wd| step_to(today, wd, Direction::Future)),
        ["last", day] => weekday(day).map(|wd| step_to(today, wd, Direction::Past)),
        ["in", amount @ ..] => Some(offset(today, &amount.join(" "), 1).ok_or_else(unknown)?),
        [amount @ .., "ago"] => Some(offset(today, &amount.join(" "), -1).ok_or_else(unknown)?),
        _ => {
            if let Some(date) = offset(today, &phrase, sign(direction == Direction::Future)) {
                Some(date)
            } else {
                month_day_phrase(&words, today, direction, input)?
            }
        }
    };
    date.ok_or_else(unknown)
}

/// Parses a moment: a date phrase optionally followed by a time (`mon 14:00`, `2026-11-01 9:30`).
/// Without a time, today means `now` and any other day means noon, so the order of the day's
/// notes is kept and no date shifts across midnight in any time zone near the user's.
pub fn parse_moment(
    input: &str,
    now: NaiveDateTime,
    direction: Direction,
) -> Result<NaiveDateTime, WhenError> {
    let trimmed = input.trim();
    let (date_part, time) = match trimmed.rsplit_once(char::is_whitespace) {
        Some((head, tail)) if tail.contains(':') => (head, Some(parse_time(tail)?)),
        _ if trimmed.contains(':') && !trimmed.contains(' ') => {
            ("today", Some(parse_time(trimmed)?))
        }
        _ => (trimmed, None),
    };
    let date = parse_date(date_part, now.date(), direction)?;
    Ok(match time {
        Some(time) => date.and_time(time),
        None if date == now.date() => now,
        None => date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN)),
    })
}

fn parse_time(text: &str) -> Result<NaiveTime, WhenError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| WhenError::BadTime(text.to_owned()))
}

/// ISO `YYYY-MM-DD`; `Ok(None)` when the text is not in that shape at all.
fn parse_iso(phrase: &str, input: &str) -> Result<Option<NaiveDate>, WhenError> {
    let parts: Vec<&str> = phrase.split('-').collect();
    let is_iso_shape = parts.len() == 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
    if !is_iso_shape {
        return Ok(None);
    }
    let impossible = || WhenError::Impossible(input.trim().to_owned());
    let year = parts[0].parse().map_err(|_| impossible())?;
    let month = parts[1].parse().map_err(|_| impossible())?;
    let day = parts[2].parse().map_err(|_| impossible())?;
    NaiveDate::from_ymd_opt(year, month, day)
        .map(Some)
        .ok_or_else(impossible)
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The nearest `wd` strictly after (or before) `today`: on a Friday, `fri` is a week away.
fn step_to(today: NaiveDate, wd: Weekday, direction: Direction) -> NaiveDate {
    let from = today.weekday().num_days_from_monday();
    let to = wd.num_days_from_monday();
    match direction {
        Direction::Future => today + Days::new(u64::from((to + 7 - from - 1) % 7 + 1)),
        Direction::Past => today - Days::new(u64::from((from + 7 - to - 1) % 7 + 1)),
    }
}

fn end_of_week(today: NaiveDate) -> NaiveDate {
    today + Days::new(u64::from(6 - today.weekday().num_days_from_monday()))
}

fn end_of_month(today: NaiveDate) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(today)
}

/// `3d`, `3 days`, `2w`, `1 month` moved from `today` in the direction of `sign`.
fn offset(today: NaiveDate, amount: &str, sign: i8) -> Option<NaiveDate> {
    let every: Every = amount.parse().ok()?;
    if !amount
        .trim_start()
        .starts_with(|c: char| c.is_ascii_digit())
    {
        return None; // "weekly" is a cadence, not a date
    }
    Some(if sign > 0 {
        every.after(today)
    } else {
        every.before(today)
    })
}

fn month(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if word.len() < 3 {
        return None;
    }
    let word = word.strip_suffix('.').unwrap_or(word);
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (0u32..12)
        .find(|&i| {
            let name = full[i as usize];
            word == NAMES[i as usize]
                || word == name
                || (word == "sept" && i == 8)
                || (name.starts_with(word) && word.len() >= 3)
        })
        .map(|i| i + 1)
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ',');
    let suffix = &word[digits.len()..];
    let suffix_ok = matches!(suffix.trim_end_matches(','), "" | "st" | "nd" | "rd" | "th");
    if !suffix_ok || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok()
}

/// `dec 1`, `1 dec`, `december 1st`, `dec 1 2026`, `1 dec 2026`.
fn month_day_phrase(
    words: &[&str],
    today: NaiveDate,
    direction: Direction,
    input: &str,
) -> Result<Option<NaiveDate>, WhenError> {
    let (month_word, day_word, year_word) = match words {
        [a, b] if month(a).is_some() => (*a, *b, None),
        [a, b] if month(b).is_some() => (*b, *a, None),
        [a, b, y] if month(a).is_some() => (*a, *b, Some(*y)),
        [a, b, y] if month(b).is_some() => (*b, *a, Some(*y)),
        _ => return Ok(None),
    };
    let (Some(m), Some(d)) = (month(month_word), day_number(day_word)) else {
        return Ok(None);
    };
    let impossible = || WhenError::Impossible(input.trim().to_owned());
    if let Some(year) = year_word {
        let year: i32 = year
            .parse()
            .map_err(|_| WhenError::Unknown(input.trim().to_owned()))?;
        return NaiveDate::from_ymd_opt(year, m, d)
            .map(Some)
            .ok_or_else(impossible);
    }
    // Feb 29 without a year means the nearest leap year in that direction.
    if NaiveDate::from_ymd_opt(2000, m, d).is_none() {
        return Err(impossible());
    }
    let mut year = today.year();
    loop {
        if let Some(date) = NaiveDate::from_ymd_opt(year, m, d) {
            match direction {
                Direction::Future if date >= today => return Ok(Some(date)),
                Direction::Past if date <= today => return Ok(Some(date)),
                _ => {}
            }
        }
        year += if direction == Direction::Future {
            1
        } else {
            -1
        };
    }
}

/// A birthday or anniversary: a calendar date whose year may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl PartialDate {
    /// A date; year 0 is no year (Android and some exporters write `0000-03-15` for a
    /// birthday whose year they do not know — there is no year 0 in the calendar people use).
    pub fn new(year: Option<i32>, month: u32, day: u32) -> Option<Self> {
        let year = year.filter(|y| *y != 0);
        // 2000 is a leap year, so Feb 29 is a valid year-less date.
        NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day)?;
        Some(PartialDate { year, month, day })
    }

    /// This date's occurrence in `year`; Feb 29 falls on Feb 28 in common years.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
    }

    /// The first occurrence on or after `from`.
    pub fn next_on_or_after(self, from: NaiveDate) -> Option<NaiveDate> {
        let this_year = self.in_year(from.year())?;
        if this_year >= from {
            Some(this_year)
        } else {
            self.in_year(from.year() + 1)
        }
    }

    /// Parses what a user types for a birthday: `1815-12-10`, `12-10`, `--12-10`, `--1210`,
    /// `dec 10`, `10 dec 1815`. Month-day order only: `10/12` is refused as ambiguous.
    pub fn parse(input: &str) -> Result<Self, WhenError> {
        let text = input.trim().to_lowercase();
        let bad = || WhenError::BadPartialDate(input.trim().to_owned());
        if text.contains('/') {
            return Err(WhenError::Ambiguous(input.trim().to_owned()));
        }
        let impossible = || WhenError::Impossible(input.trim().to_owned());
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() >= 2 {
            let (m, d, y) = match words.as_slice() {
                [a, b] if month(a).is_some() => (month(a), day_number(b), None),
                [a, b] if month(b).is_some() => (month(b), day_number(a), None),
                [a, b, y] if month(a).is_some() => (month(a), day_number(b), Some(*y)),
                [a, b, y] if month(b).is_some() => (month(b), day_number(a), Some(*y)),
                _ => return Err(bad()),
            };
            let (Some(m), Some(d)) = (m, d) else {
                return Err(bad());
            };
            let year = y.map(|y| y.parse::<i32>().map_err(|_| bad())).transpose()?;
            return PartialDate::new(year, m, d).ok_or_else(impossible);
        }
        let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (year, month, day) = if let Some(rest) = text.strip_prefix("--") {
            match rest.split('-').collect::<Vec<_>>().as_slice() {
                [m, d] if digits_only(m) && digits_only(d) => (None, *m, *d),
                [md] if md.len() == 4 && digits_only(md) => (None, &md[..2], &md[2..]),
                _ => return Err(bad()),
            }
        } else {
            match text.split('-').collect::<Vec<_>>().as_slice() {
                [y, m, d] if y.len() == 4 && [y, m, d].iter().all(|p| digits_only(p)) => {
                    (Some(*y), *m, *d)
                }
                [m, d] if m.len() <= 2 && d.len() <= 2 && digits_only(m) && digits_only(d) => {
                    (None, *m, *d)
                }
                [ymd] if ymd.len() == 8 && digits_only(ymd) => {
                    (Some(&ymd[..4]), &ymd[4..6], &ymd[6..])
                }
                _ => return Err(bad()),
            }
        };
        let year = year
            .map(|y| y.parse::<i32>().map_err(|_| bad()))
            .transpose()?;
        let month = month.parse().map_err(|_| bad())?;
        let day = day.parse().map_err(|_| bad())?;
        PartialDate::new(year, month, day).ok_or_else(impossible)
    }
}

impl fmt::Display for PartialDate {
    /// `1815-12-10`, or `--12-10` when the year is unknown (the vCard 4 / ISO 8601 form).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(year) => write!(f, "{year:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        PartialDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    /// A Sunday, like the day this was written.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[rstest]
    #[case("2026-12-01", Direction::Future, "2026-12-01")]
    #[case("today", Direction::Future, "2026-11-22")]
    #[case("Tomorrow", Direction::Future, "2026-11-23")]
    #[case("yesterday", Direction::Past, "2026-11-21")]
    #[case("fri", Direction::Future, "2026-11-27")]
    #[case("fri", Direction::Past, "2026-11-20")]
    #[case("sun", Direction::Future, "2026-11-29")]
    #[case("sun", Direction::Past, "2026-11-15")]
    #[case("next fri", Direction::Past, "2026-11-27")]
    #[case("next tuesday", Direction::Future, "2026-11-24")]
    #[case("last mon", Direction::Future, "2026-11-16")]
    #[case("in 3 days", Direction::Future, "2026-11-25")]
    #[case("in 3 days", Direction::Past, "2026-11-25")]
    #[case("3 days ago", Direction::Future, "2026-11-19")]
    #[case("3d", Direction::Future, "2026-11-25")]
    #[case("2w", Direction::Future, "2026-12-06")]
    #[case("2w", Direction::Past, "2026-11-08")]
    #[case("1m", Direction::Future, "2026-12-22")]
    #[case("1y", Direction::Future, "2027-11-22")]
    #[case("eow", Direction::Future, "2026-11-22")]
    #[case("eom", Direction::Future, "2026-11-30")]
    #[case("eoy", Direction::Future, "2026-12-31")]
    #[case("dec 1", Direction::Future, "2026-12-01")]
    #[case("1 dec", Direction::Future, "2026-12-01")]
    #[case("nov 1", Direction::Future, "2027-11-01")]
    #[case("nov 1", Direction::Past, "2026-11-01")]
    #[case("December 1st", Direction::Future, "2026-12-01")]
    #[case("1 dec 2030", Direction::Future, "2030-12-01")]
    #[case("feb 29", Direction::Future, "2028-02-29")]
    fn date_phrases(#[case] input: &str, #[case] direction: Direction, #[case] expected: &str) {
        assert_eq!(
            parse_date(input, today(), direction),
            Ok(d(expected)),
            "{input}"
        );
    }

    #[rstest]
    #[case("03/04/2026")]
    #[case("31/02")]
    #[case("12/1")]
    fn slash_dates_are_ambiguous(#[case] input: &str) {
        assert!(matches!(
            parse_date(input, today(), Direction::Future),
            Err(WhenError::Ambiguous(_))
        ));
    }

    #[rstest]
    #[case("2026-02-31")]
    #[case("2026-13-01")]
    #[case("feb 30")]
    #[case("31 apr 2026")]
    fn impossible_dates_are_refused(#[case] input: &str) {
        assert!(
            matches!(
                parse_date(input, today(), Direction::Future),
                Err(WhenError::Impossible(_))
            ),
            "{input}"
        );
    }

    #[rstest]
    #[case("")]
    #[case("soon")]
    #[case("next")]
    #[case("in")]
    #[case("0d")]
    #[case("weekly")]
    #[case("fri fri")]
    fn nonsense_is_unknown(#[case] input: &str) {
        assert!(
            parse_date(input, today(), Direction::Future).is_err(),
            "{input}"
        );
    }

    #[test]
    fn unknown_date_lists_the_accepted_forms() {
        let message = parse_date("someday", today(), Direction::Future)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("next fri") && message.contains("2026-12-01"),
            "{message}"
        );
    }

    #[rstest]
    #[case("mon 14:00", "2026-11-16 14:00")]
    #[case("2026-11-01 9:30", "2026-11-01 09:30")]
    #[case("yesterday", "2026-11-21 12:00")]
    #[case("today", "2026-11-22 18:45")]
    #[case("8:15", "2026-11-22 08:15")]
    fn moments(#[case] input: &str, #[case] expected: &str) {
        let now = today().and_hms_opt(18, 45, 0).unwrap();
        let expected = NaiveDateTime::parse_from_str(expected, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(parse_moment(input, now, Direction::Past), Ok(expected));
    }

    #[rstest]
    #[case("30d", Every::days(30))]
    #[case("2w", Every { count: 2, unit: Unit::Week })]
    #[case("every 3 months", Every { count: 3, unit: Unit::Month })]
    #[case("1y", Every { count: 1, unit: Unit::Year })]
    #[case("weekly", Every { count: 1, unit: Unit::Week })]
    fn durations(#[case] input: &str, #[case] expected: Every) {
        assert_eq!(input.parse::<Every>(), Ok(expected));
    }

    #[rstest]
    #[case("0d")]
    #[case("d")]
    #[case("3 fortnights")]
    #[case("-2w")]
    #[case("99999d")]
    fn bad_durations(#[case] input: &str) {
        assert!(input.parse::<Every>().is_err(), "{input}");
    }

    #[test]
    fn months_clamp_at_month_end() {
        let every = Every {
            count: 1,
            unit: Unit::Month,
        };
        assert_eq!(every.after(d("2026-01-31")), d("2026-02-28"));
    }

    #[rstest]
    #[case("1815-12-10", Some(1815), 12, 10)]
    #[case("12-10", None, 12, 10)]
    #[case("--12-10", None, 12, 10)]
    #[case("--1210", None, 12, 10)]
    #[case("18151210", Some(1815), 12, 10)]
    #[case("dec 10", None, 12, 10)]
    #[case("10 December 1815", Some(1815), 12, 10)]
    #[case("02-29", None, 2, 29)]
    #[case("0000-03-15", None, 3, 15)] // Android's "no year"
    #[case("00000229", None, 2, 29)]
    fn partial_dates(
        #[case] input: &str,
        #[case] year: Option<i32>,
        #[case] month: u32,
        #[case] day: u32,
    ) {
        assert_eq!(
            PartialDate::parse(input),
            Ok(PartialDate { year, month, day })
        );
    }

    #[rstest]
    #[case("31/02")]
    #[case("02-31")]
    #[case("2023-02-29")]
    #[case("13-01")]
    #[case("someday")]
    fn bad_partial_dates(#[case] input: &str) {
        assert!(PartialDate::parse(input).is_err(), "{input}");
    }

    #[test]
    fn leap_day_falls_on_feb_28_in_common_years() {
        let leap = PartialDate::parse("2000-02-29").unwrap();
        assert_eq!(leap.in_year(2027), Some(d("2027-02-28")));
        assert_eq!(leap.in_year(2028), Some(d("2028-02-29")));
        assert_eq!(
            leap.next_on_or_after(d("2027-03-01")),
            Some(d("2028-02-29"))
        );
    }

    proptest! {
        #[test]
        fn parse_date_never_panics(input in "\\PC{0,40}", offset in -4000i64..4000) {
            let today = today() + chrono::Duration::days(offset);
            let _ = parse_date(&input, today, Direction::Future);
            let _ = parse_date(&input, today, Direction::Past);
            let _ = parse_moment(&input, today.and_hms_opt(9, 0, 0).unwrap(), Direction::Past);
            let _ = PartialDate::parse(&input);
            let _ = input.parse::<Every>();
        }

        #[test]
        fn iso_dates_round_trip(days in 0i64..100_000) {
            let date = d("1900-01-01") + chrono::Duration::days(days);
            let text = date.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&text, today(), Direction::Future), Ok(date));
        }

        #[test]
        fn partial_dates_round_trip(year in proptest::option::of(1i32..9999), month in 1u32..=12, day in 1u32..=31) {
            if let Some(date) = PartialDate::new(year, month, day) {
                prop_assert_eq!(PartialDate::parse(&date.to_string()), Ok(date));
            }
        }

        #[test]
        fn durations_round_trip(count in 1u32..10_000, unit in prop_oneof![Just(Unit::Day), Just(Unit::Week), Just(Unit::Month), Just(Unit::Year)]) {
            let every = Every { count, unit };
            prop_assert_eq!(every.to_string().parse::<Every>(), Ok(every));
        }
    }
}
