//! Bytes to text for every file an import reads: UTF-8 (with or without a byte-order mark),
//! UTF-16 LE or BE with their marks (what Windows writes), or, for a file that is neither, the
//! Windows-1252 code page older Outlook and Excel exports use. A file that is plainly none of
//! these (UTF-16 without a mark, binary) is refused with one line that says so.

use encoding_rs::{Encoding, WINDOWS_1252};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error(
        "the file looks like UTF-16 without a byte-order mark (or is not text); save it as UTF-8 and import it again"
    )]
    NotText,
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
}
