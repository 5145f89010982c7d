//! The application layer both faces call: every use case of rolo — capture, contacts,
//! reminders, the agenda, imports and exports, the demo — as functions over a [`Store`] and a
//! [`Clock`], returning domain values. One user action is exactly one transaction. Nothing
//! here prints or knows about terminals: `commands/` turns results into tables and JSON,
//! `tui/` into panes.
//!
//! [`Store`]: crate::store::Store
//! [`Clock`]: crate::clock::Clock

pub mod agenda;
pub mod capture;
pub mod contacts;
pub mod demo;
pub mod drafts;
pub mod export;
pub mod identity;
pub mod import;
pub mod interactions;
pub mod maintenance;
pub mod reminders;
pub mod review;
pub mod sync;
pub mod undo;

pub use anyhow::{Error, Result};
