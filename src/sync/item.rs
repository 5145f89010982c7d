//! Records as DAV items and back. A contact is a vCard 4.0 (rolo's own vCard writer and
//! reader, so import, export and sync agree), a reminder a VTODO, an interaction a VJOURNAL.
//! What rolo models without a standard property travels as `X-ROLO-…` properties, so a
//! record comes back exactly as it left; what another app wrote and rolo does not model is
//! kept (a contact's in `vcard_extra`, an iCalendar item's in the sync state) and written
//! back unchanged.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::clock::Clock;
use crate::domain::contact::normalize_tag;
use crate::domain::record::{ContactRecord, InteractionRecord, ReminderRecord};
use crate::interop::content_line::{self, Property, escape};
use crate::store::records::Table;

mod ical;
mod vcard;

pub use ical::{Extra, read_interaction, read_reminder, write_interaction, write_reminder};
pub use vcard::{read_contact, write_contact, write_contact_as};

/// One record, whole, of any kind.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum SyncRecord {
    Contact(ContactRecord),
    Interaction(InteractionRecord),
    Reminder(ReminderRecord),
}

impl SyncRecord {
    pub fn kind(&self) -> Table {
        match self {
            SyncRecord::Contact(_) => Table::Contacts,
            SyncRecord::Interaction(_) => Table::Interactions,
            SyncRecord::Reminder(_) => Table::Reminders,
        }
    }

    pub fn uid(&self) -> &str {
        match self {
            SyncRecord::Contact(c) => &c.uid,
            SyncRecord::Interaction(i) => &i.uid,
            SyncRecord::Reminder(r) => &r.uid,
        }
    }

    pub fn updated_at(&self) -> DateTime<Utc> {
        match self {
            SyncRecord::Contact(c) => c.updated_at,
            SyncRecord::Interaction(i) => i.updated_at,
            SyncRecord::Reminder(r) => r.updated_at,
        }
    }

    pub fn deleted_at(&self) -> Option<DateTime<Utc>> {
        match self {
            SyncRecord::Contact(c) => c.deleted_at,
            SyncRecord::Interaction(i) => i.deleted_at,
            SyncRecord::Reminder(r) => r.deleted_at,
        }
    }

    /// What a person would call it: a name, a summary, a title.
    pub fn title(&self) -> &str {
        match self {
            SyncRecord::Contact(c) => &c.display_name,
            SyncRecord::Interaction(i) => &i.summary,
            SyncRecord::Reminder(r) => &r.title,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            SyncRecord::Contact(c) => serde_json::to_value(c),
            SyncRecord::Interaction(i) => serde_json::to_value(i),
            SyncRecord::Reminder(r) => serde_json::to_value(r),
        };
        value.unwrap_or_default()
    }

