//! The whole journal as portable [`Records`] and back: every table, trash and history included,
//! timestamps kept exactly. Derived data (last-interaction times, the search index) is not
//! in the document; the triggers rebuild it on restore.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::time::{self, opt};
use super::{Result, StoreError};
use crate::domain::contact::{ContactId, NameParts};
use crate::domain::record::{
    ContactRecord, DraftRecord, EventRecord, InteractionRecord, Records, ReminderRecord,
};

fn strings(conn: &Connection, sql: &str, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn date(text: Option<String>) -> Result<Option<chrono::NaiveDate>> {
    opt(text, time::date_from_text)
}

/// Reads every table into one document, each in UID order.
pub fn dump(conn: &Connection) -> Result<Records> {
    Ok(Records {
        contacts: dump_contacts(conn)?,
        interactions: dump_interactions(conn)?,
        reminders: dump_reminders(conn)?,
        drafts: dump_drafts(conn)?,
    })
}

fn dump_contacts(conn: &Connection) -> Result<Vec<ContactRecord>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.uid, c.display_name, c.name_family, c.name_given, c.name_additional, c.name_prefix, c.name_suffix,
                c.nickname, c.company, c.title, c.birthday, c.anniversary, c.met_text, c.met_date,
                (SELECT i.uid FROM contacts i WHERE i.id = c.met_introduced_by), c.notes, c.cadence, c.archived,
                c.vcard_extra, c.created_at, c.updated_at, c.deleted_at
           FROM contacts c ORDER BY c.uid",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let fields = super::contacts::fields_of(conn, ContactId(id))?;
        out.push(ContactRecord {
            uid: r.get(1)?,
            display_name: r.get(2)?,
            name: NameParts {
                family: r.get(3)?,
                given: r.get(4)?,
                additional: r.get(5)?,
                prefix: r.get(6)?,
                suffix: r.get(7)?,
            },
            nickname: r.get(8)?,
            company: r.get(9)?,
            title: r.get(10)?,
            fields,
            birthday: r.get(11)?,
            anniversary: r.get(12)?,
            met_text: r.get(13)?,
            met_date: date(r.get(14)?)?,
            introduced_by: r.get(15)?,
            notes: r.get(16)?,
            tags: strings(
                conn,
                "SELECT tag FROM contact_tags WHERE contact_id = ?1 ORDER BY tag",
                id,
            )?,
            cadence: r.get(17)?,
            archived: r.get(18)?,
            vcard_extra: r.get(19)?,
            created_at: time::from_text(&r.get::<_, String>(20)?)?,
            updated_at: time::from_text(&r.get::<_, String>(21)?)?,
            deleted_at: opt(r.get(22)?, time::from_text)?,
        });
    }
    Ok(out)
}

fn dump_interactions(conn: &Connection) -> Result<Vec<InteractionRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, uid, happened_at, kind, summary, body, location, created_at, updated_at, deleted_at
           FROM interactions ORDER BY uid",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.push(InteractionRecord {
            uid: r.get(1)?,
            happened_at: time::from_text(&r.get::<_, String>(2)?)?,
            kind: r.get(3)?,
            summary: r.get(4)?,
            body: r.get(5)?,
            location: r.get(6)?,
            participants: strings(
                conn,
                "SELECT c.uid FROM interaction_participants p JOIN contacts c ON c.id = p.contact_id WHERE p.interaction_id = ?1 ORDER BY p.position",
                id,
            )?,
            tags: strings(conn, "SELECT tag FROM interaction_tags WHERE interaction_id = ?1 ORDER BY tag", id)?,
            created_at: time::from_text(&r.get::<_, String>(7)?)?,
            updated_at: time::from_text(&r.get::<_, String>(8)?)?,
            deleted_at: opt(r.get(9)?, time::from_text)?,
        });
    }
    Ok(out)
}

