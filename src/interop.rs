//! Other formats, in and out: pure readers and writers over domain types, tested on text.
//! Only the import and export commands touch the store.

pub mod csv;
pub mod ical;
pub mod json;
pub mod markdown;
pub mod vcard;
