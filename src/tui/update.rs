//! `update`: the only code that changes the TUI's state or calls the journal. Keys become
//! actions through the keymap (text boxes take their keys directly); errors become a
//! status-bar message, never a crash. This file routes; each concern has a file in `update/`.

mod forms;
mod history;
mod import;
pub use import::summary as import_summary;
mod mouse;
mod navigation;
mod quick_note;
mod reminders;
mod search;

use chrono::{DateTime, Days, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent};

pub use self::quick_note::restore_draft;
use super::action::Action;
use super::app::{App, Focus, Overlay, SyncState};
use super::keymap::Key;
use crate::store::Store;
use crate::store::contacts::Sort;
use crate::store::trash::Item;

/// Something that happened, for `update` to act on.
#[derive(Debug, Clone)]
pub enum Msg {
    Action(Action),
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The clock moved on; also the moment to notice outside writes and save the draft.
    Tick(DateTime<Utc>),
    Resize(u16, u16),
    /// Text pasted (bracketed paste, or a burst of keys too fast to be typed): always text,
    /// never keys.
    Paste(String),
    /// A sync run in the background ended: what it did, or why it failed.
    Synced(std::result::Result<crate::journal::sync::Report, String>),
}

type Result<T = ()> = anyhow::Result<T>;

/// Applies `msg`. Errors end up in the status bar.
#[allow(clippy::needless_pass_by_value)] // a message is handed over, like an event
pub fn update(app: &mut App, store: &mut Store, msg: Msg) {
    let result = match msg {
        Msg::Action(action) => perform(app, store, action),
        Msg::Key(key) => on_key(app, store, key),
        Msg::Mouse(mouse) => mouse::on_mouse(app, store, mouse),
        Msg::Tick(now) => on_tick(app, store, now),
        Msg::Resize(width, height) => {
            app.size = (width, height);
            follow_all(app);
            Ok(())
        }
        Msg::Paste(text) => on_paste(app, store, &text),
        Msg::Synced(outcome) => on_synced(app, store, outcome),
    };
    if let Err(err) = result {
        app.error(format!("{err:#}"));
    }
}

/// `S`: asks the event loop to sync on a thread of its own (the TUI keeps answering); says
/// how to set sync up when it is not.
fn request_sync(app: &mut App, store: &Store) -> Result {
    if app.sync != SyncState::Idle {
        app.info("Already syncing…");
        return Ok(());
    }
    if store.path().is_none() {
        app.info("Sync needs a journal file");
        return Ok(());
    }
    if !crate::journal::sync::brief(store)?.configured {
        app.info("Sync is not set up: rolo sync setup URL --user NAME (see rolo man sync)");
        return Ok(());
    }
    app.sync = SyncState::Requested;
    app.info("Syncing…");
    Ok(())
}

fn on_synced(
    app: &mut App,
    store: &mut Store,
    outcome: std::result::Result<crate::journal::sync::Report, String>,
) -> Result {
    app.sync = SyncState::Idle;
    app.reload(store)?;
    match outcome {
        Ok(report) => {
            let conflicts = report.conflicts();
            let mut text = format!("Synced: {}", crate::text::plural(report.writes(), "change"));
            if conflicts > 0 {
                text = format!(
                    "{text}, {} (rolo sync conflicts)",
                    crate::text::plural(conflicts, "conflict")
                );
            }
            app.info(text);
        }
        Err(err) => app.error(format!("Sync failed: {err}")),
    }
    Ok(())
}

fn follow_all(app: &mut App) {
    let height = app.list_height();
    app.contacts
        .scroll
        .follow(app.contacts.visible.len(), height);
    app.timeline.scroll.follow(app.timeline.rows.len(), height);
    app.reminders
        .scroll
        .follow(app.reminders.items.len(), height);
}

/// How often a window with a draft says it is still here.
const HEARTBEAT_SECONDS: i64 = 5;

fn on_tick(app: &mut App, store: &mut Store, now: DateTime<Utc>) -> Result {
    let heartbeat_due = (now - app.clock.now).num_seconds() >= HEARTBEAT_SECONDS
        || now.timestamp() / HEARTBEAT_SECONDS != app.clock.now.timestamp() / HEARTBEAT_SECONDS;
    app.clock = app.clock.at(now);
    let today = app.clock.today();
    let outside_write = store.data_version()? != app.data_version;
    if today != app.today || outside_write {
        app.today = today;
        app.reload(store)?;
        quick_note::refresh_names(app, store)?;
    }
    quick_note::save_draft(app, store)?;
    if heartbeat_due && !store.is_read_only() {
        crate::journal::drafts::heartbeat(store, &app.clock, &app.session)?;
    }
    Ok(())
}

