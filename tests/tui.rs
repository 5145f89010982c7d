//! The TUI without a terminal: panes drawn to ratatui's `TestBackend` and snapshotted with
//! insta, and `update` driven with actions and keys on a seeded in-memory store. "Today" is
//! fixed (Wed 18 Nov 2026) and so is the time zone (UTC).

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::tui::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rolo::domain::contact::{ContactDraft, Health};
use rolo::store::{Store, contacts, interactions, reminders};
use rolo::tui::action::Action;
use rolo::tui::app::{App, Focus, Overlay};
use rolo::tui::update::{Msg, update};

// --- snapshots ------------------------------------------------------------------------------

#[test]
fn whole_screen_wide() {
    let s = seeded();
    insta::assert_snapshot!(screen(&new_app(&s.store, (120, 40))));
}

#[test]
fn whole_screen_narrow_shows_one_pane_with_tabs() {
    let s = seeded();
    insta::assert_snapshot!(screen(&new_app(&s.store, (60, 20))));
}

#[test]
fn each_pane_on_its_own() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (60, 20));
    for (action, name) in [
        (Action::FocusContacts, "contacts"),
        (Action::FocusTimeline, "timeline"),
        (Action::FocusReminders, "reminders"),
    ] {
        act(&mut app, &mut s.store, action);
        insta::assert_snapshot!(format!("pane_{name}"), screen(&app));
    }
}

#[test]
fn quick_note_preview_and_error() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(
        &mut app,
        &mut s.store,
        "lunch with @ada #mentoring talked shop !fri send the deck",
    );
    insta::assert_snapshot!("quick_note_preview", screen(&app));
    key(&mut app, &mut s.store, KeyCode::Esc);
    act(&mut app, &mut s.store, Action::QuickNote);
    // Esc kept the line as a draft and `n` brought it back: clear it for a new one.
    update(
        &mut app,
        &mut s.store,
        Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    type_text(&mut app, &mut s.store, "lunch with @nobody talked shop");
    let shown = screen(&app);
    assert!(shown.contains("✗ no contact matches 'nobody'"), "{shown}");
    insta::assert_snapshot!("quick_note_error", shown);
}

#[test]
fn weekly_review() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn contact_card_and_help() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::Open);
    insta::assert_snapshot!("card", screen(&app));
    key(&mut app, &mut s.store, KeyCode::Esc);
    act(&mut app, &mut s.store, Action::Help);
    insta::assert_snapshot!("help", screen(&app));
}

#[test]
fn every_size_draws_without_panicking() {
    let s = seeded();
    for width in [1, 2, 3, 10, 40, 79, 80, 200] {
        for height in [1, 2, 3, 5, 12, 60] {
            let app = new_app(&s.store, (width, height));
            screen(&app);
        }
    }
}

// --- behaviour ------------------------------------------------------------------------------

#[test]
fn j_and_k_change_the_timeline() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    assert_eq!(app.timeline.contact, Some(s.ada));
    assert_eq!(app.timeline.rows.len(), 2);
    key(&mut app, &mut s.store, KeyCode::Char('j'));
    key(&mut app, &mut s.store, KeyCode::Char('j'));
    assert_eq!(
        app.contacts.selected().unwrap().row.display_name,
        "Grace Hopper"
    );
    assert_eq!(
        app.timeline
            .rows
            .iter()
            .map(|i| i.summary.as_str())
            .collect::<Vec<_>>()[1],
        "meeting with Grace on COBOL standards"
    );
    key(&mut app, &mut s.store, KeyCode::Char('k'));
    assert_eq!(
        app.contacts.selected().unwrap().row.display_name,
        "Alan Turing"
    );
}

#[test]
fn done_removes_a_follow_up_and_undo_brings_it_back() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    select_reminder(&mut app, &mut s.store, "send Ada the paper");
    act(&mut app, &mut s.store, Action::Done);
    assert!(!reminder_titles(&app).contains(&"send Ada the paper".to_owned()));
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Done: send Ada the paper")
    );
    act(&mut app, &mut s.store, Action::Undo);
    assert!(reminder_titles(&app).contains(&"send Ada the paper".to_owned()));
}

#[test]
fn snooze_moves_a_reminder_and_counts_it() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    select_reminder(&mut app, &mut s.store, "book the team dinner");
    act(&mut app, &mut s.store, Action::Snooze);
    assert!(matches!(app.overlay, Some(Overlay::Snooze(_))));
    key(&mut app, &mut s.store, KeyCode::Down);
    key(&mut app, &mut s.store, KeyCode::Down);
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(app.overlay.is_none());
    let open = reminders::open(s.store.conn(), None).unwrap();
    let dinner = open
        .iter()
        .find(|r| r.title == "book the team dinner")
        .unwrap();
    assert_eq!(
        (dinner.due_date, dinner.snooze_count),
        (date("2026-11-25"), 1)
    );

    select_reminder(&mut app, &mut s.store, "ask Grace");
    act(&mut app, &mut s.store, Action::Snooze);
    type_text(&mut app, &mut s.store, "31/02");
    key(&mut app, &mut s.store, KeyCode::Enter);
    match &app.overlay {
        Some(Overlay::Snooze(prompt)) => {
            assert!(prompt.error.as_deref().unwrap().contains("ambiguous"));
        }
        other => panic!("the prompt stays open with the error: {other:?}"),
    }
}

