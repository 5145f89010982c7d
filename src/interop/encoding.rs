//! Bytes to text for every file an import reads: UTF-8 (with or without a byte-order mark),
//! UTF-16 LE or BE with their marks (what Windows writes), or, for a file that is neither, the
//! Windows-1252 code page older Outlook and Excel exports use. A file that is plainly none of
//! these (UTF-16 without a mark, binary) is refused with one line that says so.
//!
//! A format that declares a character set per line (vCard's `CHARSET=`) is decoded line by
//! line with [`decode_lines`]: a file may mix UTF-8 cards with one card in a legacy code page.

use encoding_rs::{Encoding, WINDOWS_1252};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error(
        "the file looks like UTF-16 without a byte-order mark (or is not text); save it as UTF-8 and import it again"
    )]
    NotText,
    #[error("line {line}: '{label}' is not a character set rolo knows")]
    UnknownCharset { line: usize, label: String },
    #[error("line {line}: the text is not valid {label}, as the line declares")]
    Malformed { line: usize, label: String },
}

/// The text of a file, and the encoding it was read in.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Ok((text.into_owned(), encoding.name()));
    }
    if bytes.contains(&0) {
        return Err(DecodeError::NotText);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8"));
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((text.into_owned(), WINDOWS_1252.name()))
}

/// The text of a file whose lines may each declare their character set. Byte-order marks
/// decide for the whole file, and a file that is all UTF-8 is UTF-8. Otherwise each line is
/// decoded on its own: a line that is valid UTF-8 stays UTF-8 (ASCII reads the same in every
/// code page rolo knows); a line that is not is decoded in the character set `declared` finds
/// on it (by its WHATWG label, as `encoding_rs` knows them), or on the line it continues (one
/// that starts with a space or tab), or else in Windows-1252. An unknown label, or bytes that
/// are not the declared character set, are an error naming the line: never replacement
/// characters.
pub fn decode_lines(
    bytes: &[u8],
    declared: impl Fn(&[u8]) -> Option<String>,
) -> Result<String, DecodeError> {
    if Encoding::for_bom(bytes).is_some() || bytes.contains(&0) {
        return decode(bytes).map(|(text, _)| text);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(bytes.len());
    let mut label: Option<String> = None;
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        if !matches!(line.first(), Some(b' ' | b'\t')) {
            label = declared(line);
        }
        if let Ok(text) = std::str::from_utf8(line) {
            out.push_str(text);
            continue;
        }
        let encoding = match &label {
            None => WINDOWS_1252,
            Some(label) => Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                DecodeError::UnknownCharset {
                    line: i + 1,
                    label: label.clone(),
                }
            })?,
        };
        let (text, malformed) = encoding.decode_without_bom_handling(line);
        if malformed {
            return Err(DecodeError::Malformed {
                line: i + 1,
                label: encoding.name().to_owned(),
            });
        }
        out.push_str(&text);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let bytes = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&bytes);
        }
        out
    }

    #[test]
    fn byte_order_marks_decide() {
        let text = "BEGIN:VCARD\r\nFN:Zoë 🎉\r\n";
        assert_eq!(
            decode(&utf16(text, false)).unwrap(),
            (text.to_owned(), "UTF-16LE")
        );
        assert_eq!(
            decode(&utf16(text, true)).unwrap(),
            (text.to_owned(), "UTF-16BE")
        );
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&with_bom).unwrap().0, text);
    }

    #[test]
    fn legacy_code_page_and_garbage() {
        assert_eq!(decode(b"Fran\xe7ois").unwrap().0, "François");
        let no_bom: Vec<u8> = "FN:A".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&no_bom), Err(DecodeError::NotText));
    }

    fn charset(line: &[u8]) -> Option<String> {
        let text = String::from_utf8_lossy(line);
        let head = text.split(':').next()?;
        head.split(';')
            .find_map(|p| p.strip_prefix("CHARSET="))
            .map(str::to_owned)
    }

    #[test]
    fn each_line_in_its_own_character_set() {
        let mut bytes = "FN:Zoë Ångström\r\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"N;CHARSET=ISO-8859-1:Fran\xe7ois\r\n");
        bytes.extend_from_slice(b"NOTE;CHARSET=KOI8-R:\xf0\xd2\xc9\r\n \xd7\xc5\xd4\r\n");
        bytes.extend_from_slice(b"NOTE:caf\xe9 \x80\r\n");
        bytes.extend_from_slice("TITLE:日本\r\n".as_bytes());
        assert_eq!(
            decode_lines(&bytes, charset).unwrap(),
            "FN:Zoë Ångström\r\nN;CHARSET=ISO-8859-1:François\r\nNOTE;CHARSET=KOI8-R:При\r\n вет\r\nNOTE:café €\r\nTITLE:日本\r\n"
        );
    }

    #[test]
    fn an_unknown_or_false_charset_names_its_line() {
        assert_eq!(
            decode_lines(b"FN:A\nNOTE;CHARSET=x-klingon:\xff\n", charset),
            Err(DecodeError::UnknownCharset {
                line: 2,
                label: "x-klingon".into()
            })
        );
        // An unknown label on a line that needs no decoding is no loss.
        assert_eq!(
            decode_lines(b"NOTE;CHARSET=x-klingon:plain\nFN:\xe9\n", charset).unwrap(),
            "NOTE;CHARSET=x-klingon:plain\nFN:é\n"
        );
        assert_eq!(
            decode_lines(b"NOTE;CHARSET=UTF-8:caf\xe9\n", charset),
            Err(DecodeError::Malformed {
                line: 1,
                label: "UTF-8".into()
            })
        );
    }
}
