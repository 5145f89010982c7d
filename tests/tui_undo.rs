//! The TUI's forms keep what they do not touch, and `u`/`U` take back exactly the last
//! change and do it again: `update` driven on an in-memory journal.

#![allow(clippy::unwrap_used)]

mod common;

use common::tui::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rolo::domain::record::Records;
use rolo::journal::import;
use rolo::store::{Store, records, reminders};
use rolo::tui::action::Action;
use rolo::tui::app::{App, Overlay};
use rolo::tui::update::{Msg, update};

fn dump(store: &Store) -> Records {
    records::dump(store.conn()).unwrap()
}

fn ctrl(app: &mut App, store: &mut Store, c: char) {
    update(
        app,
        store,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

/// A journal holding the rich fixture cards (Apple groups, PHOTO, RELATED, labels, ADR…).
fn rich() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let (cards, skipped) =
        import::read_vcards(std::path::Path::new("tests/fixtures/rich-4.0.vcf"), false).unwrap();
    assert!(skipped.is_empty());
    let clock = rolo::clock::Clock::fixed(now(), chrono::FixedOffset::east_opt(0).unwrap());
    import::run(
        &mut store,
        &clock,
        cards,
        vec![],
        &import::Options::default(),
        &mut |_, _| {},
    )
    .unwrap();
    store
}

fn open_form_on(app: &mut App, store: &mut Store, name: &str) {
    act(app, store, Action::FocusContacts);
    act(app, store, Action::Top);
    while app.contacts.selected().unwrap().row.display_name != name {
        act(app, store, Action::Down);
    }
    act(app, store, Action::EditContact);
    assert!(matches!(app.overlay, Some(Overlay::Form(_))));
}

#[test]
fn the_contact_form_keeps_what_it_does_not_change_exactly() {
    let mut store = rich();
    let before = dump(&store);
    let mut app = new_app(&store, (120, 40));
    for name in ["Ada Lovelace", "Grace Hopper", "李小龍"] {
        // Enter on an untouched form: nothing is written.
        open_form_on(&mut app, &mut store, name);
        key(&mut app, &mut store, KeyCode::Enter);
        assert!(app.overlay.is_none());
        assert_eq!(dump(&store), before, "{name}: Enter without a change");
        // Every field visited, a letter typed and taken back: still nothing.
        open_form_on(&mut app, &mut store, name);
        for _ in 0..17 {
            key(&mut app, &mut store, KeyCode::Char('x'));
            key(&mut app, &mut store, KeyCode::Backspace);
            key(&mut app, &mut store, KeyCode::Tab);
        }
        key(&mut app, &mut store, KeyCode::Enter);
        assert_eq!(dump(&store), before, "{name}: typed and taken back");
    }
    // One field changed: only that field (and the change time) differ.
    open_form_on(&mut app, &mut store, "Ada Lovelace");
    for _ in 0..2 {
        key(&mut app, &mut store, KeyCode::Tab);
    }
    ctrl(&mut app, &mut store, 'u');
    type_text(&mut app, &mut store, "Difference Engines");
    key(&mut app, &mut store, KeyCode::Enter);
    let after = dump(&store);
    let (old, new) = (
        before
            .contacts
            .iter()
            .find(|c| c.display_name == "Ada Lovelace")
            .unwrap(),
        after
            .contacts
            .iter()
            .find(|c| c.display_name == "Ada Lovelace")
            .unwrap(),
    );
    assert_eq!(new.company.as_deref(), Some("Difference Engines"));
    let mut expected = old.clone();
    expected.company.clone_from(&new.company);
    expected.updated_at = new.updated_at;
    assert_eq!(
        new, &expected,
        "nothing else changed: labels, groups, extras, order"
    );
    // And undo puts it back exactly (but for the change time).
    act(&mut app, &mut store, Action::Undo);
    let undone = dump(&store);
    let back = undone
        .contacts
        .iter()
        .find(|c| c.display_name == "Ada Lovelace")
        .unwrap();
    assert_eq!(
        records::contact(store.conn(), &back.uid)
            .unwrap()
            .unwrap()
            .company,
        old.company
    );
    let mut old_stamped = old.clone();
    old_stamped.updated_at = back.updated_at;
    assert_eq!(back, &old_stamped);
}

#[test]
fn u_after_a_snooze_reverts_that_snooze_and_nothing_else() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    select_reminder(&mut app, &mut s.store, "send Ada the paper");
    let done_id = reminder_id(&app);
    act(&mut app, &mut s.store, Action::Done);
    select_reminder(&mut app, &mut s.store, "ask Grace about the talk");
    let snoozed_id = reminder_id(&app);
    let before_snooze = reminders::get(s.store.conn(), snoozed_id).unwrap();
    act(&mut app, &mut s.store, Action::Snooze);
    key(&mut app, &mut s.store, KeyCode::Down);
    key(&mut app, &mut s.store, KeyCode::Down); // "next week"
    key(&mut app, &mut s.store, KeyCode::Enter);
    let snoozed = reminders::get(s.store.conn(), snoozed_id).unwrap();
    assert_eq!(snoozed.snooze_count, 1);
    act(&mut app, &mut s.store, Action::Undo);
    let status = app.status.clone().unwrap().text;
    assert!(
        status.contains("Undid: snoozed 'ask Grace about the talk'"),
        "{status}"
    );
    let after = reminders::get(s.store.conn(), snoozed_id).unwrap();
    assert_eq!(
        (after.due_date, after.snooze_count),
        (before_snooze.due_date, 0)
    );
    let done = reminders::get(s.store.conn(), done_id).unwrap();
    assert_eq!(done.status.as_str(), "done", "the earlier done stays done");
    // Redo snoozes it again; a second undo takes back the done.
    act(&mut app, &mut s.store, Action::Redo);
    assert_eq!(
        reminders::get(s.store.conn(), snoozed_id)
            .unwrap()
            .snooze_count,
        1
    );
    act(&mut app, &mut s.store, Action::Undo);
    act(&mut app, &mut s.store, Action::Undo);
    assert_eq!(
        reminders::get(s.store.conn(), done_id)
            .unwrap()
            .status
            .as_str(),
        "open"
    );
}