fn dump_reminders(conn: &Connection) -> Result<Vec<ReminderRecord>> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.uid, r.title, c.uid, r.due_date, r.due_time, r.recurrence, r.status, r.snooze_count, r.source,
                i.uid, r.completed_at, r.created_at, r.updated_at, r.deleted_at
           FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id LEFT JOIN interactions i ON i.id = r.interaction_id
          ORDER BY r.uid",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let mut events_stmt = conn.prepare_cached("SELECT at, event, from_date, to_date FROM reminder_events WHERE reminder_id = ?1 ORDER BY id")?;
        let events = events_stmt
            .query_map([id], |e| {
                Ok((e.get::<_, String>(0)?, e.get(1)?, e.get(2)?, e.get(3)?))
            })?
            .map(|e| {
                let (at, event, from, to) = e?;
                Ok(EventRecord {
                    at: time::from_text(&at)?,
                    event,
                    from_date: date(from)?,
                    to_date: date(to)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(ReminderRecord {
            uid: r.get(1)?,
            title: r.get(2)?,
            contact: r.get(3)?,
            due_date: time::date_from_text(&r.get::<_, String>(4)?)?,
            due_time: r.get(5)?,
            recurrence: r.get(6)?,
            status: r.get(7)?,
            snooze_count: r.get(8)?,
            source: r.get(9)?,
            interaction: r.get(10)?,
            completed_at: opt(r.get(11)?, time::from_text)?,
            created_at: time::from_text(&r.get::<_, String>(12)?)?,
            updated_at: time::from_text(&r.get::<_, String>(13)?)?,
            deleted_at: opt(r.get(14)?, time::from_text)?,
            events,
        });
    }
    Ok(out)
}

fn dump_drafts(conn: &Connection) -> Result<Vec<DraftRecord>> {
    let mut stmt =
        conn.prepare("SELECT name, text, cursor, updated_at FROM drafts ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (name, text, cursor, updated_at) = row?;
        Ok(DraftRecord {
            name,
            text,
            cursor: cursor.unsigned_abs(),
            updated_at: time::from_text(&updated_at)?,
        })
    })
    .collect()
}

/// How many records of a table a restore added, and how many the journal already had.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Count {
    pub added: usize,
    pub already_there: usize,
}

/// What a restore did, per table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Restored {
    pub contacts: Count,
    pub interactions: Count,
    pub reminders: Count,
    pub drafts: Count,
}

/// What the schema's CHECKs do not catch: dates and cadences rolo must be able to read back.
fn validate(c: &ContactRecord) -> Result<()> {
    let bad = |what: &str, value: &str| {
        StoreError::Corrupt(format!("contact {}: {what} '{value}' is not valid", c.uid))
    };
    for (what, value) in [("birthday", &c.birthday), ("anniversary", &c.anniversary)] {
        if let Some(value) = value {
            time::partial_date_from_text(value).map_err(|_| bad(what, value))?;
        }
    }
    if let Some(cadence) = &c.cadence {
        cadence
            .parse::<crate::domain::when::Every>()
            .map_err(|_| bad("cadence", cadence))?;
    }
    if c.display_name.trim().is_empty() {
        return Err(bad("name", &c.display_name));
    }
    Ok(())
}

fn id_of(conn: &Connection, table: &str, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

fn missing(what: &str, uid: &str, by: &str) -> StoreError {
    StoreError::Corrupt(format!(
        "{by} names {what} {uid}, which is neither in the file nor in the journal"
    ))
}

/// Adds every record whose UID the journal does not have yet, exactly as it was.
pub fn restore(conn: &Connection, doc: &Records) -> Result<Restored> {
    let mut done = Restored::default();
    restore_contacts(conn, &doc.contacts, &mut done.contacts)?;
    restore_interactions(conn, &doc.interactions, &mut done.interactions)?;
    restore_reminders(conn, &doc.reminders, &mut done.reminders)?;
    restore_drafts(conn, &doc.drafts, &mut done.drafts)?;
    Ok(done)
}

fn text(at: chrono::DateTime<chrono::Utc>) -> String {
    time::to_text(at)
}

fn restore_contacts(conn: &Connection, contacts: &[ContactRecord], done: &mut Count) -> Result<()> {
    for c in contacts {
        validate(c)?;
        if id_of(conn, "contacts", &c.uid)?.is_some() {
            done.already_there += 1;
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO contacts (uid, display_name, name_family, name_given, name_additional, name_prefix, name_suffix,
                nickname, company, title, birthday, anniversary, met_text, met_date, notes, cadence, archived,
                vcard_extra, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        )?
        .execute(params![
            c.uid, c.display_name, c.name.family, c.name.given, c.name.additional, c.name.prefix, c.name.suffix,
            c.nickname, c.company, c.title, c.birthday, c.anniversary, c.met_text, c.met_date.map(time::date_to_text),
            c.notes, c.cadence, c.archived, c.vcard_extra, text(c.created_at), text(c.updated_at), c.deleted_at.map(text),
        ])?;
        let id = conn.last_insert_rowid();
        super::contacts::replace_fields(conn, ContactId(id), &c.fields)?;
        for tag in &c.tags {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)",
            )?
            .execute(params![id, tag])?;
        }
        done.added += 1;
    }
    // Introductions point at other contacts, which now all exist.
    for c in contacts.iter().filter(|c| c.introduced_by.is_some()) {
        if let Some(by) = &c.introduced_by {
            let by_id =
                id_of(conn, "contacts", by)?.ok_or_else(|| missing("contact", by, &c.uid))?;
            conn.prepare_cached("UPDATE contacts SET met_introduced_by = ?2 WHERE uid = ?1 AND met_introduced_by IS NULL")?.execute(params![c.uid, by_id])?;
        }
    }
    Ok(())
}

