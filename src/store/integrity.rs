//! `rolo check`: is the journal sound? SQLite's own checks plus rolo's invariants.

use rusqlite::Connection;

use super::Result;

/// Problems found; empty means healthy.
pub fn check(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for line in stmt.query_map([], |row| row.get::<_, String>(0))? {
        let line = line?;
        if line != "ok" {
            problems.push(format!("integrity: {line}"));
        }
    }
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
    for table in ["interactions_fts", "contacts_fts"] {
        // The FTS5 'integrity-check' command compares the index with the content table.
        if let Err(err) = conn.execute(
            &format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"),
            [],
        ) {
            problems.push(format!(
                "search index {table}: {err} (fix: rolo check --repair)"
            ));
        }
    }
    let stale: i64 = conn.query_row(
        "SELECT count(*) FROM contacts c WHERE c.last_interaction_at IS NOT (
            SELECT m.happened_at FROM contact_moments m
             WHERE m.contact_id = c.id ORDER BY m.happened_at DESC LIMIT 1)",
        [],
        |row| row.get(0),
    )?;
    if stale > 0 {
        problems.push(format!(
            "{stale} contact(s) with a stale last-interaction time"
        ));
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
        "SELECT count(*) FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
          WHERE p.happened_at <> i.happened_at",
        [],
        |row| row.get(0),
    )?;
    if drifted > 0 {
        problems.push(format!(
            "{drifted} participant row(s) out of step with their interaction's time"
        ));
    }
    Ok(problems)
}

/// An interaction's tags as the derived `interactions.tags` column holds them (migration
/// 0006), for the interaction aliased `i`.
const TAGS_OF_I: &str = "(SELECT group_concat(tag, ' ') FROM (
        SELECT tag FROM interaction_tags t WHERE t.interaction_id = i.id ORDER BY tag))";

/// Rebuilds what is derived: the searchable tags, the search indexes and the
/// last-interaction times.
pub fn repair(conn: &Connection) -> Result<()> {
    // The tags first, then the search index rebuilt whole. The trigger that reindexes a
    // changed row is set aside meanwhile (a damaged index refuses to delete what it lost)
    // and put back as the schema has it.
    let reindex: String = conn.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'interactions_fts_update'",
        [],
        |row| row.get(0),
    )?;
    conn.execute_batch("DROP TRIGGER interactions_fts_update")?;
    conn.execute(
        &format!("UPDATE interactions AS i SET tags = {TAGS_OF_I} WHERE i.tags IS NOT {TAGS_OF_I}"),
        [],
    )?;
    conn.execute_batch(&reindex)?;
    conn.execute_batch(
        "INSERT INTO interactions_fts (interactions_fts) VALUES ('rebuild');
         INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');
         UPDATE interaction_participants SET happened_at =
             (SELECT happened_at FROM interactions i WHERE i.id = interaction_participants.interaction_id);
         UPDATE contacts SET last_interaction_at = (
             SELECT m.happened_at FROM contact_moments m
              WHERE m.contact_id = contacts.id ORDER BY m.happened_at DESC LIMIT 1);",
    )?;
    Ok(())
}
