//! Reminders and their history (snoozes, completions).

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::time::{self, opt};
use super::{Result, StoreError};
use crate::domain::contact::ContactId;
use crate::domain::interaction::InteractionId;
use crate::domain::reminder::{self, Reminder, ReminderDraft, ReminderId, Source, Status};
use crate::domain::when::Every;

const COLUMNS: &str = "r.id, r.uid, r.title, r.contact_id, c.display_name, r.due_date, r.due_time, r.recurrence, \
     r.status, r.snooze_count, r.source, r.interaction_id, r.completed_at, r.created_at, r.updated_at";

/// The one place a reminders row becomes a [`Reminder`].
fn from_row(row: &Row<'_>) -> Result<Reminder> {
    let corrupt = |what: &str, text: &str| StoreError::Corrupt(format!("{what} '{text}'"));
    let status: String = row.get(8)?;
    let source: String = row.get(10)?;
    Ok(Reminder {
        id: ReminderId(row.get(0)?),
        uid: row.get(1)?,
        title: row.get(2)?,
        contact: row.get::<_, Option<i64>>(3)?.map(ContactId),
        contact_name: row.get(4)?,
        due_date: time::date_from_text(&row.get::<_, String>(5)?)?,
        due_time: opt(row.get(6)?, |t| {
            NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| corrupt("time", t))
        })?,
        recurrence: opt(row.get(7)?, |t| {
            t.parse::<Every>().map_err(|_| corrupt("recurrence", t))
        })?,
        status: Status::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        snooze_count: row.get(9)?,
        source: Source::parse(&source).ok_or_else(|| corrupt("source", &source))?,
        interaction: row.get::<_, Option<i64>>(11)?.map(InteractionId),
        completed_at: opt(row.get(12)?, time::from_text)?,
        created_at: time::from_text(&row.get::<_, String>(13)?)?,
        updated_at: time::from_text(&row.get::<_, String>(14)?)?,
    })
}

pub fn insert(
    conn: &Connection,
    draft: &ReminderDraft,
    uid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ReminderId> {
    let draft = &draft.cleaned();
    let uid = uid.map_or_else(super::contacts::new_uid, str::to_owned);
    conn.prepare_cached(
        "INSERT INTO reminders (uid, title, contact_id, due_date, due_time, recurrence, source, interaction_id,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )?
    .execute(params![
        uid,
        draft.title,
        draft.contact.map(|c| c.0),
        time::date_to_text(draft.due_date),
        draft.due_time.map(|t| t.format("%H:%M").to_string()),
        draft.recurrence.map(|r| r.to_string()),
        draft.source.as_str(),
        draft.interaction.map(|i| i.0),
        time::to_text(now),
    ])?;
    Ok(ReminderId(conn.last_insert_rowid()))
}

/// Whether reminder `id` is in the trash (false when there is no such reminder).
pub fn is_trashed(conn: &Connection, id: ReminderId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT deleted_at IS NOT NULL FROM reminders WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

pub fn get(conn: &Connection, id: ReminderId) -> Result<Reminder> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id WHERE r.id = ?1"))?
        .query_row([id.0], |row| Ok(from_row(row)))
        .optional()?
        .ok_or(StoreError::NotFound { what: "reminder", id: id.0 })?
}

/// Open, live reminders due on or before `until` (all when `None`), soonest first. Reminders
/// of a trashed contact are hidden with it.
pub fn open(conn: &Connection, until: Option<NaiveDate>) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id
          WHERE r.status = 'open' AND r.deleted_at IS NULL AND (?1 IS NULL OR r.due_date <= ?1)
            AND (r.contact_id IS NULL OR c.deleted_at IS NULL)
          ORDER BY r.due_date, r.id"
    ))?;
    let rows = stmt.query_map([until.map(time::date_to_text)], |row| Ok(from_row(row)))?;
    rows.map(|r| r?).collect()
}

/// The SQL of [`open_between`] with only the bounds in use, so the date index is seeked.
fn between_sql(from: bool, until: bool) -> String {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id
          WHERE r.status = 'open' AND r.deleted_at IS NULL
            AND (r.contact_id IS NULL OR c.deleted_at IS NULL)"
    );
    if from {
        sql.push_str(" AND r.due_date >= :from");
    }
    if until {
        sql.push_str(" AND r.due_date <= :until");
    }
    sql.push_str(" ORDER BY r.due_date, r.id LIMIT :limit");
    sql
}

