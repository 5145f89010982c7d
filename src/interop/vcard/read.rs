//! Reading vCards: unfold, decode (2.1 quoted-printable and charsets), unescape, and map what
//! rolo models onto a [`ContactDraft`]; everything else is kept verbatim.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::legacy::modernize;
use super::{Card, VcardError};
use crate::domain::contact::{
    ContactDraft, ContactField, FieldKind, NameParts, PostalAddress, normalize_tag,
};
use crate::domain::when::PartialDate;
use crate::interop::content_line::{
    self, Property, components, escape_text, name_part, raw_components, unescape, uri_value,
};

/// `19960415`, `1996-04-15`, `--0415`, `--04-15`, date-times; Apple's `X-APPLE-OMIT-YEAR`
/// marks the year as a placeholder. `None` for what rolo cannot model (year-only, text).
pub(super) fn parse_date(p: &Property, value: &str) -> Option<PartialDate> {
    if p.param("VALUE")
        .is_some_and(|v| v.iter().any(|x| x.eq_ignore_ascii_case("text")))
    {
        return None;
    }
    let date = value.split('T').next().unwrap_or(value).trim();
    let mut parsed = if let Some(md) = date.strip_prefix("--") {
        let md = md.replace('-', "");
        if md.len() != 4 {
            return None;
        }
        PartialDate::new(None, md[..2].parse().ok()?, md[2..].parse().ok()?)?
    } else {
        let digits = date.replace('-', "");
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        PartialDate::new(
            Some(digits[..4].parse().ok()?),
            digits[4..6].parse().ok()?,
            digits[6..].parse().ok()?,
        )?
    };
    let omit = p
        .param("X-APPLE-OMIT-YEAR")
        .and_then(|v| v.first())
        .and_then(|y| y.parse::<i32>().ok());
    if omit.is_some() && omit == parsed.year {
        parsed = PartialDate::new(None, parsed.month, parsed.day)?;
    }
    Some(parsed)
}

/// REV: `20261122T100000Z`, `2026-11-22T10:00:00Z`, or a date alone (taken as noon UTC).
fn parse_rev(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(v) {
        return Some(at.with_timezone(&Utc));
    }
    let compact = v.replace(['-', ':'], "");
    let compact = compact.trim_end_matches('Z');
    if let Ok(at) = NaiveDateTime::parse_from_str(compact, "%Y%m%dT%H%M%S") {
        return Some(at.and_utc());
    }
    NaiveDate::parse_from_str(compact, "%Y%m%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|at| at.and_utc())
}

/// Reads every card in `text`. All or nothing: the first malformed card is an error that
/// names it.
pub fn read(text: &str) -> Result<Vec<Card>, VcardError> {
    read_each(text).into_iter().collect()
}

/// Reads every card, each on its own: a bad card is an error in its slot, the rest still read
/// (for `--skip-invalid`).
pub fn read_each(text: &str) -> Vec<Result<Card, VcardError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cards = Vec::new();
    let mut current: Option<(usize, Vec<(usize, Property)>)> = None;
    let mut number = 0;
    // After a bad line the rest of its card is passed over (one error per card).
    let mut skipping = false;
    for (line, logical) in content_line::unfold(text) {
        if skipping {
            let upper = logical.trim().to_ascii_uppercase();
            if upper == "END:VCARD" {
                skipping = false;
                continue;
            }
            if upper != "BEGIN:VCARD" {
                continue;
            }
            skipping = false;
        }
        let Some(prop) = content_line::parse(&logical) else {
            if let Some((start, _)) = current.take() {
                skipping = true;
                cards.push(Err(VcardError {
                    card: number,
                    line,
                    message: format!(
                        "not a vCard line: '{}' (card began on line {start})",
                        clip(&logical)
                    ),
                    identifies_no_one: false,
                }));
            } else {
                cards.push(Err(VcardError {
                    card: number + 1,
                    line,
                    message: format!("not a vCard line: '{}'", clip(&logical)),
                    identifies_no_one: false,
                }));
            }
            continue;
        };
        match (
            prop.name.as_str(),
            prop.value.trim().to_ascii_uppercase().as_str(),
            &mut current,
        ) {
            ("BEGIN", "VCARD", None) => {
                number += 1;
                current = Some((line, Vec::new()));
            }
            ("BEGIN", "VCARD", Some(_)) => {
                cards.push(Err(VcardError {
                    card: number,
                    line,
                    message: "BEGIN:VCARD inside a card (missing END:VCARD?)".into(),
                    identifies_no_one: false,
                }));
                number += 1;
                current = Some((line, Vec::new()));
            }
            ("END", "VCARD", Some(_)) => {
                if let Some((start, props)) = current.take() {
                    cards.push(card_from(number, start, &props));
                }
            }
            (_, _, Some((_, props))) => props.push((line, prop)),
            (_, _, None) => cards.push(Err(VcardError {
                card: number + 1,
                line,
                message: format!("'{}' outside BEGIN:VCARD … END:VCARD", clip(&logical)),
                identifies_no_one: false,
            })),
        }
    }
    if let Some((start, _)) = current {
        cards.push(Err(VcardError {
            card: number,
            line: start,
            message: "the card never ends (no END:VCARD)".into(),
            identifies_no_one: false,
        }));
    }
    cards
}

