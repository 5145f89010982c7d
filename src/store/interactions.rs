//! Interactions, their participants and tags; the timeline queries.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::time;
use super::{Result, StoreError};
use crate::domain::contact::ContactId;
use crate::domain::interaction::{Interaction, InteractionDraft, InteractionId, Kind, Participant};

const COLUMNS: &str =
    "i.id, i.uid, i.happened_at, i.kind, i.summary, i.body, i.location, i.created_at, i.updated_at";

/// The one place an interactions row becomes an [`Interaction`] (participants and tags after).
fn from_row(row: &Row<'_>) -> Result<Interaction> {
    Ok(Interaction {
        id: InteractionId(row.get(0)?),
        uid: row.get(1)?,
        happened_at: time::from_text(&row.get::<_, String>(2)?)?,
        kind: Kind::parse(&row.get::<_, String>(3)?),
        summary: row.get(4)?,
        body: row.get(5)?,
        location: row.get(6)?,
        created_at: time::from_text(&row.get::<_, String>(7)?)?,
        updated_at: time::from_text(&row.get::<_, String>(8)?)?,
        participants: Vec::new(),
        tags: Vec::new(),
    })
}

pub fn insert(
    conn: &Connection,
    draft: &InteractionDraft,
    uid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<InteractionId> {
    let uid = uid.map_or_else(super::contacts::new_uid, str::to_owned);
    let happened_at = time::to_text(draft.happened_at);
    conn.prepare_cached(
        "INSERT INTO interactions (uid, happened_at, kind, summary, body, location, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![uid, happened_at, draft.kind.as_str(), draft.summary, draft.body, draft.location, time::to_text(now)])?;
    let id = InteractionId(conn.last_insert_rowid());
    let mut participant = conn.prepare_cached(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id, position, happened_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, contact) in (0i64..).zip(&draft.participants) {
        participant.execute(params![id.0, contact.0, position, happened_at])?;
    }
    let mut tag = conn.prepare_cached(
        "INSERT OR IGNORE INTO interaction_tags (interaction_id, tag) VALUES (?1, ?2)",
    )?;
    for t in &draft.tags {
        tag.execute(params![id.0, t])?;
    }
    Ok(id)
}

/// Changes the text of an interaction (the TUI's `$EDITOR` round trip).
pub fn update_text(
    conn: &Connection,
    id: InteractionId,
    summary: &str,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let changed = conn
        .prepare_cached(
            "UPDATE interactions SET summary = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
        )?
        .execute(params![id.0, summary, body, time::to_text(now)])?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "interaction",
            id: id.0,
        });
    }
    Ok(())
}

pub fn get(conn: &Connection, id: InteractionId) -> Result<Interaction> {
    let interaction = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM interactions i WHERE i.id = ?1"
        ))?
        .query_row([id.0], |row| Ok(from_row(row)))
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "interaction",
            id: id.0,
        })??;
    with_details(conn, interaction)
}

fn with_details(conn: &Connection, mut interaction: Interaction) -> Result<Interaction> {
    let mut people = conn.prepare_cached(
        "SELECT c.id, c.display_name FROM interaction_participants p JOIN contacts c ON c.id = p.contact_id
          WHERE p.interaction_id = ?1 ORDER BY p.position",
    )?;
    interaction.participants = people
        .query_map([interaction.id.0], |row| {
            Ok(Participant {
                id: ContactId(row.get(0)?),
                name: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut tags = conn.prepare_cached(
        "SELECT tag FROM interaction_tags WHERE interaction_id = ?1 ORDER BY tag",
    )?;
    interaction.tags = tags
        .query_map([interaction.id.0], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(interaction)
}

/// Where a timeline page starts: strictly older than this (time, id) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub happened_at: DateTime<Utc>,
    pub id: InteractionId,
}

impl Cursor {
    pub fn after(interaction: &Interaction) -> Cursor {
        Cursor {
            happened_at: interaction.happened_at,
            id: interaction.id,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct TimelineQuery {
    /// One person's timeline, or everyone's.
    pub contact: Option<ContactId>,
    /// Nothing older than this.
    pub since: Option<DateTime<Utc>>,
    /// Keyset pagination: the last row of the previous page.
    pub after: Option<Cursor>,
    pub limit: usize,
}

/// Live interactions newest first, one page at a time: an index walk whatever the journal size.
pub fn timeline(conn: &Connection, query: &TimelineQuery) -> Result<Vec<Interaction>> {
    let since = query.since.map(time::to_text);
    let (after_time, after_id) = query.after.map_or((None, None), |c| {
        (Some(time::to_text(c.happened_at)), Some(c.id.0))
    });
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    let rows: Vec<Interaction> = if let Some(contact) = query.contact {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
              WHERE p.contact_id = ?1 AND i.deleted_at IS NULL
                AND (?2 IS NULL OR p.happened_at >= ?2)
                AND (?3 IS NULL OR (p.happened_at, p.interaction_id) < (?3, ?4))
              ORDER BY p.happened_at DESC, p.interaction_id DESC LIMIT ?5"
        ))?;
        let rows = stmt.query_map(
            params![contact.0, since, after_time, after_id, limit],
            |row| Ok(from_row(row)),
        )?;
        rows.map(|r| r?).collect::<Result<_>>()?
    } else {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM interactions i
              WHERE i.deleted_at IS NULL
                AND (?1 IS NULL OR i.happened_at >= ?1)
                AND (?2 IS NULL OR (i.happened_at, i.id) < (?2, ?3))
              ORDER BY i.happened_at DESC, i.id DESC LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![since, after_time, after_id, limit], |row| {
            Ok(from_row(row))
        })?;
        rows.map(|r| r?).collect::<Result<_>>()?
    };
    rows.into_iter().map(|i| with_details(conn, i)).collect()
}

/// How many live interactions a contact has (for the card).
pub fn count_for(conn: &Connection, contact: ContactId) -> Result<u64> {
    let count: i64 = conn.prepare_cached(
        "SELECT count(*) FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
          WHERE p.contact_id = ?1 AND i.deleted_at IS NULL",
    )?
    .query_row([contact.0], |row| row.get(0))?;
    Ok(count.unsigned_abs())
}
