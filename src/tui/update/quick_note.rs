//! The quick note: typing a capture line with a live preview and `@` completion, the draft
//! that survives a crash, and saving it.

use crossterm::event::{KeyCode, KeyEvent};

use super::Result;
use super::navigation::selected_item;
use crate::domain::agenda::ItemKind;
use crate::domain::capture;
use crate::domain::contact::ContactDraft;
use crate::domain::reminder::ReminderId;
use crate::journal::capture::{self as journal_capture, Origin, Resolved};
use crate::journal::contacts as journal_contacts;
use crate::journal::drafts::{self, Draft, QUICK_NOTE};
use crate::store::Store;
use crate::tui::app::{App, Completion, CompletionItem, Overlay, Preview, QuickNote};
use crate::tui::input::LineInput;

/// Writes the quick note's text if it changed since the last save.
pub(super) fn save_draft(app: &mut App, store: &mut Store) -> Result {
    if let Some(Overlay::QuickNote(note)) = &mut app.overlay
        && note.dirty
    {
        let draft = Draft {
            text: note.input.text().to_owned(),
            cursor: note.input.cursor(),
        };
        drafts::save(store, &app.clock, QUICK_NOTE, &draft)?;
        note.dirty = false;
        // Our own write bumps nothing for us, but keep the reading current anyway.
        app.data_version = store.data_version()?;
    }
    Ok(())
}

pub(super) fn open(
    app: &mut App,
    store: &mut Store,
    text: &str,
    from_reminder: Option<ReminderId>,
) -> Result {
    // A note put away with Esc comes back first: typed text is never replaced.
    if let Some(draft) = drafts::load(store, QUICK_NOTE)?
        && !draft.text.trim().is_empty()
    {
        open_text(app, store, &draft.text, None)?;
        if let Some(Overlay::QuickNote(note)) = &mut app.overlay {
            note.input = LineInput::with_cursor(&draft.text, draft.cursor);
            note.dirty = false;
        }
        if !text.is_empty() || from_reminder.is_some() {
            app.info("Your unsaved note first: Enter saves it, Esc puts it away again");
        }
        return Ok(());
    }
    open_text(app, store, text, from_reminder)
}

fn open_text(
    app: &mut App,
    store: &mut Store,
    text: &str,
    from_reminder: Option<ReminderId>,
) -> Result {
    let names = journal_capture::names(store)?;
    let mut note = QuickNote {
        input: LineInput::new(text),
        preview: Err(String::new()),
        completion: None,
        from_reminder,
        names,
        dirty: !text.is_empty(),
    };
    refresh_note(app, &mut note);
    app.overlay = Some(Overlay::QuickNote(Box::new(note)));
    Ok(())
}

/// Reopens a draft left by a crash or a closed terminal.
pub fn restore_draft(app: &mut App, store: &mut Store) -> Result {
    if drafts::load(store, QUICK_NOTE)?.is_some_and(|d| !d.text.trim().is_empty()) {
        open(app, store, "", None)?;
        app.info("Restored your unsaved note");
    }
    Ok(())
}

fn resolve(app: &App, note: &QuickNote) -> Result<Resolved> {
    journal_capture::resolve(note.input.text(), &app.clock, &note.names)
}

/// Re-reads the line: the preview (or its error) and the `@` completion list.
fn refresh_note(app: &App, note: &mut QuickNote) {
    note.preview = match resolve(app, note) {
        Ok(r) => Ok(Preview {
            summary: r.summary,
            kind: r.capture.kind.to_string(),
            people: r.names,
            tags: r.capture.tags,
            follow_up: r.capture.follow_up.map(|f| (f.due, f.text)),
            at: r.capture.at,
        }),
        Err(err) if note.input.text().trim().is_empty() => {
            Err(format!("{err:#}").replace("empty note: ", ""))
        }
        Err(err) => Err(format!("{err:#}")),
    };
    note.completion =
        capture::name_at_cursor(note.input.text(), note.input.cursor()).map(|(range, prefix)| {
            let hits = note.names.complete(prefix, 6);
            let exact = hits
                .iter()
                .any(|c| c.display_name.eq_ignore_ascii_case(prefix));
            let mut items: Vec<CompletionItem> = hits
                .iter()
                .map(|c| {
                    let namesakes = hits
                        .iter()
                        .filter(|o| o.display_name == c.display_name)
                        .count();
                    let label = if namesakes > 1 {
                        c.labelled()
                    } else {
                        c.display_name.clone()
                    };
                    CompletionItem::Contact { id: c.id, label }
                })
                .collect();
            if !prefix.is_empty() && !exact {
                items.push(CompletionItem::Create {
                    name: capitalized(prefix),
                });
            }
            Completion {
                range,
                items,
                selected: 0,
            }
        });
}

