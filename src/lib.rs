//! rolo: a terminal relationship journal. The binary (`main.rs`) is a thin shell over this
//! library so integration tests and benchmarks reach the same code.

pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod interop;
pub mod store;
pub mod tui;
