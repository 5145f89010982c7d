//! Pure types and rules: no I/O, no clock. "Now" and "today" are always parameters.

pub mod agenda;
pub mod capture;
pub mod contact;
pub mod fields;
pub mod interaction;
pub mod names;
pub mod ranking;
pub mod record;
pub mod reminder;
pub mod when;
