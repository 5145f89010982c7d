//! rolo's own JSON: the whole journal as one versioned document, every table and timestamp,
//! records linked by UID (never by row id), in a stable order — so export → import → export
//! is byte-identical.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::contact::{ContactField, NameParts};

pub const FORMAT: &str = "rolo-journal";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub format: String,
    pub version: u32,
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
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("not a rolo JSON export: {0}")]
    Invalid(String),
    #[error(
        "a rolo JSON export of version {0}, newer than this rolo reads (up to {VERSION}); upgrade rolo"
    )]
    TooNew(u32),
    #[error("not a rolo JSON export (its format is '{0}')")]
    Foreign(String),
}

pub fn to_string(document: &Document) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

pub fn from_str(text: &str) -> Result<Document, JsonError> {
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u32>,
    }
    let header: Header =
        serde_json::from_str(text).map_err(|e| JsonError::Invalid(e.to_string()))?;
    match (header.format.as_deref(), header.version) {
        (Some(FORMAT), Some(v)) if v > VERSION => return Err(JsonError::TooNew(v)),
        (Some(FORMAT), Some(_)) => {}
        (other, _) => return Err(JsonError::Foreign(other.unwrap_or("none").to_owned())),
    }
    serde_json::from_str(text).map_err(|e| JsonError::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_checked() {
        assert!(matches!(
            from_str("{\"format\":\"rolo-journal\",\"version\":99}"),
            Err(JsonError::TooNew(99))
        ));
        assert!(matches!(
            from_str("{\"format\":\"other\",\"version\":1}"),
            Err(JsonError::Foreign(_))
        ));
        assert!(matches!(from_str("[1,2]"), Err(JsonError::Invalid(_))));
        let empty = Document {
            format: FORMAT.into(),
            version: VERSION,
            contacts: vec![],
            interactions: vec![],
            reminders: vec![],
            drafts: vec![],
        };
        assert_eq!(from_str(&to_string(&empty)), Ok(empty));
    }
}
