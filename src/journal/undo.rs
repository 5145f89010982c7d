//! Exact undo and redo. Every write of the journal layer records the records it touched,
//! whole, as they were before and after (inside the same transaction, so nothing slips in
//! between). Undoing puts the "before" back — but only if each record is still exactly as
//! the write left it; if something else changed it since (another window, a `rolo log`),
//! undo refuses rather than overwrite that.

use anyhow::{Result, bail};
use rusqlite::{Connection, Transaction};

use crate::clock::Clock;
use crate::domain::record::{ContactRecord, InteractionRecord, ReminderRecord};
use crate::store::Store;
use crate::store::records::{self, Table};

/// One record, whole.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a handful per user action
pub enum Record {
    Contact(ContactRecord),
    Interaction(InteractionRecord),
    Reminder(ReminderRecord),
}

/// A record a write touched: who it is, and its state before and after (`None`: absent).
#[derive(Debug, Clone, PartialEq)]
pub struct Touched {
    pub table: Table,
    /// Its row id, kept when it is brought back so its short id (`c4`) stays the same.
    pub id: i64,
    pub uid: String,
    pub before: Option<Record>,
    pub after: Option<Record>,
}

/// What one user action did, in words and in records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    /// "logged 'lunch with Ada'", "snoozed 'send the deck' to 2026-12-03" …
    pub what: String,
    pub touched: Vec<Touched>,
}

impl Change {
    /// Did the action change anything at all?
    pub fn is_empty(&self) -> bool {
        self.touched.iter().all(|t| t.before == t.after)
    }
}

/// A journal write's result and what it changed.
#[derive(Debug, Clone)]
pub struct Written<T> {
    pub value: T,
    pub change: Change,
}

fn read(conn: &Connection, table: Table, uid: &str) -> Result<Option<Record>> {
    Ok(match table {
        Table::Contacts => records::contact(conn, uid)?.map(Record::Contact),
        Table::Interactions => records::interaction(conn, uid)?.map(Record::Interaction),
        Table::Reminders => records::reminder(conn, uid)?.map(Record::Reminder),
    })
}

/// Collects what a write touches, inside its transaction.
#[derive(Debug, Default)]
pub struct Tracker {
    touched: Vec<Touched>,
}

impl Tracker {
    /// Call before changing a record: remembers it as it is now (once per record).
    pub fn touch(&mut self, conn: &Connection, table: Table, id: i64) -> Result<()> {
        if self.touched.iter().any(|t| t.table == table && t.id == id) {
            return Ok(());
        }
        let Some(uid) = records::uid_of(conn, table, id)? else {
            return Ok(()); // nothing there: the write will say so itself
        };
        let before = read(conn, table, &uid)?;
        self.touched.push(Touched {
            table,
            id,
            uid,
            before,
            after: None,
        });
        Ok(())
    }

    /// Call after adding a record: it was absent before.
    pub fn created(&mut self, conn: &Connection, table: Table, id: i64) -> Result<()> {
        if let Some(uid) = records::uid_of(conn, table, id)? {
            self.touched.push(Touched {
                table,
                id,
                uid,
                before: None,
                after: None,
            });
        }
        Ok(())
    }

    fn finish(mut self, conn: &Connection, what: String) -> Result<Change> {
        for t in &mut self.touched {
            t.after = read(conn, t.table, &t.uid)?;
        }
        Ok(Change {
            what,
            touched: self.touched,
        })
    }
}

