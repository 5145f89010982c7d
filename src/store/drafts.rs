//! Text being typed, saved as it is typed: the quick note survives a crash or `kill -9`.
//! A draft belongs to the session that writes it (its process id and a heartbeat), so two
//! windows never share one; a session that is gone leaves its draft to the next.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, time};
use crate::domain::reminder::ReminderId;

/// The quick-note box's draft, in journals and exports from before drafts had owners.
pub const QUICK_NOTE: &str = "quick-note";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// Byte offset of the cursor in `text`.
    pub cursor: usize,
    /// Logged from this reminder: saving the note completes it.
    pub reminder: Option<ReminderId>,
    /// Contacts to add when the note is saved.
    pub new_people: Vec<String>,
}

/// A draft's row: its name, and who holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub name: String,
    pub draft: Draft,
    pub owner_pid: Option<u32>,
    pub heartbeat_at: Option<DateTime<Utc>>,
}

/// Saves `draft` as `name`, held by process `owner`.
pub fn save(
    conn: &Connection,
    name: &str,
    draft: &Draft,
    owner: Option<u32>,
    now: DateTime<Utc>,
) -> Result<()> {
    let now = time::to_text(now);
    conn.prepare_cached(
        "INSERT INTO drafts (name, text, cursor, updated_at, owner_pid, heartbeat_at, reminder_id, new_people)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6, ?7)
         ON CONFLICT (name) DO UPDATE SET text = excluded.text, cursor = excluded.cursor,
            updated_at = excluded.updated_at, owner_pid = excluded.owner_pid,
            heartbeat_at = excluded.heartbeat_at, reminder_id = excluded.reminder_id,
            new_people = excluded.new_people",
    )?
    .execute(params![
        name,
        draft.text,
        i64::try_from(draft.cursor).unwrap_or(0),
        now,
        owner,
        draft.reminder.map(|r| r.0),
        draft.new_people.join("\n"),
    ])?;
    Ok(())
}

fn held(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Draft, Option<u32>, Option<String>)> {
    let new_people: String = row.get(6)?;
    Ok((
        row.get(0)?,
        Draft {
            text: row.get(1)?,
            cursor: usize::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
            reminder: row.get::<_, Option<i64>>(5)?.map(ReminderId),
            new_people: new_people
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        row.get(3)?,
        row.get(4)?,
    ))
}

const COLUMNS: &str = "name, text, cursor, owner_pid, heartbeat_at, reminder_id, new_people";

pub fn load(conn: &Connection, name: &str) -> Result<Option<Draft>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM drafts WHERE name = ?1"))?
        .query_row([name], held)
        .optional()?
        .map(|(_, draft, _, _)| draft))
}

/// Every draft with text, newest first, with who holds it.
pub fn all(conn: &Connection) -> Result<Vec<Held>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM drafts WHERE trim(text) <> '' ORDER BY updated_at DESC, name"
    ))?;
    let rows = stmt.query_map([], held)?;
    rows.map(|row| {
        let (name, draft, owner_pid, heartbeat) = row?;
        Ok(Held {
            name,
            draft,
            owner_pid,
            heartbeat_at: time::opt(heartbeat, time::from_text)?,
        })
    })
    .collect()
}

/// Moves the draft `from` to `to`, held by `owner` — only if it still has the holder it was
/// seen with (`was`), so two sessions starting at once cannot both take it. True if moved.
pub fn adopt(
    conn: &Connection,
    from: &str,
    was: Option<u32>,
    to: &str,
    owner: u32,
    now: DateTime<Utc>,
) -> Result<bool> {
    let moved = conn
        .prepare_cached(
            "UPDATE drafts SET name = ?3, owner_pid = ?4, heartbeat_at = ?5
              WHERE name = ?1 AND owner_pid IS ?2
                AND NOT EXISTS (SELECT 1 FROM drafts WHERE name = ?3)",
        )?
        .execute(params![from, was, to, owner, time::to_text(now)])?;
    Ok(moved > 0)
}

/// Says "still here" for a held draft.
pub fn heartbeat(conn: &Connection, name: &str, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE drafts SET heartbeat_at = ?2 WHERE name = ?1")?
        .execute(params![name, time::to_text(now)])?;
    Ok(())
}

/// Lets go of a draft (a clean exit): the next session may take it.
pub fn release(conn: &Connection, name: &str) -> Result<()> {
    conn.prepare_cached("UPDATE drafts SET owner_pid = NULL WHERE name = ?1")?
        .execute([name])?;
    Ok(())
}

pub fn clear(conn: &Connection, name: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM drafts WHERE name = ?1")?
        .execute([name])?;
    Ok(())
}
