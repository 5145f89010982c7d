//! rolo: a terminal relationship journal. The binary (`main.rs`) is a thin shell over this
//! library so integration tests and benchmarks can reach the same code.

pub mod domain;
pub mod store;
