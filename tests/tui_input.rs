//! What you type does what you meant and nothing else: a paste is text in every mode, no
//! key sequence panics, the `@` popup never guesses, a repeated key acts once, selections
//! follow records, destructive prompts default to no, and forms keep others' changes.
//! `update` driven on an in-memory (or temp-file) journal.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::FixedOffset;
use common::tui::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use rolo::clock::Clock;
use rolo::domain::record::Records;
use rolo::store::{Store, records, reminders};
use rolo::tui::action::Action;
use rolo::tui::app::{App, Overlay};
use rolo::tui::update::{Msg, update};

fn dump(store: &Store) -> Records {
    let mut r = records::dump(store.conn()).unwrap();
    r.drafts.clear(); // typing keeps drafts: that is the point
    r
}

fn clock() -> Clock {
    Clock::fixed(now(), FixedOffset::east_opt(0).unwrap())
}

fn ctrl(app: &mut App, store: &mut Store, c: char) {
    update(
        app,
        store,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

/// How a test gets the app into one mode.
type Enter = fn(&mut App, &mut Store);

/// Every input mode the TUI has, entered from a fresh app on the seeded journal.
fn modes() -> Vec<(&'static str, Enter)> {
    vec![
        ("contacts pane", |app, store| {
            act(app, store, Action::FocusContacts);
        }),
        ("timeline pane", |app, store| {
            act(app, store, Action::FocusTimeline);
        }),
        ("reminders pane", |app, store| {
            act(app, store, Action::FocusReminders);
        }),
        ("quick note", |app, store| {
            act(app, store, Action::QuickNote);
        }),
        ("add form", |app, store| act(app, store, Action::AddContact)),
        ("contact form", |app, store| {
            act(app, store, Action::EditContact);
        }),
        ("interaction form", |app, store| {
            act(app, store, Action::FocusTimeline);
            act(app, store, Action::EditInteraction);
        }),
        ("reminder form", |app, store| {
            select_reminder(app, store, "send Ada the paper");
            act(app, store, Action::EditReminder);
        }),
        ("filter", |app, store| act(app, store, Action::Filter)),
        ("snooze prompt", |app, store| {
            select_reminder(app, store, "send Ada the paper");
            act(app, store, Action::Snooze);
        }),
        ("trash prompt", |app, store| {
            act(app, store, Action::DeleteContact);
        }),
        ("weekly review", |app, store| {
            act(app, store, Action::WeeklyReview);
        }),
        ("help", |app, store| act(app, store, Action::Help)),
        ("contact card", |app, store| act(app, store, Action::Open)),
        ("note view", |app, store| {
            act(app, store, Action::FocusTimeline);
            act(app, store, Action::Open);
        }),
        ("search", |app, store| {
            act(app, store, Action::Search);
            type_text(app, store, "ada");
        }),
        ("timeline filter", |app, store| {
            act(app, store, Action::FilterTimeline);
        }),
        ("import path", |app, store| act(app, store, Action::Import)),
        ("note opened from a search", |app, store| {
            act(app, store, Action::Search);
            type_text(app, store, "paper");
            key(app, store, KeyCode::Enter);
        }),
    ]
}

/// Letters that are all key bindings somewhere: done, delete, yes, snooze, quit, panes.
const KEYS_AS_TEXT: &str = "coffee with @ada re: hiring\n3. dig into options\nd D y s q x u\n1 2 3";

#[test]
fn a_paste_is_never_a_command_in_any_mode() {
    for (mode, enter) in modes() {
        let mut s = seeded();
        let mut app = new_app(&s.store, (120, 40));
        enter(&mut app, &mut s.store);
        let before = dump(&s.store);
        let overlay_before = format!("{:?}", app.overlay.as_ref().map(std::mem::discriminant));
        update(&mut app, &mut s.store, Msg::Paste(KEYS_AS_TEXT.to_owned()));
        assert!(!app.quit, "{mode}: a pasted q quit");
        assert_eq!(
            dump(&s.store),
            before,
            "{mode}: a paste changed the journal"
        );
        match &app.overlay {
            Some(Overlay::QuickNote(note)) => assert!(
                note.input.text().contains("3. dig into options"),
                "{mode}: {:?}",
                note.input.text()
            ),
            Some(Overlay::Form(form)) => assert!(
                form.fields[form.focus]
                    .input
                    .text()
                    .contains("dig into options"),
                "{mode}"
            ),
            Some(Overlay::Snooze(prompt)) => {
                assert!(prompt.input.text().contains("dig into options"), "{mode}");
            }
            Some(Overlay::Confirm(_)) => assert_eq!(
                format!("{:?}", app.overlay.as_ref().map(std::mem::discriminant)),
                overlay_before,
                "{mode}: the question stays, unanswered"
            ),
            Some(Overlay::Search(view)) => {
                assert!(view.input.text().contains("dig into options"), "{mode}");
            }
            Some(Overlay::Import(view)) => {
                assert!(view.input.text().contains("dig into options"), "{mode}");
                assert!(view.preview.is_none(), "{mode}: a paste previewed a file");
            }
            None if app.contacts.filtering => {
                assert!(app.contacts.filter.text().contains("dig into"), "{mode}");
            }
            None if app.timeline.filtering => {
                assert!(app.timeline.filter.text().contains("dig into"), "{mode}");
            }
            other => panic!("{mode}: the paste went nowhere: {other:?}"),
        }
    }
}

#[test]
fn a_three_line_quick_note() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (100, 30));
    act(&mut app, &mut s.store, Action::QuickNote);
    update(
        &mut app,
        &mut s.store,
        Msg::Paste("coffee with @ada #hiring re: the Lisbon role !fri send the deck\n- she wants a small team\n- ask about remote".into()),
    );
    insta::assert_snapshot!(screen(&app));
    key(&mut app, &mut s.store, KeyCode::Enter);
    let logged = &app.timeline.rows[0];
    assert_eq!(logged.summary, "coffee with Ada re: the Lisbon role");
    assert_eq!(
        logged.body.as_deref(),
        Some("- she wants a small team\n- ask about remote")
    );
}

