//! Something to do, usually for someone, by a date.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::contact::ContactId;
use super::interaction::InteractionId;
use super::when::Every;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReminderId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Done,
    Dismissed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::Dismissed => "dismissed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Status::Open, Status::Done, Status::Dismissed]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Where a reminder came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `rolo remind` or the TUI.
    Manual,
    /// The `!` part of a logged interaction.
    FollowUp,
    /// Created by an import.
    Import,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Manual => "manual",
            Source::FollowUp => "follow-up",
            Source::Import => "import",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Source::Manual, Source::FollowUp, Source::Import]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub id: ReminderId,
    pub uid: String,
    pub title: String,
    pub contact: Option<ContactId>,
    pub contact_name: Option<String>,
    pub due_date: NaiveDate,
    pub due_time: Option<NaiveTime>,
    pub recurrence: Option<Every>,
    pub status: Status,
    pub snooze_count: u32,
    pub source: Source,
    pub interaction: Option<InteractionId>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What `remind`, a follow-up or an import writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderDraft {
    pub title: String,
    pub contact: Option<ContactId>,
    pub due_date: NaiveDate,
    pub due_time: Option<NaiveTime>,
    pub recurrence: Option<Every>,
    pub source: Source,
    pub interaction: Option<InteractionId>,
}

impl ReminderDraft {
    /// As stored: the title in NFC without control characters.
    #[must_use]
    pub fn cleaned(&self) -> ReminderDraft {
        ReminderDraft {
            title: crate::text::clean(&self.title),
            ..self.clone()
        }
    }
}

impl From<&Reminder> for ReminderDraft {
    fn from(r: &Reminder) -> Self {
        ReminderDraft {
            title: r.title.clone(),
            contact: r.contact,
            due_date: r.due_date,
            due_time: r.due_time,
            recurrence: r.recurrence,
            source: r.source,
            interaction: r.interaction,
        }
    }
}

/// The next due date of a recurring reminder marked done on `today`. Occurrences are counted
/// from the series' `anchor` (its first due date), never from the previous date, so the
/// series keeps its day (monthly from the 31st: Feb 28, Mar 31, Apr 30). The next one is the
/// first occurrence after both the current due date — which a snooze may have moved past its
/// occurrence — and today, so a reminder done late does not come back already overdue.
pub fn next_occurrence(
    anchor: NaiveDate,
    due: NaiveDate,
    every: Every,
    today: NaiveDate,
) -> NaiveDate {
    every.first_after(anchor, due.max(today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[rstest]
    #[case("2026-11-20", "1w", "2026-11-22", "2026-11-27")]
    #[case("2026-10-01", "1w", "2026-11-22", "2026-11-26")]
    #[case("2026-11-30", "1m", "2026-11-22", "2026-12-30")]
    #[case("2026-01-31", "1m", "2026-01-31", "2026-02-28")]
    fn recurring_reminders_roll_forward(
        #[case] due: &str,
        #[case] every: &str,
        #[case] today: &str,
        #[case] next: &str,
    ) {
        assert_eq!(
            next_occurrence(d(due), d(due), every.parse().unwrap(), d(today)),
            d(next)
        );
    }

    /// `done` four times on the due day, from `anchor`.
    fn done_four_times(anchor: &str, every: &str) -> Vec<String> {
        let every: Every = every.parse().unwrap();
        let mut due = d(anchor);
        (0..4)
            .map(|_| {
                due = next_occurrence(d(anchor), due, every, due);
                due.to_string()
            })
            .collect()
    }

    #[rstest]
    #[case("2027-01-31", "1m", ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"])]
    #[case("2027-01-30", "1m", ["2027-02-28", "2027-03-30", "2027-04-30", "2027-05-30"])]
    #[case("2023-11-30", "3m", ["2024-02-29", "2024-05-30", "2024-08-30", "2024-11-30"])]
    #[case("2024-02-29", "1y", ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"])]
    #[case("2025-08-31", "2m", ["2025-10-31", "2025-12-31", "2026-02-28", "2026-04-30"])]
    fn a_series_keeps_its_anchor_day(
        #[case] anchor: &str,
        #[case] every: &str,
        #[case] expected: [&str; 4],
    ) {
        assert_eq!(done_four_times(anchor, every), expected);
    }

    #[test]
    fn after_a_snooze_the_next_date_comes_from_the_anchor() {
        let every: Every = "1m".parse().unwrap();
        // Jan 31 series, due Feb 28, snoozed to Mar 3 (across the short month), done then.
        assert_eq!(
            next_occurrence(d("2027-01-31"), d("2027-03-03"), every, d("2027-03-03")),
            d("2027-03-31")
        );
        // Snoozed from Apr 30 to May 2: the next is May 31, not Jun 2 or May 30.
        assert_eq!(
            next_occurrence(d("2027-01-31"), d("2027-05-02"), every, d("2027-05-01")),
            d("2027-05-31")
        );
    }

    proptest::proptest! {
        /// n times "done" from the anchor lands on the n-th occurrence, every step after the
        /// one before, and the day of the month never drifts from the anchor's.
        #[test]
        fn done_n_times_is_the_nth_occurrence(
            days in 0i64..60_000,
            count in 1u32..14,
            unit in proptest::prop_oneof![
                proptest::strategy::Just(crate::domain::when::Unit::Day),
                proptest::strategy::Just(crate::domain::when::Unit::Week),
                proptest::strategy::Just(crate::domain::when::Unit::Month),
                proptest::strategy::Just(crate::domain::when::Unit::Year),
            ],
            n in 1u32..40,
        ) {
            use chrono::Datelike;
            let anchor = d("1900-01-01") + chrono::Duration::days(days);
            let every = Every { count, unit };
            let mut due = anchor;
            for k in 1..=n {
                let next = next_occurrence(anchor, due, every, due);
                proptest::prop_assert!(next > due, "{} after {}", next, due);
                proptest::prop_assert_eq!(next, every.nth(anchor, k));
                if matches!(unit, crate::domain::when::Unit::Month | crate::domain::when::Unit::Year) {
                    let last_day = (next.with_day(1).unwrap() + chrono::Months::new(1)).pred_opt().unwrap().day();
                    proptest::prop_assert_eq!(next.day(), anchor.day().min(last_day));
                }
                due = next;
            }
        }
    }
}