/// Re-reads the open quick note after an edit. (`refresh_note` needs `app` for the clock and
/// zone, so the note is taken out of it for the moment.) `settled` closes the completion list.
fn refresh_open_note(app: &mut App, settled: bool) {
    match app.overlay.take() {
        Some(Overlay::QuickNote(mut note)) => {
            refresh_note(app, &mut note);
            if settled {
                note.completion = None;
            }
            app.overlay = Some(Overlay::QuickNote(note));
        }
        other => app.overlay = other,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

pub(super) fn on_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::QuickNote(note)) = &mut app.overlay else {
        return Ok(());
    };
    let completing = note
        .completion
        .as_ref()
        .is_some_and(|c| !c.items.is_empty());
    match key.code {
        KeyCode::Esc if completing => note.completion = None,
        KeyCode::Esc => return put_away(app, store),
        KeyCode::Down | KeyCode::Up | KeyCode::BackTab if completing => {
            if let Some(c) = &mut note.completion {
                let len = c.items.len();
                c.selected = if key.code == KeyCode::Down {
                    (c.selected + 1) % len
                } else {
                    (c.selected + len - 1) % len
                };
            }
            return Ok(());
        }
        KeyCode::Tab | KeyCode::Enter if completing => return accept_completion(app, store),
        KeyCode::Enter => return save(app, store),
        _ => {
            if !note.input.handle(&key) {
                return Ok(());
            }
            note.dirty = true;
        }
    }
    refresh_open_note(app, false);
    Ok(())
}

fn accept_completion(app: &mut App, store: &mut Store) -> Result {
    let Some(Overlay::QuickNote(note)) = &mut app.overlay else {
        return Ok(());
    };
    let Some(completion) = note.completion.take() else {
        return Ok(());
    };
    let Some(item) = completion.items.get(completion.selected).cloned() else {
        return Ok(());
    };
    let mut added = None;
    let id = match item {
        CompletionItem::Contact { id, .. } => id,
        CompletionItem::Create { name } => {
            let written =
                journal_contacts::add(store, &app.clock, &ContactDraft::named(&name), false)?;
            note.names = journal_capture::names(store)?;
            let id = written.value.id;
            added = Some(written.change);
            id
        }
    };
    // Replace the "@prefix" (the range starts after the @) with a mention that resolves.
    let start = completion.range.start.saturating_sub(1);
    let mention = note.names.mention(id);
    note.input
        .replace(start..completion.range.end, &format!("{mention} "));
    note.dirty = true;
    refresh_open_note(app, true);
    if let Some(change) = added {
        app.info(format!(
            "{} to your contacts (u to undo)",
            capitalized(&change.what)
        ));
        app.record(change);
        app.reload_contacts(store)?;
    }
    Ok(())
}

fn save(app: &mut App, store: &mut Store) -> Result {
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        return Ok(());
    };
    let resolved = match resolve(app, note) {
        Ok(resolved) => resolved,
        Err(err) => {
            app.error(format!("{err:#}"));
            return Ok(());
        }
    };
    let origin = Origin {
        reminder: note.from_reminder,
        draft: Some(QUICK_NOTE),
    };
    let happened_at = match journal_capture::happened_at(&resolved, None, &app.clock) {
        Ok(at) => at,
        Err(err) => {
            app.error(format!("{err:#}"));
            return Ok(());
        }
    };
    let written = journal_capture::write(store, &app.clock, &resolved, happened_at, origin)?;
    app.overlay = None;
    app.reload(store)?;
    let logged = &written.value;
    let follow = logged
        .follow_up
        .as_ref()
        .map(|r| format!(" · follow-up {}", r.due_date))
        .unwrap_or_default();
    app.info(format!(
        "Logged: {}{follow} (u to undo)",
        logged.interaction.summary
    ));
    app.record(written.change);
    Ok(())
}

/// Esc: the note closes, but nothing typed is thrown away — a non-empty note stays as the
/// draft, and `n` brings it back. An empty one leaves no draft behind.
fn put_away(app: &mut App, store: &mut Store) -> Result {
    let Some(Overlay::QuickNote(note)) = app.overlay.take() else {
        return Ok(());
    };
    if note.input.text().trim().is_empty() {
        drafts::clear(store, QUICK_NOTE)?;
        return Ok(());
    }
    let draft = Draft {
        text: note.input.text().to_owned(),
        cursor: note.input.cursor(),
    };
    drafts::save(store, &app.clock, QUICK_NOTE, &draft)?;
    app.data_version = store.data_version()?;
    app.info("Kept as a draft — n to continue it");
    Ok(())
}

/// `l` on a contact: a quick note that already names them.
pub(super) fn log_with_contact(app: &mut App, store: &mut Store) -> Result {
    if let Some(id) = app.selected_contact() {
        let text = format!("{} ", journal_capture::names(store)?.mention(id));
        open(app, store, &text, None)?;
    }
    Ok(())
}

/// `l` on a reminder: a quick note naming its person; saving it completes the reminder.
pub(super) fn log_from_reminder(app: &mut App, store: &mut Store) -> Result {
    if let Some(item) = selected_item(app) {
        let from = match item.kind {
            ItemKind::Reminder { id, .. } => Some(id),
            _ => None,
        };
        let text = match item.contact_id {
            Some(id) => format!("{} ", journal_capture::names(store)?.mention(id)),
            None => String::new(),
        };
        open(app, store, &text, from)?;
    }
    Ok(())
}