fn clip(text: &str) -> String {
    crate::text::truncate(text, 60)
}

/// Properties rolo models as one value. The first instance is modelled; further instances
/// are kept verbatim — and then the first is kept verbatim too, so that the writer knows the
/// first kept line of such a property always stands for the modelled value (see `write`).
pub(super) const SINGLE_VALUED: [&str; 9] = [
    "FN",
    "NICKNAME",
    "ORG",
    "TITLE",
    "NOTE",
    "BDAY",
    "ANNIVERSARY",
    "X-ANNIVERSARY",
    "N",
];

/// Parameters rolo models (or decodes); a property with any other parameter
/// (`X-SERVICE-TYPE`, `LABEL`, `LANGUAGE`, `ALTID`…) is kept verbatim beside the model.
fn has_unmodelled_params(p: &Property) -> bool {
    p.params.iter().any(|(k, _)| {
        !matches!(
            k.as_str(),
            "TYPE" | "PREF" | "CHARSET" | "ENCODING" | "VALUE" | "X-APPLE-OMIT-YEAR"
        )
    })
}

/// The property in rolo's model that a field property holds.
fn field_kind(name: &str) -> Option<FieldKind> {
    Some(match name {
        "EMAIL" => FieldKind::Email,
        "TEL" => FieldKind::Phone,
        "URL" => FieldKind::Url,
        "IMPP" => FieldKind::Handle,
        "ADR" => FieldKind::Address,
        _ => return None,
    })
}

/// A field as rolo models it, from a property (its value decoded).
pub(super) fn field_of(p: &Property, kind: FieldKind, value: &str) -> ContactField {
    let field = match kind {
        FieldKind::Address => {
            ContactField::postal(PostalAddress::from_parts(&components(value, ';')))
        }
        FieldKind::Url | FieldKind::Handle => ContactField::new(kind, uri_value(value).trim()),
        // 4.0's `TEL;VALUE=uri:tel:+1-555-0100` (RFC 6350 §6.4.1): the number is what follows
        // the scheme; the line is kept, so the URI form goes back out in 4.0.
        FieldKind::Phone if is_tel_uri(p) => {
            let uri = uri_value(value);
            let uri = uri.trim();
            ContactField::new(kind, uri.get(4..).unwrap_or_default().trim())
        }
        _ => ContactField::new(kind, unescape(value).trim()),
    };
    ContactField {
        preferred: p.preferred(),
        ..field.labelled(p.label())
    }
}

/// A TEL whose value is a `tel:` URI.
fn is_tel_uri(p: &Property) -> bool {
    p.name == "TEL"
        && p.value
            .trim()
            .get(..4)
            .is_some_and(|s| s.eq_ignore_ascii_case("tel:"))
}