#[test]
fn alt_enter_and_ctrl_j_start_a_new_line() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (100, 30));
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "call with @alan");
    update(
        &mut app,
        &mut s.store,
        Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)),
    );
    type_text(&mut app, &mut s.store, "first");
    ctrl(&mut app, &mut s.store, 'j');
    type_text(&mut app, &mut s.store, "second");
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        panic!()
    };
    assert_eq!(note.input.text(), "call with @alan\nfirst\nsecond");
}

fn any_msg() -> impl Strategy<Value = Msg> {
    let text = prop_oneof![
        "\\PC{0,8}",
        Just("\u{a0}".to_owned()),
        Just("\u{3000}".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("👩\u{200d}💻".to_owned()),
        Just("🇰🇷".to_owned()),
        Just("@".to_owned()),
        Just("\n".to_owned()),
    ];
    let code = prop_oneof![
        any::<char>().prop_map(KeyCode::Char),
        prop_oneof![
            Just('j'),
            Just('k'),
            Just('d'),
            Just('D'),
            Just('y'),
            Just('n'),
            Just('@'),
            Just(' '),
            Just('\u{a0}'),
            Just('\u{3000}'),
            Just('u'),
            Just('U'),
            Just('e'),
            Just('x'),
            Just('s'),
            Just('w'),
            Just('/')
        ]
        .prop_map(KeyCode::Char),
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Backspace),
        Just(KeyCode::Delete),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::PageDown),
    ];
    let modifiers = prop_oneof![
        6 => Just(KeyModifiers::NONE),
        1 => Just(KeyModifiers::CONTROL),
        1 => Just(KeyModifiers::ALT),
        1 => Just(KeyModifiers::SHIFT),
    ];
    prop_oneof![
        8 => (code, modifiers).prop_map(|(c, m)| {
            // Ctrl-C would end the session and ctrl-z suspend it: fuzz what stays open.
            if m == KeyModifiers::CONTROL && matches!(c, KeyCode::Char('c' | 'z')) {
                Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
            } else {
                Msg::Key(KeyEvent::new(c, m))
            }
        }),
        1 => text.prop_map(Msg::Paste),
        1 => (1u16..140, 1u16..50).prop_map(|(w, h)| Msg::Resize(w, h)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("ROLO_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(48)
    ))]
    /// Any keys and pastes — Unicode spaces, combining marks, emoji, ZWJ sequences — in any
    /// mode, at any size: no panic, and the screen still draws.
    #[test]
    fn no_input_in_any_mode_panics(
        mode in 0..modes().len(),
        msgs in proptest::collection::vec(any_msg(), 1..50),
    ) {
        let mut s = seeded();
        let mut app = new_app(&s.store, (100, 30));
        (modes()[mode].1)(&mut app, &mut s.store);
        for msg in msgs {
            update(&mut app, &mut s.store, msg);
            if app.quit {
                break;
            }
            screen(&app);
        }
    }
}

