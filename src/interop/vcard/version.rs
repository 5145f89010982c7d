//! Kept lines, written back in the version being written. A property rolo keeps verbatim
//! came in some version (2.1 quoted-printable, 3.0 `ENCODING=b`, 4.0 `RELATED` …) and goes out
//! in another; each is converted where the target has an equivalent, or renamed to an `X-`
//! property where the target lacks it, so that nothing is dropped and nothing is written that
//! the target version forbids.

use super::Version;
use super::charset::decoded_or_raw as decoded_value;
use crate::interop::content_line::{self, Property, escape_component, escape_text, raw_components};

/// Properties RFC 6350 added (4.0 only, with the RFCs that extend it).
const ONLY_IN_4: [&str; 16] = [
    "ANNIVERSARY",
    "GENDER",
    "KIND",
    "RELATED",
    "MEMBER",
    "LANG",
    "CLIENTPIDMAP",
    "XML",
    "BIRTHPLACE",
    "DEATHPLACE",
    "DEATHDATE",
    "EXPERTISE",
    "HOBBY",
    "INTEREST",
    "ORG-DIRECTORY",
    "CONTACT-URI",
];

/// Properties RFC 6350 removed (2.1 and 3.0 only).
const ONLY_IN_3: [&str; 7] = [
    "LABEL",
    "AGENT",
    "MAILER",
    "NAME",
    "PROFILE",
    "CLASS",
    "SORT-STRING",
];

/// Binary properties: inline data is `ENCODING=b` in 3.0 and a `data:` URI in 4.0.
const BINARY: [&str; 4] = ["PHOTO", "LOGO", "SOUND", "KEY"];

/// Text and text-list properties (RFC 6350 §6.2.1, §6.2.3, §6.6.1–2, §6.7.1–2; RFC 2426 §3):
/// a `;` in them is text, escaped in 3.0 (RFC 2426 §4) and raw in 4.0 (RFC 6350 §3.4).
const TEXT: [&str; 7] = [
    "FN",
    "NICKNAME",
    "TITLE",
    "ROLE",
    "NOTE",
    "CATEGORIES",
    "LABEL",
];

/// A kept text value with its `;` written the way `version` escapes it.
fn semicolons(value: &str, version: Version) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match (c, version) {
            ('\\', _) => match chars.next() {
                Some(';') if version == Version::V4 => out.push(';'),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            (';', Version::V3) => out.push_str("\\;"),
            (c, _) => out.push(c),
        }
    }
    out
}

/// Structured properties, whose `;` separates parts.
const STRUCTURED: [&str; 4] = ["N", "ADR", "ORG", "GENDER"];

/// The media type of inline data from a 3.0/2.1 `TYPE` (`JPEG`, `OGG`, `PGP`): images for
/// PHOTO and LOGO, audio for SOUND, keys for KEY (RFC 6350 §6.2.4, §6.7.5, §6.8.1).
fn media_type(property: &str, kind: &str) -> String {
    let t = kind.to_ascii_lowercase();
    if t.contains('/') {
        return t;
    }
    let t = if t == "jpg" { "jpeg".to_owned() } else { t };
    match (property, t.as_str()) {
        (_, "") => "application/octet-stream".to_owned(),
        ("SOUND", "wave" | "wav") => "audio/wav".to_owned(),
        ("SOUND", "mp3") => "audio/mpeg".to_owned(),
        ("SOUND", other) => format!("audio/{other}"),
        ("KEY", "pgp" | "gpg") => "application/pgp-keys".to_owned(),
        ("KEY", "x509") => "application/pkix-cert".to_owned(),
        ("KEY", other) => format!("application/{other}"),
        (_, other) => format!("image/{other}"),
    }
}

