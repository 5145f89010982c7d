//! Moving around: selections in the panes and the review, opening what is selected (the
//! contact card, the full note), scrolling viewers, and the contacts filter.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Result, perform};
use crate::domain::agenda::AgendaItem;
use crate::domain::contact::ContactId;
use crate::journal::contacts as journal_contacts;
use crate::store::{Store, interactions};
use crate::tui::action::Action;
use crate::tui::app::{App, Card, Focus, NoteView, Overlay};
use crate::tui::input::TextInput;
use crate::tui::keymap::{Key, Section};

pub(super) fn move_selection(app: &mut App, store: &mut Store, delta: isize) -> Result {
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
        Focus::Reminders => {
            app.reminders
                .scroll
                .step(delta, app.reminders.items.len(), height);
            app.reminders.unsettle();
            let len = app.reminders.items.len();
            app.reminders.scroll.follow(len, height);
        }
    }
    Ok(())
}

pub(super) fn selected_item(app: &App) -> Option<&AgendaItem> {
    if let Some(review) = &app.review {
        return review.agenda.items().nth(review.scroll.selected);
    }
    (app.focus == Focus::Reminders)
        .then(|| app.reminders.items.get(app.reminders.scroll.selected))
        .flatten()
}

pub(super) fn open_selection(app: &mut App, store: &mut Store) -> Result {
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

/// The card: the contact's profile with a 12-month sparkline.
fn card(app: &App, store: &Store, id: ContactId) -> Result<Card> {
    let profile = journal_contacts::profile(store, &app.clock, id, 0)?;
    Ok(Card {
        monthly: journal_contacts::monthly(store, &app.clock, id, 12)?,
        health: profile.standing.health,
        due: profile.standing.stay_in_touch_due,
        reminders: profile.reminders,
        interaction_count: profile.interaction_count,
        contact: profile.contact,
        scroll: 0,
    })
}

pub(super) fn viewer_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
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
            let sections = [Section::Timeline, Section::Contacts];
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

pub(super) fn filter_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    match key.code {
        KeyCode::Esc => {
            app.contacts.filtering = false;
            app.contacts.filter = TextInput::default();
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