#[test]
fn logging_from_a_stay_in_touch_row_resets_the_cadence() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    let alan_due = |app: &App| {
        app.contacts
            .all
            .iter()
            .find(|c| c.row.id == s.alan)
            .unwrap()
            .health
    };
    assert_eq!(
        alan_due(&app),
        Health::Overdue,
        "20 days since Alan, every 14 days"
    );
    select_reminder(&mut app, &mut s.store, "Catch up with Alan Turing");
    act(&mut app, &mut s.store, Action::LogFromReminder);
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        panic!("the quick note opens")
    };
    assert_eq!(note.input.text(), "@\"Alan Turing\" ");
    type_text(
        &mut app,
        &mut s.store,
        "video call about the imitation game",
    );
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.status);
    assert_eq!(alan_due(&app), Health::Ok);
    let next = app
        .reminders
        .items
        .iter()
        .find(|i| i.title.contains("Alan Turing"))
        .unwrap();
    assert_eq!(
        next.date,
        date("2026-12-02"),
        "due again 14 days from today"
    );
    let latest = interactions::timeline(
        s.store.conn(),
        &interactions::TimelineQuery {
            contact: Some(s.alan),
            limit: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        latest[0].summary,
        "Alan video call about the imitation game"
    );
}

#[test]
fn logging_from_a_follow_up_completes_it() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    select_reminder(&mut app, &mut s.store, "send Ada the paper");
    act(&mut app, &mut s.store, Action::LogFromReminder);
    type_text(&mut app, &mut s.store, "emailed the paper");
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(!reminder_titles(&app).contains(&"send Ada the paper".to_owned()));
}

/// One user action is one transaction: the note, the reminder it completes and the draft it
/// came from commit together, so a crash can never leave the note saved and its draft back.
#[test]
fn a_quick_note_from_a_reminder_is_one_transaction() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    select_reminder(&mut app, &mut s.store, "send Ada the paper");
    act(&mut app, &mut s.store, Action::LogFromReminder);
    type_text(&mut app, &mut s.store, "emailed the paper");
    update(&mut app, &mut s.store, Msg::Tick(now()));
    assert!(
        rolo::store::drafts::load(s.store.conn(), &app.session.name)
            .unwrap()
            .is_some(),
        "the tick saved the draft"
    );
    let before = s.store.commits();
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert_eq!(
        s.store.commits(),
        before + 1,
        "saving is exactly one commit"
    );
    assert!(!reminder_titles(&app).contains(&"send Ada the paper".to_owned()));
    assert!(
        rolo::store::drafts::load(s.store.conn(), &app.session.name)
            .unwrap()
            .is_none(),
        "and the draft went with it"
    );
    assert_eq!(app.timeline.rows[0].summary, "Ada emailed the paper");
}

/// The TUI's add form applies the same duplicate rule as `rolo add`.
#[test]
fn the_add_form_refuses_a_duplicate_name_like_the_command_line() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::AddContact);
    type_text(&mut app, &mut s.store, "ada  LOVELACE");
    key(&mut app, &mut s.store, KeyCode::Enter);
    let Some(Overlay::Form(form)) = &app.overlay else {
        panic!("the form stays open");
    };
    let expected = rolo::journal::contacts::DuplicateName {
        name: "ada  LOVELACE".into(),
        existing: s.ada,
    };
    assert_eq!(form.error.as_deref(), Some(expected.to_string().as_str()));
    assert_eq!(app.contacts.all.len(), 4, "nobody was added");
}

#[test]
fn delete_asks_first_and_undo_restores() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::DeleteContact);
    assert!(matches!(app.overlay, Some(Overlay::Confirm(_))));
    key(&mut app, &mut s.store, KeyCode::Char('n'));
    assert_eq!(app.contacts.all.len(), 4, "n keeps them");
    act(&mut app, &mut s.store, Action::DeleteContact);
    key(&mut app, &mut s.store, KeyCode::Char('y'));
    assert_eq!(app.contacts.all.len(), 3);
    assert!(app.contacts.all.iter().all(|c| c.row.id != s.ada));
    act(&mut app, &mut s.store, Action::Undo);
    assert!(app.contacts.all.iter().any(|c| c.row.id == s.ada));
}

