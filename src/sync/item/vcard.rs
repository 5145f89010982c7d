//! Contacts as vCards: rolo's own vCard writer and reader (so import, export and sync
//! agree), plus `X-ROLO-…` properties for what only rolo models, and RELATED for who
//! introduced whom.

use chrono::NaiveDate;

use super::{ItemError, contact_uri, instant, local_uid, utc};
use crate::clock::Clock;
use crate::domain::contact::{Contact, ContactField, ContactId, FieldKind, HowWeMet};
use crate::domain::record::{ContactRecord, MarkRecord};
use crate::domain::when::{Every, PartialDate};
use crate::interop::component;
use crate::interop::content_line::{self, Property, escape, fold, unescape};
use crate::interop::vcard;

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
    // What the user did about an occasion (a cadence put off, a birthday acknowledged).
    for m in &c.marks {
        ours.push(format!(
            "X-ROLO-MARK:{} {} {}",
            m.occasion.as_str(),
            m.occurrence,
            m.until.map_or("-".to_owned(), |d| d.to_string())
        ));
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
        marks: Vec::new(),
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
            "X-ROLO-MARK" if mark(&text).is_some() => record.marks.extend(mark(&text)),
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

/// `keep-in-touch 2026-11-02 2026-11-09`, `birthday 2026-12-10 -`.
fn mark(text: &str) -> Option<MarkRecord> {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    match text.split_whitespace().collect::<Vec<_>>().as_slice() {
        [occasion, occurrence, until] => Some(MarkRecord {
            occasion: crate::domain::agenda::Occasion::parse(occasion)?,
            occurrence: date(occurrence)?,
            until: if *until == "-" {
                None
            } else {
                Some(date(until)?)
            },
        }),
        _ => None,
    }
}