/// GEO is `lat;long` in 3.0 (RFC 2426 §3.4.2) and a `geo:lat,long` URI in 4.0 (RFC 6350
/// §6.5.2, RFC 5870).
fn geo(value: &str, version: Version) -> Option<String> {
    match version {
        Version::V4 if !value.contains(':') => {
            let (lat, long) = value.split_once(';')?;
            Some(format!("geo:{},{}", lat.trim(), long.trim()))
        }
        Version::V3 => {
            let rest = value.strip_prefix("geo:")?;
            let coordinates = rest.split(';').next().unwrap_or(rest);
            let (lat, long) = coordinates.split_once(',')?;
            let long = long.split(',').next().unwrap_or(long);
            Some(format!("{lat};{long}"))
        }
        Version::V4 => None,
    }
}

/// A kept line as it should be written in `version`.
pub fn adapt(raw: &str, version: Version) -> String {
    let Some(mut p) = content_line::parse(raw) else {
        return raw.to_owned();
    };
    let mut changed = bare_parameters(raw);
    // 2.1 quoted-printable: decoded, then escaped as 3.0/4.0 text.
    if has(&p, "ENCODING", "QUOTED-PRINTABLE") {
        let decoded = decoded_value(&p);
        p.value = if STRUCTURED.contains(&p.name.as_str()) {
            raw_components(&decoded, ';')
                .iter()
                .map(|c| escape_component(&c.replace("\\;", ";")))
                .collect::<Vec<_>>()
                .join(";")
        } else {
            escape_text(&decoded.replace("\r\n", "\n").replace("\\;", ";"))
        };
        remove(&mut p, "ENCODING");
        changed = true;
    }
    if p.param("CHARSET").is_some() {
        remove(&mut p, "CHARSET"); // rolo writes UTF-8, which both versions assume
        changed = true;
    }
    // 8BIT and 7BIT say how a 2.1 value travelled; the value is plain text now.
    if has(&p, "ENCODING", "8BIT") || has(&p, "ENCODING", "7BIT") {
        remove(&mut p, "ENCODING");
        changed = true;
    }
    if p.name == "GEO"
        && let Some(value) = geo(p.value.trim(), version)
    {
        p.value = value;
        changed = true;
    }
    if TEXT.contains(&p.name.trim_start_matches("X-")) {
        let value = semicolons(&p.value, version);
        if value != p.value {
            p.value = value;
            changed = true;
        }
    }
    changed |= match version {
        Version::V4 => into_4(&mut p),
        Version::V3 => into_3(&mut p),
    };
    if changed { render(&p) } else { raw.to_owned() }
}

fn has(p: &Property, key: &str, value: &str) -> bool {
    p.param(key)
        .is_some_and(|v| v.iter().any(|x| x.eq_ignore_ascii_case(value)))
}

/// What 4.0 spells differently: inline data as a `data:` URI, `PREF=1`, its own properties
/// by their names and 3.0's as `X-` ones. Whether anything changed.
fn into_4(p: &mut Property) -> bool {
    let mut changed = false;
    let base64 = has(p, "ENCODING", "B") || has(p, "ENCODING", "BASE64");
    if base64 {
        let kind = p
            .params
            .iter()
            .filter(|(k, _)| k == "TYPE")
            .flat_map(|(_, v)| v.iter())
            .next()
            .cloned()
            .unwrap_or_default();
        remove(p, "ENCODING");
        remove(p, "TYPE");
        p.value = format!(
            "data:{};base64,{}",
            media_type(&p.name, &kind),
            p.value.trim()
        );
        changed = true;
    }
    // The comma of a data: URI escaped, as URLs are (write.rs): vobject — and so Radicale,
    // which stores what vobject writes back — cuts a 4.0 value at a raw comma, and a photo
    // synced through it lost its data. `\,` is read back as `,` by vobject, ical.js and rolo.
    if BINARY.contains(&p.name.as_str()) && p.value.starts_with("data:") {
        let mut escaped = String::with_capacity(p.value.len() + 1);
        let mut after_backslash = false;
        for c in p.value.chars() {
            if c == ',' && !after_backslash {
                escaped.push('\\');
            }
            after_backslash = c == '\\' && !after_backslash;
            escaped.push(c);
        }
        if escaped != p.value {
            p.value = escaped;
            changed = true;
        }
    }
    // 4.0 has no TYPE=pref: PREF=1 says it (RFC 6350 §5.3).
    if p.types().iter().any(|t| t == "pref") {
        for (k, values) in &mut p.params {
            if k == "TYPE" {
                values.retain(|v| !v.eq_ignore_ascii_case("pref"));
            }
        }
        p.params.retain(|(k, v)| k != "TYPE" || !v.is_empty());
        if p.param("PREF").is_none() {
            p.params.push(("PREF".into(), vec!["1".into()]));
        }
        changed = true;
    }
    if let Some(bare) = p.name.strip_prefix("X-")
        && ONLY_IN_4.contains(&bare)
    {
        p.name = bare.to_owned(); // what rolo renamed for 3.0 comes home
        changed = true;
    }
    if ONLY_IN_3.contains(&p.name.as_str()) {
        p.name = format!("X-{}", p.name);
        changed = true;
    }
    changed
}