/// The modelled value of a single-valued property, as text (what the writer compares with).
pub(super) fn single_value(p: &Property, value: &str) -> Option<String> {
    let text = match p.name.as_str() {
        "ORG" => components(value, ';')
            .into_iter()
            .next()
            .unwrap_or_default(),
        "NICKNAME" => components(value, ',')
            .into_iter()
            .next()
            .unwrap_or_default(),
        "BDAY" | "ANNIVERSARY" | "X-ANNIVERSARY" => parse_date(p, value)?.to_string(),
        "N" => value.to_owned(),
        _ => unescape(value),
    };
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Whether a property's value is empty: an empty modelled property is no value at all.
fn is_empty_value(name: &str, value: &str) -> bool {
    match name {
        // An empty N (`N:;;;;`, as phones write it) says "no structured name": it is kept.
        "N" => false,
        "ADR" | "ORG" => components(value, ';').iter().all(|c| c.trim().is_empty()),
        _ => value.trim().is_empty(),
    }
}

#[allow(clippy::too_many_lines)] // one arm per property: a table
fn card_from(number: usize, line: usize, props: &[(usize, Property)]) -> Result<Card, VcardError> {
    // From here on every value is UTF-8 text escaped the 3.0/4.0 way.
    let props = &modernize(number, props)?;
    let mut draft = ContactDraft::default();
    let mut uid = None;
    let mut rev = None;
    let mut formatted = None;
    let mut structured = None;
    let mut extra: Vec<String> = Vec::new();
    // Single-valued properties with several instances, or one that must be kept verbatim:
    // all their instances are kept.
    let keep_all: Vec<&str> = SINGLE_VALUED
        .into_iter()
        .filter(|name| {
            let instances: Vec<&Property> = props
                .iter()
                .map(|(_, p)| p)
                .filter(|p| p.name == *name && !is_empty_value(name, &p.value))
                .collect();
            instances.len() > 1
                || instances.iter().any(|p| {
                    p.group.is_some()
                        || has_unmodelled_params(p)
                        || match *name {
                            "ORG" => components(&p.value, ';')
                                .iter()
                                .skip(1)
                                .any(|u| !u.trim().is_empty()),
                            "NICKNAME" => components(&p.value, ',').len() > 1,
                            "BDAY" | "ANNIVERSARY" | "X-ANNIVERSARY" => {
                                parse_date(p, &p.value).is_none()
                            }
                            _ => false,
                        }
                })
        })
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    for (_, p) in props {
        let value = p.value.clone();
        let name = p.name.as_str();
        if is_empty_value(name, &value)
            && (SINGLE_VALUED.contains(&name)
                || field_kind(name).is_some()
                || matches!(name, "CATEGORIES" | "UID"))
        {
            continue; // an empty modelled property is no value: nothing to keep or write back
        }
        let single = SINGLE_VALUED.iter().find(|s| **s == name).copied();
        let first = single.is_some_and(|s| !seen.contains(&s));
        if let Some(s) = single {
            seen.push(s);
            if keep_all.contains(&s) {
                if s == "NICKNAME" && p.group.is_none() && !has_unmodelled_params(p) {
                    // One line per nickname: the form every reader takes as a list.
                    for item in components(&value, ',') {
                        if !item.trim().is_empty() {
                            extra.push(format!("NICKNAME:{}", escape_text(item.trim())));
                        }
                    }
                } else {
                    extra.push(p.raw.clone());
                }
            }
            if !first {
                continue;
            }
        }
        let mut keep_verbatim = false;
        match name {
            "VERSION" | "PRODID" => {}
            "REV" => rev = parse_rev(&value),
            "FN" => formatted = Some(unescape(&value)),
            "N" => {
                let c = raw_components(&value, ';');
                let get = |i: usize| c.get(i).map(|p| name_part(p)).unwrap_or_default();
                structured = Some(NameParts {
                    family: get(0),
                    given: get(1),
                    additional: get(2),
                    prefix: get(3),
                    suffix: get(4),
                });
            }
            "NICKNAME" => draft.nickname = single_value(p, &value),
            "ORG" => draft.company = single_value(p, &value),
            "TITLE" => draft.title = single_value(p, &value),
            "BDAY" => draft.birthday = parse_date(p, &value),
            "ANNIVERSARY" | "X-ANNIVERSARY" => draft.anniversary = parse_date(p, &value),
            "NOTE" => draft.notes = Some(unescape(&value)).filter(|n| !n.trim().is_empty()),
            "EMAIL" | "TEL" | "URL" | "IMPP" | "ADR" => {
                let kind = field_kind(name).unwrap_or(FieldKind::Email);
                let field = field_of(p, kind, &value);
                if !field.value.trim().is_empty() {
                    draft.fields.push(field);
                }
                keep_verbatim = p.group.is_some() || has_unmodelled_params(p) || is_tel_uri(p);
            }
            "CATEGORIES" => {
                for tag in components(&value, ',') {
                    if let Some(tag) = normalize_tag(&tag.trim().replace(char::is_whitespace, "-"))
                        && !draft.tags.contains(&tag)
                    {
                        draft.tags.push(tag);
                    }
                }
                keep_verbatim = p.group.is_some();
            }
            "UID" => uid = Some(unescape(&value).trim().to_owned()).filter(|u| !u.is_empty()),
            "KIND" if value.trim().eq_ignore_ascii_case("individual") => {}
            _ => keep_verbatim = true,
        }
        if keep_verbatim {
            extra.push(p.raw.clone());
        }
    }
    let name = structured.clone().unwrap_or_default();
    let from_parts = [
        &name.prefix,
        &name.given,
        &name.additional,
        &name.family,
        &name.suffix,
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .map(|s| s.as_str())
    .collect::<Vec<_>>()
    .join(" ");
    let mut named_from = None;
    let display = formatted
        .filter(|f| !f.trim().is_empty())
        .or_else(|| Some(from_parts).filter(|n| !n.is_empty()))
        .or_else(|| {
            // No name: a phone saves a number alone. Name the card from what it carries.
            let (name, from) = draft.name_from_details().or_else(|| vendor_hint(props))?;
            named_from = Some(from);
            Some(name)
        });
    let Some(display) = display else {
        return Err(VcardError {
            card: number,
            line,
            message: "the card has no name and nothing else that says who it is".into(),
            identifies_no_one: true,
        });
    };
    display.trim().clone_into(&mut draft.display_name);
    // A name rolo made up (from a number, an address) is no name: it has no parts to guess.
    draft.name = match structured {
        Some(parts) => parts,
        None if named_from.is_some() => NameParts::default(),
        None => NameParts::guess(&draft.display_name),
    };
    draft.tags.sort();
    draft.vcard_extra = (!extra.is_empty()).then(|| extra.join("\n"));
    Ok(Card {
        number,
        line,
        uid,
        rev,
        draft,
        named_from,
    })
}

/// What vendor properties say about a nameless card: Android's nickname row, Apple's phonetic
/// name, a messaging handle written the pre-IMPP way (`X-GOOGLE-TALK`, `X-SKYPE-USERNAME` …),
/// or Apple's social profile (`X-SOCIALPROFILE;type=twitter:https://twitter.com/someone`).
fn vendor_hint(props: &[(usize, Property)]) -> Option<(String, &'static str)> {
    const HANDLES: [&str; 10] = [
        "X-GOOGLE-TALK",
        "X-GTALK",
        "X-SKYPE",
        "X-SKYPE-USERNAME",
        "X-JABBER",
        "X-MSN",
        "X-AIM",
        "X-ICQ",
        "X-YAHOO",
        "X-TWITTER",
    ];
    let text_of = |name: &str| {
        props
            .iter()
            .find(|(_, p)| p.name == name)
            .map(|(_, p)| unescape(&p.value).trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let android_nickname = props.iter().find_map(|(_, p)| {
        let parts = components(&p.value, ';');
        (p.name == "X-ANDROID-CUSTOM"
            && parts.first().map(String::as_str) == Some("vnd.android.cursor.item/nickname"))
        .then(|| parts.get(1).map(|n| n.trim().to_owned()))
        .flatten()
        .filter(|n| !n.is_empty())
    });
    if let Some(nick) = android_nickname {
        return Some((nick, "nickname"));
    }
    let phonetic = [
        text_of("X-PHONETIC-FIRST-NAME"),
        text_of("X-PHONETIC-MIDDLE-NAME"),
        text_of("X-PHONETIC-LAST-NAME"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    if !phonetic.is_empty() {
        return Some((phonetic, "phonetic name"));
    }
    if let Some(handle) = HANDLES.iter().find_map(|name| text_of(name)) {
        return Some((handle, "handle"));
    }
    // A social profile is a profile URL: named the way one is.
    let profile = props
        .iter()
        .find(|(_, p)| p.name == "X-SOCIALPROFILE" && !p.value.trim().is_empty())?;
    ContactDraft {
        fields: vec![ContactField::new(
            FieldKind::Url,
            uri_value(&profile.1.value).trim(),
        )],
        ..ContactDraft::default()
    }
    .name_from_details()
}
