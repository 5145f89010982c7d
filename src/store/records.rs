//! Whole records by UID, as portable [`Records`]: every column, trash and history included,
//! timestamps exact, links by UID. One record at a time (undo, sync) or the whole journal
//! (the JSON export and its restore). Derived data — last-interaction times, the search
//! index — is not in a record; the triggers keep it as records are written.

use rusqlite::{Connection, OptionalExtension, Params, params};
use serde::Serialize;

use super::time::{self, opt};
use super::{Result, StoreError};
use crate::domain::contact::{ContactId, NameParts};
use crate::domain::record::{
    ContactRecord, DraftRecord, EventRecord, InteractionRecord, Records, ReminderRecord,
};

/// The tables that hold records, and the letter of their short ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Contacts,
    Interactions,
    Reminders,
}

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Contacts => "contacts",
            Table::Interactions => "interactions",
            Table::Reminders => "reminders",
        }
    }
}

/// The row id of the record with `uid`, trashed or not.
pub fn id_of(conn: &Connection, table: Table, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {} WHERE uid = ?1", table.name()))?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

/// The UID of the record with row id `id`.
pub fn uid_of(conn: &Connection, table: Table, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(&format!("SELECT uid FROM {} WHERE id = ?1", table.name()))?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

fn strings(conn: &Connection, sql: &str, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn date(text: Option<String>) -> Result<Option<chrono::NaiveDate>> {
    opt(text, time::date_from_text)
}

fn text(at: chrono::DateTime<chrono::Utc>) -> String {
    time::to_text(at)
}

// --- reading -----------------------------------------------------------------------------

fn contacts_where(conn: &Connection, filter: &str, p: impl Params) -> Result<Vec<ContactRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.uid, c.display_name, c.name_family, c.name_given, c.name_additional, c.name_prefix,
                c.name_suffix, c.nickname, c.company, c.title, c.birthday, c.anniversary, c.met_text, c.met_date,
                (SELECT i.uid FROM contacts i WHERE i.id = c.met_introduced_by), c.notes, c.cadence, c.archived,
                c.vcard_extra, c.created_at, c.updated_at, c.deleted_at
           FROM contacts c WHERE {filter}"
    ))?;
    let mut rows = stmt.query(p)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
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
            fields: super::contacts::fields_of(conn, ContactId(id))?,
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
            marks: super::marks::of(conn, ContactId(id))?,
        });
    }
    Ok(out)
}

fn interactions_where(
    conn: &Connection,
    filter: &str,
    p: impl Params,
) -> Result<Vec<InteractionRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, uid, happened_at, kind, summary, body, location, created_at, updated_at, deleted_at
           FROM interactions WHERE {filter}"
    ))?;
    let mut rows = stmt.query(p)?;
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
                "SELECT c.uid FROM interaction_participants p JOIN contacts c ON c.id = p.contact_id
                  WHERE p.interaction_id = ?1 ORDER BY p.position",
                id,
            )?,
            tags: strings(
                conn,
                "SELECT tag FROM interaction_tags WHERE interaction_id = ?1 ORDER BY tag",
                id,
            )?,
            created_at: time::from_text(&r.get::<_, String>(7)?)?,
            updated_at: time::from_text(&r.get::<_, String>(8)?)?,
            deleted_at: opt(r.get(9)?, time::from_text)?,
        });
    }
    Ok(out)
}

fn reminders_where(conn: &Connection, filter: &str, p: impl Params) -> Result<Vec<ReminderRecord>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.id, r.uid, r.title, c.uid, r.due_date, r.due_time, r.recurrence, r.status, r.snooze_count,
                r.source, i.uid, r.completed_at, r.created_at, r.updated_at, r.deleted_at, r.anchor_date
           FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id
                LEFT JOIN interactions i ON i.id = r.interaction_id
          WHERE {filter}"
    ))?;
    let mut rows = stmt.query(p)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        out.push(ReminderRecord {
            uid: r.get(1)?,
            title: r.get(2)?,
            contact: r.get(3)?,
            due_date: time::date_from_text(&r.get::<_, String>(4)?)?,
            due_time: r.get(5)?,
            recurrence: r.get(6)?,
            anchor_date: opt(r.get(15)?, time::date_from_text)?,
            status: r.get(7)?,
            snooze_count: r.get(8)?,
            source: r.get(9)?,
            interaction: r.get(10)?,
            completed_at: opt(r.get(11)?, time::from_text)?,
            created_at: time::from_text(&r.get::<_, String>(12)?)?,
            updated_at: time::from_text(&r.get::<_, String>(13)?)?,
            deleted_at: opt(r.get(14)?, time::from_text)?,
            events: events_of(conn, id)?,
        });
    }
    Ok(out)
}

