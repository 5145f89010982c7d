//! rolo: a terminal relationship journal. The binary (`main.rs`) is a thin shell over this
//! library so integration tests and benchmarks reach the same code.
//!
//! Imports run one way: `domain` ← `store` ← `journal` ← {`commands`, `tui`} ← `main`;
//! `interop` and `sync` are used by `journal`. `clock`, `paths`, `text`, `editor` and
//! `config` are leaves.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod domain;
pub mod editor;
pub mod interop;
pub mod journal;
pub mod paths;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
