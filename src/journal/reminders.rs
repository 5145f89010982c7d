//! Reminders: adding one (`rolo remind`), marking it done, snoozing, dismissing, editing,
//! reopening. Every write is tracked for undo.

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::capture;
use super::undo::{Written, tracked};
use crate::clock::Clock;
use crate::domain::contact::ContactId;
use crate::domain::reminder::{Reminder, ReminderDraft, ReminderId, Source};
use crate::domain::when::{self, Direction, Every};
use crate::store::Store;
use crate::store::records::Table;
use crate::store::reminders::{self, Done};

/// `r12` or `12`.
pub fn parse_id(text: &str) -> Result<ReminderId> {
    text.trim()
        .strip_prefix('r')
        .unwrap_or(text.trim())
        .parse()
        .map(ReminderId)
        .map_err(|_| anyhow!("'{text}' is not a reminder id; use the id agenda shows, e.g. r12"))
}

/// `rolo remind TEXT --on WHEN [--every D]`: TEXT may name people; the first is who it is for.
pub fn remind(
    store: &mut Store,
    clock: &Clock,
    text: &str,
    on: &str,
    every: Option<&str>,
) -> Result<Written<Reminder>> {
    let resolved = capture::resolve_in(store.conn(), text, clock)?;
    if resolved.capture.follow_up.is_some() || resolved.capture.at.is_some() {
        bail!("a reminder's date goes in --on, not in the text ('!' and '^' are for `rolo log`)");
    }
    let draft = ReminderDraft {
        title: resolved.summary.clone(),
        contact: resolved.people.first().copied(),
        due_date: when::parse_date(on, clock.today(), Direction::Future)?,
        due_time: None,
        recurrence: every.map(str::parse::<Every>).transpose()?,
        source: Source::Manual,
        interaction: None,
    };
    let now = clock.now;
    tracked(
        store,
        |r: &Reminder| format!("added reminder '{}'", r.title),
        |tx, t| {
            let id = reminders::insert(tx, &draft, None, now)?;
            t.created(tx, Table::Reminders, id.0)?;
            Ok(reminders::get(tx, id)?)
        },
    )
}

/// What `done` did: the reminder as it is now, and its next date if it recurs.
#[derive(Debug, Clone)]
pub struct Completed {
    pub reminder: Reminder,
    /// The due date before it was marked done.
    pub was_due: NaiveDate,
    pub outcome: Done,
}

pub fn done(store: &mut Store, clock: &Clock, id: ReminderId) -> Result<Written<Completed>> {
    let (today, now) = (clock.today(), clock.now);
    tracked(
        store,
        |c: &Completed| format!("marked '{}' done", c.reminder.title),
        |tx, t| {
            let before = reminders::get_open(tx, id)?;
            t.touch(tx, Table::Reminders, id.0)?;
            let outcome = reminders::done(tx, id, today, now)?;
            Ok(Completed {
                reminder: reminders::get(tx, id)?,
                was_due: before.due_date,
                outcome,
            })
        },
    )
}

/// Takes back the last `done` of a reminder (`rolo done --undo r4`): a completed one is open
/// again, a recurring one back on the date it was due — its anchor day kept, which an edit
/// of the date would reset.
pub fn undo_done(store: &mut Store, clock: &Clock, id: ReminderId) -> Result<Written<Reminder>> {
    let now = clock.now;
    tracked(
        store,
        |r: &Reminder| format!("took back done of '{}'", r.title),
        |tx, t| {
            let Some((was_due, snoozes)) = reminders::last_done(tx, id)? else {
                bail!(
                    "r{} was not marked done last (it was changed since, or is in the trash); rolo edit r{} --on DATE sets its date",
                    id.0,
                    id.0
                );
            };
            t.touch(tx, Table::Reminders, id.0)?;
            reminders::reopen(tx, id, was_due, now)?;
            reminders::set_snooze_count(tx, id, snoozes)?;
            Ok(reminders::get(tx, id)?)
        },
    )
}

