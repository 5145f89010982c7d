//! The quick note: a capture line with a live preview and `@` completion, the meeting's
//! notes on the lines below it, a draft that survives a crash, and saving it all in one
//! transaction. Nothing typed is thrown away: Esc keeps the note as this window's draft.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Result;
use super::navigation::selected_item;
use crate::domain::agenda::{ItemKey, ItemKind, Occasion};
use crate::domain::capture;
use crate::domain::contact::ContactId;
use crate::domain::names::NameError;
use crate::domain::reminder::ReminderId;
use crate::journal::capture::{self as journal_capture, Note, Origin};
use crate::journal::drafts::{self, Draft};
use crate::store::Store;
use crate::tui::app::{App, Completion, CompletionItem, Overlay, Preview, QuickNote};
use crate::tui::input::TextInput;

/// The draft this note would be, to keep.
fn draft_of(note: &QuickNote) -> Draft {
    Draft {
        text: note.input.text().to_owned(),
        cursor: note.input.cursor(),
        reminder: note.from_reminder,
        new_people: note.new_people.clone(),
    }
}

/// Writes the quick note's text if it changed since the last save.
pub(super) fn save_draft(app: &mut App, store: &mut Store) -> Result {
    if let Some(Overlay::QuickNote(note)) = &mut app.overlay
        && note.dirty
    {
        drafts::save(store, &app.clock, &app.session, &draft_of(note))?;
        note.dirty = false;
        // Not `app.data_version` again: our own write leaves it as it was, and reading it
        // now would take another shell's write, committed meanwhile, for seen.
    }
    Ok(())
}

/// `n`: the quick note — this window's draft if it has one (typed text is never replaced),
/// else a new note starting with `text`.
pub(super) fn open(
    app: &mut App,
    store: &mut Store,
    text: &str,
    from_reminder: Option<ReminderId>,
) -> Result {
    app.draft_offered = false;
    if let Some(held) = app.held_note.clone() {
        // Let go of it only once it is open again: a failing open keeps it held.
        open_draft(app, store, held)?;
        app.held_note = None;
        if !text.is_empty() || from_reminder.is_some() {
            app.info("Your unsaved note first: Enter saves it, Esc puts it away again");
        }
        return Ok(());
    }
    if let Some(draft) = drafts::load(store, &app.session)?
        && !draft.text.trim().is_empty()
    {
        open_draft(app, store, draft)?;
        if !text.is_empty() || from_reminder.is_some() {
            app.info("Your unsaved note first: Enter saves it, Esc puts it away again");
        }
        return Ok(());
    }
    open_draft(
        app,
        store,
        Draft {
            text: text.to_owned(),
            cursor: text.len(),
            reminder: from_reminder,
            new_people: Vec::new(),
        },
    )?;
    if let Some(Overlay::QuickNote(note)) = &mut app.overlay {
        note.dirty = !text.is_empty();
    }
    Ok(())
}

fn open_draft(app: &mut App, store: &mut Store, draft: Draft) -> Result {
    let mut note = QuickNote {
        input: TextInput::multiline(&draft.text, draft.cursor),
        preview: Err(String::new()),
        completion: None,
        from_reminder: draft.reminder,
        from_item: None,
        names: journal_capture::names(store)?,
        new_people: draft.new_people,
        dirty: false,
    };
    refresh_note(app, &mut note);
    app.overlay = Some(Overlay::QuickNote(Box::new(note)));
    Ok(())
}

/// On start: a draft left by a window that is gone (quit, closed, killed) becomes this
/// window's — offered in the status bar, not opened over the panes.
pub fn restore_draft(app: &mut App, store: &mut Store) -> Result {
    if let Some(draft) = drafts::adopt_orphan(store, &app.clock, &app.session)? {
        let first = draft.text.lines().next().unwrap_or_default();
        app.draft_offered = true;
        app.info(format!(
            "An unsaved note: “{}” — n to continue it",
            crate::text::truncate(first, 40)
        ));
    }
    Ok(())
}

/// Re-reads the note: the preview (or its error) and the `@` completion list. Only the
/// first line is the capture line; the lines after it are the body.
fn refresh_note(app: &App, note: &mut QuickNote) {
    let text = note.input.text();
    let (line, body) = journal_capture::split(text);
    let index = journal_capture::with_new_people(&note.names, &note.new_people);
    note.preview = match journal_capture::resolve(line, &app.clock, &index) {
        Ok(r) => Ok(Preview {
            summary: r.summary,
            kind: r.capture.kind.to_string(),
            people: r.names,
            tags: r.capture.tags,
            follow_up: r.capture.follow_up.map(|f| (f.due, f.text)),
            at: r.capture.at,
            body_lines: body.map_or(0, |b| b.lines().count()),
        }),
        Err(err) if line.trim().is_empty() => Err(format!("{err:#}").replace("empty note: ", "")),
        Err(err) => Err(match err.downcast_ref::<NameError>() {
            // Here, a new person is added from the line itself, not from a shell.
            Some(NameError::Unknown { query, suggestions }) if suggestions.is_empty() => format!(
                "no contact matches '{query}' — move back onto @{query} to pick someone or add them (+ new contact)"
            ),
            _ => format!("{err:#}"),
        }),
    };
    let cursor = note.input.cursor();
    let previous = note.completion.take();
    note.completion = (cursor <= line.len())
        .then(|| capture::name_at_cursor(line, cursor))
        .flatten()
        .map(|(range, prefix)| {
            let hits = index.complete(prefix, 6);
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
                    } else if c.id.0 < 0 {
                        format!("{} (new)", c.display_name)
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
            // A choice the user made survives typing while it is still offered.
            let selected = previous
                .and_then(|p| p.selected.and_then(|i| p.items.get(i).cloned()))
                .and_then(|chosen| items.iter().position(|i| *i == chosen));
            Completion {
                range,
                items,
                selected,
            }
        });
}