fn events_of(conn: &Connection, id: i64) -> Result<Vec<EventRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, event, from_date, to_date FROM reminder_events WHERE reminder_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |e| {
        Ok((e.get::<_, String>(0)?, e.get(1)?, e.get(2)?, e.get(3)?))
    })?;
    rows.map(|e| {
        let (at, event, from, to) = e?;
        Ok(EventRecord {
            at: time::from_text(&at)?,
            event,
            from_date: date(from)?,
            to_date: date(to)?,
        })
    })
    .collect()
}

pub fn contact(conn: &Connection, uid: &str) -> Result<Option<ContactRecord>> {
    Ok(contacts_where(conn, "c.uid = ?1", [uid])?.pop())
}

pub fn interaction(conn: &Connection, uid: &str) -> Result<Option<InteractionRecord>> {
    Ok(interactions_where(conn, "uid = ?1", [uid])?.pop())
}

pub fn reminder(conn: &Connection, uid: &str) -> Result<Option<ReminderRecord>> {
    Ok(reminders_where(conn, "r.uid = ?1", [uid])?.pop())
}

fn drafts(conn: &Connection) -> Result<Vec<DraftRecord>> {
    let mut stmt = conn.prepare(
        "SELECT d.name, d.text, d.cursor, d.updated_at, r.uid, d.new_people
           FROM drafts d LEFT JOIN reminders r ON r.id = d.reminder_id ORDER BY d.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    rows.map(|row| {
        let (name, text, cursor, updated_at, reminder, new_people) = row?;
        Ok(DraftRecord {
            name,
            text,
            cursor: cursor.unsigned_abs(),
            updated_at: time::from_text(&updated_at)?,
            reminder,
            new_people: new_people.lines().map(str::to_owned).collect(),
        })
    })
    .collect()
}

/// Reads every table, each in UID order.
pub fn dump(conn: &Connection) -> Result<Records> {
    Ok(Records {
        contacts: contacts_where(conn, "1 ORDER BY c.uid", [])?,
        interactions: interactions_where(conn, "1 ORDER BY uid", [])?,
        reminders: reminders_where(conn, "1 ORDER BY r.uid", [])?,
        drafts: drafts(conn)?,
    })
}

// --- writing -----------------------------------------------------------------------------

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

fn missing(what: &str, uid: &str, by: &str) -> StoreError {
    StoreError::Corrupt(format!(
        "{by} names {what} {uid}, which is neither in the file nor in the journal"
    ))
}

fn contact_id(conn: &Connection, uid: &str, by: &str) -> Result<i64> {
    id_of(conn, Table::Contacts, uid)?.ok_or_else(|| missing("contact", uid, by))
}

/// Writes a contact as the record says: updated in place if its UID is here, else added
/// (with row id `id` when given and free). Returns the row id. Who introduced them must
/// already be in the journal; use [`restore`] for sets of records that name each other.
pub fn put_contact(conn: &Connection, c: &ContactRecord, id: Option<i64>) -> Result<i64> {
    let c = &c.cleaned();
    validate(c)?;
    let introduced_by = c
        .introduced_by
        .as_deref()
        .map(|uid| contact_id(conn, uid, &c.uid))
        .transpose()?;
    let existing = id_of(conn, Table::Contacts, &c.uid)?;
    let id = if let Some(id) = existing {
        conn.prepare_cached(
                "UPDATE contacts SET display_name = ?2, name_family = ?3, name_given = ?4, name_additional = ?5,
                    name_prefix = ?6, name_suffix = ?7, nickname = ?8, company = ?9, title = ?10, birthday = ?11,
                    anniversary = ?12, met_text = ?13, met_date = ?14, met_introduced_by = ?15, notes = ?16,
                    cadence = ?17, archived = ?18, vcard_extra = ?19, created_at = ?20, updated_at = ?21,
                    deleted_at = ?22
                 WHERE id = ?1",
            )?
            .execute(params![
                id, c.display_name, c.name.family, c.name.given, c.name.additional, c.name.prefix, c.name.suffix,
                c.nickname, c.company, c.title, c.birthday, c.anniversary, c.met_text,
                c.met_date.map(time::date_to_text), introduced_by, c.notes, c.cadence, c.archived, c.vcard_extra,
                text(c.created_at), text(c.updated_at), c.deleted_at.map(text),
            ])?;
        id
    } else {
        conn.prepare_cached(
                "INSERT INTO contacts (id, uid, display_name, name_family, name_given, name_additional, name_prefix,
                    name_suffix, nickname, company, title, birthday, anniversary, met_text, met_date,
                    met_introduced_by, notes, cadence, archived, vcard_extra, created_at, updated_at, deleted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                    ?21, ?22, ?23)",
            )?
            .execute(params![
                free_id(conn, Table::Contacts, id)?, c.uid, c.display_name, c.name.family, c.name.given,
                c.name.additional, c.name.prefix, c.name.suffix, c.nickname, c.company, c.title, c.birthday,
                c.anniversary, c.met_text, c.met_date.map(time::date_to_text), introduced_by, c.notes, c.cadence,
                c.archived, c.vcard_extra, text(c.created_at), text(c.updated_at), c.deleted_at.map(text),
            ])?;
        conn.last_insert_rowid()
    };
    super::contacts::set_sort_key(conn, ContactId(id), &c.display_name)?;
    super::contacts::replace_fields(conn, ContactId(id), &c.fields)?;
    super::contacts::replace_tags(conn, ContactId(id), &c.tags)?;
    super::marks::replace(conn, ContactId(id), &c.marks)?;
    Ok(id)
}