fn reminder_id(app: &App) -> rolo::domain::reminder::ReminderId {
    match app.reminders.items[app.reminders.scroll.selected].kind {
        rolo::domain::agenda::ItemKind::Reminder { id, .. } => id,
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn undo_and_redo_across_log_edit_add_and_delete() {
    let mut s = seeded();
    let original = dump(&s.store);
    let mut app = new_app(&s.store, (120, 40));
    // Log.
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(
        &mut app,
        &mut s.store,
        "coffee with @alan about morphogenesis",
    );
    key(&mut app, &mut s.store, KeyCode::Enter);
    let logged = dump(&s.store);
    assert_eq!(logged.interactions.len(), original.interactions.len() + 1);
    // Edit Ada's title.
    act(&mut app, &mut s.store, Action::FocusContacts);
    act(&mut app, &mut s.store, Action::Top);
    act(&mut app, &mut s.store, Action::EditContact);
    for _ in 0..3 {
        key(&mut app, &mut s.store, KeyCode::Tab);
    }
    type_text(&mut app, &mut s.store, "Countess");
    key(&mut app, &mut s.store, KeyCode::Enter);
    // Add someone.
    act(&mut app, &mut s.store, Action::AddContact);
    type_text(&mut app, &mut s.store, "Hedy Lamarr");
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert_eq!(app.contacts.all.len(), 5);
    // Delete Ada's newest note (asks; y).
    act(&mut app, &mut s.store, Action::FocusContacts);
    act(&mut app, &mut s.store, Action::Top);
    act(&mut app, &mut s.store, Action::FocusTimeline);
    act(&mut app, &mut s.store, Action::Top);
    act(&mut app, &mut s.store, Action::TrashInteraction);
    key(&mut app, &mut s.store, KeyCode::Char('y'));
    let everything = dump(&s.store);
    assert_eq!(
        everything
            .interactions
            .iter()
            .filter(|i| i.deleted_at.is_some())
            .count(),
        1
    );
    // Four undos take the journal back to the start (but for change times), …
    for _ in 0..4 {
        act(&mut app, &mut s.store, Action::Undo);
        assert!(!app.status.as_ref().unwrap().error, "{:?}", app.status);
    }
    let undone = dump(&s.store);
    assert_eq!(undone.contacts.len(), original.contacts.len());
    assert_eq!(undone.interactions.len(), original.interactions.len());
    assert!(undone.interactions.iter().all(|i| i.deleted_at.is_none()));
    let ada = |r: &Records| {
        r.contacts
            .iter()
            .find(|c| c.display_name == "Ada Lovelace")
            .unwrap()
            .title
            .clone()
    };
    assert_eq!(ada(&undone), None);
    act(&mut app, &mut s.store, Action::Undo);
    assert_eq!(app.status.as_ref().unwrap().text, "Nothing to undo");
    // … and four redos bring every change back.
    for _ in 0..4 {
        act(&mut app, &mut s.store, Action::Redo);
        assert!(!app.status.as_ref().unwrap().error, "{:?}", app.status);
    }
    let redone = dump(&s.store);
    assert_eq!(redone.contacts.len(), everything.contacts.len());
    assert_eq!(ada(&redone).as_deref(), Some("Countess"));
    assert_eq!(
        redone
            .interactions
            .iter()
            .filter(|i| i.deleted_at.is_some())
            .count(),
        1
    );
    assert!(
        redone
            .interactions
            .iter()
            .any(|i| i.summary == "coffee with Alan about morphogenesis")
    );
}

#[test]
fn undo_refuses_to_overwrite_a_change_made_elsewhere() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::EditContact);
    for _ in 0..2 {
        key(&mut app, &mut s.store, KeyCode::Tab);
    }
    type_text(&mut app, &mut s.store, " Ltd");
    key(&mut app, &mut s.store, KeyCode::Enter);
    // Another window changes Ada meanwhile.
    let clock = rolo::clock::Clock::fixed(now(), chrono::FixedOffset::east_opt(0).unwrap());
    rolo::journal::contacts::edit(&mut s.store, &clock, s.ada, false, |d| {
        d.nickname = Some("Countess".into());
        Ok(())
    })
    .unwrap();
    act(&mut app, &mut s.store, Action::Undo);
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("changed since"),
        "{status:?}"
    );
    let ada = rolo::store::contacts::get(s.store.conn(), s.ada).unwrap();
    assert_eq!(
        ada.nickname.as_deref(),
        Some("Countess"),
        "their change stays"
    );
}

