//! Interactions, their participants and tags; the timeline queries.

use std::fmt::Write as _;

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
    let draft = &draft.cleaned();
    let uid = uid.map_or_else(super::contacts::new_uid, str::to_owned);
    let happened_at = time::to_text(draft.happened_at);
    conn.prepare_cached(
        "INSERT INTO interactions (uid, happened_at, kind, summary, body, location, tags, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        uid,
        happened_at,
        draft.kind.as_str(),
        draft.summary,
        draft.body,
        draft.location,
        tags_text(&draft.tags),
        time::to_text(now)
    ])?;
    let id = InteractionId(conn.last_insert_rowid());
    add_participants(conn, id.0, &draft.participants, &happened_at)?;
    add_tags(conn, id.0, &draft.tags)?;
    Ok(id)
}

/// What the derived `tags` column holds for these tags (see migration 0006): distinct, in
/// byte order, space-separated; `None` for none. Set on insert so that a new note is
/// indexed for search once, with its tags, instead of once more for each tag.
fn tags_text(tags: &[String]) -> Option<String> {
    let mut tags: Vec<&str> = tags.iter().map(String::as_str).collect();
    tags.sort_unstable();
    tags.dedup();
    (!tags.is_empty()).then(|| tags.join(" "))
}

fn add_participants(
    conn: &Connection,
    id: i64,
    people: &[ContactId],
    happened_at: &str,
) -> Result<()> {
    let mut participant = conn.prepare_cached(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id, position, happened_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, contact) in (0i64..).zip(people) {
        participant.execute(params![id, contact.0, position, happened_at])?;
    }
    Ok(())
}

fn add_tags(conn: &Connection, id: i64, tags: &[String]) -> Result<()> {
    let mut tag = conn.prepare_cached(
        "INSERT OR IGNORE INTO interaction_tags (interaction_id, tag) VALUES (?1, ?2)",
    )?;
    for t in tags {
        tag.execute(params![id, t])?;
    }
    Ok(())
}

/// Sets who took part, in order. The triggers keep everyone's last-interaction time.
pub(super) fn replace_participants(
    conn: &Connection,
    id: i64,
    people: &[i64],
    happened_at: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached("DELETE FROM interaction_participants WHERE interaction_id = ?1")?
        .execute([id])?;
    let people: Vec<ContactId> = people.iter().copied().map(ContactId).collect();
    add_participants(conn, id, &people, &time::to_text(happened_at))
}

pub(super) fn replace_tags(conn: &Connection, id: i64, tags: &[String]) -> Result<()> {
    conn.prepare_cached("DELETE FROM interaction_tags WHERE interaction_id = ?1")?
        .execute([id])?;
    add_tags(conn, id, tags)
}

/// Replaces what can be edited: when, kind, summary, body, location, people, tags.
pub fn update(
    conn: &Connection,
    id: InteractionId,
    draft: &InteractionDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let draft = &draft.cleaned();
    let changed = conn
        .prepare_cached(
            "UPDATE interactions SET happened_at = ?2, kind = ?3, summary = ?4, body = ?5, location = ?6,
                updated_at = ?7
             WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            time::to_text(draft.happened_at),
            draft.kind.as_str(),
            draft.summary,
            draft.body,
            draft.location,
            time::to_text(now)
        ])?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "interaction",
            id: id.0,
        });
    }
    let people: Vec<i64> = draft.participants.iter().map(|c| c.0).collect();
    replace_participants(conn, id.0, &people, draft.happened_at)?;
    replace_tags(conn, id.0, &draft.tags)
}