/// Runs a write in one transaction, tracking what it touches; `what` describes the result
/// for undo's "Undid: …".
pub fn tracked<T>(
    store: &mut Store,
    what: impl FnOnce(&T) -> String,
    f: impl FnOnce(&Transaction<'_>, &mut Tracker) -> Result<T>,
) -> Result<Written<T>> {
    store.write(|tx| {
        let mut tracker = Tracker::default();
        let value = f(tx, &mut tracker)?;
        let change = tracker.finish(tx, what(&value))?;
        Ok(Written { value, change })
    })
}

/// Whether two states of a record say the same, whenever they were stamped: undoing stamps
/// what it puts back as changed now (for sync), and that alone must not make the change
/// before it look like someone else's.
fn same_content(a: Option<&Record>, b: Option<&Record>) -> bool {
    fn unstamped(r: &Record) -> Record {
        let epoch = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        match r {
            Record::Contact(c) => Record::Contact(ContactRecord {
                updated_at: epoch,
                ..c.clone()
            }),
            Record::Interaction(i) => Record::Interaction(InteractionRecord {
                updated_at: epoch,
                ..i.clone()
            }),
            Record::Reminder(r) => Record::Reminder(ReminderRecord {
                updated_at: epoch,
                ..r.clone()
            }),
        }
    }
    a.map(unstamped) == b.map(unstamped)
}

/// Takes a change back: puts every touched record as it was before, in one transaction,
/// provided each is still as the change left it. Returns the change that redoes it.
pub fn revert(store: &mut Store, clock: &Clock, change: &Change) -> Result<Change> {
    let now = clock.now;
    store.write(|tx| {
        for t in &change.touched {
            if !same_content(read(tx, t.table, &t.uid)?.as_ref(), t.after.as_ref()) {
                bail!(
                    "{} changed since (elsewhere); it was left as it is",
                    describe(t)
                );
            }
        }
        let mut redo = Vec::with_capacity(change.touched.len());
        // Children before parents on the way out, parents first on the way back in.
        let mut order: Vec<&Touched> = change.touched.iter().collect();
        order.sort_by_key(|t| match (&t.before, t.table) {
            (None, Table::Reminders) => 0,
            (None, Table::Interactions) => 1,
            (None, Table::Contacts) => 2,
            (Some(_), Table::Contacts) => 3,
            (Some(_), Table::Interactions) => 4,
            (Some(_), Table::Reminders) => 5,
        });
        for t in order {
            put(tx, t, t.before.as_ref(), now)?;
        }
        for t in &change.touched {
            redo.push(Touched {
                table: t.table,
                id: t.id,
                uid: t.uid.clone(),
                before: t.after.clone(),
                after: read(tx, t.table, &t.uid)?,
            });
        }
        Ok(Change {
            what: change.what.clone(),
            touched: redo,
        })
    })
}

/// Writes `state` for the touched record: stamped as changed now (so a sync sees it), or
/// removed when it did not exist.
fn put(
    tx: &Transaction<'_>,
    t: &Touched,
    state: Option<&Record>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    match state {
        None => records::delete(tx, t.table, &t.uid)?,
        Some(Record::Contact(c)) => {
            records::put_contact(
                tx,
                &ContactRecord {
                    updated_at: now,
                    ..c.clone()
                },
                Some(t.id),
            )?;
        }
        Some(Record::Interaction(i)) => {
            records::put_interaction(
                tx,
                &InteractionRecord {
                    updated_at: now,
                    ..i.clone()
                },
                Some(t.id),
            )?;
        }
        Some(Record::Reminder(r)) => {
            records::put_reminder(
                tx,
                &ReminderRecord {
                    updated_at: now,
                    ..r.clone()
                },
                Some(t.id),
            )?;
        }
    }
    Ok(())
}

fn describe(t: &Touched) -> String {
    let letter = match t.table {
        Table::Contacts => 'c',
        Table::Interactions => 'i',
        Table::Reminders => 'r',
    };
    let name = match t.after.as_ref().or(t.before.as_ref()) {
        Some(Record::Contact(c)) => c.display_name.clone(),
        Some(Record::Interaction(i)) => i.summary.clone(),
        Some(Record::Reminder(r)) => r.title.clone(),
        None => String::new(),
    };
    format!("{name} ({letter}{})", t.id)
}