#[test]
fn filter_by_fuzzy_name_and_by_tag() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    let visible = |app: &App| {
        app.contacts
            .visible
            .iter()
            .map(|&i| app.contacts.all[i].row.display_name.clone())
            .collect::<Vec<_>>()
    };
    act(&mut app, &mut s.store, Action::Filter);
    type_text(&mut app, &mut s.store, "ghpr");
    assert_eq!(visible(&app), ["Grace Hopper"]);
    assert_eq!(
        app.timeline.rows[0].summary,
        "lunch with Ada and Grace talked about compilers"
    );
    key(&mut app, &mut s.store, KeyCode::Esc);
    assert_eq!(visible(&app).len(), 4);
    act(&mut app, &mut s.store, Action::Filter);
    type_text(&mut app, &mut s.store, "#ment");
    assert_eq!(visible(&app), ["Ada Lovelace", "Grace Hopper"]);
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(
        !app.contacts.filtering,
        "Enter keeps the filter and returns to the list"
    );
    assert_eq!(visible(&app).len(), 2);
}

#[test]
fn sort_cycles_name_recent_overdue() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::CycleSort);
    assert_eq!(
        app.contacts.selected().unwrap().row.display_name,
        "Ada Lovelace",
        "selection is kept"
    );
    let first = |app: &App| {
        app.contacts.all[app.contacts.visible[0]]
            .row
            .display_name
            .clone()
    };
    act(&mut app, &mut s.store, Action::Top);
    assert_eq!(
        first(&app),
        "Ada Lovelace",
        "recent: Ada and Grace two days ago, by name"
    );
    act(&mut app, &mut s.store, Action::CycleSort);
    assert_eq!(first(&app), "Alan Turing", "most overdue first");
}

#[test]
fn quick_note_completion_inserts_a_full_mention() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::QuickNote);
    type_text(&mut app, &mut s.store, "coffee with @kat");
    key(&mut app, &mut s.store, KeyCode::Tab);
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        panic!()
    };
    assert_eq!(note.input.text(), "coffee with @\"Katherine Johnson\" ");
    type_text(&mut app, &mut s.store, "and @newperson");
    key(&mut app, &mut s.store, KeyCode::Down);
    key(&mut app, &mut s.store, KeyCode::Enter);
    let has_newperson = |app: &App| {
        app.contacts
            .all
            .iter()
            .any(|c| c.row.display_name == "Newperson")
    };
    assert!(
        !has_newperson(&app),
        "a new contact waits for the note to be saved"
    );
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.status);
    assert!(
        has_newperson(&app),
        "create new contact from the popup, on save"
    );
    assert_eq!(app.focus, Focus::Contacts);
}

#[test]
fn outside_writes_show_up_on_the_next_tick() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut store = Store::open(&path).unwrap();
    let mut app = new_app(&store, (120, 40));
    assert!(app.contacts.all.is_empty());
    let mut other = Store::open(&path).unwrap();
    other
        .write(|tx| contacts::insert(tx, &ContactDraft::named("Ada Lovelace"), None, now()))
        .unwrap();
    update(&mut app, &mut store, Msg::Tick(now()));
    assert_eq!(app.contacts.all.len(), 1);
}

#[test]
fn the_draft_is_saved_on_the_tick_and_restored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let mut store = Store::open(&path).unwrap();
    let mut app = new_app(&store, (120, 40));
    // A window whose process then dies without a word (as with kill -9).
    app.session = rolo::journal::drafts::Session {
        name: "quick-note/gone".into(),
        pid: 999_999_999,
    };
    act(&mut app, &mut store, Action::QuickNote);
    type_text(&mut app, &mut store, "half a tho");
    update(&mut app, &mut store, Msg::Tick(now()));
    drop(store);
    let mut store = Store::open(&path).unwrap();
    let mut app = new_app(&store, (120, 40));
    rolo::tui::update::restore_draft(&mut app, &mut store).unwrap();
    assert!(app.overlay.is_none(), "offered, not opened over the panes");
    assert!(app.status.as_ref().unwrap().text.contains("n to continue"));
    act(&mut app, &mut store, Action::QuickNote);
    let Some(Overlay::QuickNote(note)) = &app.overlay else {
        panic!("the draft comes back")
    };
    assert_eq!(note.input.text(), "half a tho");
}

/// Sync's state keeps its room in the status bar at 80 columns (the hints give way), and
/// `? help` stays whole beside it.
#[test]
fn the_sync_state_shows_at_80_columns() {
    let s = seeded();
    let mut app = new_app(&s.store, (80, 24));
    app.sync_label = "synced 5m ago · 2 conflicts".to_owned();
    let shown = screen(&app);
    let bar = shown.lines().last().unwrap_or_default().to_owned();
    assert!(bar.contains("2 conflicts"), "{bar}");
    assert!(bar.contains("? help"), "{bar}");
}