/// Pasted text goes into the text box that is open, or starts a quick note holding it; it
/// is never run as keys and never saves or confirms anything by itself.
fn on_paste(app: &mut App, store: &mut Store, text: &str) -> Result {
    app.status = None;
    match &mut app.overlay {
        Some(Overlay::QuickNote(_)) => return quick_note::paste(app, store, text),
        Some(Overlay::Form(_)) => {
            forms::paste(app, text);
            return Ok(());
        }
        Some(Overlay::Snooze(prompt)) => {
            prompt.input.insert_str(text);
            return Ok(());
        }
        Some(Overlay::Import(view)) => {
            // A path dropped or pasted in; in the preview a paste is not an answer.
            if view.preview.is_none() {
                view.input.insert_str(text.trim());
            }
            return Ok(());
        }
        Some(Overlay::Confirm(_)) => {
            app.info("A paste is not an answer: press y or n");
            return Ok(());
        }
        Some(Overlay::Help(help)) if help.filtering => {
            help.filter.insert_str(text);
            return Ok(());
        }
        Some(Overlay::Search(_)) => return search::paste(app, store, text),
        Some(Overlay::Help(_) | Overlay::Card(_) | Overlay::Note(_)) => app.overlay = None,
        None if app.timeline.filtering => {
            return search::paste_timeline_filter(app, store, text);
        }
        None if app.contacts.filtering => {
            app.contacts.filter.insert_str(text);
            let before = app.selected_contact();
            app.apply_filter();
            if app.selected_contact() != before {
                app.reload_timeline(store)?;
            }
            return Ok(());
        }
        None => {}
    }
    quick_note::open(app, store, "", None)?;
    quick_note::paste(app, store, text)?;
    app.info("Pasted into a quick note — Enter saves it, Esc keeps it as a draft");
    Ok(())
}

fn on_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    if key.kind != KeyEventKind::Press {
        return Ok(());
    }
    // A message stays up until the next key, then gives way to the key hints.
    app.status = None;
    // Ctrl-C and Ctrl-Z work everywhere, text boxes included, as in every terminal program;
    // a form with changes asks before Ctrl-C throws them away.
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        match key.code {
            KeyCode::Char('c') => {
                if let Some(Overlay::Form(form)) = &mut app.overlay
                    && form.changed()
                {
                    form.confirm_discard = true;
                    form.leaving = true;
                    return Ok(());
                }
                return perform(app, store, Action::Quit);
            }
            KeyCode::Char('z') => return perform(app, store, Action::Suspend),
            _ => {}
        }
    }
    match &app.overlay {
        Some(Overlay::QuickNote(_)) => return quick_note::on_key(app, store, key),
        Some(Overlay::Search(_)) => return search::on_key(app, store, key),
        Some(Overlay::Snooze(_)) => return reminders::snooze_key(app, store, key),
        Some(Overlay::Import(_)) => return import::on_key(app, store, key),
        Some(Overlay::Confirm(_)) => return forms::confirm_key(app, store, key),
        Some(Overlay::Form(_)) => {
            forms::form_key(app, store, key);
            return Ok(());
        }
        Some(Overlay::Help(_)) => {
            navigation::help_key(app, key);
            return Ok(());
        }
        Some(Overlay::Card(_) | Overlay::Note(_)) => {
            return navigation::viewer_key(app, store, key);
        }
        None => {}
    }
    if app.contacts.filtering {
        return navigation::filter_key(app, store, key);
    }
    if app.timeline.filtering {
        return search::timeline_filter_key(app, store, key);
    }
    let Some(key) = Key::from_event(&key) else {
        return Ok(());
    };
    match app.keymap.action(&app.sections(), key) {
        Some(action) => perform(app, store, action),
        None => Ok(()),
    }
}

