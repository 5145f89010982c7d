//! Writing vCards 3.0 and 4.0: every modelled property escaped, folded at 75 octets, and
//! the properties rolo keeps verbatim written back once.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::Version;
use super::read::decoded_value;
use crate::domain::contact::{Contact, ContactField, FieldKind, PostalAddress};
use crate::domain::when::PartialDate;
use crate::interop::content_line::{self, components, escape, escape_component, fold, unescape};

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

fn rev(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The vCard property that holds a kind of field.
fn property_name(kind: FieldKind) -> &'static str {
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
    let value = match f.postal_address() {
        Some(address) => address
            .parts()
            .iter()
            .map(|p| escape(p))
            .collect::<Vec<_>>()
            .join(";"),
        None => escape(&f.value),
    };
    format!("{name}{params}:{value}")
}

/// Writes one contact as a vCard.
pub fn write(contact: &Contact, version: Version) -> String {
    let extras: Vec<&str> = contact
        .vcard_extra
        .as_deref()
        .map(|e| e.lines().filter(|l| !l.trim().is_empty()).collect())
        .unwrap_or_default();
    // Modelled properties already present verbatim (grouped, or with parts rolo does not
    // model) are written once, from the verbatim line.
    let verbatim: Vec<(String, String)> = extras
        .iter()
        .filter_map(|l| content_line::parse(l))
        .map(|p| {
            let value = match p.name.as_str() {
                "ADR" => PostalAddress::from_parts(&components(&decoded_value(&p), ';')).one_line(),
                "ORG" => components(&p.value, ';')
                    .first()
                    .cloned()
                    .unwrap_or_default(),
                _ => unescape(&decoded_value(&p)).trim().to_owned(),
            };
            (p.name, value)
        })
        .collect();
    let covered = |name: &str, value: &str| verbatim.iter().any(|(n, v)| n == name && v == value);
    let mut lines = vec!["BEGIN:VCARD".to_owned()];
    lines.push(format!(
        "VERSION:{}",
        if version == Version::V4 { "4.0" } else { "3.0" }
    ));
    lines.push("PRODID:-//rolo//rolo//EN".to_owned());
    lines.push(format!("UID:{}", contact.uid));
    lines.push(format!("FN:{}", escape(&contact.display_name)));
    let n = &contact.name;
    lines.push(format!(
        "N:{};{};{};{};{}",
        escape_component(&n.family),
        escape_component(&n.given),
        escape_component(&n.additional),
        escape_component(&n.prefix),
        escape_component(&n.suffix)
    ));
    if let Some(nick) = &contact.nickname {
        lines.push(format!("NICKNAME:{}", escape_component(nick)));
    }
    if let Some(company) = contact.company.as_deref().filter(|c| !covered("ORG", c)) {
        // One unit: a comma in "Stripe, Inc." is text, not a list separator (escaped, or
        // vobject-based servers such as Radicale refuse the card).
        lines.push(format!("ORG:{}", escape(company)));
    }
    if let Some(title) = &contact.title {
        lines.push(format!("TITLE:{}", escape(title)));
    }
    for f in &contact.fields {
        let name = property_name(f.kind);
        if !covered(name, &f.value) {
            lines.push(field_line(f, version));
        }
    }
    if let Some(birthday) = contact.birthday {
        let (params, value) = date_value(birthday, version);
        lines.push(format!("BDAY{params}:{value}"));
    }
    if let Some(anniversary) = contact.anniversary {
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
                .map(|t| escape(t))
                .collect::<Vec<_>>()
                .join(",")
        ));
    }
    if let Some(notes) = &contact.notes {
        lines.push(format!("NOTE:{}", escape(notes)));
    }
    lines.push(format!("REV:{}", rev(contact.updated_at)));
    lines.extend(extras.iter().map(|l| (*l).to_owned()));
    lines.push("END:VCARD".to_owned());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}
