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

/// The next due date of a recurring reminder marked done on `today`: step from the old due
/// date until it lies after today, so a reminder done late does not come back already overdue.
pub fn next_occurrence(due: NaiveDate, every: Every, today: NaiveDate) -> NaiveDate {
    let mut next = every.after(due);
    while next <= today {
        let stepped = every.after(next);
        if stepped == next {
            break; // saturated at the end of time
        }
        next = stepped;
    }
    next
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
            next_occurrence(d(due), every.parse().unwrap(), d(today)),
            d(next)
        );
    }
}