/// What 3.0 spells differently: inline data as `ENCODING=b`, `TYPE=pref`, a `tel:` URI as a
/// number, 4.0's properties as `X-` ones and its parameters gone. Whether anything changed.
fn into_3(p: &mut Property) -> bool {
    let mut changed = false;
    let base64 = has(p, "ENCODING", "B") || has(p, "ENCODING", "BASE64");
    if base64 && has(p, "ENCODING", "BASE64") {
        remove(p, "ENCODING");
        p.params.push(("ENCODING".into(), vec!["b".into()]));
        changed = true;
    }
    // A data: URI's comma may come escaped (`\,`, as rolo and vobject write it).
    let value = p.value.replace("\\,", ",");
    if BINARY.contains(&p.name.as_str())
        && let Some(rest) = value.strip_prefix("data:")
        && let Some((meta, data)) = rest.split_once(',')
        && let Some(mime) = meta.strip_suffix(";base64")
    {
        let subtype = mime.rsplit('/').next().unwrap_or(mime).to_ascii_uppercase();
        remove(p, "VALUE");
        remove(p, "MEDIATYPE");
        p.params.push(("ENCODING".into(), vec!["b".into()]));
        p.params.push(("TYPE".into(), vec![subtype]));
        data.clone_into(&mut p.value);
        changed = true;
    }
    if ONLY_IN_4.contains(&p.name.as_str()) {
        p.name = format!("X-{}", p.name);
        changed = true;
    }
    // A tel: URI (4.0's VALUE=uri) is a plain number in 3.0.
    if p.name == "TEL" && has(p, "VALUE", "uri") {
        remove(p, "VALUE");
        let number = p.value.trim();
        p.value = number.strip_prefix("tel:").unwrap_or(number).to_owned();
        changed = true;
    }
    for key in ["PID", "ALTID", "MEDIATYPE", "CALSCALE", "SORT-AS"] {
        if p.param(key).is_some() {
            remove(p, key);
            changed = true;
        }
    }
    if let Some(pref) = p.param("PREF").map(<[String]>::to_vec) {
        remove(p, "PREF");
        if pref.iter().any(|v| v.parse::<u8>().is_ok()) {
            p.params.push(("TYPE".into(), vec!["pref".into()]));
        }
        changed = true;
    }
    changed
}

/// Whether a line has 2.1's bare parameters (`TEL;WORK;VOICE:`), which 3.0 and 4.0 spell
/// `TYPE=work,voice`.
fn bare_parameters(raw: &str) -> bool {
    let head = raw.split(':').next().unwrap_or_default();
    head.split(';').skip(1).any(|p| !p.contains('='))
}

fn remove(p: &mut Property, key: &str) {
    p.params.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
}

