//! Lines as they came, turned into the form 3.0 and 4.0 share before anything reads them: a
//! quoted-printable or `CHARSET`-tagged value decoded (the parameters that said so go, since
//! the value is now plain UTF-8), and a vCard 2.1 value re-escaped. vCard 2.1 (§2.1.3) has one
//! escape, `\;`; its commas and backslashes are text, while 3.0 (RFC 2426 §4) and 4.0
//! (RFC 6350 §3.4) read them as separators and escapes. So the reader, the model and the lines
//! kept for export all see one syntax, and a kept 2.1 line goes out meaning what it meant.

use super::VcardError;
use super::charset::decoded_value;
use super::version::render;
use crate::interop::content_line::Property;

/// Properties whose value is a URI or binary data: no text escaping applies, in any version.
const NOT_TEXT: [&str; 15] = [
    "URL",
    "IMPP",
    "SOURCE",
    "FBURL",
    "CALURI",
    "CALADRURI",
    "MEMBER",
    "PHOTO",
    "LOGO",
    "SOUND",
    "KEY",
    "GEO",
    "TZ",
    "X-SOCIALPROFILE",
    "AGENT",
];

/// A 2.1 value as 3.0/4.0 write it: `\;` stays the one escape; a backslash, a comma and a
/// line break are escaped. A `;` that separates parts stays a separator.
pub(super) fn escape_2_1(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&';') => {
                out.push_str("\\;");
                chars.next();
            }
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a parameter only described how the value was encoded.
fn encoding_only(key: &str, values: &[String]) -> bool {
    key.eq_ignore_ascii_case("CHARSET")
        || (key.eq_ignore_ascii_case("ENCODING")
            && values.iter().all(|v| {
                ["QUOTED-PRINTABLE", "8BIT", "7BIT"]
                    .iter()
                    .any(|e| v.eq_ignore_ascii_case(e))
            }))
}

/// Every property of a card in the shared form. `version_2_1` says whether the card declared
/// `VERSION:2.1`. A value that cannot be decoded is an error naming its line.
pub(super) fn modernize(
    number: usize,
    props: &[(usize, Property)],
) -> Result<Vec<(usize, Property)>, VcardError> {
    let version_2_1 = props
        .iter()
        .any(|(_, p)| p.name == "VERSION" && p.value.trim() == "2.1");
    props
        .iter()
        .map(|(line, p)| {
            let mut value = decoded_value(p).map_err(|message| VcardError {
                card: number,
                line: *line,
                message: format!("{}: {message}", p.name),
                identifies_no_one: false,
            })?;
            if version_2_1 && !NOT_TEXT.contains(&p.name.as_str()) {
                value = match p.name.as_str() {
                    // Lists by nature: their commas separate items in every version.
                    "CATEGORIES" | "NICKNAME" => value
                        .split(',')
                        .map(escape_2_1)
                        .collect::<Vec<_>>()
                        .join(","),
                    _ => escape_2_1(&value),
                };
            }
            let encoded = p.params.iter().any(|(k, v)| encoding_only(k, v));
            if value == p.value && !encoded {
                return Ok((*line, p.clone()));
            }
            let mut p = p.clone();
            p.params.retain(|(k, v)| !encoding_only(k, v));
            p.value = value;
            p.raw = render(&p);
            Ok((*line, p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::content_line;
    use rstest::rstest;

    fn card(lines: &[&str]) -> Vec<String> {
        let props: Vec<(usize, Property)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, content_line::parse(l).unwrap()))
            .collect();
        modernize(1, &props)
            .unwrap()
            .into_iter()
            .map(|(_, p)| p.raw)
            .collect()
    }

    #[rstest]
    #[case::backslash_is_text("NOTE:backslash \\ done", "NOTE:backslash \\\\ done")]
    #[case::semicolon_escape_stays("NOTE:a\\;b", "NOTE:a\\;b")]
    #[case::commas_are_text("ORG:Alpha, Inc.;Beta, Dept", "ORG:Alpha\\, Inc.;Beta\\, Dept")]
    #[case::qp_backslash(
        "NOTE;ENCODING=QUOTED-PRINTABLE:backslash \\ done=0D=0Anext",
        "NOTE:backslash \\\\ done\\nnext"
    )]
    #[case::eight_bit_and_charset("X-BAZ;ENCODING=8BIT;CHARSET=UTF-8:qux", "X-BAZ:qux")]
    #[case::list_items("CATEGORIES:a\\b,c", "CATEGORIES:a\\\\b,c")]
    #[case::uri_untouched("URL:https://x.example/?a=1,2", "URL:https://x.example/?a=1,2")]
    #[case::bare_types_kept("TEL;HOME:+44 20", "TEL;HOME:+44 20")]
    fn a_2_1_line_in_the_shared_form(#[case] line: &str, #[case] expected: &str) {
        assert_eq!(card(&["VERSION:2.1", line])[1], expected);
    }

    #[test]
    fn a_3_0_line_is_only_decoded() {
        assert_eq!(
            card(&[
                "VERSION:3.0",
                "NOTE;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:a\\, =B3"
            ])[1],
            "NOTE:a\\, ł"
        );
        assert_eq!(card(&["VERSION:3.0", "NOTE:a\\, b"])[1], "NOTE:a\\, b");
    }
}
