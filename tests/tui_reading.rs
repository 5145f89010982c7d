//! Reading in the TUI: a note's Markdown drawn, viewers that stop at their end, a filter
//! that lets go of no one, words that agree with their numbers.

#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;

use common::tui::*;
use crossterm::event::KeyCode;
use rolo::domain::interaction::{InteractionDraft, Kind};
use rolo::store::interactions;
use rolo::tui::action::Action;
use rolo::tui::app::Overlay;

#[test]
fn a_note_body_is_drawn_as_markdown_and_scrolls_to_its_end() {
    let mut s = seeded();
    let mut body =
        String::from("# Plan\n\nWe agreed on **three** things:\n\n- the draft\n- the *budget*\n\n");
    for n in 1..=60 {
        let _ = write!(body, "Line {n} of the minutes.\n\n");
    }
    body.push_str("The last line.");
    let draft = InteractionDraft {
        happened_at: days_ago(0, 10),
        kind: Kind::Meeting,
        summary: "planning meeting".to_owned(),
        body: Some(body),
        location: None,
        participants: vec![s.ada],
        tags: Vec::new(),
    };
    s.store
        .write(|tx| interactions::insert(tx, &draft, None, now()))
        .unwrap();
    let mut app = new_app(&s.store, (80, 24));
    app.reload(&s.store).unwrap();
    act(&mut app, &mut s.store, Action::FocusTimeline);
    act(&mut app, &mut s.store, Action::Top);
    act(&mut app, &mut s.store, Action::Open);
    let first = screen(&app);
    assert!(
        first.contains("- the budget") || first.contains("• the budget"),
        "{first}"
    );
    assert!(
        !first.contains("**three**") && first.contains("three"),
        "{first}"
    );
    // G: the end, and j past it stays there; k moves back one.
    key(&mut app, &mut s.store, KeyCode::Char('G'));
    let end = screen(&app);
    assert!(end.contains("The last line."), "{end}");
    let top = |app: &rolo::tui::app::App| match &app.overlay {
        Some(Overlay::Note(view)) => view.scroll.top,
        _ => panic!("the note closed"),
    };
    let at_end = top(&app).min(10_000);
    key(&mut app, &mut s.store, KeyCode::Char('j'));
    key(&mut app, &mut s.store, KeyCode::Char('j'));
    screen(&app);
    assert_eq!(screen(&app), end, "j at the end stays at the end");
    key(&mut app, &mut s.store, KeyCode::Char('k'));
    assert!(top(&app) < at_end || at_end == u16::MAX, "k moves back up");
    assert_ne!(screen(&app), end);
    key(&mut app, &mut s.store, KeyCode::Char('g'));
    assert!(screen(&app).contains("Plan"));
}

#[test]
fn clearing_the_filter_keeps_the_person_it_found() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::Filter);
    type_text(&mut app, &mut s.store, "katherine");
    let found = app.selected_contact();
    assert_ne!(found, Some(s.ada));
    key(&mut app, &mut s.store, KeyCode::Esc);
    assert_eq!(app.contacts.visible.len(), 4, "the filter is cleared");
    assert_eq!(app.selected_contact(), found);
}

#[test]
fn the_status_bar_never_cuts_a_hint() {
    let s = seeded();
    for width in [40u16, 60, 79, 80, 100, 120, 200] {
        let app = new_app(&s.store, (width, 24));
        let shown = screen(&app);
        let status = shown.lines().last().unwrap().trim_matches('"').trim_end();
        assert!(
            status.ends_with("help") || status.ends_with("quit") || status.ends_with("journal.db"),
            "{width}: {status:?}"
        );
        assert!(status.contains("? help"), "{width}: {status:?}");
    }
}

#[test]
fn counts_agree_with_their_nouns() {
    let mut s = seeded();
    let mira = s
        .store
        .write(|tx| {
            rolo::store::contacts::insert(
                tx,
                &rolo::domain::contact::ContactDraft::named("Mira Sol"),
                None,
                now(),
            )
        })
        .unwrap();
    let draft = InteractionDraft {
        happened_at: days_ago(3, 10),
        kind: Kind::Call,
        summary: "call about orbits".to_owned(),
        body: None,
        location: None,
        participants: vec![mira],
        tags: Vec::new(),
    };
    s.store
        .write(|tx| interactions::insert(tx, &draft, None, now()))
        .unwrap();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::Filter);
    type_text(&mut app, &mut s.store, "mira");
    key(&mut app, &mut s.store, KeyCode::Enter);
    act(&mut app, &mut s.store, Action::Open);
    let card = screen(&app);
    assert!(card.contains("1 interaction in all"), "{card}");
    // The month labels under the bars.
    assert!(card.contains("Oct Nov"), "{card}");
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::Open);
    let ada = screen(&app);
    assert!(ada.contains("2 interactions in all"), "{ada}");
}

#[test]
fn e_in_the_card_edits_the_person_shown() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    // The card of someone who is not the contacts pane's selection: opened from the review.
    act(&mut app, &mut s.store, Action::WeeklyReview);
    act(&mut app, &mut s.store, Action::Top);
    let shown = app.review.as_ref().unwrap().rows[0]
        .row
        .item
        .contact
        .clone()
        .unwrap();
    act(&mut app, &mut s.store, Action::Open);
    key(&mut app, &mut s.store, KeyCode::Char('e'));
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("e opened no form: {}", screen(&app));
    };
    assert_eq!(form.field("Name").unwrap().input.text(), shown);
}