/// `call @a` Enter saves — with the command line's error for an ambiguous name, not a guess.
#[test]
fn enter_saves_and_never_takes_an_unchosen_completion() {
    let mut s = seeded();
    let before = dump(&s.store);
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "call @a");
    key(&mut app, &mut s.store, KeyCode::Enter);
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("'a' matches"),
        "{status:?}"
    );
    assert_eq!(dump(&s.store), before, "nothing saved");
    // `ping them @` Enter: nobody is attached who was not named.
    ctrl(&mut app, &mut s.store, 'u');
    type_text(&mut app, &mut s.store, "ping them @");
    key(&mut app, &mut s.store, KeyCode::Enter);
    key(&mut app, &mut s.store, KeyCode::Enter);
    let after = dump(&s.store);
    let new: Vec<_> = after
        .interactions
        .iter()
        .filter(|i| !before.interactions.contains(i))
        .collect();
    assert!(new.iter().all(|i| i.participants.is_empty()), "{new:?}");
    // ↓ chooses, and then Enter takes the choice.
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "lunch with @gr");
    key(&mut app, &mut s.store, KeyCode::Down);
    key(&mut app, &mut s.store, KeyCode::Enter);
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        panic!()
    };
    assert_eq!(note.input.text(), "lunch with @\"Grace Hopper\" ");
}

/// Enter on a note naming someone unknown (or several people) does not send the user to a
/// shell: the cursor goes to that @name and its picker opens, "+ new contact" among it;
/// choosing and Enter again saves the note with them.
#[test]
fn an_unknown_name_opens_its_picker_on_enter() {
    let mut s = seeded();
    let before = dump(&s.store);
    let mut app = new_app(&s.store, (80, 24));
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "coffee with @zoltan about jobs");
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert_eq!(dump(&s.store), before, "nothing saved yet");
    let status = app.status.clone().unwrap();
    assert!(
        status.text.contains("Nobody is called 'zoltan'"),
        "{status:?}"
    );
    assert!(!status.text.contains("rolo add"), "{status:?}");
    {
        let Some(Overlay::QuickNote(note)) = &app.overlay else {
            panic!("the note closed")
        };
        let completion = note.completion.as_ref().expect("the picker is open");
        assert_eq!(completion.selected, None, "nothing chosen for the user");
        assert_eq!(
            &note.input.text()[..note.input.cursor()],
            "coffee with @zoltan"
        );
    }
    key(&mut app, &mut s.store, KeyCode::Tab); // "+ new contact"
    key(&mut app, &mut s.store, KeyCode::Tab); // taken
    key(&mut app, &mut s.store, KeyCode::Enter);
    let saved = dump(&s.store);
    assert!(saved.contacts.iter().any(|c| c.display_name == "Zoltan"));
    assert!(
        saved
            .interactions
            .iter()
            .any(|i| i.summary.starts_with("coffee with Zoltan"))
    );
    // Several people: the command line's words, and the picker.
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "call @a");
    key(&mut app, &mut s.store, KeyCode::Enter);
    let status = app.status.clone().unwrap();
    assert!(status.text.contains("'a' matches"), "{status:?}");
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        panic!()
    };
    assert!(note.completion.is_some(), "no picker for an ambiguous name");
}

/// "+ new contact" is never chosen by itself, and the contact is created only with the note
/// (and taken back with it).
#[test]
fn a_new_contact_waits_for_the_note() {
    let mut s = seeded();
    let before = dump(&s.store);
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "met @adaa");
    {
        let Some(Overlay::QuickNote(note)) = &app.overlay else {
            panic!()
        };
        assert_eq!(
            note.completion.as_ref().unwrap().selected,
            None,
            "nothing pre-selected"
        );
    }
    key(&mut app, &mut s.store, KeyCode::Tab); // chooses "+ new contact"
    key(&mut app, &mut s.store, KeyCode::Tab); // takes it
    key(&mut app, &mut s.store, KeyCode::Esc); // keeps the note as a draft
    assert_eq!(dump(&s.store), before, "no contact yet");
    act(&mut app, &mut s.store, Action::QuickNote);
    key(&mut app, &mut s.store, KeyCode::Enter);
    let saved = dump(&s.store);
    assert!(saved.contacts.iter().any(|c| c.display_name == "Adaa"));
    let note = saved
        .interactions
        .iter()
        .find(|i| i.summary == "met Adaa")
        .unwrap();
    assert_eq!(note.participants.len(), 1);
    act(&mut app, &mut s.store, Action::Undo);
    let undone = dump(&s.store);
    assert_eq!(
        undone.contacts.len(),
        before.contacts.len(),
        "undone with the note"
    );
}

#[test]
fn a_repeated_key_acts_on_one_record() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    select_reminder(&mut app, &mut s.store, "send Ada the paper");
    let open = reminders::open(s.store.conn(), None).unwrap().len();
    for _ in 0..3 {
        key(&mut app, &mut s.store, KeyCode::Char('d'));
    }
    assert_eq!(
        reminders::open(s.store.conn(), None).unwrap().len(),
        open - 1
    );
    assert!(app.status.as_ref().unwrap().text.contains("Already done"));
    // Moving on lets the row go; the next d acts on the next row.
    key(&mut app, &mut s.store, KeyCode::Char('j'));
    key(&mut app, &mut s.store, KeyCode::Char('d'));
    assert_eq!(
        reminders::open(s.store.conn(), None).unwrap().len(),
        open - 2
    );
}