/// `id` if no row of `table` has it (so a record brought back keeps its short id); `None`
/// lets SQLite choose.
fn free_id(conn: &Connection, table: Table, id: Option<i64>) -> Result<Option<i64>> {
    let Some(id) = id else { return Ok(None) };
    let taken: bool = conn
        .prepare_cached(&format!(
            "SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?1)",
            table.name()
        ))?
        .query_row([id], |r| r.get(0))?;
    Ok((!taken).then_some(id))
}

/// Writes an interaction as the record says (see [`put_contact`]); its participants must be
/// in the journal.
pub fn put_interaction(conn: &Connection, i: &InteractionRecord, id: Option<i64>) -> Result<i64> {
    let i = &i.cleaned();
    let participants = i
        .participants
        .iter()
        .map(|uid| contact_id(conn, uid, &i.uid))
        .collect::<Result<Vec<_>>>()?;
    let id = if let Some(id) = id_of(conn, Table::Interactions, &i.uid)? {
        conn.prepare_cached(
                "UPDATE interactions SET happened_at = ?2, kind = ?3, summary = ?4, body = ?5, location = ?6,
                    created_at = ?7, updated_at = ?8, deleted_at = ?9
                 WHERE id = ?1",
            )?
            .execute(params![
                id, text(i.happened_at), i.kind, i.summary, i.body, i.location, text(i.created_at),
                text(i.updated_at), i.deleted_at.map(text),
            ])?;
        id
    } else {
        conn.prepare_cached(
                "INSERT INTO interactions (id, uid, happened_at, kind, summary, body, location, created_at,
                    updated_at, deleted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                free_id(conn, Table::Interactions, id)?, i.uid, text(i.happened_at), i.kind, i.summary, i.body,
                i.location, text(i.created_at), text(i.updated_at), i.deleted_at.map(text),
            ])?;
        conn.last_insert_rowid()
    };
    super::interactions::replace_participants(conn, id, &participants, i.happened_at)?;
    super::interactions::replace_tags(conn, id, &i.tags)?;
    Ok(id)
}

