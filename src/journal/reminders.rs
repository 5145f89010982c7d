//! Reminders: adding one (`rolo remind`), marking it done, snoozing it, reopening it.

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::capture;
use crate::clock::Clock;
use crate::domain::reminder::{Reminder, ReminderDraft, ReminderId, Source};
use crate::domain::when::{self, Direction, Every};
use crate::store::Store;
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
) -> Result<Reminder> {
    let resolved = capture::resolve(text, clock, &capture::names(store)?)?;
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
    let id = store.write(|tx| reminders::insert(tx, &draft, None, now))?;
    Ok(reminders::get(store.conn(), id)?)
}

/// What `done` did: the reminder as it is now, and its next date if it recurs.
#[derive(Debug, Clone)]
pub struct Completed {
    pub reminder: Reminder,
    /// The due date before it was marked done (what undo restores).
    pub was_due: NaiveDate,
    pub outcome: Done,
}

pub fn done(store: &mut Store, clock: &Clock, id: ReminderId) -> Result<Completed> {
    let (today, now) = (clock.today(), clock.now);
    let (was_due, outcome) = store.write(|tx| -> Result<_> {
        let before = reminders::get_open(tx, id)?;
        Ok((before.due_date, reminders::done(tx, id, today, now)?))
    })?;
    Ok(Completed {
        reminder: reminders::get(store.conn(), id)?,
        was_due,
        outcome,
    })
}

/// Puts a reminder off to the date `phrase` names.
pub fn snooze(store: &mut Store, clock: &Clock, id: ReminderId, phrase: &str) -> Result<Reminder> {
    let date = when::parse_date(phrase, clock.today(), Direction::Future)?;
    snooze_to(store, clock, id, date)
}

pub fn snooze_to(
    store: &mut Store,
    clock: &Clock,
    id: ReminderId,
    date: NaiveDate,
) -> Result<Reminder> {
    if date < clock.today() {
        bail!("{date} is in the past; snooze to a later date");
    }
    let now = clock.now;
    Ok(store.write(|tx| reminders::snooze(tx, id, date, now))?)
}

/// Reopens a reminder marked done, due `due` again (undo).
pub fn reopen(store: &mut Store, clock: &Clock, id: ReminderId, due: NaiveDate) -> Result<()> {
    let now = clock.now;
    Ok(store.write(|tx| reminders::reopen(tx, id, due, now))?)
}