#[test]
fn the_selection_follows_its_record_through_outside_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut store = Store::open(&path).unwrap();
    let clock = clock();
    rolo::journal::contacts::add(
        &mut store,
        &clock,
        &rolo::domain::contact::ContactDraft::named("Ada Lovelace"),
        false,
    )
    .unwrap();
    for (title, on) in [("call Ada", "in 2 days"), ("book room", "in 5 days")] {
        rolo::journal::reminders::remind(&mut store, &clock, title, on, None).unwrap();
    }
    let mut app = new_app(&store, (120, 40));
    act(&mut app, &mut store, Action::FocusReminders);
    act(&mut app, &mut store, Action::Top);
    assert_eq!(
        app.reminders.items[app.reminders.scroll.selected].title,
        "call Ada"
    );
    // Another shell adds one that sorts first.
    let mut other = Store::open(&path).unwrap();
    rolo::journal::reminders::remind(&mut other, &clock, "aaa", "today", None).unwrap();
    update(&mut app, &mut store, Msg::Tick(now()));
    assert_eq!(app.reminders.items.len(), 3);
    key(&mut app, &mut store, KeyCode::Char('d'));
    let status = app.status.clone().unwrap().text;
    assert!(status.starts_with("Done: call Ada"), "{status}");
}

#[test]
fn enter_means_no_on_every_destructive_prompt() {
    let prompts: [(&str, Enter); 3] = [
        ("contact", |app, store| {
            act(app, store, Action::DeleteContact);
        }),
        ("interaction", |app, store| {
            act(app, store, Action::FocusTimeline);
            act(app, store, Action::TrashInteraction);
        }),
        ("reminder", |app, store| {
            select_reminder(app, store, "send Ada the paper");
            act(app, store, Action::TrashReminder);
        }),
    ];
    for (what, ask) in prompts {
        let mut s = seeded();
        let before = dump(&s.store);
        let mut app = new_app(&s.store, (120, 40));
        ask(&mut app, &mut s.store);
        let Some(Overlay::Confirm(confirm)) = &app.overlay else {
            panic!("{what}: asks first")
        };
        assert!(
            confirm.message.ends_with("(y/N)"),
            "{what}: {}",
            confirm.message
        );
        key(&mut app, &mut s.store, KeyCode::Enter);
        assert!(app.overlay.is_none());
        assert_eq!(dump(&s.store), before, "{what}: Enter deleted something");
    }
}

#[test]
fn ctrl_c_in_a_changed_form_asks_first() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::AddContact);
    type_text(&mut app, &mut s.store, "Hedy Lamarr");
    ctrl(&mut app, &mut s.store, 'c');
    assert!(!app.quit, "not at once");
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!()
    };
    assert!(form.confirm_discard && form.leaving);
    key(&mut app, &mut s.store, KeyCode::Char('n'));
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("n goes back to the form")
    };
    assert_eq!(form.fields[0].input.text(), "Hedy Lamarr");
    ctrl(&mut app, &mut s.store, 'c');
    key(&mut app, &mut s.store, KeyCode::Char('y'));
    assert!(app.quit, "y discards and quits");
}

/// The form writes back what the user changed onto the record as it is then: a tag, an
/// email, a company and a cadence added from another shell meanwhile all stay.
#[test]
fn the_edit_form_keeps_what_others_changed_meanwhile() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::EditContact);
    for _ in 0..3 {
        key(&mut app, &mut s.store, KeyCode::Tab);
    }
    type_text(&mut app, &mut s.store, "Countess");
    rolo::journal::contacts::edit(&mut s.store, &clock(), s.ada, false, |d| {
        d.tags.push("poet".into());
        d.fields.push(rolo::domain::contact::ContactField::new(
            rolo::domain::contact::FieldKind::Email,
            "ada@example.com",
        ));
        d.company = Some("Babbage & Co".into());
        d.cadence = Some("2w".parse().unwrap());
        Ok(())
    })
    .unwrap();
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.status);
    let ada = rolo::store::contacts::get(s.store.conn(), s.ada).unwrap();
    assert_eq!(ada.title.as_deref(), Some("Countess"));
    assert!(ada.tags.contains(&"poet".to_owned()));
    assert_eq!(ada.fields.len(), 1);
    assert_eq!(ada.company.as_deref(), Some("Babbage & Co"));
    assert_eq!(ada.cadence.map(|c| c.to_string()).as_deref(), Some("2w"));
}
