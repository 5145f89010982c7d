//! vCard: read 2.1, 3.0 and 4.0; write 3.0 and 4.0 (RFC 2426, RFC 6350).
//!
//! Reading unfolds lines, decodes quoted-printable (2.1), unescapes text, and maps what rolo
//! models onto a [`ContactDraft`]. Everything else — PHOTO, X- properties, Apple `itemN.`
//! groups with their labels — is kept verbatim in `vcard_extra` and written back unchanged.
//! A modelled property that came in a group (`item1.EMAIL`) is modelled *and* kept verbatim,
//! and the verbatim line wins on export so the group survives.

mod charset;
mod legacy;
mod read;
mod version;
mod write;

pub use charset::decode;
pub use read::{read, read_each};
pub use write::write;

use crate::domain::contact::ContactDraft;

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
    /// The card is well formed but says nothing about who it is: skipped, never a reason to
    /// refuse the file.
    pub identifies_no_one: bool,
}

/// One card as read: its identity and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// 1-based position in the file.
    pub number: usize,
    /// Line of its BEGIN:VCARD.
    pub line: usize,
    pub uid: Option<String>,
    /// When the card was last changed (REV), where it says.
    pub rev: Option<chrono::DateTime<chrono::Utc>>,
    pub draft: ContactDraft,
    /// For a card without a name: what rolo named it from ("phone", "nickname" …).
    pub named_from: Option<&'static str>,
}

#[cfg(test)]
mod tests;
