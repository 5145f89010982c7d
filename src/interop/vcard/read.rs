//! Reading vCards: unfold, decode (2.1 quoted-printable and charsets), unescape, and map what
//! rolo models onto a [`ContactDraft`]; everything else is kept verbatim.

use super::{Card, VcardError};
use crate::domain::contact::{
    ContactDraft, ContactField, FieldKind, NameParts, PostalAddress, normalize_tag,
};
use crate::domain::when::PartialDate;
use crate::interop::content_line::{self, Property, components, unescape};

fn decode_quoted_printable(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(byte) = hex {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The value as text: quoted-printable and charsets decoded.
pub(super) fn decoded_value(p: &Property) -> String {
    let qp = p
        .param("ENCODING")
        .is_some_and(|e| e.iter().any(|v| v.eq_ignore_ascii_case("QUOTED-PRINTABLE")));
    if !qp {
        return p.value.clone();
    }
    let bytes = decode_quoted_printable(&p.value);
    let latin1 = p.param("CHARSET").is_some_and(|c| {
        c.iter().any(|v| {
            let v = v.to_ascii_lowercase();
            v == "iso-8859-1" || v == "latin1" || v == "windows-1252"
        })
    });
    if latin1 {
        return bytes.into_iter().map(char::from).collect();
    }
    // UTF-8 is the norm; bytes that are not UTF-8 are read as Latin-1 rather than lost.
    String::from_utf8(bytes)
        .unwrap_or_else(|err| err.into_bytes().into_iter().map(char::from).collect())
}

/// `19960415`, `1996-04-15`, `--0415`, `--04-15`, date-times; Apple's `X-APPLE-OMIT-YEAR`
/// marks the year as a placeholder. `None` for what rolo cannot model (year-only, text).
fn parse_date(p: &Property, value: &str) -> Option<PartialDate> {
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
    for (line, logical) in content_line::unfold(text) {
        let Some(prop) = content_line::parse(&logical) else {
            if let Some((start, _)) = current.take() {
                cards.push(Err(VcardError {
                    card: number,
                    line,
                    message: format!(
                        "not a vCard line: '{}' (card began on line {start})",
                        clip(&logical)
                    ),
                }));
            } else {
                cards.push(Err(VcardError {
                    card: number + 1,
                    line,
                    message: format!("not a vCard line: '{}'", clip(&logical)),
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
            })),
        }
    }
    if let Some((start, _)) = current {
        cards.push(Err(VcardError {
            card: number,
            line: start,
            message: "the card never ends (no END:VCARD)".into(),
        }));
    }
    cards
}

fn clip(text: &str) -> String {
    crate::text::truncate(text, 60)
}

#[allow(clippy::too_many_lines)] // one arm per property: a table
fn card_from(number: usize, line: usize, props: &[(usize, Property)]) -> Result<Card, VcardError> {
    let mut draft = ContactDraft::default();
    let mut uid = None;
    let mut formatted = None;
    let mut structured = None;
    let mut extra: Vec<String> = Vec::new();
    for (_, p) in props {
        let value = decoded_value(p);
        let mut keep_verbatim = p.group.is_some();
        match p.name.as_str() {
            "VERSION" | "PRODID" | "REV" => keep_verbatim = false,
            "FN" => formatted = Some(unescape(&value)),
            "N" => {
                let c = components(&value, ';');
                let get = |i: usize| c.get(i).cloned().unwrap_or_default();
                structured = Some(NameParts {
                    family: get(0),
                    given: get(1),
                    additional: get(2),
                    prefix: get(3),
                    suffix: get(4),
                });
            }
            "NICKNAME" => draft.nickname = Some(unescape(&value)).filter(|n| !n.is_empty()),
            "ORG" => {
                let units = components(&value, ';');
                draft.company = units.first().cloned().filter(|c| !c.is_empty());
                // Departments are not modelled: keep the whole line so they survive.
                keep_verbatim |= units.iter().skip(1).any(|u| !u.is_empty());
            }
            "TITLE" => draft.title = Some(unescape(&value)).filter(|t| !t.is_empty()),
            "EMAIL" | "TEL" | "URL" | "IMPP" | "ADR" => {
                let kind = match p.name.as_str() {
                    "EMAIL" => FieldKind::Email,
                    "TEL" => FieldKind::Phone,
                    "URL" => FieldKind::Url,
                    "IMPP" => FieldKind::Handle,
                    _ => FieldKind::Address,
                };
                let field = if kind == FieldKind::Address {
                    ContactField::postal(PostalAddress::from_parts(&components(&value, ';')))
                } else {
                    ContactField::new(kind, unescape(&value).trim())
                };
                if !field.value.trim().is_empty() {
                    draft.fields.push(ContactField {
                        preferred: p.preferred(),
                        ..field.labelled(p.label())
                    });
                }
            }
            "BDAY" => match parse_date(p, &value) {
                Some(date) => draft.birthday = Some(date),
                None => keep_verbatim = true,
            },
            "ANNIVERSARY" | "X-ANNIVERSARY" => match parse_date(p, &value) {
                Some(date) => draft.anniversary = Some(date),
                None => keep_verbatim = true,
            },
            "CATEGORIES" => {
                for tag in components(&value, ',') {
                    if let Some(tag) = normalize_tag(&tag.trim().replace(char::is_whitespace, "-"))
                        && !draft.tags.contains(&tag)
                    {
                        draft.tags.push(tag);
                    }
                }
            }
            "NOTE" => draft.notes = Some(unescape(&value)).filter(|n| !n.is_empty()),
            "UID" => uid = Some(value.trim().to_owned()).filter(|u| !u.is_empty()),
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
    let display = formatted
        .filter(|f| !f.trim().is_empty())
        .or_else(|| Some(from_parts).filter(|n| !n.is_empty()))
        .or_else(|| draft.company.clone())
        .or_else(|| {
            draft
                .fields
                .iter()
                .find(|f| f.kind == FieldKind::Email)
                .map(|f| f.value.clone())
        });
    let Some(display) = display else {
        return Err(VcardError {
            card: number,
            line,
            message: "the card has no name (no FN, N, ORG or EMAIL)".into(),
        });
    };
    display.trim().clone_into(&mut draft.display_name);
    draft.name = structured.unwrap_or_else(|| NameParts::guess(&draft.display_name));
    draft.tags.sort();
    draft.vcard_extra = (!extra.is_empty()).then(|| extra.join("\n"));
    Ok(Card {
        number,
        line,
        uid,
        draft,
    })
}
