//! `rolo check`: is the journal sound? SQLite's own checks plus rolo's invariants: the
//! search indexes, the columns derived from others (an interaction's searchable tags,
//! participants' copy of their interaction's time, last-interaction times, name sort keys),
//! and the sync state (every
//! item it knows is a record here or a tombstone). `repair` rebuilds what is derived and
//! says what it changed; the records themselves are never touched.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;

/// The search indexes and what they index, as a person reads it.
const SEARCH_INDEXES: [(&str, &str); 2] =
    [("interactions_fts", "notes"), ("contacts_fts", "contacts")];

/// A participant row whose copy of the interaction's time differs from the interaction's.
const DRIFTED: &str = "EXISTS (SELECT 1 FROM interactions i
                         WHERE i.id = interaction_participants.interaction_id
                           AND i.happened_at IS NOT interaction_participants.happened_at)";
/// A contact's last interaction, as the tables say it is.
const LAST_MOMENT: &str = "(SELECT m.happened_at FROM contact_moments m
                             WHERE m.contact_id = contacts.id
                             ORDER BY m.happened_at DESC LIMIT 1)";

/// An interaction's tags as the derived `interactions.tags` column holds them (migration
/// 0006), for the interaction aliased `i`.
const TAGS_OF_I: &str = "(SELECT group_concat(tag, ' ') FROM (
        SELECT tag FROM interaction_tags t WHERE t.interaction_id = i.id ORDER BY tag))";

/// A sync item whose record is gone from this journal with no tombstone to carry the
/// delete to the server: the sync state and the tables disagree.
const ORPHANED: &str =
    "NOT EXISTS (SELECT 1 FROM contacts r WHERE s.kind = 'contacts' AND r.uid = s.uid)
      AND NOT EXISTS (SELECT 1 FROM interactions r WHERE s.kind = 'interactions' AND r.uid = s.uid)
      AND NOT EXISTS (SELECT 1 FROM reminders r WHERE s.kind = 'reminders' AND r.uid = s.uid)
      AND NOT EXISTS (SELECT 1 FROM sync_tombstones t WHERE t.kind = s.kind AND t.uid = s.uid)";

/// Problems found; empty means healthy.
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    match integrity_lines(conn, "PRAGMA integrity_check") {
        Ok(lines) => problems.extend(lines),
        Err(err) => {
            // A page so damaged that the check itself stops: find the tables it is in.
            let tables: Vec<String> = conn
                .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")?
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for table in tables {
                let pragma = format!("PRAGMA integrity_check(\"{}\")", table.replace('"', "\"\""));
                match integrity_lines(conn, &pragma) {
                    Ok(lines) => problems.extend(lines),
                    Err(e) => {
                        problems.push(format!("integrity: the table {table} cannot be read ({e})"));
                    }
                }
            }
            if problems.is_empty() {
                problems.push(format!("integrity: {err}"));
            }
        }
    }
    if let Err(err) = check_derived(conn, &mut problems) {
        // A damaged file may not even read: say what SQLite found, not only that.
        if problems.is_empty() {
            return Err(err);
        }
        problems.push(format!("the rest could not be checked: {err}"));
    }
    Ok(problems)
}

/// What an integrity-check pragma reports, as problems (nothing when it says "ok").
fn integrity_lines(conn: &Connection, pragma: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare(pragma)?
        .query_map([], |row| row.get::<_, String>(0))?
        .filter(|line| !matches!(line.as_deref(), Ok("ok")))
        .map(|line| line.map(|l| format!("integrity: {l}")))
        .collect()
}

/// rolo's own invariants, after SQLite's.
fn check_derived(conn: &Connection, problems: &mut Vec<String>) -> Result<()> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    for row in stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, Option<i64>>(1)?,
            row.get::<_, String>(2)?,
        ))
    })? {
        let (table, rowid, parent) = row?;
        problems.push(format!(
            "{table} row {} points to a missing {parent}",
            rowid.unwrap_or_default()
        ));
    }
    for (table, what) in SEARCH_INDEXES {
        if let Err(err) = search_index_sound(conn, table) {
            problems.push(format!(
                "the search index of {what} ({table}): {err} (fix: rolo check --repair)"
            ));
        }
    }
    let untagged: i64 = conn.query_row(
        &format!("SELECT count(*) FROM interactions i WHERE i.tags IS NOT {TAGS_OF_I}"),
        [],
        |row| row.get(0),
    )?;
    if untagged > 0 {
        problems.push(format!(
            "{untagged} interaction(s) whose searchable tags differ from their tags (fix: rolo check --repair)"
        ));
    }
    let drifted: i64 = conn.query_row(
        &format!("SELECT count(*) FROM interaction_participants WHERE {DRIFTED}"),
        [],
        |row| row.get(0),
    )?;
    if drifted > 0 {
        problems.push(format!(
            "{drifted} participant row(s) out of step with their interaction's time (fix: rolo check --repair)"
        ));
    }
    let stale: i64 = conn.query_row(
        &format!("SELECT count(*) FROM contacts WHERE last_interaction_at IS NOT {LAST_MOMENT}"),
        [],
        |row| row.get(0),
    )?;
    if stale > 0 {
        problems.push(format!(
            "{stale} contact(s) with a stale last-interaction time (fix: rolo check --repair)"
        ));
    }
    let orphans: i64 = conn.query_row(
        &format!("SELECT count(*) FROM sync_items s WHERE {ORPHANED}"),
        [],
        |row| row.get(0),
    )?;
    if orphans > 0 {
        problems.push(format!(
            "{orphans} record(s) the sync state knows are gone without a tombstone (fix: rolo check --repair)"
        ));
    }
    let unsorted = stale_sort_keys(conn)?.len();
    if unsorted > 0 {
        problems.push(format!(
            "{unsorted} contact(s) with a stale name sort key (fix: rolo check --repair)"
        ));
    }
    Ok(())
}