/// Open, live reminders due between `from` and `until` (either end open when `None`),
/// soonest first and on a day in the order they were made: the first `limit` of them, an
/// index walk however many there are.
pub fn open_between(
    conn: &Connection,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    limit: usize,
) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&between_sql(from.is_some(), until.is_some()))?;
    let from = from.map(time::date_to_text);
    let until = until.map(time::date_to_text);
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = vec![(":limit", &limit)];
    if from.is_some() {
        params.push((":from", &from));
    }
    if until.is_some() {
        params.push((":until", &until));
    }
    let rows = stmt.query_map(params.as_slice(), |row| Ok(from_row(row)))?;
    rows.map(|r| r?).collect()
}

const COUNTS_SQL: &str = "SELECT r.due_date, count(*) FROM reminders r
      WHERE r.status = 'open' AND r.deleted_at IS NULL AND r.due_date <= ?1
        AND (r.contact_id IS NULL
             OR r.contact_id NOT IN (SELECT id FROM contacts WHERE deleted_at IS NOT NULL))
      GROUP BY r.due_date";

/// [`COUNTS_SQL`] when no contact is in the trash (as almost always): then no reminder
/// belongs to a trashed contact, and thousands of rows need not be checked for it.
const COUNTS_NO_TRASH_SQL: &str = "SELECT r.due_date, count(*) FROM reminders r
      WHERE r.status = 'open' AND r.deleted_at IS NULL AND r.due_date <= ?1
      GROUP BY r.due_date";

/// Whether any contact is in the trash (a look at the trash index).
const ANY_TRASHED_SQL: &str = "SELECT EXISTS (SELECT 1 FROM contacts WHERE deleted_at IS NOT NULL)";

/// How many open, live reminders fall due on each date up to `until`: the agenda's counts,
/// read from the date index alone. (Call it inside a snapshot when the two reads must agree
/// with others: see `Store::snapshot`.)
pub fn open_counts(conn: &Connection, until: NaiveDate) -> Result<Vec<(NaiveDate, usize)>> {
    let trashed: bool = conn
        .prepare_cached(ANY_TRASHED_SQL)?
        .query_row([], |row| row.get(0))?;
    let mut stmt = conn.prepare_cached(if trashed {
        COUNTS_SQL
    } else {
        COUNTS_NO_TRASH_SQL
    })?;
    let rows = stmt.query_map([time::date_to_text(until)], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    rows.map(|row| {
        let (date, count) = row?;
        Ok((time::date_from_text(&date)?, count.unsigned_abs() as usize))
    })
    .collect()
}

/// One contact's open reminders, soonest first.
pub fn open_for_contact(conn: &Connection, contact: ContactId) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id
          WHERE r.contact_id = ?1 AND r.status = 'open' AND r.deleted_at IS NULL
          ORDER BY r.due_date, r.id"
    ))?;
    let rows = stmt.query_map([contact.0], |row| Ok(from_row(row)))?;
    rows.map(|r| r?).collect()
}

/// What marking a reminder done did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Completed,
    /// A recurring reminder moved to its next date and stays open.
    Rescheduled(NaiveDate),
}

fn record(
    conn: &Connection,
    id: ReminderId,
    event: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO reminder_events (reminder_id, at, event, from_date, to_date) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![id.0, time::to_text(now), event, from.map(time::date_to_text), to.map(time::date_to_text)])?;
    Ok(())
}

/// Whether the reminder exists, is open and is not in the trash.
pub fn is_open(conn: &Connection, id: ReminderId) -> Result<bool> {
    let is_open: Option<bool> = conn
        .prepare_cached(
            "SELECT status = 'open' AND deleted_at IS NULL FROM reminders WHERE id = ?1",
        )?
        .query_row([id.0], |row| row.get(0))
        .optional()?;
    Ok(is_open == Some(true))
}

/// The reminder if it is open and not in the trash; `NotFound` ("no open reminder") else.
pub fn get_open(conn: &Connection, id: ReminderId) -> Result<Reminder> {
    if !is_open(conn, id)? {
        return Err(StoreError::NotFound {
            what: "open reminder",
            id: id.0,
        });
    }
    get(conn, id)
}