    pub fn from_json(kind: Table, value: serde_json::Value) -> serde_json::Result<SyncRecord> {
        Ok(match kind {
            Table::Contacts => SyncRecord::Contact(serde_json::from_value(value)?),
            Table::Interactions => SyncRecord::Interaction(serde_json::from_value(value)?),
            Table::Reminders => SyncRecord::Reminder(serde_json::from_value(value)?),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ItemError {
    #[error("not a vCard rolo can read: {0}")]
    Vcard(String),
    #[error("not an iCalendar object rolo can read: {0}")]
    Ical(String),
    #[error("no {0} in the item")]
    Missing(&'static str),
}

/// The file name extension and content type of a kind's items.
pub fn media(kind: Table) -> (&'static str, &'static str) {
    match kind {
        Table::Contacts => (".vcf", "text/vcard; charset=utf-8"),
        _ => (".ics", "text/calendar; charset=utf-8"),
    }
}

fn looks_like_uuid(uid: &str) -> bool {
    uuid::Uuid::try_parse(uid).is_ok()
}

/// How a UID is written on the server for an item rolo creates: `urn:uuid:…` for a UUID
/// in a vCard (RFC 6350 §6.7.6), as it is otherwise.
pub fn remote_uid_for(kind: Table, uid: &str) -> String {
    if kind == Table::Contacts && looks_like_uuid(uid) {
        format!("urn:uuid:{uid}")
    } else {
        uid.to_owned()
    }
}

/// A reference to a contact (ALTREP, RELATED) as a URI.
fn contact_uri(uid: &str) -> String {
    if looks_like_uuid(uid) {
        format!("urn:uuid:{uid}")
    } else {
        uid.to_owned()
    }
}

/// The rolo UID of a UID or contact reference as a server spells it.
pub fn local_uid(remote: &str) -> String {
    let remote = remote.trim();
    match remote.get(..9) {
        Some(prefix) if prefix.eq_ignore_ascii_case("urn:uuid:") => remote[9..].to_owned(),
        _ => remote.to_owned(),
    }
}

/// An item's file name on the server: its UID with anything unsafe in a URL path replaced
/// (`@` is kept: both servers and libdav handle it).
pub fn file_name(kind: Table, uid: &str) -> String {
    let safe: String = uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}{}", media(kind).0)
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn day(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// `20261130T120000Z`, `20261130T120000` (floating or with a TZID: read in the user's zone),
/// `20261130` (noon that day), and the extended forms with `-` and `:`.
fn instant(p: &Property, clock: &Clock) -> Option<DateTime<Utc>> {
    let value: String = p
        .value
        .trim()
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    if let Some(v) = value.strip_suffix('Z') {
        return NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
            .ok()
            .map(|t| t.and_utc());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(&value, "%Y%m%dT%H%M%S") {
        return clock.instant_of(t).ok();
    }
    let date = NaiveDate::parse_from_str(&value, "%Y%m%d").ok()?;
    clock
        .instant_of(date.and_time(NaiveTime::from_hms_opt(12, 0, 0)?))
        .ok()
}

/// A due date and, unless it is date-only, its wall-clock time (`HH:MM`).
fn due(p: &Property, clock: &Clock) -> Option<(NaiveDate, Option<String>)> {
    let value: String = p
        .value
        .trim()
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    if let Ok(date) = NaiveDate::parse_from_str(&value, "%Y%m%d") {
        return Some((date, None));
    }
    let local = if let Some(v) = value.strip_suffix('Z') {
        clock.datetime_of(
            NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S")
                .ok()?
                .and_utc(),
        )
    } else {
        NaiveDateTime::parse_from_str(&value, "%Y%m%dT%H%M%S").ok()?
    };
    Some((local.date(), Some(local.format("%H:%M").to_string())))
}

fn tags_from(props: &[&Property]) -> Vec<String> {
    let mut tags = Vec::new();
    for p in props {
        for tag in content_line::components(&p.value, ',') {
            if let Some(tag) = normalize_tag(&tag.trim().replace(char::is_whitespace, "-"))
                && !tags.contains(&tag)
            {
                tags.push(tag);
            }
        }
    }
    tags.sort();
    tags
}

fn categories(tags: &[String]) -> Option<String> {
    (!tags.is_empty()).then(|| {
        format!(
            "CATEGORIES:{}",
            tags.iter().map(|t| escape(t)).collect::<Vec<_>>().join(",")
        )
    })
}

/// What reading an item gives: the record, the UID as the server spells it, and what the
/// item carried that rolo does not model (for iCalendar items).
pub struct Parsed {
    pub record: SyncRecord,
    pub remote_uid: String,
    pub extra: Option<String>,
}

/// Reads an item of `kind`; `existing` is the record as rolo has it, if it does.
pub fn read(
    kind: Table,
    text: &str,
    fallback_uid: &str,
    existing: Option<&SyncRecord>,
    clock: &Clock,
) -> Result<Parsed, ItemError> {
    Ok(match kind {
        Table::Contacts => {
            let existing = match existing {
                Some(SyncRecord::Contact(c)) => Some(c),
                _ => None,
            };
            let (record, remote_uid) = read_contact(text, fallback_uid, existing, clock)?;
            Parsed {
                record: SyncRecord::Contact(record),
                remote_uid,
                extra: None,
            }
        }
        Table::Interactions => {
            let existing = match existing {
                Some(SyncRecord::Interaction(i)) => Some(i),
                _ => None,
            };
            let (record, remote_uid, extra) = read_interaction(text, existing, clock)?;
            Parsed {
                record: SyncRecord::Interaction(record),
                remote_uid,
                extra: extra.to_text(),
            }
        }
        Table::Reminders => {
            let existing = match existing {
                Some(SyncRecord::Reminder(r)) => Some(r),
                _ => None,
            };
            let (record, remote_uid, extra) = read_reminder(text, existing, clock)?;
            Parsed {
                record: SyncRecord::Reminder(record),
                remote_uid,
                extra: extra.to_text(),
            }
        }
    })
}

/// Writes a record as its item.
pub fn write(
    record: &SyncRecord,
    remote_uid: &str,
    extra: Option<&str>,
    names: &dyn Fn(&str) -> Option<String>,
) -> String {
    match record {
        SyncRecord::Contact(c) => write_contact(c, remote_uid),
        SyncRecord::Interaction(i) => {
            let i = InteractionRecord {
                uid: remote_uid.to_owned(),
                ..i.clone()
            };
            write_interaction(&i, &Extra::from_text(extra), names)
        }
        SyncRecord::Reminder(r) => {
            let r = ReminderRecord {
                uid: remote_uid.to_owned(),
                ..r.clone()
            };
            write_reminder(&r, &Extra::from_text(extra), names)
        }
    }
}

#[cfg(test)]
mod tests;