fn restore_interactions(
    conn: &Connection,
    interactions: &[InteractionRecord],
    done: &mut Count,
) -> Result<()> {
    for i in interactions {
        if id_of(conn, "interactions", &i.uid)?.is_some() {
            done.already_there += 1;
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO interactions (uid, happened_at, kind, summary, body, location, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![i.uid, text(i.happened_at), i.kind, i.summary, i.body, i.location, text(i.created_at), text(i.updated_at), i.deleted_at.map(text)])?;
        let id = conn.last_insert_rowid();
        for (position, uid) in (0i64..).zip(&i.participants) {
            let contact =
                id_of(conn, "contacts", uid)?.ok_or_else(|| missing("contact", uid, &i.uid))?;
            conn.prepare_cached("INSERT OR IGNORE INTO interaction_participants (interaction_id, contact_id, position, happened_at) VALUES (?1, ?2, ?3, ?4)")?
                .execute(params![id, contact, position, text(i.happened_at)])?;
        }
        for tag in &i.tags {
            conn.prepare_cached(
                "INSERT OR IGNORE INTO interaction_tags (interaction_id, tag) VALUES (?1, ?2)",
            )?
            .execute(params![id, tag])?;
        }
        done.added += 1;
    }
    Ok(())
}

fn restore_reminders(
    conn: &Connection,
    reminders: &[ReminderRecord],
    done: &mut Count,
) -> Result<()> {
    for r in reminders {
        if id_of(conn, "reminders", &r.uid)?.is_some() {
            done.already_there += 1;
            continue;
        }
        let contact = r
            .contact
            .as_deref()
            .map(|u| id_of(conn, "contacts", u)?.ok_or_else(|| missing("contact", u, &r.uid)))
            .transpose()?;
        let interaction = r
            .interaction
            .as_deref()
            .map(|u| {
                id_of(conn, "interactions", u)?.ok_or_else(|| missing("interaction", u, &r.uid))
            })
            .transpose()?;
        conn.prepare_cached(
            "INSERT INTO reminders (uid, title, contact_id, due_date, due_time, recurrence, status, snooze_count, source,
                interaction_id, completed_at, created_at, updated_at, deleted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            r.uid, r.title, contact, time::date_to_text(r.due_date), r.due_time, r.recurrence, r.status, r.snooze_count,
            r.source, interaction, r.completed_at.map(text), text(r.created_at), text(r.updated_at), r.deleted_at.map(text),
        ])?;
        let id = conn.last_insert_rowid();
        for e in &r.events {
            conn.prepare_cached("INSERT INTO reminder_events (reminder_id, at, event, from_date, to_date) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![id, text(e.at), e.event, e.from_date.map(time::date_to_text), e.to_date.map(time::date_to_text)])?;
        }
        done.added += 1;
    }
    Ok(())
}

fn restore_drafts(conn: &Connection, drafts: &[DraftRecord], done: &mut Count) -> Result<()> {
    for d in drafts {
        let added = conn
            .prepare_cached("INSERT OR IGNORE INTO drafts (name, text, cursor, updated_at) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![d.name, d.text, i64::try_from(d.cursor).unwrap_or(0), text(d.updated_at)])?;
        if added > 0 {
            done.added += 1;
        } else {
            done.already_there += 1;
        }
    }
    Ok(())
}
