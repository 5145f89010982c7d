//! The journal as portable records: every table, trash and history included, records
//! linked by UID (never by row id), timestamps exact. What a dump reads and a restore
//! writes; `interop::json` puts it in a versioned document.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::contact::{ContactField, NameParts};

/// Everything in a journal, each table in UID order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub contacts: Vec<ContactRecord>,
    pub interactions: Vec<InteractionRecord>,
    pub reminders: Vec<ReminderRecord>,
    pub drafts: Vec<DraftRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRecord {
    pub uid: String,
    pub display_name: String,
    pub name: NameParts,
    pub nickname: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub fields: Vec<ContactField>,
    pub birthday: Option<String>,
    pub anniversary: Option<String>,
    pub met_text: Option<String>,
    pub met_date: Option<NaiveDate>,
    /// The UID of the contact who introduced you.
    pub introduced_by: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub cadence: Option<String>,
    pub archived: bool,
    pub vcard_extra: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// A lapsed cadence put off, a birthday acknowledged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<MarkRecord>,
}

/// What the user did about one occurrence of a contact's occasion
/// ([`crate::domain::agenda::Mark`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkRecord {
    /// `keep-in-touch`, `birthday` or `anniversary`.
    pub occasion: super::agenda::Occasion,
    pub occurrence: NaiveDate,
    /// `None`: acknowledged.
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InteractionRecord {
    pub uid: String,
    pub happened_at: DateTime<Utc>,
    pub kind: String,
    pub summary: String,
    pub body: Option<String>,
    pub location: Option<String>,
    /// Contact UIDs, in the order they were named.
    pub participants: Vec<String>,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderRecord {
    pub uid: String,
    pub title: String,
    pub contact: Option<String>,
    pub due_date: NaiveDate,
    pub due_time: Option<String>,
    pub recurrence: Option<String>,
    /// Where a recurring series is counted from, once it differs from the due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_date: Option<NaiveDate>,
    pub status: String,
    pub snooze_count: u32,
    pub source: String,
    pub interaction: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub events: Vec<EventRecord>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub at: DateTime<Utc>,
    pub event: String,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftRecord {
    pub name: String,
    pub text: String,
    pub cursor: u64,
    pub updated_at: DateTime<Utc>,
    /// The UID of the reminder the note was begun from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<String>,
    /// Contacts to add when the note is saved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new_people: Vec<String>,
}

impl ContactRecord {
    /// As stored: every text in NFC without control characters (see
    /// [`super::contact::ContactDraft::cleaned`]).
    #[must_use]
    pub fn cleaned(&self) -> ContactRecord {
        let line = crate::text::clean;
        let optional = |t: &Option<String>| t.as_deref().map(line);
        ContactRecord {
            display_name: line(&self.display_name).trim().to_owned(),
            name: NameParts {
                family: line(&self.name.family),
                given: line(&self.name.given),
                additional: line(&self.name.additional),
                prefix: line(&self.name.prefix),
                suffix: line(&self.name.suffix),
            },
            nickname: optional(&self.nickname),
            company: optional(&self.company),
            title: optional(&self.title),
            fields: self.fields.iter().map(ContactField::cleaned).collect(),
            met_text: self.met_text.as_deref().map(crate::text::clean_note),
            notes: self.notes.as_deref().map(crate::text::clean_note),
            tags: self.tags.iter().map(|t| line(t)).collect(),
            vcard_extra: self.vcard_extra.as_deref().map(crate::text::clean_note),
            ..self.clone()
        }
    }
}

impl InteractionRecord {
    /// As stored: text in NFC without control characters (the body keeps its lines).
    #[must_use]
    pub fn cleaned(&self) -> InteractionRecord {
        InteractionRecord {
            summary: crate::text::clean(&self.summary),
            body: self.body.as_deref().map(crate::text::clean_note),
            location: self.location.as_deref().map(crate::text::clean),
            tags: self.tags.iter().map(|t| crate::text::clean(t)).collect(),
            ..self.clone()
        }
    }
}
