//! Dealing with what is due: done, snooze, and taking back what was done (undo).

use crossterm::event::{KeyCode, KeyEvent};

use super::Result;
use super::navigation::selected_item;
use crate::domain::agenda::ItemKind;
use crate::domain::when::{self, Direction};
use crate::journal::{maintenance, reminders as journal_reminders};
use crate::store::Store;
use crate::store::reminders::Done;
use crate::tui::app::{App, Overlay, SNOOZE_PRESETS, SnoozePrompt, Undo};
use crate::tui::input::LineInput;

pub(super) fn done(app: &mut App, store: &mut Store) -> Result {
    let Some(item) = selected_item(app).cloned() else {
        return Ok(());
    };
    match item.kind {
        ItemKind::Reminder { id, .. } => {
            let completed = journal_reminders::done(store, &app.clock, id)?;
            app.undo.push(Undo::Completed {
                reminder: id,
                due: completed.was_due,
            });
            app.reload(store)?;
            match completed.outcome {
                Done::Completed => app.info(format!("Done: {} (u to undo)", item.title)),
                Done::Rescheduled(next) => {
                    app.info(format!("Done: {} — next on {next}", item.title));
                }
            }
        }
        ItemKind::StayInTouch { .. } => {
            app.info("Log an interaction with them (l) to reset the cadence");
        }
        ItemKind::Birthday { .. } | ItemKind::Anniversary { .. } => {
            app.info("Dates come back every year; nothing to mark done");
        }
    }
    Ok(())
}

/// Opens the snooze prompt on the selected reminder.
pub(super) fn open_snooze(app: &mut App) {
    let Some(item) = selected_item(app) else {
        return;
    };
    if let ItemKind::Reminder { id, .. } = item.kind {
        let title = item.title.clone();
        app.overlay = Some(Overlay::Snooze(SnoozePrompt {
            reminder: id,
            title,
            input: LineInput::default(),
            preset: 0,
            error: None,
        }));
    } else {
        app.info("Only reminders snooze; log an interaction (l) to reset a cadence");
    }
}

pub(super) fn snooze_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Snooze(prompt)) = &mut app.overlay else {
        return Ok(());
    };
    let phrase = match key.code {
        KeyCode::Esc => {
            app.overlay = None;
            return Ok(());
        }
        KeyCode::Down | KeyCode::Up => {
            let len = SNOOZE_PRESETS.len();
            prompt.preset = if key.code == KeyCode::Down {
                (prompt.preset + 1) % len
            } else {
                (prompt.preset + len - 1) % len
            };
            return Ok(());
        }
        KeyCode::Enter if prompt.input.text().trim().is_empty() => {
            SNOOZE_PRESETS[prompt.preset].0.to_owned()
        }
        KeyCode::Enter => prompt.input.text().to_owned(),
        _ => {
            prompt.input.handle(&key);
            prompt.error = None;
            return Ok(());
        }
    };
    let today = app.today;
    let date = match when::parse_date(&phrase, today, Direction::Future) {
        Ok(date) if date >= today => date,
        Ok(date) => {
            prompt.error = Some(format!("{date} is in the past"));
            return Ok(());
        }
        Err(err) => {
            prompt.error = Some(err.to_string());
            return Ok(());
        }
    };
    let id = prompt.reminder;
    let reminder = journal_reminders::snooze_to(store, &app.clock, id, date)?;
    app.overlay = None;
    app.reload(store)?;
    app.info(format!("Snoozed until {date}: {}", reminder.title));
    Ok(())
}

pub(super) fn undo(app: &mut App, store: &mut Store) -> Result {
    let Some(last) = app.undo.pop() else {
        app.info("Nothing to undo");
        return Ok(());
    };
    match last {
        Undo::Trashed(item) => {
            maintenance::restore(store, &app.clock, item)?;
            app.info("Restored from the trash");
        }
        Undo::Completed { reminder, due } => {
            journal_reminders::reopen(store, &app.clock, reminder, due)?;
            app.info("Reminder reopened");
        }
    }
    app.reload(store)?;
    Ok(())
}
