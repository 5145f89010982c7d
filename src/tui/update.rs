//! `update`: the only code that changes the TUI's state or calls the store. Keys become
//! actions through the keymap (text boxes take their keys directly); store errors become a
//! status-bar message, never a crash.

use chrono::{DateTime, Days, Utc};
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::Action;
use super::app::{
    App, Card, Completion, CompletionItem, Confirm, Confirmable, ContactForm, FORM_FIELDS, Focus,
    NoteView, Overlay, Preview, QuickNote, SNOOZE_PRESETS, SnoozePrompt, Undo,
};
use super::input::LineInput;
use super::keymap::Key;
use crate::commands::journal::{Resolved, resolve_capture, write_capture};
use crate::domain::agenda::ItemKind;
use crate::domain::capture;
use crate::domain::contact::{
    ContactDraft, ContactField, FieldKind, Health, NameParts, normalize_tag, stay_in_touch_due,
};
use crate::domain::names::NameIndex;
use crate::domain::when::{self, Direction, Every, PartialDate};
use crate::store::contacts::{self, Sort};
use crate::store::drafts::{self, Draft, QUICK_NOTE};
use crate::store::reminders::{self, Done};
use crate::store::trash::{self, Item};
use crate::store::{Store, interactions};

/// Something that happened, for `update` to act on.
#[derive(Debug, Clone)]
pub enum Msg {
    Action(Action),
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The clock moved on; also the moment to notice outside writes and save the draft.
    Tick(DateTime<Utc>),
    Resize(u16, u16),
}

type Result<T = ()> = anyhow::Result<T>;

