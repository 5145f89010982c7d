//! Writing vCards 3.0 and 4.0: every modelled property escaped by its value type, folded at
//! 75 octets, and the properties rolo keeps verbatim written back once, in a form the target
//! version allows.
//!
//! Kept lines and the model agree by one rule. For a field (EMAIL, TEL, URL, IMPP, ADR) a kept
//! line stands for the field with the same value: the field is written through it (so a group
//! or a parameter rolo does not model survives), and a kept line whose value no field has any
//! more is stale and dropped. For a single-valued property (ORG, TITLE, NOTE …) the first kept
//! line stands for the modelled value: written when the value is unchanged, replaced by the
//! new value when it changed; the others are further instances and always written.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::Version;
use super::charset::decoded_or_raw as decoded_value;
use super::read::{SINGLE_VALUED, field_of, single_value};
use super::version::adapt;
use crate::domain::contact::{Contact, ContactField, FieldKind};
use crate::domain::when::PartialDate;
use crate::interop::content_line::{
    self, Property, escape_component, escape_name_part, escape_text, escape_uri, fold,
};

fn date_value(date: PartialDate, version: Version) -> (String, String) {
    match (date.year, version) {
        (Some(y), Version::V4) => (
            String::new(),
            format!("{y:04}{:02}{:02}", date.month, date.day),
        ),
        (Some(y), Version::V3) => (
            String::new(),
            format!("{y:04}-{:02}-{:02}", date.month, date.day),
        ),
        (None, Version::V4) => (String::new(), format!("--{:02}{:02}", date.month, date.day)),
        // vCard 3 has no year-less date; Apple's convention is understood widely.
        (None, Version::V3) => (
            ";X-APPLE-OMIT-YEAR=1604".to_owned(),
            format!("1604-{:02}-{:02}", date.month, date.day),
        ),
    }
}

// Escaping by value type (RFC 6350 §3.4 and §5.1, RFC 2426 §4 and §5): one rule per type,
// and each property below uses the one its value type calls for.
//
// | property                     | value type  | 3.0                   | 4.0                |
// |------------------------------|-------------|-----------------------|--------------------|
// | FN TITLE NOTE EMAIL TEL UID  | text        | `\\ \, \; \n`    | `\\ \, \n`     |
// | NICKNAME CATEGORIES (items)  | text-list   | `\\ \, \; \n`    | `\\ \, \n`     |
// | N ORG ADR (components)       | structured  | `\\ \, \; \n`    | `\\ \, \; \n` |
// | URL IMPP                     | uri         | verbatim              | verbatim           |
// | BDAY ANNIVERSARY REV         | date        | none needed           | none needed        |
//
// 4.0 leaves `;` raw in text: only structured values split on it (§3.4), and ical.js shows a
// `\;` literally there. 3.0 escapes `;` in every text value (RFC 2426 §4).

/// A text value (or one item of a text list) in `version`.
fn text(value: &str, version: Version) -> String {
    match version {
        Version::V4 => escape_text(value),
        Version::V3 => escape_component(value),
    }
}

fn rev(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The vCard property that holds a kind of field.
pub fn property_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Email => "EMAIL",
        FieldKind::Phone => "TEL",
        FieldKind::Url => "URL",
        FieldKind::Address => "ADR",
        FieldKind::Handle => "IMPP",
    }
}

fn field_line(f: &ContactField, version: Version) -> String {
    let name = property_name(f.kind);
    let mut params = String::new();
    let mut types: Vec<String> = f
        .label
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    if f.preferred {
        match version {
            Version::V4 => params.push_str(";PREF=1"),
            Version::V3 => types.push("pref".to_owned()),
        }
    }
    if !types.is_empty() {
        let joined = types.join(",");
        let needs_quotes = joined.contains([':', ';']) || joined.contains(char::is_whitespace);
        let _ = write!(
            params,
            ";TYPE={}",
            if needs_quotes {
                format!("\"{joined}\"")
            } else {
                joined
            }
        );
    }
    let value = match (f.postal_address(), f.kind) {
        (Some(address), _) => address
            .parts()
            .iter()
            .map(|p| escape_component(p))
            .collect::<Vec<_>>()
            .join(";"),
        (None, FieldKind::Url | FieldKind::Handle) => escape_uri(&f.value),
        (None, _) => text(&f.value, version),
    };
    format!("{name}{params}:{value}")
}

/// How a field compares with a kept line: the same kind and the same value.
fn same_field(a: &ContactField, b: &ContactField) -> bool {
    a.kind == b.kind && a.value.trim().eq_ignore_ascii_case(b.value.trim())
}

/// The modelled value of a single-valued property on a contact, as [`single_value`] reads it.
fn modelled(contact: &Contact, name: &str) -> Option<String> {
    match name {
        "FN" => Some(contact.display_name.clone()),
        "NICKNAME" => contact.nickname.clone(),
        "ORG" => contact.company.clone(),
        "TITLE" => contact.title.clone(),
        "NOTE" => contact.notes.clone(),
        "BDAY" => contact.birthday.map(|d| d.to_string()),
        "ANNIVERSARY" | "X-ANNIVERSARY" => contact.anniversary.map(|d| d.to_string()),
        _ => None,
    }
    .map(|v| v.trim().to_owned())
    .filter(|v| !v.is_empty())
}