/// Re-reads the open quick note after an edit. (`refresh_note` needs `app` for the clock,
/// so the note is taken out of it for the moment.) `settled` closes the completion list.
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

/// Names the contact list may gain from another window: the note's index follows them.
pub(super) fn refresh_names(app: &mut App, store: &Store) -> Result {
    if let Some(Overlay::QuickNote(note)) = &mut app.overlay {
        note.names = journal_capture::names(store)?;
        refresh_open_note(app, false);
    }
    Ok(())
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Keys that change what a draft would hold enough to write it at once (not only on the
/// next tick): the end of a word, a new line.
fn worth_saving(key: &KeyEvent) -> bool {
    matches!(key.code, KeyCode::Char(' ') | KeyCode::Enter)
        || key.code == KeyCode::Char('j') && key.modifiers.contains(KeyModifiers::CONTROL)
}

pub(super) fn on_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::QuickNote(note)) = &mut app.overlay else {
        return Ok(());
    };
    let offered = note
        .completion
        .as_ref()
        .is_some_and(|c| !c.items.is_empty());
    let chosen = note.completion.as_ref().and_then(|c| c.selected);
    let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
    match key.code {
        KeyCode::Esc if offered => note.completion = None,
        KeyCode::Esc => return put_away(app, store),
        KeyCode::Down | KeyCode::Up | KeyCode::BackTab if offered => {
            if let Some(c) = &mut note.completion {
                let len = c.items.len();
                c.selected = Some(match (c.selected, key.code) {
                    (None, KeyCode::Down) => 0,
                    (None, _) => len - 1,
                    (Some(i), KeyCode::Down) => (i + 1) % len,
                    (Some(i), _) => (i + len - 1) % len,
                });
            }
            return Ok(());
        }
        KeyCode::Tab if offered => {
            let unique = note.completion.as_ref().is_some_and(|c| {
                c.items
                    .iter()
                    .filter(|i| matches!(i, CompletionItem::Contact { .. }))
                    .count()
                    == 1
            });
            if chosen.is_some() || unique {
                {
                    accept_completion(app);
                    return Ok(());
                }
            }
            if let Some(c) = &mut note.completion {
                c.selected = Some(0);
            }
            return Ok(());
        }
        // Enter takes a completion only once the user has chosen one; otherwise it saves.
        KeyCode::Enter if plain && chosen.is_some() => {
            accept_completion(app);
            return Ok(());
        }
        KeyCode::Enter if plain => return save(app, store),
        _ => {
            if !note.input.handle(&key) {
                return Ok(());
            }
            note.dirty = true;
        }
    }
    refresh_open_note(app, false);
    if worth_saving(&key) {
        save_draft(app, store)?;
    }
    Ok(())
}

/// Keeps the open note as this window's draft, released for the next start (quit).
pub(super) fn keep_draft(app: &mut App, store: &mut Store) -> Result {
    if let Some(Overlay::QuickNote(note)) = &app.overlay {
        drafts::save(store, &app.clock, &app.session, &draft_of(note))?;
        drafts::release(store, &app.session)?;
    }
    Ok(())
}

/// Text pasted into the note: inserted as text, never run as keys, never saved by itself.
pub(super) fn paste(app: &mut App, store: &mut Store, text: &str) -> Result {
    if let Some(Overlay::QuickNote(note)) = &mut app.overlay {
        note.input.insert_str(text);
        note.dirty = true;
        refresh_open_note(app, false);
        save_draft(app, store)?;
    }
    Ok(())
}

/// Puts the chosen name (or "+ new contact", kept until the note is saved) into the line.
fn accept_completion(app: &mut App) {
    let Some(Overlay::QuickNote(note)) = &mut app.overlay else {
        return;
    };
    let Some(completion) = note.completion.take() else {
        return;
    };
    let index = completion.selected.unwrap_or_else(|| {
        completion
            .items
            .iter()
            .position(|i| matches!(i, CompletionItem::Contact { .. }))
            .unwrap_or(0)
    });
    let Some(item) = completion.items.get(index).cloned() else {
        return;
    };
    let mention = match item {
        CompletionItem::Contact { id, .. } => {
            journal_capture::with_new_people(&note.names, &note.new_people).mention(id)
        }
        CompletionItem::Create { name } => {
            if !note.new_people.contains(&name) {
                note.new_people.push(name.clone());
            }
            if name.contains(char::is_whitespace) {
                format!("@\"{name}\"")
            } else {
                format!("@{name}")
            }
        }
    };
    // Replace the "@prefix" (the range starts after the @) with a mention that resolves.
    let start = completion.range.start.saturating_sub(1);
    note.input
        .replace(start..completion.range.end, &format!("{mention} "));
    note.dirty = true;
    refresh_open_note(app, true);
}

