//! vCard: read 2.1, 3.0 and 4.0; write 3.0 and 4.0 (RFC 2426, RFC 6350).
//!
//! Reading unfolds lines, decodes quoted-printable (2.1), unescapes text, and maps what rolo
//! models onto a [`ContactDraft`]. Everything else — PHOTO, X- properties, Apple `itemN.`
//! groups with their labels — is kept verbatim in `vcard_extra` and written back unchanged.
//! A modelled property that came in a group (`item1.EMAIL`) is modelled *and* kept verbatim,
//! and the verbatim line wins on export so the group survives.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::domain::contact::{
    Contact, ContactDraft, ContactField, FieldKind, NameParts, normalize_tag,
};
use crate::domain::when::PartialDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3,
    V4,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("card {card} (line {line}): {message}")]
pub struct VcardError {
    pub card: usize,
    pub line: usize,
    pub message: String,
}

/// One card as read: its identity and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// 1-based position in the file.
    pub number: usize,
    /// Line of its BEGIN:VCARD.
    pub line: usize,
    pub uid: Option<String>,
    pub draft: ContactDraft,
}

/// A content line: `group.NAME;PARAM=a,b:value`.
#[derive(Debug, Clone)]
struct Property {
    group: Option<String>,
    name: String,
    params: Vec<(String, Vec<String>)>,
    value: String,
    /// The unfolded line as it came, for verbatim keeping.
    raw: String,
}

impl Property {
    fn param(&self, key: &str) -> Option<&[String]> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_slice())
    }

    /// TYPE values, lower case, including 2.1's bare parameters (`TEL;WORK;VOICE:`).
    fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("TYPE"))
            .flat_map(|(_, v)| v.iter().flat_map(|t| t.split(',')).map(str::to_lowercase))
            .collect()
    }

    fn preferred(&self) -> bool {
        self.param("PREF").is_some() || self.types().iter().any(|t| t == "pref")
    }

    fn label(&self) -> String {
        let skip = ["pref", "internet", "x400"];
        self.types()
            .into_iter()
            .filter(|t| !skip.contains(&t.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

// --- reading -----------------------------------------------------------------------------

/// Splits a file into logical lines: unfolds continuation lines (CRLF or LF followed by a
/// space or tab) and quoted-printable soft breaks (`=` at the end of a line). Each logical
/// line carries the physical line number it started on.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut qp_continues = false;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']).filter(|_| !lines.is_empty()) {
            if let Some((_, last)) = lines.last_mut() {
                last.push_str(rest);
            }
            continue;
        }
        if qp_continues && let Some((_, last)) = lines.last_mut() {
            last.pop(); // the soft-break '='
            last.push_str(raw);
            qp_continues = is_qp(last) && last.ends_with('=');
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        lines.push((i + 1, raw.to_owned()));
        qp_continues = is_qp(raw) && raw.ends_with('=');
    }
    lines
}

fn is_qp(line: &str) -> bool {
    let head = line
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    head.contains("QUOTED-PRINTABLE")
}

/// Parses one logical line. The value starts at the first `:` outside double quotes.
fn parse_property(line: &str) -> Option<Property> {
    let mut in_quotes = false;
    let colon = line.char_indices().find(|&(_, c)| {
        if c == '"' {
            in_quotes = !in_quotes;
        }
        c == ':' && !in_quotes
    })?;
    let (head, value) = (&line[..colon.0], &line[colon.0 + 1..]);
    let mut parts = split_unquoted(head, ';').into_iter();
    let full_name = parts.next()?;
    let (group, name) = match full_name.rsplit_once('.') {
        Some((g, n)) => (Some(g.to_owned()), n.to_ascii_uppercase()),
        None => (None, full_name.to_ascii_uppercase()),
    };
    if name.is_empty() {
        return None;
    }
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (
                k.to_ascii_uppercase(),
                split_unquoted(v, ',')
                    .into_iter()
                    .map(|s| unquote_param(&s))
                    .collect(),
            ),
            // vCard 2.1: a bare parameter is a TYPE (or an encoding / charset).
            None => match p.to_ascii_uppercase().as_str() {
                "QUOTED-PRINTABLE" | "BASE64" | "B" | "8BIT" => {
                    ("ENCODING".to_owned(), vec![p.clone()])
                }
                _ => ("TYPE".to_owned(), vec![p.clone()]),
            },
        })
        .collect();
    Some(Property {
        group,
        name,
        params,
        value: value.to_owned(),
        raw: line.to_owned(),
    })
}

fn split_unquoted(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut in_quotes = false;
    for c in text.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
            c if c == separator && !in_quotes => parts.push(String::new()),
            c => {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
}

/// Removes DQUOTEs and decodes RFC 6868 caret escapes in a parameter value.
fn unquote_param(value: &str) -> String {
    let value = value.trim_matches('"');
    value
        .replace("^n", "\n")
        .replace("^'", "\"")
        .replace("^^", "^")
}

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
fn decoded_value(p: &Property) -> String {
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

/// Unescapes a text value: `\\` `\,` `\;` `\n` `\N`.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a structured value on unescaped `separator`, unescaping each component.
fn components(value: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let (Some(next), Some(last)) = (chars.next(), parts.last_mut()) {
                last.push('\\');
                last.push(next);
            }
        } else if c == separator {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts.iter().map(|p| unescape(p)).collect()
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
    for (line, logical) in logical_lines(text) {
        let Some(prop) = parse_property(&logical) else {
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
                // Addresses stay in their structured (escaped) form; the rest are text.
                let text = if kind == FieldKind::Address {
                    value.clone()
                } else {
                    unescape(&value)
                };
                if !text.trim().is_empty() {
                    draft.fields.push(ContactField {
                        kind,
                        label: p.label(),
                        value: text.trim().to_owned(),
                        preferred: p.preferred(),
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

// --- writing -----------------------------------------------------------------------------

/// Escapes a text value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes one component of a structured value: `;` and `\` and newlines, but commas stay
/// (they separate a component's list values, as in `N:;Jean,Paul;;;`).
fn escape_component(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Folds a content line at 75 octets without splitting a UTF-8 sequence; CRLF line ends.
pub fn fold(line: &str, out: &mut String) {
    let mut limit = 75;
    let mut start = 0;
    while line.len() - start > limit {
        let mut end = start + limit;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[start..end]);
        out.push_str("\r\n ");
        start = end;
        limit = 74; // the leading space counts
    }
    out.push_str(&line[start..]);
    out.push_str("\r\n");
}

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
    let value = if f.kind == FieldKind::Address {
        f.value.clone()
    } else {
        escape(&f.value)
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
        .filter_map(|l| parse_property(l))
        .map(|p| {
            let value = match p.name.as_str() {
                "ADR" => p.value.clone(),
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
        lines.push(format!("ORG:{}", escape_component(company)));
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

#[cfg(test)]
mod tests;
