//! Records as DAV items and back. A contact is a vCard 4.0 (rolo's own vCard writer and
//! reader, so import, export and sync agree), a reminder a VTODO, an interaction a VJOURNAL.
//! What rolo models without a standard property travels as `X-ROLO-…` properties, so a
//! record comes back exactly as it left; what another app wrote and rolo does not model is
//! kept (a contact's in `vcard_extra`, an iCalendar item's in the sync state) and written
//! back unchanged.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::domain::contact::{
    Contact, ContactField, ContactId, FieldKind, HowWeMet, normalize_tag,
};
use crate::domain::record::{ContactRecord, EventRecord, InteractionRecord, ReminderRecord};
use crate::domain::when::{Every, PartialDate, Unit};
use crate::interop::component::{self, Component};
use crate::interop::content_line::{self, Property, escape, fold, unescape};
use crate::interop::vcard;
use crate::store::records::Table;

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

// --- contacts ----------------------------------------------------------------------------

const INTRODUCED_BY: &str = "x-introduced-by";

fn is_introduction(p: &Property) -> bool {
    p.name == "RELATED" && p.types().iter().any(|t| t == INTRODUCED_BY)
}

/// A contact as a vCard 4.0: rolo's vCard writer, plus what only rolo models.
pub fn write_contact(c: &ContactRecord, remote_uid: &str) -> String {
    write_contact_as(c, remote_uid, vcard::Version::V4)
}

