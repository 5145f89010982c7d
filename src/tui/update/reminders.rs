//! Dealing with what is due, the same way for every row of the reminders pane and the
//! review: done (a reminder completed, a cadence kept, a birthday acknowledged), snooze,
//! dismiss, edit and trash.

use crossterm::event::{KeyCode, KeyEvent};

use super::navigation::selected_item;
use super::{Result, forms};
use crate::domain::agenda::{AgendaItem, ItemKind, day_heading};
use crate::domain::when::{self, Direction};
use crate::journal::agenda as journal_agenda;
use crate::journal::undo::Written;
use crate::store::trash::Item;
use crate::store::{Store, reminders};
use crate::tui::app::{App, Overlay, SNOOZE_PRESETS, SnoozePrompt};

/// The selected open row, or a word on why there is none to act on.
fn selected(app: &mut App) -> Option<AgendaItem> {
    let already = match &app.review {
        Some(review) => review
            .rows
            .get(review.scroll.selected)
            .and_then(|r| Some((r.handled.clone()?, r.row.item.title.clone()))),
        None => app
            .reminders
            .is_settled(app.reminders.scroll.selected)
            .map(|s| (s.what.clone(), s.item.title.clone())),
    };
    if let Some((what, title)) = already {
        app.info(format!("Already {what}: {title} — u to undo, or move on"));
        return None;
    }
    selected_item(app).cloned()
}

/// The selected row if it is a reminder; other rows get a word on what they offer.
fn selected_reminder(app: &mut App, verb: &str) -> Option<AgendaItem> {
    let item = selected(app)?;
    if let ItemKind::Reminder { .. } = item.kind {
        return Some(item);
    }
    app.info(format!(
        "Only reminders are {verb}: d marks this row done, s snoozes it, l logs a note"
    ));
    None
}

/// Shows what was done: the row stays in its place, marked (on the pane until the cursor
/// moves; in the review for good).
fn settle(app: &mut App, item: &AgendaItem, what: String) {
    match &mut app.review {
        Some(review) => review.handle(item.key, what),
        None => app.reminders.settle(what),
    }
}

/// The word a done row is marked with.
fn done_word(item: &AgendaItem) -> &'static str {
    match item.kind {
        ItemKind::Reminder { .. } => "done",
        ItemKind::StayInTouch { .. } => "in touch",
        ItemKind::Birthday { .. } | ItemKind::Anniversary { .. } => "acknowledged",
    }
}

fn finish(
    app: &mut App,
    store: &mut Store,
    item: &AgendaItem,
    what: String,
    written: Written<journal_agenda::Handled>,
) -> Result {
    if written.change.is_empty() {
        app.info(written.value.message);
        return Ok(());
    }
    settle(app, item, what);
    app.info(format!("{} (u to undo)", written.value.message));
    app.record(written.change);
    app.reload(store)?;
    Ok(())
}

pub(super) fn done(app: &mut App, store: &mut Store) -> Result {
    let Some(item) = selected(app) else {
        return Ok(());
    };
    let written = journal_agenda::done(store, &app.clock, &item)?;
    finish(app, store, &item, done_word(&item).to_owned(), written)
}

pub(super) fn dismiss(app: &mut App, store: &mut Store) -> Result {
    let Some(item) = selected_reminder(app, "dismissed") else {
        return Ok(());
    };
    let ItemKind::Reminder { id, .. } = item.kind else {
        return Ok(());
    };
    let written = crate::journal::reminders::dismiss(store, &app.clock, id)?;
    settle(app, &item, "dismissed".to_owned());
    app.info(format!("Dismissed: {} (u to undo)", item.title));
    app.record(written.change);
    app.reload(store)?;
    Ok(())
}

/// `e`: a reminder's form; for a cadence or a date, the form of the contact they belong to.
pub(super) fn edit(app: &mut App, store: &mut Store) -> Result {
    let Some(item) = selected(app) else {
        return Ok(());
    };
    match (item.kind, item.contact_id) {
        (ItemKind::Reminder { id, .. }, _) => {
            let reminder = reminders::get(store.conn(), id)?;
            forms::open_edit_reminder(app, &reminder);
        }
        (_, Some(contact)) => forms::edit_contact(app, store, contact)?,
        (_, None) => {}
    }
    Ok(())
}

pub(super) fn trash(app: &mut App) {
    if let Some(item) = selected_reminder(app, "trashed")
        && let ItemKind::Reminder { id, .. } = item.kind
    {
        forms::confirm_trash(app, Item::Reminder(id.0), &item.title);
    }
}

/// Opens the snooze prompt on the selected row.
pub(super) fn open_snooze(app: &mut App) {
    if let Some(item) = selected(app) {
        app.overlay = Some(Overlay::Snooze(SnoozePrompt {
            title: item.title.clone(),
            item,
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
    let date = match when::parse_date(&phrase, app.today, Direction::Future) {
        Ok(date) => date,
        Err(err) => {
            prompt.error = Some(err.to_string());
            return Ok(());
        }
    };
    let item = prompt.item.clone();
    match journal_agenda::snooze(store, &app.clock, &item, date) {
        Ok(written) => {
            app.overlay = None;
            let what = format!("snoozed to {}", day_heading(date));
            finish(app, store, &item, what, written)?;
        }
        Err(err) => {
            if let Some(Overlay::Snooze(prompt)) = &mut app.overlay {
                prompt.error = Some(format!("{err:#}"));
            }
        }
    }
    Ok(())
}
