//! Text being typed, saved as it is typed: the quick note survives a crash or `kill -9`.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, time};

/// The quick-note box's draft.
pub const QUICK_NOTE: &str = "quick-note";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub text: String,
    /// Byte offset of the cursor in `text`.
    pub cursor: usize,
}

pub fn save(conn: &Connection, name: &str, draft: &Draft, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO drafts (name, text, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET text = excluded.text, cursor = excluded.cursor, updated_at = excluded.updated_at",
    )?
    .execute(params![name, draft.text, i64::try_from(draft.cursor).unwrap_or(0), time::to_text(now)])?;
    Ok(())
}

pub fn load(conn: &Connection, name: &str) -> Result<Option<Draft>> {
    Ok(conn
        .prepare_cached("SELECT text, cursor FROM drafts WHERE name = ?1")?
        .query_row([name], |row| {
            Ok(Draft {
                text: row.get(0)?,
                cursor: usize::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
            })
        })
        .optional()?)
}

pub fn clear(conn: &Connection, name: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM drafts WHERE name = ?1")?
        .execute([name])?;
    Ok(())
}
