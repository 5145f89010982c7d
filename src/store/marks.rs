//! Marks on contacts' recurring occasions (`agenda_marks`): a cadence put off, a birthday
//! acknowledged. See [`crate::domain::agenda::Mark`] for what they mean.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::Result;
use super::time;
use crate::domain::agenda::{Mark, Marks, Occasion};
use crate::domain::contact::ContactId;
use crate::domain::record::MarkRecord;

fn occasion(text: &str) -> Result<Occasion> {
    Occasion::parse(text)
        .ok_or_else(|| super::StoreError::Corrupt(format!("unknown occasion '{text}'")))
}

/// Every live contact's marks.
pub fn all(conn: &Connection) -> Result<Marks> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.contact_id, m.occasion, m.occurrence, m.until FROM agenda_marks m
           JOIN contacts c ON c.id = m.contact_id WHERE c.deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            ContactId(r.get(0)?),
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut marks = Marks::new();
    for row in rows {
        let (id, what, occurrence, until) = row?;
        marks.insert((id, occasion(&what)?), mark(&occurrence, until)?);
    }
    Ok(marks)
}

/// Every contact's keep-in-touch mark (what a contact's standing needs), trashed contacts'
/// included: callers look up the contacts they hold.
pub fn kept(conn: &Connection) -> Result<HashMap<ContactId, Mark>> {
    let mut stmt = conn.prepare_cached(
        "SELECT contact_id, occurrence, until FROM agenda_marks WHERE occasion = 'keep-in-touch'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            ContactId(r.get(0)?),
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (id, occurrence, until) = row?;
        Ok((id, mark(&occurrence, until)?))
    })
    .collect()
}

/// One contact's mark of `occasion`, if they have one.
pub fn get(conn: &Connection, contact: ContactId, occasion: Occasion) -> Result<Option<Mark>> {
    let mut stmt = conn.prepare_cached(
        "SELECT occurrence, until FROM agenda_marks WHERE contact_id = ?1 AND occasion = ?2",
    )?;
    let mut rows = stmt.query(params![contact.0, occasion.as_str()])?;
    match rows.next()? {
        Some(r) => Ok(Some(mark(&r.get::<_, String>(0)?, r.get(1)?)?)),
        None => Ok(None),
    }
}

fn mark(occurrence: &str, until: Option<String>) -> Result<Mark> {
    Ok(Mark {
        occurrence: time::date_from_text(occurrence)?,
        until: time::opt(until, time::date_from_text)?,
    })
}

/// Sets the mark of `contact`'s `occasion` (replacing an older one). The mark is part of
/// the contact's record, so the contact counts as changed `now`.
pub fn set(
    conn: &Connection,
    contact: ContactId,
    occasion: Occasion,
    mark: Mark,
    now: DateTime<Utc>,
) -> Result<()> {
    insert(conn, contact, occasion, mark)?;
    super::contacts::touch(conn, contact, now)
}

fn insert(conn: &Connection, contact: ContactId, occasion: Occasion, mark: Mark) -> Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO agenda_marks (contact_id, occasion, occurrence, until)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        contact.0,
        occasion.as_str(),
        time::date_to_text(mark.occurrence),
        mark.until.map(time::date_to_text)
    ])?;
    Ok(())
}

/// A contact's marks, as their record carries them.
pub fn of(conn: &Connection, contact: ContactId) -> Result<Vec<MarkRecord>> {
    let mut stmt = conn.prepare_cached(
        "SELECT occasion, occurrence, until FROM agenda_marks WHERE contact_id = ?1 ORDER BY occasion",
    )?;
    let rows = stmt.query_map([contact.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (occasion, occurrence, until) = row?;
        Ok(MarkRecord {
            occasion: self::occasion(&occasion)?,
            occurrence: time::date_from_text(&occurrence)?,
            until: time::opt(until, time::date_from_text)?,
        })
    })
    .collect()
}

/// Replaces a contact's marks with the record's.
pub fn replace(conn: &Connection, contact: ContactId, marks: &[MarkRecord]) -> Result<()> {
    conn.prepare_cached("DELETE FROM agenda_marks WHERE contact_id = ?1")?
        .execute([contact.0])?;
    for m in marks {
        let mark = Mark {
            occurrence: m.occurrence,
            until: m.until,
        };
        insert(conn, contact, m.occasion, mark)?;
    }
    Ok(())
}

/// Removes the mark of `contact`'s `occasion`; returns whether there was one.
pub fn remove(
    conn: &Connection,
    contact: ContactId,
    occasion: Occasion,
    now: DateTime<Utc>,
) -> Result<bool> {
    let removed = conn
        .prepare_cached("DELETE FROM agenda_marks WHERE contact_id = ?1 AND occasion = ?2")?
        .execute(params![contact.0, occasion.as_str()])?
        > 0;
    if removed {
        super::contacts::touch(conn, contact, now)?;
    }
    Ok(removed)
}