/// Closes a reminder without doing it; it stays in the history as dismissed.
pub fn dismiss(store: &mut Store, clock: &Clock, id: ReminderId) -> Result<Written<Reminder>> {
    let now = clock.now;
    tracked(
        store,
        |r: &Reminder| format!("dismissed '{}'", r.title),
        |tx, t| {
            t.touch(tx, Table::Reminders, id.0)?;
            reminders::dismiss(tx, id, now)?;
            Ok(reminders::get(tx, id)?)
        },
    )
}

/// Puts a reminder off to the date `phrase` names (see [`snooze_to`]).
pub fn snooze(
    store: &mut Store,
    clock: &Clock,
    id: ReminderId,
    phrase: &str,
) -> Result<Written<Reminder>> {
    let date = when::parse_date(phrase, clock.today(), Direction::Future)?;
    snooze_to(store, clock, id, date)
}

/// Puts a reminder off to `date`. A snooze only ever moves a reminder later: to the same
/// date it changes nothing (and counts nothing); an earlier date is an edit, and is refused
/// with the command that does it.
pub fn snooze_to(
    store: &mut Store,
    clock: &Clock,
    id: ReminderId,
    date: NaiveDate,
) -> Result<Written<Reminder>> {
    let current = reminders::get_open(store.conn(), id)?;
    if date < clock.today() {
        bail!("{date} is in the past; snooze to a later date");
    }
    if date < current.due_date {
        bail!(
            "r{} is due {}; a snooze moves it later — to bring it forward: rolo edit r{} --on {date}",
            id.0,
            current.due_date,
            id.0
        );
    }
    let now = clock.now;
    tracked(
        store,
        |r: &Reminder| format!("snoozed '{}' to {}", r.title, r.due_date),
        |tx, t| {
            if date > current.due_date {
                t.touch(tx, Table::Reminders, id.0)?;
                reminders::snooze(tx, id, date, now)?;
            }
            Ok(reminders::get(tx, id)?)
        },
    )
}

/// What `rolo edit r3` may change; `None` leaves a part as it is.
#[derive(Debug, Clone, Default)]
pub struct ReminderEdit {
    pub title: Option<String>,
    pub due_date: Option<NaiveDate>,
    /// `Some(None)` stops it repeating.
    pub recurrence: Option<Option<Every>>,
    /// `Some(None)`: for nobody in particular.
    pub contact: Option<Option<ContactId>>,
    /// Open it again (if it was done or dismissed).
    pub reopen: bool,
}

pub fn edit(
    store: &mut Store,
    clock: &Clock,
    id: ReminderId,
    edit: &ReminderEdit,
) -> Result<Written<Reminder>> {
    if let Some(title) = &edit.title
        && title.trim().is_empty()
    {
        bail!("a reminder needs a title");
    }
    let now = clock.now;
    tracked(
        store,
        |r: &Reminder| format!("edited reminder '{}'", r.title),
        |tx, t| {
            if reminders::is_trashed(tx, id)? {
                bail!(
                    "r{} is in the trash; restore it first (rolo trash restore r{})",
                    id.0,
                    id.0
                );
            }
            let current = reminders::get(tx, id)?;
            t.touch(tx, Table::Reminders, id.0)?;
            let mut draft = ReminderDraft::from(&current);
            if let Some(title) = &edit.title {
                title.trim().clone_into(&mut draft.title);
            }
            if let Some(due) = edit.due_date {
                draft.due_date = due;
            }
            if let Some(recurrence) = edit.recurrence {
                draft.recurrence = recurrence;
            }
            if let Some(contact) = edit.contact {
                draft.contact = contact;
            }
            if draft != ReminderDraft::from(&current) {
                reminders::update(tx, id, &draft, now)?;
            }
            if edit.reopen && current.status != crate::domain::reminder::Status::Open {
                reminders::reopen(tx, id, draft.due_date, now)?;
            }
            Ok(reminders::get(tx, id)?)
        },
    )
}
