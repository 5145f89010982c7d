//! Search in the TUI (`f`: notes and people, the engine `rolo search` uses) and the
//! timeline's filter (`/` there: a kind and #tags). The real store, a `TestBackend`.

#![allow(clippy::unwrap_used)]

mod common;

use common::tui::*;
use crossterm::event::KeyCode;
use rolo::store::search::HitKind;
use rolo::tui::action::Action;
use rolo::tui::app::{App, Overlay};
use rolo::tui::update::{Msg, update};

fn hits(app: &App) -> Vec<(HitKind, String)> {
    match &app.overlay {
        Some(Overlay::Search(view)) => view
            .hits
            .iter()
            .map(|h| (h.kind.clone(), h.title.clone()))
            .collect(),
        other => panic!("no search open: {other:?}"),
    }
}

fn timeline_summaries(app: &App) -> Vec<String> {
    app.timeline
        .rows
        .iter()
        .map(|i| i.summary.clone())
        .collect()
}

#[test]
fn search_finds_notes_tags_and_people_as_rolo_search_does() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    key(&mut app, &mut s.store, KeyCode::Char('f'));
    type_text(&mut app, &mut s.store, "compilers");
    // The same hits, in the same order, as the CLI's engine gives.
    let expected: Vec<(HitKind, String)> = rolo::journal::interactions::search(
        &s.store,
        &app.clock,
        "compilers",
        rolo::tui::app::SEARCH_HITS,
    )
    .unwrap()
    .into_iter()
    .map(|h| (h.kind, h.title))
    .collect();
    assert_eq!(hits(&app), expected);
    assert!(hits(&app).contains(&(
        HitKind::Interaction,
        "lunch with Ada and Grace talked about compilers".to_owned()
    )));
    // An interaction's tag is searchable: #mentoring is on the lunch only.
    for _ in 0.."compilers".len() {
        key(&mut app, &mut s.store, KeyCode::Backspace);
    }
    type_text(&mut app, &mut s.store, "mentoring");
    assert_eq!(
        hits(&app),
        [(
            HitKind::Interaction,
            "lunch with Ada and Grace talked about compilers".to_owned()
        )]
    );
    // Each hit says when and with whom.
    let shown = screen(&app);
    assert!(shown.contains("16 Nov 2026"), "{shown}");
    assert!(shown.contains("· Ada Lovelace, Grace Hopper"), "{shown}");
    assert!(shown.contains("1 match"), "{shown}");
}

#[test]
fn enter_opens_a_hit_and_closing_it_comes_back_to_the_search() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (100, 30));
    act(&mut app, &mut s.store, Action::Search);
    type_text(&mut app, &mut s.store, "morphogenesis");
    key(&mut app, &mut s.store, KeyCode::Enter);
    let Some(Overlay::Note(note)) = &app.overlay else {
        panic!("the note is not open: {:?}", app.overlay);
    };
    assert_eq!(
        note.interaction.summary,
        "emailed Alan the morphogenesis draft"
    );
    assert!(screen(&app).contains("Notes on: emailed Alan"));
    key(&mut app, &mut s.store, KeyCode::Esc);
    let Some(Overlay::Search(view)) = &app.overlay else {
        panic!("not back in the search: {:?}", app.overlay);
    };
    assert_eq!(view.input.text(), "morphogenesis");
    // A person's hit opens their card.
    for _ in 0.."morphogenesis".len() {
        key(&mut app, &mut s.store, KeyCode::Backspace);
    }
    type_text(&mut app, &mut s.store, "bletchley");
    key(&mut app, &mut s.store, KeyCode::Enter);
    let Some(Overlay::Card(card)) = &app.overlay else {
        panic!("the card is not open: {:?}", app.overlay);
    };
    assert_eq!(card.contact.display_name, "Alan Turing");
    key(&mut app, &mut s.store, KeyCode::Esc);
    assert!(matches!(app.overlay, Some(Overlay::Search(_))));
    key(&mut app, &mut s.store, KeyCode::Esc);
    assert!(app.overlay.is_none(), "esc in the search closes it");
    // A search is a search: its keys are text, not commands (q does not quit, d deletes nothing).
    act(&mut app, &mut s.store, Action::Search);
    type_text(&mut app, &mut s.store, "qd");
    assert!(!app.quit);
    let Some(Overlay::Search(view)) = &app.overlay else {
        panic!()
    };
    assert_eq!(view.input.text(), "qd");
    assert!(screen(&app).contains("Nothing matches 'qd'"));
}