/// The FTS5 'integrity-check' command compares the index with the content table.
fn search_index_sound(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"),
        [],
    )
    .map(|_| ())
}

/// Contacts whose stored sort key is not their name's, with the key it should be.
fn stale_sort_keys(conn: &Connection) -> Result<Vec<(i64, Vec<u8>)>> {
    let mut stmt = conn.prepare("SELECT id, display_name, sort_key FROM contacts")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<Vec<u8>>>(2)?,
        ))
    })?;
    let mut stale = Vec::new();
    for row in rows {
        let (id, name, stored) = row?;
        let key = crate::text::sort_key(&name);
        if stored.as_deref() != Some(key.as_slice()) {
            stale.push((id, key));
        }
    }
    Ok(stale)
}

/// Rebuilds what is derived — the indexes if `problems` name one, searchable tags, the search indexes,
/// participants' times, last-interaction times, sort keys — and returns what it changed,
/// one line each. The records themselves are never touched.
pub fn repair(conn: &Connection, problems: &[String]) -> Result<Vec<String>> {
    let mut fixed = Vec::new();
    if problems
        .iter()
        .any(|p| p.starts_with("integrity: ") && p.contains("index"))
    {
        conn.execute_batch("REINDEX")?;
        fixed.push("rebuilt the tables' indexes (REINDEX)".to_owned());
    }
    // The tags before the search index, which indexes them. Two triggers are set aside
    // meanwhile and put back as the schema has them: the one that reindexes a changed row (a
    // damaged index refuses to delete what it lost; the notes' index is rebuilt whole after)
    // and the one that marks a changed note for sync (the derived column is not an edit the
    // server should hear of).
    let aside = ["interactions_fts_update", "sync_interaction_updated"];
    let mut schema = Vec::new();
    for name in aside {
        let sql: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                [name],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(sql) = sql {
            conn.execute_batch(&format!("DROP TRIGGER {name}"))?;
            schema.push(sql);
        }
    }
    let retagged = conn.execute(
        &format!("UPDATE interactions AS i SET tags = {TAGS_OF_I} WHERE i.tags IS NOT {TAGS_OF_I}"),
        [],
    )?;
    for sql in schema {
        conn.execute_batch(&sql)?;
    }
    if retagged > 0 {
        fixed.push(format!(
            "set the searchable tags of {retagged} interaction(s) to their tags"
        ));
    }
    for (table, what) in SEARCH_INDEXES {
        if (retagged > 0 && table == "interactions_fts") || search_index_sound(conn, table).is_err()
        {
            conn.execute(
                &format!("INSERT INTO {table} ({table}) VALUES ('rebuild')"),
                [],
            )?;
            fixed.push(format!("rebuilt the search index of {what} ({table})"));
        }
    }
    let n = conn.execute(
        &format!(
            "UPDATE interaction_participants SET happened_at =
                 (SELECT happened_at FROM interactions i
                   WHERE i.id = interaction_participants.interaction_id)
              WHERE {DRIFTED}"
        ),
        [],
    )?;
    if n > 0 {
        fixed.push(format!(
            "set {n} participant row(s) to their interaction's time"
        ));
    }
    let n = conn.execute(
        &format!(
            "UPDATE contacts SET last_interaction_at = {LAST_MOMENT}
              WHERE last_interaction_at IS NOT {LAST_MOMENT}"
        ),
        [],
    )?;
    if n > 0 {
        fixed.push(format!(
            "recomputed the last-interaction time of {n} contact(s)"
        ));
    }
    let n = conn.execute(&format!("DELETE FROM sync_items AS s WHERE {ORPHANED}"), [])?;
    if n > 0 {
        // Forgetting what the server has is what loses nothing: the next sync brings those
        // records back from it instead of deleting them there.
        fixed.push(format!(
            "forgot the sync state of {n} record(s) gone without a tombstone (the next sync brings them back)"
        ));
    }
    let stale = stale_sort_keys(conn)?;
    if !stale.is_empty() {
        let mut update = conn.prepare("UPDATE contacts SET sort_key = ?2 WHERE id = ?1")?;
        for (id, key) in &stale {
            update.execute(params![id, key])?;
        }
        fixed.push(format!(
            "recomputed the name sort key of {} contact(s)",
            stale.len()
        ));
    }
    Ok(fixed)
}
