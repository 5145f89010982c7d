//! Moving around: selections in the panes and the review, opening what is selected (the
//! contact card, the full note), scrolling viewers, and the contacts filter.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Result, forms, perform};
use crate::domain::agenda::AgendaItem;
use crate::domain::contact::ContactId;
use crate::journal::contacts as journal_contacts;
use crate::store::{Store, interactions};
use crate::tui::action::Action;
use crate::tui::app::{App, Card, Focus, NoteView, Overlay, ViewScroll};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Key, Section};

pub(super) fn move_selection(app: &mut App, store: &mut Store, delta: isize) -> Result {
    let height = app.list_height();
    if let Some(review) = &mut app.review {
        let len = review.rows.len();
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
        Focus::Reminders => {
            app.reminders
                .scroll
                .step(delta, app.reminders.items.len(), height);
            app.reminders.unsettle();
            app.load_more_reminders(store)?;
            let len = app.reminders.items.len();
            app.reminders.scroll.follow(len, height);
        }
    }
    Ok(())
}

pub(super) fn selected_item(app: &App) -> Option<&AgendaItem> {
    if let Some(review) = &app.review {
        return review.selected_open();
    }
    (app.focus == Focus::Reminders)
        .then(|| app.reminders.items.get(app.reminders.scroll.selected))
        .flatten()
}

pub(super) fn open_selection(app: &mut App, store: &mut Store) -> Result {
    let contact = match (&app.review, app.focus) {
        // A row dealt with still opens its person.
        (Some(review), _) => review
            .rows
            .get(review.scroll.selected)
            .and_then(|r| r.row.item.contact_id),
        (None, Focus::Reminders) => selected_item(app).and_then(|i| i.contact_id),
        (None, Focus::Contacts) => app.selected_contact(),
        (None, Focus::Timeline) => {
            if let Some(interaction) = app.timeline.rows.get(app.timeline.scroll.selected) {
                let interaction = interactions::get(store.conn(), interaction.id)?;
                app.overlay = Some(Overlay::Note(Box::new(NoteView {
                    interaction,
                    scroll: ViewScroll::default(),
                    back: None,
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

/// The card: the contact's profile with a 12-month sparkline.
pub(super) fn card(app: &App, store: &Store, id: ContactId) -> Result<Card> {
    let profile = journal_contacts::profile(store, &app.clock, id, 0)?;
    Ok(Card {
        introducer: profile.introduced_by_name.clone(),
        monthly: journal_contacts::monthly(store, &app.clock, id, 12)?,
        health: profile.standing.health,
        due: profile.standing.stay_in_touch_due,
        reminders: profile.reminders,
        interaction_count: profile.interaction_count,
        contact: profile.contact,
        scroll: ViewScroll::default(),
        back: None,
    })
}

/// Lines a page key moves a viewer by: the screen less its frame.
fn page_lines(app: &App) -> i32 {
    i32::from(app.size.1.saturating_sub(6)).max(1)
}

/// The keys every scrolled text shares: j k ↓ ↑, space, page down and up, g G home end. Returns
/// whether `key` was one.
pub(super) fn scroll_key(scroll: &mut ViewScroll, key: &KeyEvent, page: i32) -> bool {
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => scroll.by(1),
        KeyCode::Up | KeyCode::Char('k') => scroll.by(-1),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll.by(page),
        KeyCode::PageUp => scroll.by(-page),
        KeyCode::Home | KeyCode::Char('g') => scroll.top = 0,
        KeyCode::End | KeyCode::Char('G') => scroll.to_end(),
        _ => return false,
    }
    true
}

pub(super) fn viewer_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let page = page_lines(app);
    let scroll = match &mut app.overlay {
        Some(Overlay::Card(card)) => &mut card.scroll,
        Some(Overlay::Note(note)) => &mut note.scroll,
        _ => return Ok(()),
    };
    if scroll_key(scroll, &key, page) {
        return Ok(());
    }
    if matches!(key.code, KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter) {
        // Back to the search it was opened from, if any.
        app.overlay = match app.overlay.take() {
            Some(Overlay::Card(card)) => card.back.map(Overlay::Search),
            Some(Overlay::Note(note)) => note.back.map(Overlay::Search),
            _ => None,
        };
        super::search::refresh(app, store);
        return Ok(());
    }
    // Other keys through the keymap, acting on what is shown (which need not be what the
    // panes have selected: a card opened from the review, a note from a search).
    let Some(k) = Key::from_event(&key) else {
        return Ok(());
    };
    match &app.overlay {
        Some(Overlay::Card(card)) => {
            let id = card.contact.id;
            match app.keymap.action(&[Section::Contacts], k) {
                Some(Action::EditContact) => forms::edit_contact(app, store, id)?,
                Some(Action::LogWithContact) => {
                    app.overlay = None;
                    super::quick_note::log_with(app, store, id)?;
                }
                _ => {}
            }
        }
        Some(Overlay::Note(note)) => {
            let id = note.interaction.id;
            match app.keymap.action(&[Section::Timeline], k) {
                Some(Action::EditInteraction) => forms::edit_interaction(app, store, id)?,
                Some(Action::EditInEditor) => return perform(app, store, Action::EditInEditor),
                _ => {}
            }
        }
        _ => {}
    }
    Ok(())
}

/// Keys in the help overlay: scrolling, `/` to filter (typing narrows it, Enter keeps it,
/// Esc clears it), Esc `q` `?` to close.
pub(super) fn help_key(app: &mut App, key: KeyEvent) {
    let page = page_lines(app);
    let Some(Overlay::Help(help)) = &mut app.overlay else {
        return;
    };
    if help.filtering {
        match key.code {
            KeyCode::Esc => {
                help.filter = TextInput::default();
                help.filtering = false;
            }
            KeyCode::Enter | KeyCode::Down | KeyCode::Up => help.filtering = false,
            _ => {
                help.filter.handle(&key);
                help.scroll = ViewScroll::default();
            }
        }
        return;
    }
    if scroll_key(&mut help.scroll, &key, page) {
        return;
    }
    match key.code {
        KeyCode::Char('/') => help.filtering = true,
        KeyCode::Esc if !help.filter.text().is_empty() => {
            help.filter = TextInput::default();
            help.scroll = ViewScroll::default();
        }
        KeyCode::Esc | KeyCode::Char('q' | '?') | KeyCode::Enter => app.overlay = None,
        _ => {}
    }
}

/// Opens or closes the help overlay.
pub(super) fn toggle_help(app: &mut App) {
    app.overlay = match app.overlay {
        Some(Overlay::Help(_)) => None,
        _ => Some(Overlay::Help(Box::default())),
    };
}

pub(super) fn filter_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    match key.code {
        KeyCode::Esc => {
            // Clearing the filter keeps the person it had found selected.
            let kept = app.selected_contact();
            app.contacts.filtering = false;
            app.contacts.filter = TextInput::default();
            app.apply_filter();
            if let Some(id) = kept {
                app.select_contact(id);
            }
            return Ok(());
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
