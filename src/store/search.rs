//! Full-text search over interactions (summary, body, tags) and contacts (name, company,
//! notes), ranked by relevance blended with recency (see `domain::ranking`).
//!
//! Bounded whatever the journal holds: FTS5 hands out matches in rowid order cheaply, so
//! notes are ranked among the newest [`WINDOW`] matches — never all of them, which for a
//! word in nearly every note would mean scoring a million rows. A last word typed in full
//! that already fills the window is not also expanded as a prefix (expanding a short, common
//! prefix means merging the lists of every word it starts).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, time};
use crate::domain::ranking::{self, Terms};

/// How many of the newest matching notes are ranked.
pub const WINDOW: usize = 1000;
/// A last word shorter than this is matched whole, not as a prefix: a one- or two-letter
/// prefix starts too many words to be worth expanding.
const SHORTEST_PREFIX: usize = 3;

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
    /// Whom an interaction was with (their names, in order); empty for a contact.
    pub with: Vec<String>,
    /// A contact's company; `None` for an interaction.
    pub company: Option<String>,
    /// The matching passage with matches wrapped in `[` `]`.
    pub snippet: String,
    /// When an interaction happened; when a contact was last in touch.
    pub happened_at: Option<DateTime<Utc>>,
    /// Relevance blended with recency: higher is better.
    pub score: f64,
}

/// A word as a safe FTS5 phrase (operators typed by the user are taken literally).
fn phrase(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

fn words(input: &str) -> Vec<&str> {
    input
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '_')
        .filter(|w| !w.is_empty())
        .collect()
}

/// Turns what a user typed into a safe FTS5 query: every word must match, the last one as
/// a prefix (so results follow typing). FTS operators typed by the user are taken literally.
pub fn fts_query(input: &str) -> Option<String> {
    let words = words(input);
    let (last, init) = words.split_last()?;
    let mut query: Vec<String> = init.iter().map(|w| phrase(w)).collect();
    query.push(format!("{}*", phrase(last)));
    Some(query.join(" "))
}

/// Every word whole.
fn fts_exact(input: &str) -> Option<String> {
    let words = words(input);
    (!words.is_empty()).then(|| {
        words
            .iter()
            .map(|w| phrase(w))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Whether the last word is long enough to be expanded as a prefix.
fn prefix_worth_it(input: &str) -> bool {
    words(input)
        .last()
        .is_some_and(|w| w.chars().count() >= SHORTEST_PREFIX)
}

/// The best `limit` hits for `input` at `now`, contacts and interactions together.
pub fn search(
    conn: &Connection,
    input: &str,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Vec<Hit>> {
    let Some(exact) = fts_exact(input) else {
        return Ok(Vec::new());
    };
    let mut hits = contacts(conn, input, limit, now)?;
    hits.extend(interactions(conn, input, &exact, limit, now)?);
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            // People first on a tie, then the newer.
            .then_with(|| (a.kind == HitKind::Interaction).cmp(&(b.kind == HitKind::Interaction)))
            .then_with(|| b.happened_at.cmp(&a.happened_at))
            .then_with(|| b.id.cmp(&a.id))
    });
    hits.truncate(limit);
    Ok(hits)
}

#[allow(clippy::cast_precision_loss)] // seconds of a human lifetime fit in 52 bits
fn age_days(at: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    (now - at).num_seconds() as f64 / 86_400.0
}

/// The best contacts: there are few enough to let FTS5 rank them all (bm25).
fn contacts(conn: &Connection, input: &str, limit: usize, now: DateTime<Utc>) -> Result<Vec<Hit>> {
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(CONTACTS_SQL)?;
    let rows = stmt.query_map(
        params![query, i64::try_from(limit).unwrap_or(i64::MAX)],
        |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, f64>(5)?,
            ))
        },
    )?;
    let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    // bm25 is negative, more negative is better.
    let best = rows.iter().map(|r| -r.5).fold(0.0, f64::max);
    rows.into_iter()
        .map(|(id, name, company, snippet, last, rank)| {
            let last = time::opt(last, time::from_text)?;
            Ok(Hit {
                kind: HitKind::Contact,
                id,
                title: name,
                with: Vec::new(),
                company,
                snippet,
                happened_at: last,
                score: ranking::blend(-rank, best, last.map(|t| age_days(t, now))),
            })
        })
        .collect()
}

const CONTACTS_SQL: &str =
    "SELECT c.id, c.display_name, c.company, snippet(contacts_fts, -1, '[', ']', '…', 12),
            c.last_interaction_at, contacts_fts.rank
       FROM contacts_fts JOIN contacts c ON c.id = contacts_fts.rowid
      WHERE contacts_fts MATCH ?1 AND c.deleted_at IS NULL
      ORDER BY contacts_fts.rank LIMIT ?2";

/// The newest matches of an FTS query, newest first (FTS5 walks its lists in rowid order;
/// rowids grow as notes are written).
const WINDOW_SQL: &str = "SELECT i.id, i.happened_at, i.summary, i.body, i.tags
       FROM interactions_fts JOIN interactions i ON i.id = interactions_fts.rowid
      WHERE interactions_fts MATCH ?1 AND i.deleted_at IS NULL
      ORDER BY interactions_fts.rowid DESC LIMIT ?2";

