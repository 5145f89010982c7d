//! `I` in the TUI: a file's import previewed (nothing written), each possible match settled
//! there — merged into a candidate, made a new contact, or left for later — and imported
//! with those answers in one transaction; the same identity rule as `rolo import`.

#![allow(clippy::unwrap_used)]

mod common;

use common::tui::*;
use crossterm::event::KeyCode;
use rolo::clock::Clock;
use rolo::journal::import::{self, Options};
use rolo::store::Store;
use rolo::tui::action::Action;

fn import_file(store: &mut Store, path: &std::path::Path) {
    let (records, skipped) = import::read_vcards(path, false).unwrap();
    import::run(
        store,
        &Clock::system(),
        records,
        skipped,
        &Options::default(),
        &mut |_, _| {},
    )
    .unwrap();
}

fn names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = rolo::store::contacts::name_candidates(store.conn())
        .unwrap()
        .into_iter()
        .map(|c| c.display_name)
        .collect();
    names.sort();
    names
}

#[test]
fn possible_matches_are_settled_in_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let seed = dir.path().join("seed.vcf");
    std::fs::write(
        &seed,
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Sam Lee\r\nN:Lee;Sam;;;\r\nORG:Harbor Bakery\r\nEMAIL:sam@harbor.example\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kari Lund\r\nN:Lund;Kari;;;\r\nEMAIL:home@lund.example\r\nEND:VCARD\r\n",
    )
    .unwrap();
    import_file(&mut store, &seed);
    let file = dir.path().join("phone.vcf");
    std::fs::write(
        &file,
        // A namesake at another company; someone else at a shared family address; a stranger.
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Sam Lee\r\nN:Lee;Sam;;;\r\nORG:Quanta Analytics\r\nTITLE:Data Engineer\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Per Lund\r\nN:Lund;Per;;;\r\nEMAIL:home@lund.example\r\nTEL:+47 22 00 11 22\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Nia New\r\nN:New;Nia;;;\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let before = names(&store);
    let mut app = new_app(&store, (100, 30));
    act(&mut app, &mut store, Action::Import);
    type_text(&mut app, &mut store, file.to_str().unwrap());
    key(&mut app, &mut store, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("Possible matches"), "{shown}");
    assert!(shown.contains("Sam Lee → later"), "{shown}");
    assert!(shown.contains("Per Lund → later"), "{shown}");
    assert!(shown.contains("1 new"), "{shown}");
    assert_eq!(names(&store), before, "a preview writes nothing");

    // Sam: someone new (later → merge into c1 → new). Per: merged into Kari.
    key(&mut app, &mut store, KeyCode::Char(' '));
    key(&mut app, &mut store, KeyCode::Char(' '));
    key(&mut app, &mut store, KeyCode::Char('j'));
    key(&mut app, &mut store, KeyCode::Char(' '));
    let shown = screen(&app);
    assert!(shown.contains("Sam Lee → a new contact"), "{shown}");
    assert!(
        shown.contains("Per Lund → merge into Kari Lund (c2)"),
        "{shown}"
    );
    key(&mut app, &mut store, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{}", screen(&app));
    let status = app.status.clone().unwrap();
    assert!(status.text.contains("Imported"), "{status:?}");
    assert_eq!(
        names(&store),
        ["Kari Lund", "Nia New", "Sam Lee", "Sam Lee"],
        "Sam is two people, Per is Kari's card"
    );
    let kari =
        rolo::store::contacts::get(store.conn(), rolo::domain::contact::ContactId(2)).unwrap();
    assert!(
        kari.fields.iter().any(|f| f.value.contains("22 00 11 22")),
        "{kari:?}"
    );
}

#[test]
fn a_file_that_cannot_be_read_says_so_and_esc_leaves() {
    let mut store = Store::open_in_memory().unwrap();
    let mut app = new_app(&store, (80, 24));
    act(&mut app, &mut store, Action::Import);
    type_text(&mut app, &mut store, "/nonexistent/cards.vcf");
    key(&mut app, &mut store, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("cards.vcf"), "{shown}");
    assert!(app.overlay.is_some(), "the box stays for another path");
    key(&mut app, &mut store, KeyCode::Esc);
    assert!(app.overlay.is_none());
}
