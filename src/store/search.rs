//! Full-text search over interactions (summary, body) and contacts (name, company, notes).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, time};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    Interaction,
    Contact,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub id: i64,
    /// The contact's name, or the interaction's summary.
    pub title: String,
    /// The matching passage with matches wrapped in `[` `]`.
    pub snippet: String,
    pub happened_at: Option<DateTime<Utc>>,
    /// bm25: lower is better.
    pub rank: f64,
}

/// Turns what a user typed into a safe FTS5 query: every word must match, the last one as
/// a prefix (so results follow typing). FTS operators typed by the user are taken literally.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '_')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    let (last, init) = words.split_last()?;
    let mut query = init.join(" ");
    if !query.is_empty() {
        query.push(' ');
    }
    query.push_str(last);
    query.push('*');
    Some(query)
}

/// The best `limit` hits for `input`, contacts and interactions interleaved by rank.
pub fn search(conn: &Connection, input: &str, limit: usize) -> Result<Vec<Hit>> {
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM (
            SELECT 'contact', c.id, c.display_name, snippet(contacts_fts, -1, '[', ']', '…', 12), NULL, contacts_fts.rank
              FROM contacts_fts JOIN contacts c ON c.id = contacts_fts.rowid
             WHERE contacts_fts MATCH ?1 AND c.deleted_at IS NULL
             ORDER BY contacts_fts.rank LIMIT ?2)
         UNION ALL
         SELECT * FROM (
            SELECT 'interaction', i.id, i.summary, snippet(interactions_fts, -1, '[', ']', '…', 12), i.happened_at, interactions_fts.rank
              FROM interactions_fts JOIN interactions i ON i.id = interactions_fts.rowid
             WHERE interactions_fts MATCH ?1 AND i.deleted_at IS NULL
             ORDER BY interactions_fts.rank LIMIT ?2)
         ORDER BY 6 LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![query, limit], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get::<_, Option<String>>(4)?,
            row.get(5)?,
        ))
    })?;
    rows.map(|row| {
        let (kind, id, title, snippet, happened_at, rank) = row?;
        Ok(Hit {
            kind: if kind == "contact" {
                HitKind::Contact
            } else {
                HitKind::Interaction
            },
            id,
            title,
            snippet,
            happened_at: time::opt(happened_at, time::from_text)?,
            rank,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("compilers").as_deref(), Some("\"compilers\"*"));
        assert_eq!(
            fts_query("talk about AND OR \"x").as_deref(),
            Some("\"talk\" \"about\" \"AND\" \"OR\" \"x\"*")
        );
        assert_eq!(fts_query("  -- ").as_deref(), None);
    }
}
