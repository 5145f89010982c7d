//! rolo's own JSON: the whole journal as one versioned document, every table and timestamp,
//! records linked by UID (never by row id), in a stable order — so export → import → export
//! is byte-identical.

use serde::{Deserialize, Serialize};

use crate::domain::record::Records;

pub const FORMAT: &str = "rolo-journal";
/// 2: an address field carries its parts (`address`); version 1 files, whose addresses are
/// vCard ADR text, still read. 3: a contact carries its agenda `marks` (a cadence put off, a
/// birthday acknowledged); older files have none.
pub const VERSION: u32 = 3;

/// The versioned document: a format name and version, then the records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub format: String,
    pub version: u32,
    #[serde(flatten)]
    pub records: Records,
}

impl Document {
    pub fn new(records: Records) -> Document {
        Document {
            format: FORMAT.to_owned(),
            version: VERSION,
            records,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    #[error("not a rolo JSON export: {0}")]
    Invalid(String),
    #[error(
        "a rolo JSON export of version {0}, newer than this rolo reads (up to {VERSION}); upgrade rolo"
    )]
    TooNew(u32),
    #[error("not a rolo JSON export (its format is '{0}')")]
    Foreign(String),
}

pub fn to_string(document: &Document) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_default();
    text.push('\n');
    text
}

pub fn from_str(text: &str) -> Result<Document, JsonError> {
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u32>,
    }
    let header: Header =
        serde_json::from_str(text).map_err(|e| JsonError::Invalid(e.to_string()))?;
    match (header.format.as_deref(), header.version) {
        (Some(FORMAT), Some(v)) if v > VERSION => return Err(JsonError::TooNew(v)),
        (Some(FORMAT), Some(_)) => {}
        (other, _) => return Err(JsonError::Foreign(other.unwrap_or("none").to_owned())),
    }
    serde_json::from_str(text).map_err(|e| JsonError::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_checked() {
        assert!(matches!(
            from_str("{\"format\":\"rolo-journal\",\"version\":99}"),
            Err(JsonError::TooNew(99))
        ));
        assert!(matches!(
            from_str("{\"format\":\"other\",\"version\":1}"),
            Err(JsonError::Foreign(_))
        ));
        assert!(matches!(from_str("[1,2]"), Err(JsonError::Invalid(_))));
        let empty = Document::new(Records::default());
        assert_eq!(from_str(&to_string(&empty)), Ok(empty));
    }
}