/// Changes the text of an interaction (the TUI's `$EDITOR` round trip).
pub fn update_text(
    conn: &Connection,
    id: InteractionId,
    summary: &str,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let summary = &crate::text::clean(summary);
    let body = body.map(crate::text::clean_note);
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

/// Whether some live note has kind `kind` (as stored), read from the kind index.
pub fn kind_in_use(conn: &Connection, kind: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM interactions INDEXED BY interactions_by_kind
              WHERE kind = ?1 AND deleted_at IS NULL LIMIT 1",
        )?
        .query_row([kind], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether interaction `id` is in the trash (false when there is no such interaction).
pub fn is_trashed(conn: &Connection, id: InteractionId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT deleted_at IS NOT NULL FROM interactions WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
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

#[derive(Debug, Clone, Default)]
pub struct TimelineQuery {
    /// One person's timeline, or everyone's.
    pub contact: Option<ContactId>,
    /// Only interactions of this kind (as stored: `milestone`, `meal`, …).
    pub kind: Option<String>,
    /// Only interactions with this tag.
    pub tag: Option<String>,
    /// Nothing older than this.
    pub since: Option<DateTime<Utc>>,
    /// Keyset pagination: the last row of the previous page.
    pub after: Option<Cursor>,
    pub limit: usize,
}

/// The timeline's SQL with only the constraints in use: a `(?n IS NULL OR …)` guard would
/// stop SQLite from seeking the index, turning a deep page into a walk from the top.
///
/// Everyone's timeline of one kind walks the kind index; one person's walks their
/// participations and checks kind and tag. Everyone's timeline of a tag either walks time
/// checking the tag (`walk_tag`: a common tag fills a page within a short walk) or reads the
/// tagged interactions from the tag index and orders them (a rare tag: walking time for it
/// would read the whole journal).
fn timeline_sql(query: &TimelineQuery, walk_tag: bool) -> String {
    let (from, time, id) = if query.contact.is_some() {
        (
            "interaction_participants p JOIN interactions i ON i.id = p.interaction_id",
            "p.happened_at",
            "p.interaction_id",
        )
    } else if query.kind.is_some() && (query.tag.is_none() || walk_tag) {
        (
            "interactions i INDEXED BY interactions_by_kind",
            "i.happened_at",
            "i.id",
        )
    } else {
        ("interactions i", "i.happened_at", "i.id")
    };
    let mut sql = format!("SELECT {COLUMNS} FROM {from} WHERE i.deleted_at IS NULL");
    if query.contact.is_some() {
        sql.push_str(" AND p.contact_id = :contact");
    }
    if query.kind.is_some() {
        sql.push_str(" AND i.kind = :kind");
    }
    if query.tag.is_some() && (walk_tag || query.contact.is_some()) {
        let _ = write!(
            sql,
            " AND EXISTS (SELECT 1 FROM interaction_tags t WHERE t.interaction_id = {id} AND t.tag = :tag)"
        );
    } else if query.tag.is_some() {
        let _ = write!(
            sql,
            " AND {id} IN (SELECT interaction_id FROM interaction_tags WHERE tag = :tag)"
        );
    }
    if query.since.is_some() {
        let _ = write!(sql, " AND {time} >= :since");
    }
    if query.after.is_some() {
        // (time, id) < (:at, :id), spelled so that the time bound is a seekable range.
        let _ = write!(sql, " AND {time} <= :at AND ({time} < :at OR {id} < :id)");
    }
    let _ = write!(sql, " ORDER BY {time} DESC, {id} DESC LIMIT :limit");
    sql
}

/// Whether everyone's timeline of `tag` should walk time (see [`timeline_sql`]): when the
/// expected walk to fill a page, `limit × interactions / tagged`, is shorter than reading
/// the tagged ones — that is, when `tagged² > limit × interactions`. The tagged ones are
/// counted only as far as that bound (a common tag would otherwise be counted whole, at
/// every keystroke of the TUI's timeline filter).
fn walk_for_tag(conn: &Connection, query: &TimelineQuery) -> Result<bool> {
    let Some(tag) = query.tag.as_deref().filter(|_| query.contact.is_none()) else {
        return Ok(false);
    };
    let all: i64 = conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM interactions")?
        .query_row([], |row| row.get(0))?;
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    let product = limit.saturating_mul(all);
    // The least count whose square exceeds `product`.
    let bound = product.isqrt() + 1;
    let tagged: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM interaction_tags WHERE tag = ?1 LIMIT ?2)",
        )?
        .query_row(params![tag, bound], |row| row.get(0))?;
    Ok(tagged > 0 && tagged.saturating_mul(tagged) > product)
}

/// Live interactions newest first, one page at a time: an index walk whatever the journal size.
pub fn timeline(conn: &Connection, query: &TimelineQuery) -> Result<Vec<Interaction>> {
    let sql = timeline_sql(query, walk_for_tag(conn, query)?);
    let mut stmt = conn.prepare_cached(&sql)?;
    let contact = query.contact.map(|c| c.0);
    let since = query.since.map(time::to_text);
    let at = query.after.map(|c| time::to_text(c.happened_at));
    let id = query.after.map(|c| c.id.0);
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
    if query.contact.is_some() {
        params.push((":contact", &contact));
    }
    if query.kind.is_some() {
        params.push((":kind", &query.kind));
    }
    if query.tag.is_some() {
        params.push((":tag", &query.tag));
    }
    if query.since.is_some() {
        params.push((":since", &since));
    }
    if query.after.is_some() {
        params.push((":at", &at));
        params.push((":id", &id));
    }
    let rows = stmt.query_map(params.as_slice(), |row| Ok(from_row(row)))?;
    let rows: Vec<Interaction> = rows.map(|r| r?).collect::<Result<_>>()?;
    rows.into_iter().map(|i| with_details(conn, i)).collect()
}

/// How many live interactions a contact has (for the card): all they took part in, counted
/// in the participants index, less those in the trash (a short list) — not a look-up of each
/// interaction.
pub fn count_for(conn: &Connection, contact: ContactId) -> Result<u64> {
    let count: i64 = conn
        .prepare_cached(COUNT_FOR_SQL)?
        .query_row([contact.0], |row| row.get(0))?;
    Ok(count.unsigned_abs())
}

const COUNT_FOR_SQL: &str =
    "SELECT (SELECT count(*) FROM interaction_participants WHERE contact_id = ?1)
      - (SELECT count(*) FROM interaction_participants p
          WHERE p.contact_id = ?1
            AND p.interaction_id IN (SELECT id FROM interactions WHERE deleted_at IS NOT NULL))";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn plan_of(store: &Store, sql: &str) -> String {
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

    /// A kind is a seek of the kind index (everyone's) or a check on one person's walk; a
    /// tag is a seek of the tag index; a card's count reads the participants index only.
    #[test]
    fn filtered_timelines_and_counts_seek_their_indexes() {
        let store = Store::open_in_memory().unwrap();
        let everyone_kind = TimelineQuery {
            kind: Some("milestone".into()),
            limit: 20,
            ..TimelineQuery::default()
        };
        let plan = plan_of(&store, &timeline_sql(&everyone_kind, false));
        assert!(plan.contains("interactions_by_kind (kind=?)"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
        let since_kind = TimelineQuery {
            since: Some(DateTime::UNIX_EPOCH),
            ..everyone_kind.clone()
        };
        let plan = plan_of(&store, &timeline_sql(&since_kind, false));
        assert!(plan.contains("kind=? AND happened_at>?"), "{plan}");
        for contact in [None, Some(ContactId(1))] {
            let tagged = TimelineQuery {
                contact,
                tag: Some("mentoring".into()),
                kind: Some("meal".into()),
                limit: 20,
                ..TimelineQuery::default()
            };
            for walk in [false, true] {
                let plan = plan_of(&store, &timeline_sql(&tagged, walk));
                assert!(
                    plan.contains("interaction_tags_by_tag (tag=?)")
                        || plan.contains("PRIMARY KEY (interaction_id=? AND tag=?)"),
                    "{plan}"
                );
                assert!(!plan.contains("SCAN i "), "{plan}");
                if walk || contact.is_some() {
                    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
                }
            }
        }
        let count = plan_of(
            &store,
            "SELECT (SELECT count(*) FROM interaction_tags WHERE tag = ?1),
                    (SELECT coalesce(max(id), 0) FROM interactions)",
        );
        assert!(
            count.contains("COVERING INDEX interaction_tags_by_tag"),
            "{count}"
        );
        let count = plan_of(&store, COUNT_FOR_SQL);
        assert!(
            count.contains("COVERING INDEX participants_by_contact (contact_id=?)"),
            "{count}"
        );
        assert!(count.contains("interactions_in_trash"), "{count}");
        assert!(
            !count.contains("SCAN i") && !count.contains("SCAN p"),
            "{count}"
        );
    }

    /// The plan of the SQL the store really runs, for every shape of timeline query.
    #[test]
    fn every_timeline_query_seeks_its_index() {
        let store = Store::open_in_memory().unwrap();
        let cursor = Cursor {
            happened_at: DateTime::UNIX_EPOCH,
            id: InteractionId(1),
        };
        for contact in [None, Some(ContactId(1))] {
            for since in [None, Some(DateTime::UNIX_EPOCH)] {
                for after in [None, Some(cursor)] {
                    let query = TimelineQuery {
                        contact,
                        since,
                        after,
                        limit: 50,
                        ..TimelineQuery::default()
                    };
                    let sql = timeline_sql(&query, false);
                    let mut stmt = store
                        .conn()
                        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                        .unwrap();
                    // Parameters stay unbound (NULL): the plan does not depend on their values.
                    let mut rows = stmt.raw_query();
                    let mut steps = Vec::new();
                    while let Some(row) = rows.next().unwrap() {
                        steps.push(row.get::<_, String>(3).unwrap());
                    }
                    let plan = steps.join(" | ");
                    let index = if contact.is_some() {
                        "participants_by_contact"
                    } else {
                        "interactions_by_time"
                    };
                    assert!(plan.contains(index), "{plan}\n{sql}");
                    assert!(!plan.contains("TEMP B-TREE"), "sorts: {plan}\n{sql}");
                    if after.is_some() || since.is_some() {
                        assert!(
                            plan.contains("happened_at<") || plan.contains("happened_at>"),
                            "no range seek: {plan}\n{sql}"
                        );
                    }
                }
            }
        }
    }
}
