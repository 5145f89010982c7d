//! The weekly review: the agenda of a week, each row with the reason it is there — who
//! (and where they work), what was promised and when, when you last talked and about what.
//! Both the TUI's review and `rolo review` show these.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::agenda as journal_agenda;
use crate::clock::Clock;
use crate::domain::agenda::{Agenda, AgendaItem, ItemKind};
use crate::domain::contact::ContactId;
use crate::store::{self, Store, instant_from_text};

/// An interaction, as a reason quotes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Said {
    /// Local date it happened.
    pub on: NaiveDate,
    pub summary: String,
}

/// Why a row is in the review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub company: Option<String>,
    /// The last interaction with them that counts as contact (milestones do not).
    pub last: Option<Said>,
    /// For a follow-up: the interaction where it was promised.
    pub promised: Option<Said>,
}

/// A row of the review: the agenda item and its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    #[serde(flatten)]
    pub item: AgendaItem,
    pub reason: Reason,
}

/// The week from `week_start` — the same days as `rolo agenda` and the reminders pane's
/// "This week" — overdue included, with reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub agenda: Agenda,
    pub rows: Vec<Row>,
}

fn said(conn: &Connection, clock: &Clock, sql: &str, id: i64) -> store::Result<Option<Said>> {
    let row: Option<(String, String)> = conn
        .prepare_cached(sql)?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(at, summary)| {
        let at: DateTime<Utc> = instant_from_text(&at)?;
        Ok(Said {
            on: clock.date_of(at),
            summary,
        })
    })
    .transpose()
}

/// The reason for one agenda item.
pub fn reason(conn: &Connection, clock: &Clock, item: &AgendaItem) -> store::Result<Reason> {
    let mut reason = Reason::default();
    if let Some(ContactId(id)) = item.contact_id {
        reason.company = conn
            .prepare_cached("SELECT company FROM contacts WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten();
        reason.last = said(
            conn,
            clock,
            "SELECT i.happened_at, i.summary FROM contact_moments m
               JOIN interactions i ON i.id = m.interaction_id
              WHERE m.contact_id = ?1 ORDER BY m.happened_at DESC LIMIT 1",
            id,
        )?;
    }
    if let ItemKind::Reminder { id, .. } = item.kind {
        reason.promised = said(
            conn,
            clock,
            "SELECT i.happened_at, i.summary FROM reminders r
               JOIN interactions i ON i.id = r.interaction_id
              WHERE r.id = ?1 AND i.deleted_at IS NULL",
            id.0,
        )?;
    }
    Ok(reason)
}

/// The review of the week starting `week_start`.
pub fn load(store: &Store, clock: &Clock, week_start: NaiveDate) -> store::Result<Review> {
    let agenda = journal_agenda::load(store, clock, week_start, journal_agenda::WINDOW_DAYS)?;
    let rows = agenda
        .items()
        .map(|item| {
            Ok(Row {
                item: item.clone(),
                reason: reason(store.conn(), clock, item)?,
            })
        })
        .collect::<store::Result<_>>()?;
    Ok(Review { agenda, rows })
}
