//! Upgrading the text of a journal written before rolo normalised it: every stored text
//! in NFC without control characters, and every contact's collation sort key filled. Runs
//! once, inside the migration that adds the sort key (a backup was taken before).

use rusqlite::{Connection, params};

use crate::text::{clean, clean_note, sort_key};

/// Rewrites `table.column` for every row where cleaning changes it.
fn clean_column(
    conn: &Connection,
    table: &str,
    key: &str,
    column: &str,
    note: bool,
) -> rusqlite::Result<()> {
    let rows: Vec<(rusqlite::types::Value, String)> = conn
        .prepare(&format!(
            "SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare(&format!(
        "UPDATE {table} SET {column} = ?2 WHERE {key} = ?1"
    ))?;
    for (id, text) in rows {
        let cleaned = if note {
            clean_note(&text)
        } else {
            clean(&text)
        };
        if cleaned != text {
            update.execute(params![id, cleaned])?;
        }
    }
    Ok(())
}

/// Rewrites the tags of `table` (keyed by `owner` and tag) that cleaning changes; where a
/// record already has the cleaned tag the two become one.
fn clean_tags(conn: &Connection, table: &str, owner: &str) -> rusqlite::Result<()> {
    let tags: Vec<String> = conn
        .prepare(&format!("SELECT DISTINCT tag FROM {table}"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for tag in tags {
        let cleaned = clean(&tag);
        if cleaned != tag {
            conn.execute(
                &format!("UPDATE OR IGNORE {table} SET tag = ?2 WHERE tag = ?1"),
                params![tag, cleaned],
            )?;
            conn.execute(&format!("DELETE FROM {table} WHERE tag = ?1"), [&tag])?;
        }
    }
    let _ = owner;
    Ok(())
}

pub(super) fn upgrade(conn: &Connection) -> rusqlite::Result<()> {
    for column in [
        "display_name",
        "name_family",
        "name_given",
        "name_additional",
        "name_prefix",
        "name_suffix",
        "nickname",
        "company",
        "title",
        "met_text",
    ] {
        clean_column(conn, "contacts", "id", column, column == "met_text")?;
    }
    clean_column(conn, "contacts", "id", "notes", true)?;
    clean_column(conn, "contact_fields", "id", "label", false)?;
    clean_column(conn, "interactions", "id", "summary", false)?;
    clean_column(conn, "interactions", "id", "body", true)?;
    clean_column(conn, "interactions", "id", "location", false)?;
    clean_column(conn, "reminders", "id", "title", false)?;
    // An address value is its parts as JSON: line breaks inside are `\n` escapes, so the
    // one-line rule leaves them alone.
    clean_column(conn, "contact_fields", "id", "value", false)?;
    clean_tags(conn, "contact_tags", "contact_id")?;
    clean_tags(conn, "interaction_tags", "interaction_id")?;
    let names: Vec<(i64, String)> = conn
        .prepare("SELECT id, display_name FROM contacts")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut set = conn.prepare("UPDATE contacts SET sort_key = ?2 WHERE id = ?1")?;
    for (id, name) in names {
        set.execute(params![id, sort_key(&name)])?;
    }
    Ok(())
}