/// Applies `msg`. Errors end up in the status bar.
#[allow(clippy::needless_pass_by_value)] // a message is handed over, like an event
pub fn update(app: &mut App, store: &mut Store, msg: Msg) {
    let result = match msg {
        Msg::Action(action) => perform(app, store, action),
        Msg::Key(key) => on_key(app, store, key),
        Msg::Mouse(mouse) => on_mouse(app, store, mouse),
        Msg::Tick(now) => on_tick(app, store, now),
        Msg::Resize(width, height) => {
            app.size = (width, height);
            follow_all(app);
            Ok(())
        }
    };
    if let Err(err) = result {
        app.error(format!("{err:#}"));
    }
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

fn on_tick(app: &mut App, store: &mut Store, now: DateTime<Utc>) -> Result {
    app.now = now;
    let today = app.zone.date_of(now);
    let outside_write = store.data_version()? != app.data_version;
    if today != app.today || outside_write {
        app.today = today;
        app.reload(store)?;
    }
    save_draft(app, store)
}

/// Writes the quick note's text if it changed since the last save.
fn save_draft(app: &mut App, store: &mut Store) -> Result {
    let now = app.now;
    if let Some(Overlay::QuickNote(note)) = &mut app.overlay
        && note.dirty
    {
        let draft = Draft {
            text: note.input.text().to_owned(),
            cursor: note.input.cursor(),
        };
        store.write(|tx| drafts::save(tx, QUICK_NOTE, &draft, now))?;
        note.dirty = false;
        // Our own write bumps nothing for us, but keep the reading current anyway.
        app.data_version = store.data_version()?;
    }
    Ok(())
}

fn on_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    if key.kind != KeyEventKind::Press {
        return Ok(());
    }
    // A message stays up until the next key, then gives way to the key hints.
    app.status = None;
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return perform(app, store, Action::Quit);
    }
    match &app.overlay {
        Some(Overlay::QuickNote(_)) => return quick_note_key(app, store, key),
        Some(Overlay::Snooze(_)) => return snooze_key(app, store, key),
        Some(Overlay::Confirm(_)) => return confirm_key(app, store, key),
        Some(Overlay::Form(_)) => return form_key(app, store, key),
        Some(Overlay::Help) => {
            if matches!(
                key.code,
                KeyCode::Esc | KeyCode::Char('q' | '?') | KeyCode::Enter
            ) {
                app.overlay = None;
            }
            return Ok(());
        }
        Some(Overlay::Card(_) | Overlay::Note(_)) => return viewer_key(app, store, key),
        None => {}
    }
    if app.contacts.filtering {
        return filter_key(app, store, key);
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
    match action {
        Action::Quit => {
            save_draft(app, store)?;
            app.quit = true;
        }
        Action::Help => {
            app.overlay = if matches!(app.overlay, Some(Overlay::Help)) {
                None
            } else {
                Some(Overlay::Help)
            }
        }
        Action::QuickNote => open_quick_note(app, store, "", None)?,
        Action::WeeklyReview => {
            if app.review.take().is_none() {
                app.open_review(store, app.today)?;
            }
        }
        Action::Close => {
            if app.overlay.take().is_none() {
                app.review = None;
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
        Action::Down => move_selection(app, store, 1)?,
        Action::Up => move_selection(app, store, -1)?,
        Action::PageDown => move_selection(app, store, page(app))?,
        Action::PageUp => move_selection(app, store, -page(app))?,
        Action::Top => move_selection(app, store, isize::MIN / 2)?,
        Action::Bottom => move_selection(app, store, isize::MAX / 2)?,
        Action::Open => open_selection(app, store)?,
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
            let label = match app.contacts.sort {
                Sort::Name => "name",
                Sort::Recent => "last contact",
                Sort::Overdue => "most overdue",
            };
            app.info(format!("Sorted by {label}"));
        }
        Action::AddContact => app.overlay = Some(Overlay::Form(Box::new(empty_form()))),
        Action::EditContact => {
            if let Some(id) = app.selected_contact() {
                let contact = contacts::get(store.conn(), id)?;
                app.overlay = Some(Overlay::Form(Box::new(form_for(&contact))));
            }
        }
        Action::DeleteContact => {
            if let Some(c) = app.contacts.selected() {
                let message = format!("Move {} to the trash? (y/n)", c.row.display_name);
                app.overlay = Some(Overlay::Confirm(Confirm {
                    message,
                    action: Confirmable::TrashContact(c.row.id),
                }));
            }
        }
        Action::Undo => undo(app, store)?,
        Action::LogWithContact => {
            if let Some(c) = app.contacts.selected() {
                let text = format!("{} ", mention(&c.row.display_name));
                open_quick_note(app, store, &text, None)?;
            }
        }
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
        Action::Done => done(app, store)?,
        Action::Snooze => {
            if let Some(item) = selected_item(app) {
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
        }
        Action::LogFromReminder => {
            if let Some(item) = selected_item(app) {
                let from = if let ItemKind::Reminder { id, .. } = item.kind {
                    Some(id)
                } else {
                    None
                };
                let text = item
                    .contact
                    .as_deref()
                    .map(|n| format!("{} ", mention(n)))
                    .unwrap_or_default();
                open_quick_note(app, store, &text, from)?;
            }
        }
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

/// `@ada` if a bare word will do, `@"Ada Lovelace"` otherwise.
fn mention(name: &str) -> String {
    if name.contains(char::is_whitespace) {
        format!("@\"{name}\"")
    } else {
        format!("@{name}")
    }
}

fn page(app: &App) -> isize {
    isize::try_from(app.list_height().saturating_sub(1).max(1)).unwrap_or(10)
}

fn move_selection(app: &mut App, store: &mut Store, delta: isize) -> Result {
    let height = app.list_height();
    if let Some(review) = &mut app.review {
        let len = review.agenda.items().count();
        review.scroll.step(delta, len, height);
        return Ok(());
    }
    match app.focus {
        Focus::Contacts => {
            let before = app.selected_contact();
            app.contacts
                .scroll
                .step(delta, app.contacts.visible.len(), height);
            if app.selected_contact() != before && !app.timeline.everyone {
                app.reload_timeline(store)?;
            }
        }
        Focus::Timeline => {
            app.timeline
                .scroll
                .step(delta, app.timeline.rows.len(), height);
            app.load_more_timeline(store)?;
        }
        Focus::Reminders => app
            .reminders
            .scroll
            .step(delta, app.reminders.items.len(), height),
    }
    Ok(())
}

fn selected_item(app: &App) -> Option<&crate::domain::agenda::AgendaItem> {
    if let Some(review) = &app.review {
        return review.agenda.items().nth(review.scroll.selected);
    }
    (app.focus == Focus::Reminders)
        .then(|| app.reminders.items.get(app.reminders.scroll.selected))
        .flatten()
}

fn open_selection(app: &mut App, store: &mut Store) -> Result {
    let contact = match (&app.review, app.focus) {
        (Some(_), _) | (None, Focus::Reminders) => selected_item(app).and_then(|i| i.contact_id),
        (None, Focus::Contacts) => app.selected_contact(),
        (None, Focus::Timeline) => {
            if let Some(interaction) = app.timeline.rows.get(app.timeline.scroll.selected) {
                let interaction = interactions::get(store.conn(), interaction.id)?;
                app.overlay = Some(Overlay::Note(Box::new(NoteView {
                    interaction,
                    scroll: 0,
                })));
            }
            return Ok(());
        }
    };
    if let Some(id) = contact {
        app.overlay = Some(Overlay::Card(Box::new(card(app, store, id)?)));
    }
    Ok(())
}

fn card(app: &App, store: &Store, id: crate::domain::contact::ContactId) -> Result<Card> {
    let conn = store.conn();
    let contact = contacts::get(conn, id)?;
    let due = stay_in_touch_due(
        contact.cadence,
        contact.last_interaction_at.map(|t| app.zone.date_of(t)),
        app.zone.date_of(contact.created_at),
    );
    Ok(Card {
        health: Health::of(due, app.today),
        due,
        monthly: contacts::monthly_interactions(conn, id, app.today, 12)?,
        reminders: reminders::open_for_contact(conn, id)?,
        interaction_count: interactions::count_for(conn, id)?,
        contact,
        scroll: 0,
    })
}

fn viewer_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let scroll = match &mut app.overlay {
        Some(Overlay::Card(card)) => &mut card.scroll,
        Some(Overlay::Note(note)) => &mut note.scroll,
        _ => return Ok(()),
    };
    match key.code {
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => app.overlay = None,
        KeyCode::Down | KeyCode::Char('j') => *scroll = scroll.saturating_add(1),
        KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => *scroll = scroll.saturating_add(10),
        KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
        _ => {
            // Everything else goes through the keymap, so `E` (edit), `e`, `l` work here too.
            let sections = [
                super::keymap::Section::Timeline,
                super::keymap::Section::Contacts,
            ];
            if let Some(k) = Key::from_event(&key)
                && let Some(action) = app.keymap.action(&sections, k)
            {
                {
                    if matches!(
                        action,
                        Action::EditInEditor | Action::EditContact | Action::LogWithContact
                    ) {
                        return perform(app, store, action);
                    }
                }
            }
        }
    }
    Ok(())
}

fn filter_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    match key.code {
        KeyCode::Esc => {
            app.contacts.filtering = false;
            app.contacts.filter = LineInput::default();
        }
        KeyCode::Enter => app.contacts.filtering = false,
        KeyCode::Down | KeyCode::Up => {
            return move_selection(app, store, if key.code == KeyCode::Down { 1 } else { -1 });
        }
        _ => {
            if !app.contacts.filter.handle(&key) {
                return Ok(());
            }
        }
    }
    let before = app.selected_contact();
    app.apply_filter();
    if app.selected_contact() != before {
        app.reload_timeline(store)?;
    }
    Ok(())
}

// --- done, snooze, undo, delete -------------------------------------------------------------

fn done(app: &mut App, store: &mut Store) -> Result {
    let Some(item) = selected_item(app).cloned() else {
        return Ok(());
    };
    match item.kind {
        ItemKind::Reminder { id, .. } => {
            let (today, now) = (app.today, app.now);
            let outcome = store.write(|tx| reminders::done(tx, id, today, now))?;
            app.undo.push(Undo::Completed {
                reminder: id,
                due: item.date,
            });
            app.reload(store)?;
            match outcome {
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

fn snooze_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
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
        Ok(date) if date >= app.today => date,
        Ok(date) => {
            prompt.error = Some(format!("{date} is in the past"));
            return Ok(());
        }
        Err(err) => {
            prompt.error = Some(err.to_string());
            return Ok(());
        }
    };
    let (id, now) = (prompt.reminder, app.now);
    let reminder = store.write(|tx| reminders::snooze(tx, id, date, now))?;
    app.overlay = None;
    app.reload(store)?;
    app.info(format!("Snoozed until {date}: {}", reminder.title));
    Ok(())
}

fn confirm_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        return Ok(());
    };
    let action = confirm.action;
    match key.code {
        KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
            app.overlay = None;
            match action {
                Confirmable::TrashContact(id) => {
                    let now = app.now;
                    store.write(|tx| trash::trash(tx, Item::Contact(id.0), now))?;
                    app.undo.push(Undo::Trashed(Item::Contact(id.0)));
                    app.reload(store)?;
                    app.info("Moved to the trash (u to undo)");
                }
            }
        }
        KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => app.overlay = None,
        _ => {}
    }
    Ok(())
}

fn undo(app: &mut App, store: &mut Store) -> Result {
    let Some(last) = app.undo.pop() else {
        app.info("Nothing to undo");
        return Ok(());
    };
    let now = app.now;
    match last {
        Undo::Trashed(item) => {
            store.write(|tx| trash::restore(tx, item, now))?;
            app.info("Restored from the trash");
        }
        Undo::Completed { reminder, due } => {
            store.write(|tx| reminders::reopen(tx, reminder, due, now))?;
            app.info("Reminder reopened");
        }
    }
    app.reload(store)?;
    Ok(())
}

// --- quick note --------------------------------------------------------------------------

fn open_quick_note(
    app: &mut App,
    store: &mut Store,
    text: &str,
    from_reminder: Option<crate::domain::reminder::ReminderId>,
) -> Result {
    let names = NameIndex::new(contacts::name_candidates(store.conn())?);
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
    if let Some(draft) = drafts::load(store.conn(), QUICK_NOTE)?
        && !draft.text.trim().is_empty()
    {
        open_quick_note(app, store, &draft.text, None)?;
        if let Some(Overlay::QuickNote(note)) = &mut app.overlay {
            note.input = LineInput::with_cursor(&draft.text, draft.cursor);
            note.dirty = false;
        }
        app.info("Restored your unsaved note");
    }
    Ok(())
}

fn resolve(app: &App, note: &QuickNote) -> Result<Resolved> {
    resolve_capture(
        note.input.text(),
        app.zone.datetime_of(app.now),
        &note.names,
    )
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
    note.completion = capture::name_at_cursor(note.input.text(), note.input.cursor()).map(|(range, prefix)| {
        let mut items: Vec<CompletionItem> =
            note.names.complete(prefix, 6).into_iter().map(|c| CompletionItem::Contact { name: c.display_name.clone() }).collect();
        let exact = items.iter().any(|i| matches!(i, CompletionItem::Contact { name } if name.eq_ignore_ascii_case(prefix)));
        if !prefix.is_empty() && !exact {
            items.push(CompletionItem::Create { name: capitalized(prefix) });
        }
        Completion { range, items, selected: 0 }
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

fn quick_note_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::QuickNote(note)) = &mut app.overlay else {
        return Ok(());
    };
    let completing = note
        .completion
        .as_ref()
        .is_some_and(|c| !c.items.is_empty());
    match key.code {
        KeyCode::Esc if completing => note.completion = None,
        KeyCode::Esc => {
            store.write(|tx| drafts::clear(tx, QUICK_NOTE))?;
            app.overlay = None;
            app.info("Note discarded");
            return Ok(());
        }
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
        KeyCode::Enter => return save_note(app, store),
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
    let name = match item {
        CompletionItem::Contact { name } => name,
        CompletionItem::Create { name } => {
            let now = app.now;
            store.write(|tx| contacts::insert(tx, &ContactDraft::named(&name), None, now))?;
            note.names = NameIndex::new(contacts::name_candidates(store.conn())?);
            added = Some(format!("Added {name} to your contacts"));
            name
        }
    };
    // Replace the "@prefix" (the range starts after the @) with a mention that resolves.
    let start = completion.range.start.saturating_sub(1);
    note.input
        .replace(start..completion.range.end, &format!("{} ", mention(&name)));
    note.dirty = true;
    refresh_open_note(app, true);
    if let Some(message) = added {
        app.info(message);
        app.reload_contacts(store)?;
    }
    Ok(())
}

fn save_note(app: &mut App, store: &mut Store) -> Result {
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
    let from_reminder = note.from_reminder;
    let happened_at = resolved
        .capture
        .at
        .map_or(app.now, |local| app.zone.instant_of(local));
    let (today, now) = (app.today, app.now);
    let logged = write_capture(store, &resolved, happened_at, now)?;
    if let Some(id) = from_reminder {
        // The follow-up is what this note was about: it is done now. (A reminder already
        // closed elsewhere is fine to leave alone.)
        if let Ok(Done::Completed) = store.write(|tx| reminders::done(tx, id, today, now)) {
            app.undo.push(Undo::Completed {
                reminder: id,
                due: today,
            });
        }
    }
    store.write(|tx| drafts::clear(tx, QUICK_NOTE))?;
    app.overlay = None;
    app.reload(store)?;
    let follow = logged
        .follow_up
        .map(|r| format!(" · follow-up {}", r.due_date))
        .unwrap_or_default();
    app.info(format!("Logged: {}{follow}", logged.interaction.summary));
    Ok(())
}

// --- contact form -------------------------------------------------------------------------

fn empty_form() -> ContactForm {
    ContactForm {
        editing: None,
        fields: FORM_FIELDS
            .iter()
            .map(|l| (*l, LineInput::default()))
            .collect(),
        focus: 0,
        error: None,
    }
}

fn form_for(contact: &crate::domain::contact::Contact) -> ContactForm {
    let list = |kind: FieldKind| {
        contact
            .fields
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let values = [
        contact.display_name.clone(),
        contact.company.clone().unwrap_or_default(),
        contact.title.clone().unwrap_or_default(),
        list(FieldKind::Email),
        list(FieldKind::Phone),
        contact.tags.join(" "),
        contact.cadence.map(|c| c.to_string()).unwrap_or_default(),
        contact.birthday.map(|b| b.to_string()).unwrap_or_default(),
        contact.notes.clone().unwrap_or_default(),
    ];
    ContactForm {
        editing: Some(contact.id),
        fields: FORM_FIELDS
            .iter()
            .zip(values)
            .map(|(l, v)| (*l, LineInput::new(&v)))
            .collect(),
        focus: 0,
        error: None,
    }
}

fn form_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Form(form)) = &mut app.overlay else {
        return Ok(());
    };
    let len = form.fields.len();
    match key.code {
        KeyCode::Esc => app.overlay = None,
        KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % len,
        KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + len - 1) % len,
        KeyCode::Enter => match form_draft(store, form) {
            Ok(draft) => {
                let (editing, now) = (form.editing, app.now);
                let id = store.write(|tx| match editing {
                    Some(id) => contacts::update(tx, id, &draft, now).map(|()| id),
                    None => contacts::insert(tx, &draft, None, now),
                })?;
                app.overlay = None;
                app.reload(store)?;
                if let Some(i) = app
                    .contacts
                    .visible
                    .iter()
                    .position(|&i| app.contacts.all[i].row.id == id)
                {
                    let height = app.list_height();
                    app.contacts
                        .scroll
                        .select(i, app.contacts.visible.len(), height);
                    app.reload_timeline(store)?;
                }
                app.info(format!("Saved {}", draft.display_name));
            }
            Err(err) => form.error = Some(format!("{err:#}")),
        },
        _ => {
            let focus = form.focus;
            form.fields[focus].1.handle(&key);
            form.error = None;
        }
    }
    Ok(())
}

fn form_draft(store: &Store, form: &ContactForm) -> Result<ContactDraft> {
    let value = |i: usize| form.fields[i].1.text().trim().to_owned();
    let optional = |i: usize| Some(value(i)).filter(|v| !v.is_empty());
    let name = value(0);
    if name.is_empty() {
        anyhow::bail!("a contact needs a name");
    }
    let mut draft = match form.editing {
        Some(id) => ContactDraft::from(contacts::get(store.conn(), id)?),
        None => ContactDraft::named(&name),
    };
    if draft.display_name != name {
        draft.name = NameParts::guess(&name);
        draft.display_name = name;
    }
    draft.company = optional(1);
    draft.title = optional(2);
    let split = |text: String| {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let emails = split(value(3));
    if let Some(bad) = emails.iter().find(|e| !e.contains('@')) {
        anyhow::bail!("'{bad}' is not an email address");
    }
    draft
        .fields
        .retain(|f| !matches!(f.kind, FieldKind::Email | FieldKind::Phone));
    draft.fields.extend(
        emails
            .into_iter()
            .map(|e| ContactField::new(FieldKind::Email, e)),
    );
    draft.fields.extend(
        split(value(4))
            .into_iter()
            .map(|p| ContactField::new(FieldKind::Phone, p)),
    );
    draft.tags = value(5)
        .split([' ', ','])
        .filter(|t| !t.is_empty())
        .map(|t| normalize_tag(t).ok_or_else(|| anyhow::anyhow!("'{t}' is not a tag")))
        .collect::<Result<_>>()?;
    draft.tags.sort();
    draft.tags.dedup();
    draft.cadence = optional(6).map(|e| e.parse::<Every>()).transpose()?;
    draft.birthday = optional(7).map(|b| PartialDate::parse(&b)).transpose()?;
    draft.notes = optional(8);
    Ok(draft)
}

// --- mouse --------------------------------------------------------------------------------

fn on_mouse(app: &mut App, store: &mut Store, mouse: MouseEvent) -> Result {
    if app.overlay.is_some() || app.review.is_some() {
        return Ok(());
    }
    let areas = super::ui::pane_areas(app);
    let Some((focus, area)) = areas
        .into_iter()
        .find(|(_, a)| a.contains((mouse.column, mouse.row).into()))
    else {
        return Ok(());
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = focus;
            let row = usize::from(mouse.row.saturating_sub(area.y + 1));
            let height = app.list_height();
            let (scroll, len) = match focus {
                Focus::Contacts => (&mut app.contacts.scroll, app.contacts.visible.len()),
                Focus::Timeline => (&mut app.timeline.scroll, app.timeline.rows.len()),
                Focus::Reminders => (&mut app.reminders.scroll, app.reminders.items.len()),
            };
            if mouse.row > area.y && row + scroll.offset < len {
                let index = scroll.offset + row;
                scroll.select(index, len, height);
                if focus == Focus::Contacts && !app.timeline.everyone {
                    app.reload_timeline(store)?;
                }
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let previous = app.focus;
            app.focus = focus;
            move_selection(
                app,
                store,
                if mouse.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                },
            )?;
            app.focus = previous;
        }
        _ => {}
    }
    Ok(())
}
