//! Keeping the journal in order: the trash, backups, and the integrity check.

use std::path::Path;

use anyhow::{Result, bail};
use serde::Serialize;

use super::undo::{Written, tracked};
use crate::clock::Clock;
use crate::store::trash::{self, Entry, Item};
use crate::store::{Store, integrity};

pub fn trash_list(store: &Store) -> Result<Vec<Entry>> {
    Ok(trash::list(store.conn())?)
}

/// A record's name as the trash lists it: a contact's name, a note's summary, a title.
fn title(conn: &rusqlite::Connection, item: Item) -> Result<String> {
    let column = match item {
        Item::Contact(_) => "display_name",
        Item::Interaction(_) => "summary",
        Item::Reminder(_) => "title",
    };
    Ok(conn.query_row(
        &format!("SELECT {column} FROM {} WHERE id = ?1", item.table().name()),
        [item.id()],
        |r| r.get(0),
    )?)
}

/// Moves a contact, interaction or reminder to the trash (a contact's reminders hide with
/// them); an error if it is there already. Returns what it was called.
pub fn trash(store: &mut Store, clock: &Clock, item: Item) -> Result<Written<String>> {
    let now = clock.now;
    tracked(
        store,
        |title: &String| format!("moved '{title}' to the trash"),
        |tx, t| {
            t.touch(tx, item.table(), item.id())?;
            if !trash::trash(tx, item, now)? {
                bail!("{item} is in the trash already");
            }
            title(tx, item)
        },
    )
}

/// Brings `item` back from the trash; an error if it is not there.
pub fn restore(store: &mut Store, clock: &Clock, item: Item) -> Result<Written<String>> {
    let now = clock.now;
    tracked(
        store,
        |title: &String| format!("restored '{title}'"),
        |tx, t| {
            t.touch(tx, item.table(), item.id())?;
            if !trash::restore(tx, item, now)? {
                bail!("{item} is not in the trash");
            }
            title(tx, item)
        },
    )
}

/// Deletes everything in the trash for good; returns how many records went.
pub fn empty_trash(store: &mut Store) -> Result<usize> {
    Ok(store.write(|tx| trash::empty(tx))?)
}

/// A consistent copy of the journal at `path`, safe while others write.
pub fn backup(store: &Store, path: &Path) -> Result<()> {
    Ok(store.backup_to(path)?)
}

/// What `check` found, and what it repaired.
#[derive(Debug, Serialize)]
pub struct Checked {
    pub ok: bool,
    /// What is wrong now (after a repair: what it could not fix).
    pub problems: Vec<String>,
    pub repaired: bool,
    /// What the repair changed, one line each.
    pub fixed: Vec<String>,
}

/// Checks the journal (SQLite's integrity, the search index, derived columns); with
/// `repair`, rebuilds what is derived and checks again.
pub fn check(store: &mut Store, repair: bool) -> Result<Checked> {
    let mut problems = problems(store)?;
    let mut fixed = Vec::new();
    if repair && !problems.is_empty() {
        match store.write(|tx| integrity::repair(tx, &problems)) {
            Ok(done) => fixed = done,
            // A damaged table cannot be read to rebuild from; what remains is reported.
            Err(_) if problems.iter().any(|p| p.starts_with("integrity: ")) => {}
            Err(err) => return Err(err.into()),
        }
        problems = self::problems(store)?;
    }
    Ok(Checked {
        ok: problems.is_empty(),
        problems,
        repaired: !fixed.is_empty(),
        fixed,
    })
}

/// FTS5's integrity-check is a write statement: run the checks in a transaction that is
/// rolled back, so checking never changes the file.
fn problems(store: &mut Store) -> Result<Vec<String>> {
    Ok(store.rehearse(|tx| integrity::check(tx))?)
}
