//! Dealing with what is due: done, dismiss, snooze, edit and trash a reminder.

use crossterm::event::{KeyCode, KeyEvent};

use super::navigation::selected_item;
use super::{Result, forms};
use crate::domain::agenda::ItemKind;
use crate::domain::reminder::ReminderId;
use crate::domain::when::{self, Direction};
use crate::journal::reminders as journal_reminders;
use crate::store::reminders::Done;
use crate::store::trash::Item;
use crate::store::{Store, reminders};
use crate::tui::app::{App, Overlay, SNOOZE_PRESETS, SnoozePrompt};

/// The selected row's reminder, or a word on why the row has none.
fn selected_reminder(app: &mut App) -> Option<(ReminderId, String)> {
    if app.review.is_none()
        && let Some(settled) = app.reminders.is_settled(app.reminders.scroll.selected)
    {
        let message = format!(
            "Already {}: {} — u to undo, or move on",
            settled.what, settled.item.title
        );
        app.info(message);
        return None;
    }
    let item = selected_item(app)?;
    match item.kind {
        ItemKind::Reminder { id, .. } => Some((id, item.title.clone())),
        ItemKind::StayInTouch { .. } => {
            app.info("A stay-in-touch row: log an interaction with them (l) to reset it");
            None
        }
        ItemKind::Birthday { .. } | ItemKind::Anniversary { .. } => {
            app.info("Dates come back every year; nothing to mark or change here");
            None
        }
    }
}

/// Keeps the row just dealt with in place on the reminders pane (not in the review).
fn settle(app: &mut App, what: &'static str) {
    if app.review.is_none() {
        app.reminders.settle(what);
    }
}

pub(super) fn done(app: &mut App, store: &mut Store) -> Result {
    let Some((id, title)) = selected_reminder(app) else {
        return Ok(());
    };
    let written = journal_reminders::done(store, &app.clock, id)?;
    settle(app, "done");
    match written.value.outcome {
        Done::Completed => app.info(format!("Done: {title} (u to undo)")),
        Done::Rescheduled(next) => app.info(format!("Done: {title} — next on {next} (u to undo)")),
    }
    app.record(written.change);
    app.reload(store)?;
    Ok(())
}

pub(super) fn dismiss(app: &mut App, store: &mut Store) -> Result {
    let Some((id, title)) = selected_reminder(app) else {
        return Ok(());
    };
    let written = journal_reminders::dismiss(store, &app.clock, id)?;
    settle(app, "dismissed");
    app.info(format!("Dismissed: {title} (u to undo)"));
    app.record(written.change);
    app.reload(store)?;
    Ok(())
}

pub(super) fn edit(app: &mut App, store: &mut Store) -> Result {
    if let Some((id, _)) = selected_reminder(app) {
        let reminder = reminders::get(store.conn(), id)?;
        forms::open_edit_reminder(app, &reminder);
    }
    Ok(())
}

pub(super) fn trash(app: &mut App) {
    if let Some((id, title)) = selected_reminder(app) {
        forms::confirm_trash(app, Item::Reminder(id.0), &title);
    }
}

/// Opens the snooze prompt on the selected reminder.
pub(super) fn open_snooze(app: &mut App) {
    if let Some((id, title)) = selected_reminder(app) {
        app.overlay = Some(Overlay::Snooze(SnoozePrompt {
            reminder: id,
            title,
            input: crate::tui::input::TextInput::default(),
            preset: 0,
            error: None,
        }));
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
        Ok(date) => date,
        Err(err) => {
            prompt.error = Some(err.to_string());
            return Ok(());
        }
    };
    let id = prompt.reminder;
    match journal_reminders::snooze_to(store, &app.clock, id, date) {
        Ok(written) => {
            app.overlay = None;
            if !written.change.is_empty() {
                settle(app, "snoozed");
            }
            if written.change.is_empty() {
                app.info(format!("Already due {date}; nothing changed"));
            } else {
                app.info(format!(
                    "Snoozed until {date}: {} (u to undo)",
                    written.value.title
                ));
            }
            app.record(written.change);
            app.reload(store)?;
        }
        Err(err) => {
            if let Some(Overlay::Snooze(prompt)) = &mut app.overlay {
                prompt.error = Some(format!("{err:#}"));
            }
        }
    }
    Ok(())
}