/// Writes a reminder as the record says (see [`put_contact`]), its history included.
pub fn put_reminder(conn: &Connection, r: &ReminderRecord, id: Option<i64>) -> Result<i64> {
    let r = &ReminderRecord {
        title: crate::text::clean(&r.title),
        ..r.clone()
    };
    let contact = r
        .contact
        .as_deref()
        .map(|u| contact_id(conn, u, &r.uid))
        .transpose()?;
    let interaction = r
        .interaction
        .as_deref()
        .map(|u| {
            id_of(conn, Table::Interactions, u)?.ok_or_else(|| missing("interaction", u, &r.uid))
        })
        .transpose()?;
    let id = if let Some(id) = id_of(conn, Table::Reminders, &r.uid)? {
        conn.prepare_cached(
                "UPDATE reminders SET title = ?2, contact_id = ?3, due_date = ?4, due_time = ?5, recurrence = ?6,
                    status = ?7, snooze_count = ?8, source = ?9, interaction_id = ?10, completed_at = ?11,
                    created_at = ?12, updated_at = ?13, deleted_at = ?14
                 WHERE id = ?1",
            )?
            .execute(params![
                id, r.title, contact, time::date_to_text(r.due_date), r.due_time, r.recurrence, r.status,
                r.snooze_count, r.source, interaction, r.completed_at.map(text), text(r.created_at),
                text(r.updated_at), r.deleted_at.map(text),
            ])?;
        conn.prepare_cached("DELETE FROM reminder_events WHERE reminder_id = ?1")?
            .execute([id])?;
        id
    } else {
        conn.prepare_cached(
                "INSERT INTO reminders (id, uid, title, contact_id, due_date, due_time, recurrence, status,
                    snooze_count, source, interaction_id, completed_at, created_at, updated_at, deleted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?
            .execute(params![
                free_id(conn, Table::Reminders, id)?, r.uid, r.title, contact, time::date_to_text(r.due_date),
                r.due_time, r.recurrence, r.status, r.snooze_count, r.source, interaction,
                r.completed_at.map(text), text(r.created_at), text(r.updated_at), r.deleted_at.map(text),
            ])?;
        conn.last_insert_rowid()
    };
    conn.prepare_cached("UPDATE reminders SET anchor_date = ?2 WHERE id = ?1")?
        .execute(params![id, r.anchor_date.map(time::date_to_text)])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO reminder_events (reminder_id, at, event, from_date, to_date) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in &r.events {
        insert.execute(params![
            id,
            text(e.at),
            e.event,
            e.from_date.map(time::date_to_text),
            e.to_date.map(time::date_to_text)
        ])?;
    }
    Ok(id)
}

/// Deletes a record for good (its fields, tags, participation and history with it).
pub fn delete(conn: &Connection, table: Table, uid: &str) -> Result<()> {
    conn.prepare_cached(&format!("DELETE FROM {} WHERE uid = ?1", table.name()))?
        .execute([uid])?;
    Ok(())
}

// --- restore -----------------------------------------------------------------------------

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

/// Adds every record whose UID the journal does not have yet, exactly as it was; records
/// already here are left as they are.
pub fn restore(conn: &Connection, doc: &Records) -> Result<Restored> {
    let mut done = Restored::default();
    let new_contacts: Vec<&ContactRecord> = doc
        .contacts
        .iter()
        .filter(|c| {
            id_of(conn, Table::Contacts, &c.uid)
                .ok()
                .flatten()
                .is_none()
        })
        .collect();
    done.contacts.already_there = doc.contacts.len() - new_contacts.len();
    // Introductions may point at contacts later in the file: add everyone first, then link.
    for c in &new_contacts {
        let unlinked = ContactRecord {
            introduced_by: None,
            ..(*c).clone()
        };
        put_contact(conn, &unlinked, None)?;
        done.contacts.added += 1;
    }
    for c in new_contacts.iter().filter(|c| c.introduced_by.is_some()) {
        if let Some(by) = &c.introduced_by {
            let by_id = contact_id(conn, by, &c.uid)?;
            conn.prepare_cached("UPDATE contacts SET met_introduced_by = ?2 WHERE uid = ?1")?
                .execute(params![c.uid, by_id])?;
        }
    }
    for i in &doc.interactions {
        if id_of(conn, Table::Interactions, &i.uid)?.is_some() {
            done.interactions.already_there += 1;
        } else {
            put_interaction(conn, i, None)?;
            done.interactions.added += 1;
        }
    }
    for r in &doc.reminders {
        if id_of(conn, Table::Reminders, &r.uid)?.is_some() {
            done.reminders.already_there += 1;
        } else {
            put_reminder(conn, r, None)?;
            done.reminders.added += 1;
        }
    }
    for d in &doc.drafts {
        let reminder = d
            .reminder
            .as_deref()
            .map(|uid| id_of(conn, Table::Reminders, uid))
            .transpose()?
            .flatten();
        let added = conn
            .prepare_cached(
                "INSERT OR IGNORE INTO drafts (name, text, cursor, updated_at, reminder_id, new_people)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                d.name,
                d.text,
                i64::try_from(d.cursor).unwrap_or(0),
                text(d.updated_at),
                reminder,
                d.new_people.join("\n"),
            ])?;
        if added > 0 {
            done.drafts.added += 1;
        } else {
            done.drafts.already_there += 1;
        }
    }
    Ok(done)
}