/// A property as a content line, parameter values quoted where they must be and encoded by
/// RFC 6868.
pub(super) fn render(p: &Property) -> String {
    let mut line = String::new();
    if let Some(group) = &p.group {
        line.push_str(group);
        line.push('.');
    }
    line.push_str(&p.name);
    // TYPE values are merged into one parameter, as 3.0 and 4.0 write them.
    let types: Vec<String> = p
        .params
        .iter()
        .filter(|(k, _)| k == "TYPE")
        .flat_map(|(_, v)| v.iter().cloned())
        .collect();
    let mut params: Vec<(String, Vec<String>)> = p
        .params
        .iter()
        .filter(|(k, _)| k != "TYPE")
        .cloned()
        .collect();
    if !types.is_empty() {
        params.push(("TYPE".into(), types));
    }
    for (key, values) in &params {
        line.push(';');
        line.push_str(key);
        line.push('=');
        let rendered: Vec<String> = values.iter().map(|v| param_value(v)).collect();
        line.push_str(&rendered.join(","));
    }
    line.push(':');
    line.push_str(&p.value);
    line
}

fn param_value(value: &str) -> String {
    let encoded = value
        .replace('^', "^^")
        .replace('\n', "^n")
        .replace('"', "^'");
    if encoded.contains([':', ';', ',']) {
        format!("\"{encoded}\"")
    } else {
        encoded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::qp_note_into_4(
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:caf=C3=A9, bar",
        Version::V4,
        "NOTE:café\\, bar"
    )]
    #[case::qp_label_into_3(
        "LABEL;HOME;ENCODING=QUOTED-PRINTABLE:1 Main St=0D=0ASpringfield",
        Version::V3,
        "LABEL;TYPE=HOME:1 Main St\\nSpringfield"
    )]
    #[case::qp_label_into_4(
        "LABEL;HOME;ENCODING=QUOTED-PRINTABLE:1 Main St",
        Version::V4,
        "X-LABEL;TYPE=HOME:1 Main St"
    )]
    #[case::base64_photo_into_4(
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ",
        Version::V4,
        "PHOTO:data:image/jpeg;base64\\,/9j/4AAQ"
    )]
    #[case::raw_data_uri_escaped_in_4(
        "LOGO:data:image/png;base64,iVBOR",
        Version::V4,
        "LOGO:data:image/png;base64\\,iVBOR"
    )]
    #[case::every_comma_of_a_data_uri_in_4(
        "LOGO:data:,a\\,b,c",
        Version::V4,
        "LOGO:data:\\,a\\,b\\,c"
    )]
    #[case::escaped_data_uri_into_3(
        "PHOTO:data:image/jpeg;base64\\,/9j/4AAQ",
        Version::V3,
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ"
    )]
    #[case::base64_2_1_photo_into_3(
        "PHOTO;ENCODING=BASE64;TYPE=GIF:R0lGOD",
        Version::V3,
        "PHOTO;ENCODING=b;TYPE=GIF:R0lGOD"
    )]
    #[case::data_uri_photo_into_3(
        "PHOTO;MEDIATYPE=image/png:data:image/png;base64,iVBOR",
        Version::V3,
        "PHOTO;ENCODING=b;TYPE=PNG:iVBOR"
    )]
    #[case::related_into_3(
        "RELATED;TYPE=friend:urn:uuid:1",
        Version::V3,
        "X-RELATED;TYPE=friend:urn:uuid:1"
    )]
    #[case::related_back_into_4(
        "X-RELATED;TYPE=friend:urn:uuid:1",
        Version::V4,
        "RELATED;TYPE=friend:urn:uuid:1"
    )]
    #[case::pref_into_3(
        "item1.EMAIL;PREF=1;TYPE=work:a@b.example",
        Version::V3,
        "item1.EMAIL;TYPE=work,pref:a@b.example"
    )]
    #[case::untouched(
        "X-CUSTOM;X-PARAM=\"a:b;c\":value with : colon",
        Version::V4,
        "X-CUSTOM;X-PARAM=\"a:b;c\":value with : colon"
    )]
    fn kept_lines_fit_the_target_version(
        #[case] raw: &str,
        #[case] version: Version,
        #[case] expected: &str,
    ) {
        assert_eq!(adapt(raw, version), expected);
    }
}