/// The same as vCard 3.0, for a server that refuses 4.0.
pub fn write_contact_as(c: &ContactRecord, remote_uid: &str, version: vcard::Version) -> String {
    let contact = Contact {
        id: ContactId(0),
        uid: remote_uid.to_owned(),
        display_name: c.display_name.clone(),
        name: c.name.clone(),
        nickname: c.nickname.clone(),
        company: c.company.clone(),
        title: c.title.clone(),
        fields: c.fields.clone(),
        birthday: c
            .birthday
            .as_deref()
            .and_then(|d| PartialDate::parse(d).ok()),
        anniversary: c
            .anniversary
            .as_deref()
            .and_then(|d| PartialDate::parse(d).ok()),
        met: HowWeMet::default(),
        notes: c.notes.clone(),
        tags: c.tags.clone(),
        cadence: None,
        archived: c.archived,
        created_at: c.created_at,
        updated_at: c.updated_at,
        last_interaction_at: None,
        vcard_extra: c.vcard_extra.clone(),
    };
    let card = vcard::write(&contact, version);
    let mut ours = vec![format!("X-ROLO-CREATED:{}", utc(c.created_at))];
    // Servers may sort properties by name (Radicale does): the order of the fields across
    // kinds travels separately, space-separated (an unescaped comma would be cut off).
    if !c.fields.is_empty() {
        ours.push(format!(
            "X-ROLO-FIELD-ORDER:{}",
            c.fields
                .iter()
                .map(|f| f.kind.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    if let Some(cadence) = &c.cadence {
        ours.push(format!("X-ROLO-CADENCE:{}", escape(cadence)));
    }
    if c.archived {
        ours.push("X-ROLO-ARCHIVED:TRUE".to_owned());
    }
    if let Some(met) = &c.met_text {
        ours.push(format!("X-ROLO-MET:{}", escape(met)));
    }
    if let Some(date) = c.met_date {
        ours.push(format!("X-ROLO-MET-DATE:{date}"));
    }
    if let Some(by) = &c.introduced_by {
        ours.push(format!(
            "RELATED;TYPE={INTRODUCED_BY};VALUE=uri:{}",
            contact_uri(by)
        ));
    }
    let mut tail = String::new();
    for line in &ours {
        fold(line, &mut tail);
    }
    match card.rfind("END:VCARD") {
        Some(end) => format!("{}{tail}{}", &card[..end], &card[end..]),
        None => card,
    }
}

/// A vCard (any version) as a contact. Fields the card does not carry come from `existing`
/// (the contact as rolo has it), so reading the same card twice gives the same record.
pub fn read_contact(
    text: &str,
    fallback_uid: &str,
    existing: Option<&ContactRecord>,
    clock: &Clock,
) -> Result<(ContactRecord, String), ItemError> {
    let card = vcard::read(text)
        .map_err(|e| ItemError::Vcard(e.to_string()))?
        .into_iter()
        .next()
        .ok_or(ItemError::Missing("vCard"))?;
    let rev = component::read(text)
        .ok()
        .and_then(|cs| cs.into_iter().next())
        .and_then(|c| c.property("REV").and_then(|p| instant(p, clock)));
    let remote_uid = card.uid.clone().unwrap_or_else(|| fallback_uid.to_owned());
    let draft = card.draft;
    let mut record = ContactRecord {
        uid: local_uid(&remote_uid),
        display_name: draft.display_name,
        name: draft.name,
        nickname: draft.nickname,
        company: draft.company,
        title: draft.title,
        fields: draft.fields,
        birthday: draft.birthday.map(|d| d.to_string()),
        anniversary: draft.anniversary.map(|d| d.to_string()),
        met_text: None,
        met_date: None,
        introduced_by: None,
        notes: draft.notes,
        tags: draft.tags,
        cadence: None,
        archived: false,
        vcard_extra: None,
        created_at: existing.map_or(clock.now, |e| e.created_at),
        updated_at: rev.or(existing.map(|e| e.updated_at)).unwrap_or(clock.now),
        deleted_at: None,
    };
    let mut created = None;
    let mut order = None;
    let mut extra = Vec::new();
    for line in draft.vcard_extra.as_deref().unwrap_or_default().lines() {
        let Some(p) = content_line::parse(line) else {
            extra.push(line.to_owned());
            continue;
        };
        let text = unescape(&p.value);
        match p.name.as_str() {
            "X-ROLO-CREATED" => created = instant(&p, clock),
            "X-ROLO-FIELD-ORDER" => order = Some(text),
            "X-ROLO-CADENCE" => record.cadence = Some(text).filter(|c| c.parse::<Every>().is_ok()),
            "X-ROLO-ARCHIVED" => record.archived = text.eq_ignore_ascii_case("true"),
            "X-ROLO-MET" => record.met_text = Some(text),
            "X-ROLO-MET-DATE" => {
                record.met_date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
            }
            _ if is_introduction(&p) => record.introduced_by = Some(local_uid(&p.value)),
            _ => extra.push(line.to_owned()),
        }
    }
    if let Some(created) = created {
        record.created_at = created;
    } else if existing.is_none() {
        record.created_at = record.updated_at.min(clock.now);
    }
    record.vcard_extra = (!extra.is_empty()).then(|| extra.join("\n"));
    if let Some(order) = order {
        record.fields = in_order(std::mem::take(&mut record.fields), &order);
    }
    Ok((record, remote_uid))
}

/// Fields put back in the order `order` (their kinds, space-separated) says, each kind's
/// own order kept; as they are if the card no longer matches it.
fn in_order(fields: Vec<ContactField>, order: &str) -> Vec<ContactField> {
    let kinds: Vec<Option<FieldKind>> = order.split_whitespace().map(FieldKind::parse).collect();
    let count = |k: FieldKind| fields.iter().filter(|f| f.kind == k).count();
    let matches = kinds.len() == fields.len()
        && FieldKind::ALL
            .iter()
            .all(|k| kinds.iter().filter(|x| **x == Some(*k)).count() == count(*k));
    if !matches {
        return fields;
    }
    let mut queues: Vec<(FieldKind, std::collections::VecDeque<ContactField>)> = FieldKind::ALL
        .iter()
        .map(|k| {
            (
                *k,
                fields.iter().filter(|f| f.kind == *k).cloned().collect(),
            )
        })
        .collect();
    kinds
        .into_iter()
        .flatten()
        .filter_map(|k| {
            queues
                .iter_mut()
                .find(|(q, _)| *q == k)
                .and_then(|(_, q)| q.pop_front())
        })
        .collect()
}

// --- iCalendar items ---------------------------------------------------------------------

/// What an iCalendar item carries that rolo does not model, kept to be written back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    /// Raw content lines of the item's own unmodelled properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<String>,
    /// Its sub-components (alarms …), as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    /// The calendar's other properties (CALSCALE …) and components (VTIMEZONE …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendar_props: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendar_children: Vec<String>,
}

impl Extra {
    pub fn to_text(&self) -> Option<String> {
        (*self != Extra::default())
            .then(|| serde_json::to_string(self).ok())
            .flatten()
    }

    pub fn from_text(text: Option<&str>) -> Extra {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }
}

fn component_text(c: &Component) -> String {
    let mut out = String::new();
    c.write(&mut out);
    out
}

/// Wraps an item's own lines into a VCALENDAR with what it kept.
fn calendar(component: &str, lines: &[String], extra: &Extra) -> String {
    let written: Vec<String> = lines
        .iter()
        .filter_map(|l| content_line::parse(l).map(|p| p.name))
        .collect();
    let mut out = String::new();
    fold("BEGIN:VCALENDAR", &mut out);
    fold("VERSION:2.0", &mut out);
    fold("PRODID:-//rolo//rolo//EN", &mut out);
    for line in &extra.calendar_props {
        fold(line, &mut out);
    }
    fold(&format!("BEGIN:{component}"), &mut out);
    for line in lines {
        fold(line, &mut out);
    }
    // A kept property rolo now writes itself (an RRULE it learned to model) is not doubled.
    for line in &extra.props {
        if content_line::parse(line).is_none_or(|p| !written.contains(&p.name)) {
            fold(line, &mut out);
        }
    }
    for child in &extra.children {
        out.push_str(child);
    }
    fold(&format!("END:{component}"), &mut out);
    for child in &extra.calendar_children {
        out.push_str(child);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// The first `name` component of an iCalendar object and everything around it.
fn item_of(text: &str, name: &str) -> Result<(Component, Extra), ItemError> {
    let cals = component::read(text).map_err(|e| ItemError::Ical(e.to_string()))?;
    let cal = cals
        .into_iter()
        .find(|c| c.name == "VCALENDAR")
        .ok_or(ItemError::Missing("VCALENDAR"))?;
    let mut extra = Extra::default();
    let mut item = None;
    for child in cal.children {
        if item.is_none() && child.name == name {
            item = Some(child);
        } else {
            extra.calendar_children.push(component_text(&child));
        }
    }
    extra.calendar_props = cal
        .properties
        .iter()
        .filter(|p| !matches!(p.name.as_str(), "VERSION" | "PRODID"))
        .map(|p| p.raw.clone())
        .collect();
    let item = item.ok_or(match name {
        "VTODO" => ItemError::Missing("VTODO"),
        _ => ItemError::Missing("VJOURNAL"),
    })?;
    extra.children = item.children.iter().map(component_text).collect();
    Ok((item, extra))
}

fn stamps(lines: &mut Vec<String>, created: DateTime<Utc>, updated: DateTime<Utc>) {
    lines.push(format!("DTSTAMP:{}", utc(updated)));
    lines.push(format!("CREATED:{}", utc(created)));
    lines.push(format!("LAST-MODIFIED:{}", utc(updated)));
}

fn contact_line(uid: &str, names: &dyn Fn(&str) -> Option<String>) -> String {
    let name = names(uid).unwrap_or_else(|| uid.to_owned());
    format!("CONTACT;ALTREP=\"{}\":{}", contact_uri(uid), escape(&name))
}

/// An interaction as a VJOURNAL: no ORGANIZER or ATTENDEE, so no server sends invitations;
/// each participant is a CONTACT naming the contact's UID.
pub fn write_interaction(
    i: &InteractionRecord,
    extra: &Extra,
    names: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut lines = vec![format!("UID:{}", i.uid)];
    stamps(&mut lines, i.created_at, i.updated_at);
    lines.push(format!("DTSTART:{}", utc(i.happened_at)));
    lines.push(format!("SUMMARY:{}", escape(&i.summary)));
    if let Some(body) = &i.body {
        lines.push(format!("DESCRIPTION:{}", escape(body)));
    }
    lines.extend(categories(&i.tags));
    for p in &i.participants {
        lines.push(contact_line(p, names));
    }
    lines.push(format!("X-ROLO-KIND:{}", escape(&i.kind)));
    if let Some(location) = &i.location {
        lines.push(format!("X-ROLO-LOCATION:{}", escape(location)));
    }
    calendar("VJOURNAL", &lines, extra)
}

fn participant(p: &Property) -> Option<String> {
    p.param("ALTREP")
        .and_then(|v| v.first())
        .map(|uri| local_uid(uri))
        .filter(|u| !u.is_empty())
}

pub fn read_interaction(
    text: &str,
    existing: Option<&InteractionRecord>,
    clock: &Clock,
) -> Result<(InteractionRecord, String, Extra), ItemError> {
    let (item, mut extra) = item_of(text, "VJOURNAL")?;
    let remote_uid = item.text("UID").ok_or(ItemError::Missing("UID"))?;
    let at = |name: &str| item.property(name).and_then(|p| instant(p, clock));
    let updated = at("LAST-MODIFIED").or_else(|| at("DTSTAMP"));
    let body = item.text("DESCRIPTION").filter(|b| !b.is_empty());
    let summary = item
        .text("SUMMARY")
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            body.as_deref()
                .and_then(|b| b.lines().next())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "(no summary)".to_owned());
    let mut participants = Vec::new();
    let mut seen_description = false;
    for p in &item.properties {
        let modelled = match p.name.as_str() {
            "UID" | "DTSTAMP" | "CREATED" | "LAST-MODIFIED" | "DTSTART" | "SUMMARY"
            | "CATEGORIES" | "X-ROLO-KIND" | "X-ROLO-LOCATION" => true,
            "DESCRIPTION" => !std::mem::replace(&mut seen_description, true),
            "CONTACT" => match participant(p) {
                Some(uid) if !participants.contains(&uid) => {
                    participants.push(uid);
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if !modelled {
            extra.props.push(p.raw.clone());
        }
    }
    let record = InteractionRecord {
        uid: local_uid(&remote_uid),
        happened_at: at("DTSTART")
            .or(existing.map(|e| e.happened_at))
            .or(updated)
            .unwrap_or(clock.now),
        kind: item
            .text("X-ROLO-KIND")
            .filter(|k| !k.trim().is_empty())
            .unwrap_or_else(|| "note".to_owned()),
        summary,
        body,
        location: item.text("X-ROLO-LOCATION").filter(|l| !l.is_empty()),
        participants,
        tags: tags_from(&item.all("CATEGORIES").collect::<Vec<_>>()),
        created_at: at("CREATED")
            .or(existing.map(|e| e.created_at))
            .or(updated)
            .unwrap_or(clock.now),
        updated_at: updated
            .or(existing.map(|e| e.updated_at))
            .unwrap_or(clock.now),
        deleted_at: None,
    };
    Ok((record, remote_uid, extra))
}

fn rrule(every: Every) -> String {
    let freq = match every.unit {
        Unit::Day => "DAILY",
        Unit::Week => "WEEKLY",
        Unit::Month => "MONTHLY",
        Unit::Year => "YEARLY",
    };
    format!("RRULE:FREQ={freq};INTERVAL={}", every.count)
}

/// `FREQ=WEEKLY;INTERVAL=2` as rolo's "2w"; a rule with more in it is not rolo's to model.
fn every_of(rule: &str) -> Option<Every> {
    let mut unit = None;
    let mut count = 1;
    for part in rule.split(';') {
        let (key, value) = part.split_once('=')?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => {
                unit = Some(match value.to_ascii_uppercase().as_str() {
                    "DAILY" => Unit::Day,
                    "WEEKLY" => Unit::Week,
                    "MONTHLY" => Unit::Month,
                    "YEARLY" => Unit::Year,
                    _ => return None,
                });
            }
            "INTERVAL" => count = value.parse().ok().filter(|n| *n > 0)?,
            _ => return None,
        }
    }
    Some(Every { count, unit: unit? })
}

/// A reminder as a VTODO: DUE a date (or a floating date-time), the recurrence as RRULE,
/// the contact as a CONTACT naming its UID.
pub fn write_reminder(
    r: &ReminderRecord,
    extra: &Extra,
    names: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut lines = vec![format!("UID:{}", r.uid)];
    stamps(&mut lines, r.created_at, r.updated_at);
    lines.push(format!("SUMMARY:{}", escape(&r.title)));
    match &r.due_time {
        Some(t) => lines.push(format!("DUE:{}T{}00", day(r.due_date), t.replace(':', ""))),
        None => lines.push(format!("DUE;VALUE=DATE:{}", day(r.due_date))),
    }
    match r.status.as_str() {
        "done" => {
            lines.push("STATUS:COMPLETED".to_owned());
            lines.push("PERCENT-COMPLETE:100".to_owned());
        }
        "dismissed" => lines.push("STATUS:CANCELLED".to_owned()),
        _ => lines.push("STATUS:NEEDS-ACTION".to_owned()),
    }
    if let Some(at) = r.completed_at {
        lines.push(format!("COMPLETED:{}", utc(at)));
    }
    if let Some(every) = r
        .recurrence
        .as_deref()
        .and_then(|e| e.parse::<Every>().ok())
    {
        lines.push(rrule(every));
    }
    if let Some(contact) = &r.contact {
        lines.push(contact_line(contact, names));
    }
    lines.push(format!("X-ROLO-SOURCE:{}", r.source));
    if r.snooze_count > 0 {
        lines.push(format!("X-ROLO-SNOOZES:{}", r.snooze_count));
    }
    if let Some(i) = &r.interaction {
        lines.push(format!("X-ROLO-INTERACTION:{}", escape(i)));
    }
    let d = |d: Option<NaiveDate>| d.map_or("-".to_owned(), |d| d.to_string());
    for e in &r.events {
        lines.push(format!(
            "X-ROLO-EVENT:{} {} {} {}",
            utc(e.at),
            e.event,
            d(e.from_date),
            d(e.to_date)
        ));
    }
    calendar("VTODO", &lines, extra)
}

fn event(text: &str, clock: &Clock) -> Option<EventRecord> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [at, event, from, to] = parts.as_slice() else {
        return None;
    };
    let at = instant(&content_line::parse(&format!("X:{at}"))?, clock)?;
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    matches!(*event, "snoozed" | "done" | "dismissed" | "reopened").then(|| EventRecord {
        at,
        event: (*event).to_owned(),
        from_date: date(from),
        to_date: date(to),
    })
}

pub fn read_reminder(
    text: &str,
    existing: Option<&ReminderRecord>,
    clock: &Clock,
) -> Result<(ReminderRecord, String, Extra), ItemError> {
    let (item, mut extra) = item_of(text, "VTODO")?;
    let remote_uid = item.text("UID").ok_or(ItemError::Missing("UID"))?;
    let at = |name: &str| item.property(name).and_then(|p| instant(p, clock));
    let updated = at("LAST-MODIFIED").or_else(|| at("DTSTAMP"));
    let (due_date, due_time) = item
        .property("DUE")
        .or_else(|| item.property("DTSTART"))
        .and_then(|p| due(p, clock))
        .or_else(|| existing.map(|e| (e.due_date, e.due_time.clone())))
        .unwrap_or((clock.today(), None));
    let recurrence = item
        .property("RRULE")
        .and_then(|p| every_of(&p.value))
        .map(|e| e.to_string());
    let mut contact = None;
    let mut events = Vec::new();
    for p in &item.properties {
        let modelled = match p.name.as_str() {
            "UID" | "DTSTAMP" | "CREATED" | "LAST-MODIFIED" | "SUMMARY" | "DUE" | "STATUS"
            | "PERCENT-COMPLETE" | "COMPLETED" | "X-ROLO-SOURCE" | "X-ROLO-SNOOZES"
            | "X-ROLO-INTERACTION" => true,
            "RRULE" => recurrence.is_some(),
            "CONTACT" if contact.is_none() => {
                contact = participant(p);
                contact.is_some()
            }
            "X-ROLO-EVENT" => match event(&p.value, clock) {
                Some(e) => {
                    events.push(e);
                    true
                }
                None => false,
            },
            _ => false,
        };
        if !modelled {
            extra.props.push(p.raw.clone());
        }
    }
    let status = match item
        .text("STATUS")
        .unwrap_or_default()
        .to_ascii_uppercase()
        .as_str()
    {
        "COMPLETED" => "done",
        "CANCELLED" => "dismissed",
        _ => "open",
    };
    let source = item
        .text("X-ROLO-SOURCE")
        .filter(|s| matches!(s.as_str(), "manual" | "follow-up" | "import"))
        .unwrap_or_else(|| "import".to_owned());
    let record = ReminderRecord {
        uid: local_uid(&remote_uid),
        title: item
            .text("SUMMARY")
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "(untitled)".to_owned()),
        contact,
        due_date,
        due_time,
        recurrence,
        status: status.to_owned(),
        snooze_count: item
            .text("X-ROLO-SNOOZES")
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0),
        source,
        interaction: item.text("X-ROLO-INTERACTION").filter(|i| !i.is_empty()),
        completed_at: at("COMPLETED"),
        created_at: at("CREATED")
            .or(existing.map(|e| e.created_at))
            .or(updated)
            .unwrap_or(clock.now),
        updated_at: updated
            .or(existing.map(|e| e.updated_at))
            .unwrap_or(clock.now),
        deleted_at: None,
        events,
    };
    Ok((record, remote_uid, extra))
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
