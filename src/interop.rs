//! Other formats, in and out: pure readers and writers over domain types, tested on text.
//! Only `journal` touches the store on their behalf.

pub mod component;
pub mod content_line;
pub mod csv;
pub mod encoding;
pub mod ical;
pub mod json;
pub mod markdown;
pub mod sheet;
pub mod vcard;
