//! Sync as the faces use it: set up, sync, status, conflicts — over the journal's store.
//! The work is in `crate::sync`; this adds the one thing the TUI needs on top, a sync of a
//! journal *file* with its own connection, to run on a background thread.

use std::path::Path;

use anyhow::Result;

use crate::clock::Clock;
use crate::store::Store;
pub use crate::sync::{
    Brief, ConflictView, Options, Progress, Report, SetupArgs, SetupReport, Status,
};

pub fn setup(store: &mut Store, clock: &Clock, args: &SetupArgs) -> Result<SetupReport> {
    Ok(crate::sync::setup(store, clock, args)?)
}

/// One two-way sync; `progress` hears where it is.
pub fn sync(
    store: &mut Store,
    clock: &Clock,
    options: Options,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Report> {
    Ok(crate::sync::sync(store, clock, options, progress)?)
}

/// One sync of the journal at `path`, on a connection of its own: what the TUI runs on a
/// background thread while it keeps drawing (it sees the changes through `data_version`).
pub fn sync_file(path: &Path, clock: &Clock) -> Result<Report> {
    let mut store = Store::open(path)?;
    sync(&mut store, clock, Options::default(), &mut |_| {})
}

/// Last sync, pending changes, open conflicts.
pub fn status(store: &Store) -> Result<Status> {
    Ok(crate::sync::status(store)?)
}

/// Whether sync is set up, when it last ran, open conflicts: for the TUI's status bar.
pub fn brief(store: &Store) -> Result<Brief> {
    Ok(crate::sync::brief(store)?)
}

pub fn conflicts(store: &Store) -> Result<Vec<ConflictView>> {
    Ok(crate::sync::conflicts(store)?)
}

/// Closes conflict `id`: with `take_other`, the value that lost replaces the kept one.
pub fn resolve(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    take_other: bool,
) -> Result<ConflictView> {
    Ok(crate::sync::resolve(store, clock, id, take_other)?)
}