#[test]
fn arrows_choose_among_many_hits_and_the_choice_stays_in_view() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (80, 24));
    act(&mut app, &mut s.store, Action::Search);
    type_text(&mut app, &mut s.store, "notes");
    let n = hits(&app).len();
    assert!(n >= 5, "{n} hits");
    for _ in 0..n + 3 {
        key(&mut app, &mut s.store, KeyCode::Down);
    }
    let Some(Overlay::Search(view)) = &app.overlay else {
        panic!()
    };
    assert_eq!(view.scroll.selected, n - 1, "stops at the last hit");
    let last = view.hits[n - 1].title.clone();
    let shown = screen(&app);
    assert!(
        shown.contains(&last[..20.min(last.len())]),
        "{last} out of view:\n{shown}"
    );
}

#[test]
fn search_results_at_three_sizes() {
    for (w, h) in [(80u16, 24u16), (120, 40), (200, 60)] {
        let mut s = seeded();
        let mut app = new_app(&s.store, (w, h));
        act(&mut app, &mut s.store, Action::Search);
        type_text(&mut app, &mut s.store, "ada");
        key(&mut app, &mut s.store, KeyCode::Down);
        insta::assert_snapshot!(format!("search_{w}x{h}"), screen(&app));
    }
}

#[test]
fn the_timeline_narrows_to_a_kind_and_tags() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::FocusTimeline);
    act(&mut app, &mut s.store, Action::ToggleEveryone);
    assert_eq!(app.timeline.rows.len(), 5);
    key(&mut app, &mut s.store, KeyCode::Char('/'));
    type_text(&mut app, &mut s.store, "milestone");
    assert_eq!(
        timeline_summaries(&app),
        ["Katherine got the Presidential Medal of Freedom"]
    );
    assert!(screen(&app).contains("everyone · milestone · 1"));
    // The rows follow typing: the start of one kind's name is that kind.
    for _ in 0.."tone".len() {
        key(&mut app, &mut s.store, KeyCode::Backspace);
    }
    assert_eq!(
        timeline_summaries(&app),
        ["Katherine got the Presidential Medal of Freedom"]
    );
    type_text(&mut app, &mut s.store, "tone");
    // A kind and a tag; then two tags, both required.
    for _ in 0.."milestone".len() {
        key(&mut app, &mut s.store, KeyCode::Backspace);
    }
    type_text(&mut app, &mut s.store, "#research");
    assert_eq!(
        timeline_summaries(&app),
        ["emailed Alan the morphogenesis draft"]
    );
    type_text(&mut app, &mut s.store, " #mentoring");
    assert!(timeline_summaries(&app).is_empty());
    assert!(screen(&app).contains("Nothing of that kind or tag here"));
    // A half-typed tag keeps the last good reading and says why.
    for _ in 0.." #mentoring".len() {
        key(&mut app, &mut s.store, KeyCode::Backspace);
    }
    type_text(&mut app, &mut s.store, " #");
    assert_eq!(
        timeline_summaries(&app),
        ["emailed Alan the morphogenesis draft"]
    );
    assert!(screen(&app).contains("'#' is not a tag"));
    // Enter keeps the filter (keys are keys again); esc on the filter clears it.
    key(&mut app, &mut s.store, KeyCode::Backspace);
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(!app.timeline.filtering);
    assert_eq!(timeline_summaries(&app).len(), 1);
    key(&mut app, &mut s.store, KeyCode::Char('/'));
    key(&mut app, &mut s.store, KeyCode::Esc);
    assert_eq!(app.timeline.rows.len(), 5);
    // One person's timeline narrows the same way.
    act(&mut app, &mut s.store, Action::ToggleEveryone);
    key(&mut app, &mut s.store, KeyCode::Char('/'));
    type_text(&mut app, &mut s.store, "call");
    assert_eq!(
        timeline_summaries(&app),
        ["call with Ada about the Analytical Engine paper"]
    );
}