const SNIPPET_SQL: &str = "SELECT snippet(interactions_fts, -1, '[', ']', '…', 12)
       FROM interactions_fts WHERE interactions_fts MATCH ?1 AND rowid = ?2";

const WITH_SQL: &str = "SELECT c.display_name FROM interaction_participants p
       JOIN contacts c ON c.id = p.contact_id
      WHERE p.interaction_id = ?1 ORDER BY p.position";

struct Candidate {
    id: i64,
    happened_at: DateTime<Utc>,
    text: String,
}

fn window(conn: &Connection, query: &str) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare_cached(WINDOW_SQL)?;
    let rows = stmt.query_map(params![query, WINDOW as i64], |row| {
        let mut text: String = row.get(2)?;
        for column in [3, 4] {
            if let Some(more) = row
                .get_ref(column)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?
            {
                text.push('\n');
                text.push_str(more);
            }
        }
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, text))
    })?;
    rows.map(|row| {
        let (id, at, text) = row?;
        Ok(Candidate {
            id,
            happened_at: time::from_text(&at)?,
            text,
        })
    })
    .collect()
}

/// The best notes among the newest [`WINDOW`] matches, with who and a snippet.
fn interactions(
    conn: &Connection,
    input: &str,
    exact: &str,
    limit: usize,
    now: DateTime<Utc>,
) -> Result<Vec<Hit>> {
    let mut query = exact.to_owned();
    let mut candidates = window(conn, &query)?;
    let mut prefix = false;
    if candidates.len() < WINDOW
        && prefix_worth_it(input)
        && let Some(expanded) = fts_query(input)
    {
        query = expanded;
        candidates = window(conn, &query)?;
        prefix = true;
    }
    let terms = Terms::new(&words(input).join(" "), prefix);
    let texts: Vec<&str> = candidates.iter().map(|c| c.text.as_str()).collect();
    let relevance = ranking::bm25(&terms, &texts);
    let best = relevance.iter().copied().fold(0.0, f64::max);
    let mut scored: Vec<(f64, &Candidate)> = candidates
        .iter()
        .zip(&relevance)
        .map(|(c, &r)| {
            let score = ranking::blend(r, best, Some(age_days(c.happened_at, now)));
            (score, c)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.happened_at.cmp(&a.1.happened_at))
    });
    scored.truncate(limit);
    let mut snippet = conn.prepare_cached(SNIPPET_SQL)?;
    let mut with = conn.prepare_cached(WITH_SQL)?;
    scored
        .into_iter()
        .map(|(score, c)| {
            let people = with
                .query_map([c.id], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let title = c.text.lines().next().unwrap_or_default().to_owned();
            Ok(Hit {
                kind: HitKind::Interaction,
                id: c.id,
                title,
                with: people,
                company: None,
                snippet: snippet.query_row(params![query, c.id], |row| row.get(0))?,
                happened_at: Some(c.happened_at),
                score,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn user_text_becomes_a_safe_prefix_query() {
        assert_eq!(fts_query("compilers").as_deref(), Some("\"compilers\"*"));
        assert_eq!(
            fts_query("talk about AND OR \"x").as_deref(),
            Some("\"talk\" \"about\" \"AND\" \"OR\" \"x\"*")
        );
        assert_eq!(fts_query("  -- ").as_deref(), None);
        assert_eq!(
            fts_exact("talk about").as_deref(),
            Some("\"talk\" \"about\"")
        );
        assert!(!prefix_worth_it("lunch th"));
        assert!(prefix_worth_it("lunch the"));
    }

    fn plan(store: &Store, sql: &str) -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let mut rows = stmt.raw_query();
        let mut steps = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            steps.push(row.get::<_, String>(3).unwrap());
        }
        steps.join(" | ")
    }

    /// The window is FTS5's own walk, newest first and stopped at the window: no sort of
    /// every match. Snippets and people are looked up by id.
    #[test]
    fn search_queries_walk_indexes() {
        let store = Store::open_in_memory().unwrap();
        let window = plan(&store, WINDOW_SQL);
        assert!(window.contains("VIRTUAL TABLE INDEX"), "{window}");
        assert!(window.contains("INTEGER PRIMARY KEY"), "{window}");
        assert!(
            !window.contains("TEMP B-TREE"),
            "sorts every match: {window}"
        );
        let snippet = plan(&store, SNIPPET_SQL);
        assert!(snippet.contains("VIRTUAL TABLE INDEX"), "{snippet}");
        let with = plan(&store, WITH_SQL);
        assert!(with.contains("PRIMARY KEY"), "{with}");
        assert!(!with.contains("SCAN"), "{with}");
        let contacts = plan(&store, CONTACTS_SQL);
        assert!(contacts.contains("VIRTUAL TABLE INDEX"), "{contacts}");
        assert!(
            contacts.contains("SEARCH c USING INTEGER PRIMARY KEY"),
            "{contacts}"
        );
    }
}
