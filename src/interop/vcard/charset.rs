//! Bytes to text for vCards: a file decoded line by line (a card may declare `CHARSET=` for
//! raw 8-bit values, and one file may mix UTF-8 cards with a legacy one), and 2.1
//! quoted-printable values decoded in the character set they declare. Labels are the WHATWG
//! labels `encoding_rs` knows (`ISO-8859-2`, `KOI8-R`, `Shift_JIS`, `windows-1252` …); RFC 2425
//! §5.8.3 and vCard 2.1 §2.1.5 let a property name its character set this way.

use encoding_rs::{Encoding, WINDOWS_1252};

use crate::interop::content_line::Property;
use crate::interop::encoding::{self, DecodeError};

/// The text of a vCard file: see [`encoding::decode_lines`]; each line's character set is
/// the `CHARSET` parameter it declares.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    encoding::decode_lines(bytes, charset_label)
}

/// The `CHARSET=` a content line declares, read from its head (before the first `:`).
fn charset_label(line: &[u8]) -> Option<String> {
    let head = line.split(|b| *b == b':').next()?;
    let head = String::from_utf8_lossy(head);
    head.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("CHARSET")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn decode_quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            // A soft break left at the very end of a value (no line followed) is no text.
            if i + 1 == bytes.len() {
                break;
            }
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
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

/// The value of a property as text: quoted-printable (vCard 2.1 §2.1.3) decoded in its
/// declared `CHARSET` (UTF-8 when none is declared and the bytes are UTF-8, else
/// Windows-1252, what Outlook writes). An unknown label, or bytes that are not what the label
/// says, is an error: a value is never turned into replacement characters or mojibake.
pub(super) fn decoded_value(p: &Property) -> Result<String, String> {
    let qp = p
        .param("ENCODING")
        .is_some_and(|e| e.iter().any(|v| v.eq_ignore_ascii_case("QUOTED-PRINTABLE")));
    if !qp {
        return Ok(p.value.clone());
    }
    let label = p.param("CHARSET").and_then(<[String]>::first);
    // Raw 8-bit text beside the =XX escapes was already read in the line's CHARSET (see
    // `encoding::decode_lines`): back to those bytes first, so it is decoded once, not twice.
    let declared = label.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    let raw = match declared {
        Some(encoding) if !p.value.is_ascii() => encoding.encode(&p.value).0.into_owned(),
        _ => p.value.as_bytes().to_vec(),
    };
    let bytes = decode_quoted_printable(&raw);
    let text = match label {
        _ if bytes.is_ascii() => String::from_utf8_lossy(&bytes).into_owned(),
        None => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => WINDOWS_1252
                .decode_without_bom_handling(err.as_bytes())
                .0
                .into_owned(),
        },
        Some(label) => {
            let encoding = Encoding::for_label(label.trim().as_bytes())
                .ok_or_else(|| format!("'{label}' is not a character set rolo knows"))?;
            let (text, malformed) = encoding.decode_without_bom_handling(&bytes);
            if malformed {
                return Err(format!(
                    "the value is not valid {}, as its CHARSET says",
                    encoding.name()
                ));
            }
            text.into_owned()
        }
    };
    // An encoded line break (=0D=0A) is a line break, the same as 3.0's `\n`.
    Ok(text.replace("\r\n", "\n"))
}

/// [`decoded_value`] for a line rolo already holds (kept by an older version without being
/// decoded): as it came when it cannot be decoded.
pub(super) fn decoded_or_raw(p: &Property) -> String {
    decoded_value(p).unwrap_or_else(|_| p.value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::content_line;
    use rstest::rstest;

    #[rstest]
    #[case::windows_1252(
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:lower =80 =93x=94",
        "lower € “x”"
    )]
    #[case::latin_2(
        "N;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:Ko=B3odziej;Pawe=B3",
        "Kołodziej;Paweł"
    )]
    #[case::koi8_r(
        "FN;CHARSET=KOI8-R;ENCODING=QUOTED-PRINTABLE:=F0=D2=C9=D7=C5=D4",
        "Привет"
    )]
    #[case::shift_jis("FN;CHARSET=Shift_JIS;ENCODING=QUOTED-PRINTABLE:=93=FA=96=7B", "日本")]
    #[case::latin_9("NOTE;CHARSET=ISO-8859-15;QUOTED-PRINTABLE:=A4 5", "€ 5")]
    #[case::utf_8_undeclared("NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9", "café")]
    #[case::legacy_undeclared("NOTE;ENCODING=QUOTED-PRINTABLE:caf=E9", "café")]
    #[case::trailing_soft_break("NOTE;ENCODING=QUOTED-PRINTABLE:end=", "end")]
    #[case::unknown_label_but_ascii("NOTE;CHARSET=x-none;ENCODING=QUOTED-PRINTABLE:a=3Db", "a=b")]
    fn quoted_printable_in_its_charset(#[case] line: &str, #[case] expected: &str) {
        let p = content_line::parse(line).unwrap();
        assert_eq!(decoded_value(&p).unwrap(), expected);
    }

    #[test]
    fn an_unknown_or_false_charset_is_an_error() {
        let p = content_line::parse("NOTE;CHARSET=x-none;ENCODING=QUOTED-PRINTABLE:=E9").unwrap();
        assert!(decoded_value(&p).unwrap_err().contains("x-none"));
        let p = content_line::parse("NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E9").unwrap();
        assert!(decoded_value(&p).unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn a_file_mixing_utf_8_and_latin_1_cards() {
        let mut bytes = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nEND:VCARD\r\n"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(
            b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:Fran\xe7ois;Ren\xe9e\r\nEND:VCARD\r\n",
        );
        let text = decode(&bytes).unwrap();
        assert!(text.contains("FN:Zoë Ångström\r\n"), "{text}");
        assert!(
            text.contains("N;CHARSET=ISO-8859-1:François;Renée\r\n"),
            "{text}"
        );
        assert_eq!(
            charset_label(b"N;charset=\"KOI8-R\":x"),
            Some("KOI8-R".into())
        );
        assert_eq!(charset_label(b"NOTE:CHARSET=no"), None);
    }
}
