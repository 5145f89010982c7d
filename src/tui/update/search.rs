//! `f`: search notes and people from anywhere, with the engine `rolo search` uses, and the
//! timeline's own filter (`/` there: a kind and #tags).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Result;
use super::navigation::card;
use crate::domain::contact::ContactId;
use crate::domain::interaction::InteractionId;
use crate::journal::interactions as journal_interactions;
use crate::store::search::HitKind;
use crate::store::{Store, contacts, interactions};
use crate::tui::app::{App, Focus, NoteView, Overlay, SEARCH_HITS, TimelineFilter, ViewScroll};
use crate::tui::input::TextInput;

/// Opens an empty search.
pub(super) fn open(app: &mut App) {
    app.overlay = Some(Overlay::Search(Box::default()));
}

/// Keys in the search: typing searches as it goes, ↑ ↓ (ctrl-p ctrl-n, page keys) choose,
/// Enter opens the hit, Esc closes.
pub(super) fn on_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Search(view)) = &mut app.overlay else {
        return Ok(());
    };
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let len = view.hits.len();
    match key.code {
        KeyCode::Esc => app.overlay = None,
        KeyCode::Enter => open_hit(app, store),
        KeyCode::Down | KeyCode::Tab => view.scroll.step(1, len, 1),
        KeyCode::Char('n') if ctrl => view.scroll.step(1, len, 1),
        KeyCode::Up | KeyCode::BackTab => view.scroll.step(-1, len, 1),
        KeyCode::Char('p') if ctrl => view.scroll.step(-1, len, 1),
        KeyCode::PageDown => view.scroll.step(10, len, 1),
        KeyCode::PageUp => view.scroll.step(-10, len, 1),
        _ => {
            if view.input.handle(&key) {
                run(app, store)?;
            }
        }
    }
    Ok(())
}

/// Pasted text joins the query (one line: a line break becomes a space).
pub(super) fn paste(app: &mut App, store: &mut Store, text: &str) -> Result {
    if let Some(Overlay::Search(view)) = &mut app.overlay {
        view.input.insert_str(text);
        run(app, store)?;
    }
    Ok(())
}

/// Reads the hits for the query as typed; the first hit is selected.
fn run(app: &mut App, store: &Store) -> Result {
    let clock = app.clock;
    let Some(Overlay::Search(view)) = &mut app.overlay else {
        return Ok(());
    };
    let query = view.input.text().trim().to_owned();
    if query == view.searched {
        return Ok(());
    }
    view.hits = if query.is_empty() {
        Vec::new()
    } else {
        journal_interactions::search(store, &clock, &query, SEARCH_HITS)?
    };
    view.searched = query;
    view.scroll = crate::tui::app::Scroll::default();
    Ok(())
}

/// Reads the hits again for the query as it stands (back from a hit, or after a change):
/// what went to the trash meanwhile drops out. A failure keeps the hits shown.
pub(super) fn refresh(app: &mut App, store: &Store) {
    if let Some(Overlay::Search(view)) = &mut app.overlay {
        let selected = view.scroll.selected;
        view.searched.clear();
        if run(app, store).is_ok()
            && let Some(Overlay::Search(view)) = &mut app.overlay
        {
            let len = view.hits.len();
            view.scroll.select(selected, len, 1);
        }
    }
}

/// Opens the selected hit — a person's card, a note in full — keeping the search to come
/// back to when it closes.
fn open_hit(app: &mut App, store: &mut Store) {
    let Some(Overlay::Search(view)) = app.overlay.take() else {
        return;
    };
    let Some(hit) = view.hits.get(view.scroll.selected).cloned() else {
        app.overlay = Some(Overlay::Search(view));
        return;
    };
    // Hits are read as the query is typed: one may have gone to the trash since.
    let trashed = match hit.kind {
        HitKind::Contact => contacts::is_trashed(store.conn(), ContactId(hit.id)),
        HitKind::Interaction => interactions::is_trashed(store.conn(), InteractionId(hit.id)),
    };
    if trashed.unwrap_or(false) {
        app.overlay = Some(Overlay::Search(view));
        refresh(app, store);
        app.error(format!("{} is in the trash now", hit.title));
        return;
    }
    let opened = match hit.kind {
        HitKind::Contact => card(app, store, ContactId(hit.id)).map(|mut card| {
            card.back = Some(view.clone());
            Overlay::Card(Box::new(card))
        }),
        HitKind::Interaction => interactions::get(store.conn(), InteractionId(hit.id))
            .map(|interaction| {
                Overlay::Note(Box::new(NoteView {
                    interaction,
                    scroll: ViewScroll::default(),
                    back: Some(view.clone()),
                }))
            })
            .map_err(anyhow::Error::from),
    };
    match opened {
        Ok(overlay) => app.overlay = Some(overlay),
        Err(err) => {
            // Gone since the search (trashed elsewhere): say so, stay in the search.
            app.overlay = Some(Overlay::Search(view));
            app.error(format!("{err:#}"));
        }
    }
}

/// `/` in the timeline: start typing its filter.
pub(super) fn filter_timeline(app: &mut App) {
    app.focus = Focus::Timeline;
    app.timeline.filtering = true;
}

/// Keys while typing the timeline filter: the rows follow each reading that makes sense
/// (a half-typed `#` keeps the last good one and says why), Enter keeps the filter, Esc
/// clears it.
pub(super) fn timeline_filter_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    match key.code {
        KeyCode::Esc => {
            app.timeline.filtering = false;
            app.timeline.filter = TextInput::default();
        }
        KeyCode::Enter => {
            app.timeline.filtering = false;
            return Ok(());
        }
        KeyCode::Down | KeyCode::Up => {
            let delta = if key.code == KeyCode::Down { 1 } else { -1 };
            return super::navigation::move_selection(app, store, delta);
        }
        _ => {
            if !app.timeline.filter.handle(&key) {
                return Ok(());
            }
        }
    }
    apply_timeline_filter(app, store)
}

/// Pasted text joins the timeline filter.
pub(super) fn paste_timeline_filter(app: &mut App, store: &mut Store, text: &str) -> Result {
    app.timeline.filter.insert_str(text);
    apply_timeline_filter(app, store)
}

fn apply_timeline_filter(app: &mut App, store: &mut Store) -> Result {
    let in_use = |kind: &str| interactions::kind_in_use(store.conn(), kind).unwrap_or(false);
    match TimelineFilter::parse(app.timeline.filter.text(), &in_use) {
        Ok(filter) => {
            app.timeline.filter_error = None;
            if filter != app.timeline.narrowed {
                app.timeline.narrowed = filter;
                app.timeline.scroll = crate::tui::app::Scroll::default();
                app.timeline.rows.clear();
                app.reload_timeline(store)?;
            }
        }
        Err(why) => app.timeline.filter_error = Some(why),
    }
    Ok(())
}