#[test]
fn esc_keeps_the_quick_note_and_n_brings_it_back() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "lunch with @ada talked about looms");
    key(&mut app, &mut s.store, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert!(app.status.as_ref().unwrap().text.contains("draft"));
    act(&mut app, &mut s.store, Action::QuickNote);
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        panic!("the note is open")
    };
    assert_eq!(note.input.text(), "lunch with @ada talked about looms");
    // An edit form asks before throwing typed text away; Enter means no.
    key(&mut app, &mut s.store, KeyCode::Esc);
    act(&mut app, &mut s.store, Action::EditContact);
    type_text(&mut app, &mut s.store, "x");
    key(&mut app, &mut s.store, KeyCode::Esc);
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the form stays open")
    };
    assert!(form.confirm_discard);
    key(&mut app, &mut s.store, KeyCode::Enter);
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("Enter means no")
    };
    assert!(!form.confirm_discard && form.changed());
    key(&mut app, &mut s.store, KeyCode::Esc);
    key(&mut app, &mut s.store, KeyCode::Char('y'));
    assert!(app.overlay.is_none(), "y discards");
}

/// Two changes to one record, undone one after the other while the clock moves on (as it
/// does between key presses): the first undo's fresh stamp does not make the second look
/// like someone else's change.
#[test]
fn two_changes_to_one_record_undo_in_turn_as_time_passes() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    let zone = chrono::FixedOffset::east_opt(0).unwrap();
    let mut minute = 0;
    let mut tick = |app: &mut App| {
        minute += 1;
        app.clock = rolo::clock::Clock::fixed(now() + chrono::Duration::minutes(minute), zone);
    };
    select_reminder(&mut app, &mut s.store, "renew the conference ticket");
    let before = dump(&s.store);
    for when in ["2026-12-20", "2026-12-24"] {
        tick(&mut app);
        act(&mut app, &mut s.store, Action::Snooze);
        type_text(&mut app, &mut s.store, when);
        key(&mut app, &mut s.store, KeyCode::Enter);
        act(&mut app, &mut s.store, Action::Down);
        act(&mut app, &mut s.store, Action::Up);
        select_reminder(&mut app, &mut s.store, "renew the conference ticket");
    }
    for _ in 0..2 {
        tick(&mut app);
        act(&mut app, &mut s.store, Action::Undo);
        let status = app.status.clone().unwrap();
        assert!(!status.error, "{}", status.text);
    }
    let after = dump(&s.store);
    let due = |r: &Records| {
        r.reminders
            .iter()
            .find(|r| r.title.contains("conference"))
            .map(|r| (r.due_date, r.snooze_count, r.status.clone()))
    };
    assert_eq!(due(&after), due(&before));
}