fn save(app: &mut App, store: &mut Store) -> Result {
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        return Ok(());
    };
    let text = note.input.text().to_owned();
    let new_people = note.new_people.clone();
    let from_item = note.from_item.clone();
    let acknowledges = from_item.as_ref().and_then(|item| match item.key {
        ItemKey::Occasion(contact, occasion @ (Occasion::Birthday | Occasion::Anniversary)) => {
            Some((contact, occasion, item.was_due.unwrap_or(item.date)))
        }
        _ => None,
    });
    let origin = Origin {
        reminder: note.from_reminder,
        draft: Some(&app.session.name),
        acknowledges,
    };
    let saved = journal_capture::save(
        store,
        &app.clock,
        &Note {
            text: &text,
            at: None,
            new_people: &new_people,
            origin,
        },
    );
    let written = match saved {
        Ok(written) => written,
        Err(err) => {
            if !offer_people_for(app, &err) {
                app.error(format!("{err:#}"));
            }
            return Ok(());
        }
    };
    app.overlay = None;
    if let (Some(item), Some(review)) = (&from_item, &mut app.review) {
        review.handle(item.key, "logged".to_owned());
    }
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

/// A note that names someone rolo cannot tell (nobody, or several people): the cursor goes
/// to that `@name` and its picker opens — pick someone, or "+ new contact" — rather than
/// sending the user to a shell. Returns whether it did.
fn offer_people_for(app: &mut App, err: &anyhow::Error) -> bool {
    let (query, message) = match err.downcast_ref::<NameError>() {
        Some(NameError::Unknown { query, .. }) => (
            query,
            format!(
                "Nobody is called '{}': pick someone below or + new contact (↑↓ Enter), then Enter saves",
                query.trim_start_matches('@')
            ),
        ),
        // The command line's words for it, and the picker to settle it.
        Some(NameError::Ambiguous { query, .. }) => {
            (query, format!("{err:#} — pick one below (↑↓ Enter)"))
        }
        _ => return false,
    };
    let Some(Overlay::QuickNote(note)) = &mut app.overlay else {
        return false;
    };
    let text = note.input.text().to_owned();
    let (line, _) = journal_capture::split(&text);
    let token = format!("@{}", query.trim_start_matches('@'));
    // The mention as a word of its own: not inside an e-mail address, not a longer name.
    let Some(end) = line
        .match_indices(&token)
        .filter(|(at, _)| {
            line[..*at]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace)
        })
        .map(|(at, t)| at + t.len())
        .find(|&end| {
            line[end..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || capture::TRAILING_PUNCTUATION.contains(&c))
        })
    else {
        return false;
    };
    note.input = TextInput::multiline(&text, end);
    refresh_open_note(app, false);
    let offered = matches!(&app.overlay, Some(Overlay::QuickNote(n)) if n.completion.is_some());
    if offered {
        app.error(message);
    }
    offered
}

/// Esc: the note closes, but nothing typed is thrown away — a non-empty note stays as this
/// window's draft, and `n` brings it back. An empty one leaves no draft behind.
fn put_away(app: &mut App, store: &mut Store) -> Result {
    let Some(Overlay::QuickNote(note)) = app.overlay.take() else {
        return Ok(());
    };
    if note.input.text().trim().is_empty() {
        drafts::clear(store, &app.session)?;
        return Ok(());
    }
    if let Err(err) = drafts::save(store, &app.clock, &app.session, &draft_of(&note)) {
        // The journal cannot take it (read-only, disk full): the window holds it, and Esc
        // still closes the box — being able to leave never depends on a write.
        app.held_note = Some(draft_of(&note));
        app.error(format!(
            "{err:#} — the note is held in this window: n brings it back, quitting puts it in a file"
        ));
        return Ok(());
    }
    app.info("Kept as a draft — n to continue it");
    Ok(())
}

/// `l` on a contact: a quick note that already names them.
pub(super) fn log_with_contact(app: &mut App, store: &mut Store) -> Result {
    match app.selected_contact() {
        Some(id) => log_with(app, store, id),
        None => Ok(()),
    }
}

/// A quick note that already names contact `id`.
pub(super) fn log_with(app: &mut App, store: &mut Store, id: ContactId) -> Result {
    let text = format!("{} ", journal_capture::names(store)?.mention(id));
    open(app, store, &text, None)
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
        let item = item.clone();
        open(app, store, &text, from)?;
        if let Some(Overlay::QuickNote(note)) = &mut app.overlay {
            note.from_item = Some(item);
        }
    }
    Ok(())
}