/// Performs an action from the keymap (or a test).
#[allow(clippy::too_many_lines)] // one arm per action: a table, not a tangle
pub fn perform(app: &mut App, store: &mut Store, action: Action) -> Result {
    if matches!(
        action,
        Action::FocusNext
            | Action::FocusPrevious
            | Action::FocusContacts
            | Action::FocusTimeline
            | Action::FocusReminders
            | Action::WeeklyReview
    ) {
        // Leaving the reminders pane is moving on from a row dealt with.
        app.reminders.unsettle();
    }
    match action {
        Action::Quit => quit(app, store),
        Action::Suspend => app.suspend = true,
        Action::Sync => request_sync(app, store)?,
        Action::Help => navigation::toggle_help(app),
        Action::Search => search::open(app),
        Action::Import => import::open(app),
        Action::FilterTimeline => search::filter_timeline(app),
        Action::QuickNote => quick_note::open(app, store, "", None)?,
        Action::WeeklyReview => {
            if app.review.is_some() {
                app.close_review();
            } else {
                app.open_current_review(store)?;
            }
        }
        Action::Close => {
            if app.overlay.take().is_none() {
                app.close_review();
            }
        }
        Action::FocusNext | Action::FocusPrevious => {
            let i = Focus::ALL.iter().position(|f| *f == app.focus).unwrap_or(0);
            let step = if action == Action::FocusNext {
                1
            } else {
                Focus::ALL.len() - 1
            };
            app.focus = Focus::ALL[(i + step) % Focus::ALL.len()];
            follow_all(app);
        }
        Action::FocusContacts => app.focus = Focus::Contacts,
        Action::FocusTimeline => app.focus = Focus::Timeline,
        Action::FocusReminders => app.focus = Focus::Reminders,
        Action::Down => navigation::move_selection(app, store, 1)?,
        Action::Up => navigation::move_selection(app, store, -1)?,
        Action::PageDown => navigation::move_selection(app, store, page(app))?,
        Action::PageUp => navigation::move_selection(app, store, -page(app))?,
        Action::Top => navigation::move_selection(app, store, isize::MIN / 2)?,
        Action::Bottom => navigation::move_selection(app, store, isize::MAX / 2)?,
        Action::Open => navigation::open_selection(app, store)?,
        Action::Filter => {
            app.focus = Focus::Contacts;
            app.contacts.filtering = true;
        }
        Action::CycleSort => {
            app.contacts.sort = match app.contacts.sort {
                Sort::Name => Sort::Recent,
                Sort::Recent => Sort::Overdue,
                Sort::Overdue => Sort::Name,
            };
            app.reload_contacts(store)?;
            app.reload_timeline(store)?;
            app.info(format!("Sorted by {}", app.contacts.sort.label()));
        }
        Action::AddContact => forms::open_add(app),
        Action::EditContact => forms::open_edit_contact(app, store)?,
        Action::DeleteContact => {
            if let Some(c) = app.contacts.selected() {
                let (id, name) = (c.row.id, c.row.display_name.clone());
                forms::confirm_trash(app, Item::Contact(id.0), &name);
            }
        }
        Action::Undo => history::undo(app, store)?,
        Action::Redo => history::redo(app, store)?,
        Action::EditInteraction => forms::open_edit_interaction(app, store)?,
        Action::TrashInteraction => {
            if let Some(i) = app.timeline.rows.get(app.timeline.scroll.selected) {
                let (id, summary) = (i.id, i.summary.clone());
                forms::confirm_trash(app, Item::Interaction(id.0), &summary);
            }
        }
        Action::LogWithContact => quick_note::log_with_contact(app, store)?,
        Action::ToggleEveryone => {
            app.timeline.everyone = !app.timeline.everyone;
            app.reload_timeline(store)?;
        }
        Action::EditInEditor => {
            let selected = match &app.overlay {
                Some(Overlay::Note(note)) => Some(note.interaction.id),
                _ => app
                    .timeline
                    .rows
                    .get(app.timeline.scroll.selected)
                    .map(|i| i.id),
            };
            app.edit_externally = selected;
        }
        Action::Done => reminders::done(app, store)?,
        Action::Dismiss => reminders::dismiss(app, store)?,
        Action::EditReminder => reminders::edit(app, store)?,
        Action::TrashReminder => reminders::trash(app),
        Action::Snooze => reminders::open_snooze(app),
        Action::LogFromReminder => quick_note::log_from_reminder(app, store)?,
        Action::PreviousWeek | Action::NextWeek => {
            if let Some(review) = &app.review {
                let start = if action == Action::NextWeek {
                    review.week_start + Days::new(7)
                } else {
                    review.week_start - Days::new(7)
                };
                app.open_review(store, start)?;
            }
        }
    }
    Ok(())
}

/// Leaving never depends on a write: typed text goes to the draft, or — when the journal
/// cannot take it (read-only, disk full) — to a file named in the status and on exit.
fn quit(app: &mut App, store: &mut Store) {
    app.quit = true;
    let held = app.held_note.take().map(|d| d.text);
    let note = match &app.overlay {
        Some(Overlay::QuickNote(note)) if !note.input.text().trim().is_empty() => {
            Some(note.input.text().to_owned())
        }
        _ => held.clone(),
    };
    let kept = match (&note, held) {
        // Held because the journal could not take it: it will not now either.
        (Some(_), Some(_)) => Err(anyhow::anyhow!("the journal could not take the note")),
        (Some(_), None) => quick_note::keep_draft(app, store),
        (None, _) => crate::journal::drafts::release(store, &app.session),
    };
    if let (Err(err), Some(text)) = (kept, note) {
        match crate::journal::drafts::rescue(&text, &app.clock) {
            Ok(path) => app.saved_elsewhere = Some(path),
            Err(rescue) => {
                app.error(format!("{err:#}; and {rescue:#}"));
                app.unsaved_text = Some(text);
            }
        }
    }
}

fn page(app: &App) -> isize {
    isize::try_from(app.list_height().saturating_sub(1).max(1)).unwrap_or(10)
}
