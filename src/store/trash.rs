//! Soft delete: contacts, interactions and reminders go to a trash that can be restored
//! from or emptied. A trashed record keeps its UID, so a future sync can tell "deleted" from
//! "never seen".

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::records::Table;
use super::{Result, StoreError, time};

/// A record in (or headed for) the trash, written `c12`, `i345`, `r7` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Contact(i64),
    Interaction(i64),
    Reminder(i64),
}

impl Item {
    pub fn table(self) -> Table {
        match self {
            Item::Contact(_) => Table::Contacts,
            Item::Interaction(_) => Table::Interactions,
            Item::Reminder(_) => Table::Reminders,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Item::Contact(id) | Item::Interaction(id) | Item::Reminder(id) => id,
        }
    }

    pub fn what(self) -> &'static str {
        match self {
            Item::Contact(_) => "contact",
            Item::Interaction(_) => "interaction",
            Item::Reminder(_) => "reminder",
        }
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let letter = match self {
            Item::Contact(_) => 'c',
            Item::Interaction(_) => 'i',
            Item::Reminder(_) => 'r',
        };
        write!(f, "{letter}{}", self.id())
    }
}

impl FromStr for Item {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let bad = || {
            format!("'{s}' is not a trash id; use the id `rolo trash list` shows, e.g. c12 or i345")
        };
        let (letter, number) = s.trim().split_at_checked(1).ok_or_else(bad)?;
        let id: i64 = number.parse().map_err(|_| bad())?;
        match letter {
            "c" => Ok(Item::Contact(id)),
            "i" => Ok(Item::Interaction(id)),
            "r" => Ok(Item::Reminder(id)),
            _ => Err(bad()),
        }
    }
}

impl Serialize for Item {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Moves a record to the trash. Returns false if it was already there.
pub fn trash(conn: &Connection, item: Item, now: DateTime<Utc>) -> Result<bool> {
    set_deleted(conn, item, Some(&time::to_text(now)), now)
}

/// Brings a record back. Returns false if it was not in the trash.
pub fn restore(conn: &Connection, item: Item, now: DateTime<Utc>) -> Result<bool> {
    set_deleted(conn, item, None, now)
}

fn set_deleted(
    conn: &Connection,
    item: Item,
    deleted_at: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let exists: bool = conn.query_row(
        &format!("SELECT count(*) FROM {} WHERE id = ?1", item.table().name()),
        [item.id()],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(StoreError::NotFound {
            what: item.what(),
            id: item.id(),
        });
    }
    let condition = if deleted_at.is_some() {
        "deleted_at IS NULL"
    } else {
        "deleted_at IS NOT NULL"
    };
    let changed = conn.execute(
        &format!(
            "UPDATE {} SET deleted_at = ?2, updated_at = ?3 WHERE id = ?1 AND {condition}",
            item.table().name()
        ),
        params![item.id(), deleted_at, time::to_text(now)],
    )?;
    Ok(changed > 0)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: Item,
    pub kind: &'static str,
    pub title: String,
    pub deleted_at: DateTime<Utc>,
}

/// Everything in the trash, most recently deleted first.
pub fn list(conn: &Connection) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT 'c', id, display_name, deleted_at FROM contacts WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'i', id, summary, deleted_at FROM interactions WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'r', id, title, deleted_at FROM reminders WHERE deleted_at IS NOT NULL
         ORDER BY 4 DESC, 1, 2",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get(2)?,
            row.get::<_, String>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (letter, id, title, deleted_at) = row?;
        let id = match letter.as_str() {
            "c" => Item::Contact(id),
            "i" => Item::Interaction(id),
            _ => Item::Reminder(id),
        };
        Ok(Entry {
            id,
            kind: id.what(),
            title,
            deleted_at: time::from_text(&deleted_at)?,
        })
    })
    .collect()
}

/// Deletes everything in the trash for good; returns how many records went. What a sync
/// server still holds leaves a tombstone (UID and deletion time) until the delete reaches it.
pub fn empty(conn: &Connection) -> Result<usize> {
    super::sync::keep_tombstones_of_trash(conn)?;
    let mut removed = 0;
    for table in ["reminders", "interactions", "contacts"] {
        removed += conn.execute(
            &format!("DELETE FROM {table} WHERE deleted_at IS NOT NULL"),
            [],
        )?;
    }
    Ok(removed)
}