#[test]
fn a_hit_trashed_since_the_search_is_not_opened() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (100, 30));
    act(&mut app, &mut s.store, Action::Search);
    type_text(&mut app, &mut s.store, "morphogenesis");
    assert_eq!(hits(&app).len(), 1);
    // Trashed from another shell while the hits are on screen.
    s.store
        .conn()
        .execute(
            "UPDATE interactions SET deleted_at = '2026-11-18T15:00:00Z' WHERE summary LIKE 'emailed Alan%'",
            [],
        )
        .unwrap();
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(
        matches!(app.overlay, Some(Overlay::Search(_))),
        "{:?}",
        app.overlay
    );
    assert!(hits(&app).is_empty(), "the trashed hit is still listed");
    assert!(screen(&app).contains("is in the trash now"));
    // Back from a card, the hits are read again: a person trashed meanwhile drops out.
    for _ in 0.."morphogenesis".len() {
        key(&mut app, &mut s.store, KeyCode::Backspace);
    }
    type_text(&mut app, &mut s.store, "navy");
    assert_eq!(hits(&app), [(HitKind::Contact, "Grace Hopper".to_owned())]);
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Card(_))));
    s.store
        .conn()
        .execute(
            "UPDATE contacts SET deleted_at = '2026-11-18T15:00:00Z' WHERE display_name = 'Grace Hopper'",
            [],
        )
        .unwrap();
    key(&mut app, &mut s.store, KeyCode::Esc);
    assert!(hits(&app).is_empty(), "{:?}", hits(&app));
}

#[test]
fn a_query_longer_than_the_screen_keeps_the_cursor_on_it() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (80, 24));
    act(&mut app, &mut s.store, Action::Search);
    update(
        &mut app,
        &mut s.store,
        Msg::Paste("compilers ".repeat(7_000)),
    );
    screen(&app);
    act(&mut app, &mut s.store, Action::Close);
    act(&mut app, &mut s.store, Action::FilterTimeline);
    update(&mut app, &mut s.store, Msg::Paste("#x".repeat(35_000)));
    screen(&app);
}

#[test]
fn help_lists_search_and_the_timeline_filter() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::Help);
    key(&mut app, &mut s.store, KeyCode::Char('/'));
    type_text(&mut app, &mut s.store, "search");
    let shown = screen(&app);
    assert!(shown.contains("f                    search"), "{shown}");
    assert!(shown.contains("Search (f)"), "{shown}");
    // The mode's title names the key as the user bound it.
    let table: rolo::tui::keymap::KeymapToml =
        toml::from_str("[timeline]\n\"!\" = \"filter-timeline\"").unwrap();
    app.keymap.apply(&table).unwrap();
    for _ in 0.."search".len() {
        key(&mut app, &mut s.store, KeyCode::Backspace);
    }
    type_text(&mut app, &mut s.store, "timeline filter");
    let shown = screen(&app);
    assert!(shown.contains("Timeline filter (!)"), "{shown}");
}

/// A kind of the user's own wins over the start of a built-in kind's name: `meet` is the
/// notes logged as `meet`, as `rolo timeline --kind meet` reads it, not the meetings.
#[test]
fn a_kind_of_ones_own_is_not_taken_for_a_prefix() {
    use rolo::domain::interaction::{InteractionDraft, Kind};
    let mut s = seeded();
    let at = days_ago(1, 10);
    let draft = InteractionDraft {
        happened_at: at,
        kind: Kind::Other("meet".into()),
        summary: "meet-up of the compiler club".into(),
        body: None,
        location: None,
        participants: vec![s.ada],
        tags: Vec::new(),
    };
    s.store
        .write(|tx| rolo::store::interactions::insert(tx, &draft, None, at))
        .unwrap();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::ToggleEveryone);
    act(&mut app, &mut s.store, Action::FilterTimeline);
    type_text(&mut app, &mut s.store, "meet");
    assert_eq!(timeline_summaries(&app), ["meet-up of the compiler club"]);
    type_text(&mut app, &mut s.store, "ing");
    assert_eq!(
        timeline_summaries(&app),
        ["meeting with Grace on COBOL standards"]
    );
}