/// Marks a reminder done; a recurring one rolls forward past `today` instead.
pub fn done(
    conn: &Connection,
    id: ReminderId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Done> {
    let r = get_open(conn, id)?;
    if let Some(every) = r.recurrence {
        let anchor = anchor_of(conn, id)?.unwrap_or(r.due_date);
        let next = reminder::next_occurrence(anchor, r.due_date, every, today);
        if next.year() > 9999 {
            return Err(StoreError::PastTheEnd {
                what: format!("the next date of r{}", id.0),
                hint: format!(
                    "end the repeat (rolo edit r{} --no-repeat) or dismiss it",
                    id.0
                ),
            });
        }
        record(conn, id, "done", Some(r.due_date), Some(next), now)?;
        conn.prepare_cached(
            "UPDATE reminders SET due_date = ?2, snooze_count = 0, updated_at = ?3, anchor_date = ?4 WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            time::date_to_text(next),
            time::to_text(now),
            time::date_to_text(anchor)
        ])?;
        return Ok(Done::Rescheduled(next));
    }
    record(conn, id, "done", Some(r.due_date), None, now)?;
    conn.prepare_cached(
        "UPDATE reminders SET status = 'done', completed_at = ?2, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id.0, time::to_text(now)])?;
    Ok(Done::Completed)
}

/// The anchor a recurring reminder's occurrences are counted from, once it has rolled
/// forward or been snoozed; `None` while its due date is the anchor.
pub fn anchor_of(conn: &Connection, id: ReminderId) -> Result<Option<NaiveDate>> {
    let text: Option<String> = conn
        .prepare_cached("SELECT anchor_date FROM reminders WHERE id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?
        .flatten();
    text.map(|t| time::date_from_text(&t)).transpose()
}

/// Puts a reminder off to `until`, counting and recording the snooze.
pub fn snooze(
    conn: &Connection,
    id: ReminderId,
    until: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Reminder> {
    let r = get_open(conn, id)?;
    record(conn, id, "snoozed", Some(r.due_date), Some(until), now)?;
    // A recurring series keeps its anchor through a snooze.
    conn.prepare_cached("UPDATE reminders SET due_date = ?2, snooze_count = snooze_count + 1, updated_at = ?3,
            anchor_date = CASE WHEN recurrence IS NULL THEN NULL ELSE COALESCE(anchor_date, due_date) END
         WHERE id = ?1")?
        .execute(params![id.0, time::date_to_text(until), time::to_text(now)])?;
    get(conn, id)
}

/// Closes a reminder without doing it: it stays in the history as dismissed.
pub fn dismiss(conn: &Connection, id: ReminderId, now: DateTime<Utc>) -> Result<()> {
    let r = get_open(conn, id)?;
    record(conn, id, "dismissed", Some(r.due_date), None, now)?;
    conn.prepare_cached(
        "UPDATE reminders SET status = 'dismissed', completed_at = ?2, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id.0, time::to_text(now)])?;
    Ok(())
}

/// Changes what a reminder says, when it is due, how it repeats and whom it is for.
pub fn update(
    conn: &Connection,
    id: ReminderId,
    draft: &ReminderDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let draft = &draft.cleaned();
    let changed = conn
        .prepare_cached(
            "UPDATE reminders SET title = ?2, contact_id = ?3, due_date = ?4, due_time = ?5, recurrence = ?6,
                updated_at = ?7,
                -- a date or repeat set by hand starts the series anew
                anchor_date = CASE WHEN due_date = ?4 AND recurrence IS ?6 THEN anchor_date ELSE NULL END
             WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            draft.title,
            draft.contact.map(|c| c.0),
            time::date_to_text(draft.due_date),
            draft.due_time.map(|t| t.format("%H:%M").to_string()),
            draft.recurrence.map(|r| r.to_string()),
            time::to_text(now)
        ])?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "reminder",
            id: id.0,
        });
    }
    Ok(())
}

/// Reopens a reminder that was marked done (the TUI's undo).
pub fn reopen(conn: &Connection, id: ReminderId, due: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    record(conn, id, "reopened", None, Some(due), now)?;
    conn.prepare_cached("UPDATE reminders SET status = 'open', completed_at = NULL, due_date = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id.0, time::date_to_text(due), time::to_text(now)])?;
    Ok(())
}

/// Sets how often the reminder's current occurrence was snoozed (a done taken back).
pub fn set_snooze_count(conn: &Connection, id: ReminderId, count: u32) -> Result<()> {
    conn.prepare_cached("UPDATE reminders SET snooze_count = ?2 WHERE id = ?1")?
        .execute(params![id.0, count])?;
    Ok(())
}

/// What a reminder was when it was last marked done — its due date and how often it had
/// been snoozed — if that is the last thing that happened to it: a snooze, an edit or the
/// trash since (each stamps the reminder later than the done) makes going back a guess.
pub fn last_done(conn: &Connection, id: ReminderId) -> Result<Option<(NaiveDate, u32)>> {
    // Untouched since: stamped at the done, not in the trash, and still where the done left
    // it (closed, or open on the next date) — the date check catches an edit within the
    // same second.
    let last: Option<(i64, String, Option<String>, bool)> = conn
        .prepare_cached(
            "SELECT e.id, e.event, e.from_date,
                    e.at = r.updated_at AND r.deleted_at IS NULL
                    AND CASE WHEN e.to_date IS NULL THEN r.status = 'done'
                             ELSE r.status = 'open' AND r.due_date = e.to_date END
               FROM reminder_events e JOIN reminders r ON r.id = e.reminder_id
              WHERE e.reminder_id = ?1 ORDER BY e.id DESC LIMIT 1",
        )?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((event_id, event, Some(from), untouched)) = last else {
        return Ok(None);
    };
    if event != "done" || !untouched {
        return Ok(None);
    }
    // The snoozes of the occurrence that was done: since the done or reopening before it.
    let snoozes: u32 = conn
        .prepare_cached(
            "SELECT count(*) FROM reminder_events
              WHERE reminder_id = ?1 AND event = 'snoozed' AND id < ?2
                AND id > coalesce((SELECT max(id) FROM reminder_events
                                    WHERE reminder_id = ?1 AND id < ?2 AND event IN ('done', 'reopened')), 0)",
        )?
        .query_row(params![id.0, event_id], |r| r.get(0))?;
    Ok(Some((time::date_from_text(&from)?, snoozes)))
}

/// Every reminder not in the trash, open or closed, in UID order (for calendar export).
pub fn all_live(conn: &Connection) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id
          WHERE r.deleted_at IS NULL AND (r.contact_id IS NULL OR c.deleted_at IS NULL)
          ORDER BY r.uid"
    ))?;
    let rows = stmt.query_map([], |row| Ok(from_row(row)))?;
    rows.map(|r| r?).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

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

    /// The agenda's rows are a walk of the date index (no sort of every open reminder), its
    /// counts a read of that index alone.
    #[test]
    fn agenda_queries_walk_the_date_index() {
        let store = Store::open_in_memory().unwrap();
        for (from, until) in [(false, true), (true, true), (true, false), (false, false)] {
            let sql = between_sql(from, until);
            let plan = plan(&store, &sql);
            assert!(plan.contains("reminders_open_by_due"), "{plan}\n{sql}");
            assert!(!plan.contains("TEMP B-TREE"), "sorts: {plan}\n{sql}");
            if from || until {
                assert!(plan.contains("due_date"), "no range seek: {plan}\n{sql}");
            }
        }
        for sql in [COUNTS_SQL, COUNTS_NO_TRASH_SQL] {
            let counts = plan(&store, sql);
            assert!(
                counts.contains("COVERING INDEX reminders_open_by_due"),
                "{counts}"
            );
            assert!(!counts.contains("TEMP B-TREE"), "{counts}");
        }
        let trashed = plan(&store, ANY_TRASHED_SQL);
        assert!(
            trashed.contains("COVERING INDEX contacts_in_trash"),
            "{trashed}"
        );
    }

    /// The counts leave out a trashed contact's reminders, whichever way they are read.
    #[test]
    fn counts_leave_out_the_trash() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.conn();
        conn.execute_batch(
            "INSERT INTO contacts (id, uid, display_name, created_at, updated_at)
               VALUES (1, 'a', 'Ada', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                      (2, 'b', 'Bo', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO reminders (uid, title, contact_id, due_date, source, created_at, updated_at)
               VALUES ('r1', 'x', 1, '2026-11-20', 'manual', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                      ('r2', 'y', 2, '2026-11-20', 'manual', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                      ('r3', 'z', NULL, '2026-11-21', 'manual', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
        let until = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(
            open_counts(conn, until).unwrap(),
            [(day(20), 2), (day(21), 1)]
        );
        conn.execute_batch("UPDATE contacts SET deleted_at = '2026-11-01T00:00:00Z' WHERE id = 2")
            .unwrap();
        assert_eq!(
            open_counts(conn, until).unwrap(),
            [(day(20), 1), (day(21), 1)]
        );
    }
}