/// Which kept lines are written, and which modelled properties they already stand for.
struct Plan {
    /// Per kept line: written or dropped.
    keep: Vec<bool>,
    /// Fields written through a kept line.
    covered_fields: Vec<bool>,
    /// Single-valued properties written through a kept line.
    covered_single: Vec<&'static str>,
}

fn plan(contact: &Contact, kept: &[Option<Property>]) -> Plan {
    let mut keep = vec![true; kept.len()];
    let mut covered_fields = vec![false; contact.fields.len()];
    let mut covered_single = Vec::new();
    for (i, p) in kept.iter().enumerate() {
        let Some(p) = p else { continue };
        let kind = match p.name.as_str() {
            "EMAIL" => FieldKind::Email,
            "TEL" => FieldKind::Phone,
            "URL" => FieldKind::Url,
            "IMPP" => FieldKind::Handle,
            "ADR" => FieldKind::Address,
            _ => continue,
        };
        let line_field = field_of(p, kind, &decoded_value(p));
        match contact
            .fields
            .iter()
            .enumerate()
            .find(|(j, f)| !covered_fields[*j] && same_field(f, &line_field))
        {
            Some((j, _)) => covered_fields[j] = true,
            None => keep[i] = false, // the field was changed or removed: the line is stale
        }
    }
    for name in SINGLE_VALUED {
        let Some(first) = kept
            .iter()
            .position(|p| p.as_ref().is_some_and(|p| p.name == name))
        else {
            continue;
        };
        let Some(p) = &kept[first] else { continue };
        let theirs = single_value(p, &decoded_value(p));
        let ours = modelled(contact, name);
        if name == "N" {
            covered_single.push(name); // N is rewritten from the model only when not kept
        } else if theirs.is_some() && theirs == ours {
            covered_single.push(name);
        } else if theirs.is_some() || ours.is_some() {
            // Changed or cleared in rolo: the first kept line is stale; a line rolo could
            // not model (a BDAY in words) stays unless rolo now has a value of its own.
            keep[first] = false;
        }
    }
    Plan {
        keep,
        covered_fields,
        covered_single,
    }
}

/// Writes one contact as a vCard.
pub fn write(contact: &Contact, version: Version) -> String {
    let raw_kept: Vec<&str> = contact
        .vcard_extra
        .as_deref()
        .map(|e| e.lines().filter(|l| !l.trim().is_empty()).collect())
        .unwrap_or_default();
    let kept: Vec<Option<Property>> = raw_kept.iter().map(|l| content_line::parse(l)).collect();
    let plan = plan(contact, &kept);
    let covered = |name: &str| plan.covered_single.contains(&name);
    let mut lines = vec!["BEGIN:VCARD".to_owned()];
    lines.push(format!(
        "VERSION:{}",
        if version == Version::V4 { "4.0" } else { "3.0" }
    ));
    lines.push("PRODID:-//rolo//rolo//EN".to_owned());
    lines.push(format!("UID:{}", text(&contact.uid, version)));
    if !covered("FN") {
        lines.push(format!("FN:{}", text(&contact.display_name, version)));
    }
    if !covered("N") {
        let n = &contact.name;
        lines.push(format!(
            "N:{};{};{};{};{}",
            escape_name_part(&n.family),
            escape_name_part(&n.given),
            escape_name_part(&n.additional),
            escape_name_part(&n.prefix),
            escape_name_part(&n.suffix)
        ));
    }
    if let Some(nick) = contact.nickname.as_deref().filter(|_| !covered("NICKNAME")) {
        lines.push(format!("NICKNAME:{}", text(nick, version)));
    }
    if let Some(company) = contact.company.as_deref().filter(|_| !covered("ORG")) {
        lines.push(format!("ORG:{}", escape_component(company)));
    }
    if let Some(title) = contact.title.as_deref().filter(|_| !covered("TITLE")) {
        lines.push(format!("TITLE:{}", text(title, version)));
    }
    for (f, covered) in contact.fields.iter().zip(&plan.covered_fields) {
        if !covered {
            lines.push(field_line(f, version));
        }
    }
    if let Some(birthday) = contact.birthday.filter(|_| !covered("BDAY")) {
        let (params, value) = date_value(birthday, version);
        lines.push(format!("BDAY{params}:{value}"));
    }
    if let Some(anniversary) = contact
        .anniversary
        .filter(|_| !covered("ANNIVERSARY") && !covered("X-ANNIVERSARY"))
    {
        let (params, value) = date_value(anniversary, version);
        let name = if version == Version::V4 {
            "ANNIVERSARY"
        } else {
            "X-ANNIVERSARY"
        };
        lines.push(format!("{name}{params}:{value}"));
    }
    if !contact.tags.is_empty() {
        lines.push(format!(
            "CATEGORIES:{}",
            contact
                .tags
                .iter()
                .map(|t| text(t, version))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if let Some(notes) = contact.notes.as_deref().filter(|_| !covered("NOTE")) {
        lines.push(format!("NOTE:{}", text(notes, version)));
    }
    lines.push(format!("REV:{}", rev(contact.updated_at)));
    for (raw, keep) in raw_kept.iter().zip(&plan.keep) {
        if *keep {
            lines.push(adapt(raw, version));
        }
    }
    lines.push("END:VCARD".to_owned());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}
