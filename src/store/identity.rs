//! The journal's own identity: a random id made when the journal was (schema v11), which
//! tells its exports from another journal's (see `journal::export::vcard_dir`).

use rusqlite::Connection;

use super::Result;

/// This journal's id (32 hex digits).
pub fn journal_id(conn: &Connection) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT id FROM journal_identity")?
        .query_row([], |row| row.get(0))?)
}
