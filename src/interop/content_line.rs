//! Content lines, the syntax vCard (RFC 6350 §3.3) and iCalendar (RFC 5545 §3.1) share:
//! folding and unfolding, `group.NAME;PARAM=value:value`, and escaping of text values.

/// A content line: `group.NAME;PARAM=a,b:value`.
#[derive(Debug, Clone)]
pub struct Property {
    pub group: Option<String>,
    /// Upper case.
    pub name: String,
    /// Parameter names upper case; values unquoted, RFC 6868 escapes decoded.
    pub params: Vec<(String, Vec<String>)>,
    /// As it came: still escaped (and still encoded, for vCard 2.1 quoted-printable).
    pub value: String,
    /// The unfolded line as it came, for verbatim keeping.
    pub raw: String,
}

impl Property {
    pub fn param(&self, key: &str) -> Option<&[String]> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_slice())
    }

    /// TYPE values, lower case, including 2.1's bare parameters (`TEL;WORK;VOICE:`).
    pub fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("TYPE"))
            .flat_map(|(_, v)| v.iter().flat_map(|t| t.split(',')).map(str::to_lowercase))
            .collect()
    }

    pub fn preferred(&self) -> bool {
        self.param("PREF").is_some() || self.types().iter().any(|t| t == "pref")
    }

    pub fn label(&self) -> String {
        let skip = ["pref", "internet", "x400"];
        self.types()
            .into_iter()
            .filter(|t| !skip.contains(&t.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Splits a file into logical lines: unfolds continuation lines (CRLF or LF followed by a
/// space or tab), quoted-printable soft breaks (`=` at the end of a line, whether or not the
/// next line is indented), and vCard 2.1 base64 values, whose continuation lines may come
/// without indentation and end at a blank line. Each logical line carries the physical line
/// number it started on.
pub fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut qp_continues = false;
    let mut in_base64 = false;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // A soft break at the end of a card's last value is no reason to swallow the line
        // after it when that line plainly starts a property (or ends the card).
        let continues = qp_continues && (raw.starts_with([' ', '\t']) || !starts_property(raw));
        if continues && let Some((_, last)) = lines.last_mut() {
            // A soft break: the '=' goes, and so does the indentation of a folded line.
            last.pop();
            last.push_str(raw.strip_prefix([' ', '\t']).unwrap_or(raw));
            qp_continues = last.ends_with('=');
            continue;
        }
        if let Some(rest) = raw.strip_prefix([' ', '\t']).filter(|_| !lines.is_empty()) {
            if let Some((_, last)) = lines.last_mut() {
                last.push_str(rest);
                qp_continues = is_qp(last) && last.ends_with('=');
            }
            continue;
        }
        if raw.trim().is_empty() {
            in_base64 = false; // 2.1 ends a base64 value with a blank line
            continue;
        }
        if in_base64
            && is_base64_run(raw)
            && let Some((_, last)) = lines.last_mut()
        {
            last.push_str(raw.trim());
            continue;
        }
        lines.push((i + 1, raw.to_owned()));
        qp_continues = is_qp(raw) && raw.ends_with('=');
        in_base64 = is_base64(raw);
    }
    lines
}

/// Whether a line, after a quoted-printable soft break, is a property of its own rather than
/// the rest of the value: `END:VCARD`/`BEGIN:VCARD` in any case, or a property name writers
/// put in upper case (a known one, or `X-…`, maybe with a group) followed by `;` or `:`.
fn starts_property(line: &str) -> bool {
    const NAMES: [&str; 44] = [
        "BEGIN",
        "END",
        "VERSION",
        "FN",
        "N",
        "NICKNAME",
        "PHOTO",
        "BDAY",
        "ANNIVERSARY",
        "GENDER",
        "ADR",
        "LABEL",
        "TEL",
        "EMAIL",
        "MAILER",
        "TZ",
        "GEO",
        "TITLE",
        "ROLE",
        "LOGO",
        "AGENT",
        "ORG",
        "CATEGORIES",
        "NOTE",
        "PRODID",
        "REV",
        "SORT-STRING",
        "SOUND",
        "UID",
        "URL",
        "CLASS",
        "KEY",
        "IMPP",
        "KIND",
        "MEMBER",
        "RELATED",
        "LANG",
        "SOURCE",
        "FBURL",
        "CALURI",
        "CALADRURI",
        "CLIENTPIDMAP",
        "XML",
        "NAME",
    ];
    let upper = line.trim().to_ascii_uppercase();
    if upper == "END:VCARD" || upper == "BEGIN:VCARD" {
        return true;
    }
    let Some(end) = line.find([';', ':']) else {
        return false;
    };
    let full = &line[..end];
    let name = full.rsplit_once('.').map_or(full, |(_, n)| n);
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && (NAMES.contains(&name) || name.starts_with("X-"))
}

/// A line of nothing but base64: the unindented continuation of a 2.1 base64 value (a
/// property line always has a `:`, which base64 never does).
fn is_base64_run(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

fn is_base64(line: &str) -> bool {
    let head = line
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    head.contains("BASE64") || head.contains("ENCODING=B")
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
pub fn parse(line: &str) -> Option<Property> {
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
pub fn components(value: &str, separator: char) -> Vec<String> {
    split_unescaped(value, separator)
        .iter()
        .map(|p| unescape(p))
        .collect()
}

/// Escapes an iCalendar TEXT value (RFC 5545 §3.3.11): `\\` `\;` `\,` and newlines.
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

// vCard values are escaped by their value type (RFC 6350 §3.4, RFC 2426 §4). Which form each
// property gets was measured against vobject, khard and ical.js (the readers people use):
// every one of them reads these forms as meant, in 3.0 and in 4.0.

/// A single vCard text value (FN, TITLE, NOTE, one nickname, EMAIL…): `\\`, newline and `,`
/// escaped; `;` left raw, because ical.js shows `\;` literally outside structured values and
/// every reader accepts it raw.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One part of a structured vCard value (a unit of ORG, a part of ADR, an item of an N part or
/// of CATEGORIES): `;` and `,` escaped too, since raw they separate parts and list items.
pub fn escape_component(text: &str) -> String {
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

/// A part of N whose raw commas separate list items (`N:;Jean,Paul;;;`). rolo keeps such a
/// part as text with the items joined by `,`; a comma followed by a space is the text's own
/// (`Richter, James`) and is escaped.
pub fn escape_name_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ',' if chars.peek().is_some_and(|n| !n.is_whitespace()) => out.push(','),
            c => out.push_str(&escape_component(&c.to_string())),
        }
    }
    out
}

/// Reads a part of N the way [`escape_name_part`] writes it: list items joined by `,`,
/// escaped characters (`\,` included) as themselves.
pub fn name_part(part: &str) -> String {
    split_unescaped(part, ',')
        .iter()
        .map(|item| unescape(item))
        .collect::<Vec<_>>()
        .join(",")
}

/// A URI value (URL, IMPP, SOURCE…): the URI itself, never percent-encoded or otherwise
/// changed, with only what a reader needs to keep it one value. RFC 6350 §3.4 has a comma in
/// *any* value escaped (`\,`), since readers split on it, and a backslash doubled; a `;` needs
/// nothing outside structured values. Measured: vobject and khard cut a URL at a raw comma in
/// 3.0 and 4.0 and read `\,` right; ical.js reads `\,` right in 4.0 (in 3.0 it shows the
/// backslash, as its 3.0 URI type undoes no escapes), but `\;` literally, so `;` stays raw.
/// Line breaks cannot be part of a URI (RFC 3986) and are dropped.
pub fn escape_uri(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for c in uri.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            '\r' | '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// Reads a URI value written by any writer: the backslash escapes some writers add as if it
/// were text (`\,` `\;` `\\`) are undone, and nothing else — a `%2C` is part of the URI.
pub fn uri_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(&next @ (',' | ';' | '\\'))) => {
                out.push(next);
                chars.next();
            }
            (c, _) => out.push(c),
        }
    }
    out
}

/// Splits on unescaped `separator`, leaving escapes in place.
fn split_unescaped(value: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(last) = parts.last_mut() {
                last.push('\\');
                if let Some(next) = chars.next() {
                    last.push(next);
                }
            }
        } else if c == separator {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts
}

/// Splits a structured value on unescaped `separator` and keeps each part escaped (for a
/// second split, as of N parts into list items).
pub fn raw_components(value: &str, separator: char) -> Vec<String> {
    split_unescaped(value, separator)
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
