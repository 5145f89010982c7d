//! The weekly review: every row carries its reason, every row type takes the same actions
//! (done, snooze, log), rows dealt with stay in place and count towards the progress, and
//! the review reads at 80×24, 120×40 and 200×60. The real store, a `TestBackend`.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::Days;
use common::tui::*;
use crossterm::event::KeyCode;
use rolo::journal;
use rolo::tui::action::Action;
use rolo::tui::app::App;

/// Selects the review row whose text contains `part`.
fn select_row(app: &mut App, store: &mut rolo::store::Store, part: &str) {
    act(app, store, Action::Top);
    loop {
        let review = app.review.as_ref().unwrap();
        let row = &review.rows[review.scroll.selected].row;
        if row.item.title.contains(part) || row.item.contact.as_deref() == Some(part) {
            return;
        }
        let before = review.scroll.selected;
        act(app, store, Action::Down);
        assert_ne!(
            before,
            app.review.as_ref().unwrap().scroll.selected,
            "no row like {part}"
        );
    }
}

fn progress(app: &App) -> (usize, usize) {
    app.review.as_ref().unwrap().progress()
}

fn handled(app: &App, part: &str) -> Option<String> {
    let review = app.review.as_ref().unwrap();
    review
        .rows
        .iter()
        .find(|r| r.row.item.title.contains(part))
        .and_then(|r| r.handled.clone())
}

#[test]
fn rows_say_why_they_are_there() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    let shown = screen(&app);
    for reason in [
        "Alan Turing (Bletchley Park) · keep in touch, every 14d",
        "last 29 Oct: emailed Alan",
        "6d late",
        "Grace Hopper (US Navy) · birthday",
        "0 of 5 handled",
    ] {
        assert!(shown.contains(reason), "{reason:?} missing:\n{shown}");
    }
    // The same reasons come from the journal layer the CLI uses.
    let review = journal::review::load(&s.store, &app.clock, app.today).unwrap();
    let alan = review
        .rows
        .iter()
        .find(|r| r.item.contact.as_deref() == Some("Alan Turing"))
        .unwrap();
    assert_eq!(alan.reason.company.as_deref(), Some("Bletchley Park"));
    assert!(
        alan.reason
            .last
            .as_ref()
            .unwrap()
            .summary
            .starts_with("emailed Alan")
    );
}

#[test]
fn a_lapsed_cadence_snoozes_like_a_reminder() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    select_row(&mut app, &mut s.store, "Alan Turing");
    // Within the week: still open, on its new day, saying where it came from.
    act(&mut app, &mut s.store, Action::Snooze);
    type_text(&mut app, &mut s.store, "mon");
    key(&mut app, &mut s.store, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("put off from"), "{shown}");
    assert_eq!(progress(&app), (0, 5));
    // Past the week: handled, and gone from the reminders pane and the agenda.
    select_row(&mut app, &mut s.store, "Alan Turing");
    act(&mut app, &mut s.store, Action::Snooze);
    type_text(&mut app, &mut s.store, "2026-12-01");
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert_eq!(
        handled(&app, "Alan Turing").as_deref(),
        Some("snoozed to Tue 1 Dec")
    );
    assert_eq!(progress(&app), (1, 5));
    let week = journal::agenda::load(&s.store, &app.clock, app.today, 7).unwrap();
    assert!(!week.items().any(|i| i.title.contains("Alan")), "{week:?}");
    let later = journal::agenda::load(&s.store, &app.clock, date("2026-12-01"), 0).unwrap();
    assert!(later.items().any(|i| i.title.contains("Alan")));
    // Undo: open again, on its own date.
    act(&mut app, &mut s.store, Action::Undo);
    assert_eq!(progress(&app), (0, 5));
    assert!(
        screen(&app).contains("put off from"),
        "one undo takes back one snooze"
    );
    act(&mut app, &mut s.store, Action::Undo);
    assert!(
        !screen(&app).contains("put off from"),
        "{:?}\n{}",
        app.status,
        screen(&app)
    );
    // Logging with him resets the cadence for real; the row counts as handled.
    select_row(&mut app, &mut s.store, "Alan Turing");
    act(&mut app, &mut s.store, Action::LogFromReminder);
    type_text(&mut app, &mut s.store, "called about the paper");
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert_eq!(handled(&app, "Alan Turing").as_deref(), Some("logged"));
}

#[test]
fn a_birthday_is_acknowledged_until_next_year() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    select_row(&mut app, &mut s.store, "Grace Hopper's birthday");
    let commits = s.store.commits();
    act(&mut app, &mut s.store, Action::Done);
    assert_eq!(s.store.commits(), commits + 1);
    assert_eq!(handled(&app, "birthday").as_deref(), Some("acknowledged"));
    assert_eq!(progress(&app), (1, 5));
    // Pressed again: the row is done, nothing more is written.
    act(&mut app, &mut s.store, Action::Done);
    assert_eq!(s.store.commits(), commits + 1);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Already acknowledged")
    );
    // Off the reminders pane now; back next year.
    act(&mut app, &mut s.store, Action::Close);
    let titles = reminder_titles(&app);
    assert!(
        !titles.iter().any(|t| t.contains("Grace Hopper's birthday")),
        "{titles:?}"
    );
    let next_year = app.today.checked_add_days(Days::new(360)).unwrap();
    let agenda = journal::agenda::load(&s.store, &app.clock, next_year, 7).unwrap();
    assert!(
        agenda
            .items()
            .any(|i| i.title.contains("Grace Hopper's birthday"))
    );
}

#[test]
fn logging_from_a_birthday_row_acknowledges_it() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    select_row(&mut app, &mut s.store, "Grace Hopper's birthday");
    act(&mut app, &mut s.store, Action::LogFromReminder);
    type_text(&mut app, &mut s.store, "sent birthday wishes");
    let commits = s.store.commits();
    key(&mut app, &mut s.store, KeyCode::Enter);
    assert_eq!(s.store.commits(), commits + 1, "one note, one transaction");
    assert_eq!(handled(&app, "birthday").as_deref(), Some("logged"));
    let week = journal::agenda::load(&s.store, &app.clock, app.today, 7).unwrap();
    assert!(!week.items().any(|i| i.title.contains("birthday")));
}

#[test]
fn progress_counts_to_everyone_in_touch() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (80, 24));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    for _ in 0..5 {
        // Done on the first open row, whatever kind it is.
        act(&mut app, &mut s.store, Action::Top);
        while app.review.as_ref().unwrap().selected_open().is_none() {
            act(&mut app, &mut s.store, Action::Down);
        }
        act(&mut app, &mut s.store, Action::Done);
    }
    assert_eq!(progress(&app), (5, 5));
    let shown = screen(&app);
    assert!(shown.contains("5 of 5 handled"), "{shown}");
    assert!(shown.contains("everyone is in touch"), "{shown}");
    insta::assert_snapshot!("review_all_handled_80x24", shown);
}

#[test]
fn an_empty_week_says_so() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (80, 24));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    // Far ahead, nothing is due; overdue rows still show, so look at an empty journal.
    let mut empty = rolo::store::Store::open_in_memory().unwrap();
    let mut blank = new_app(&empty, (80, 24));
    act(&mut blank, &mut empty, Action::WeeklyReview);
    let shown = screen(&blank);
    assert!(shown.contains("Everyone is in touch"), "{shown}");
}

/// The main screen, the review and the help (scrolled to its end) at the three sizes
/// people use most.
#[test]
fn screens_at_three_sizes() {
    for (w, h) in [(80u16, 24u16), (120, 40), (200, 60)] {
        let mut s = seeded();
        let mut app = new_app(&s.store, (w, h));
        insta::assert_snapshot!(format!("main_{w}x{h}"), screen(&app));
        act(&mut app, &mut s.store, Action::WeeklyReview);
        insta::assert_snapshot!(format!("review_{w}x{h}"), screen(&app));
        act(&mut app, &mut s.store, Action::Close);
        act(&mut app, &mut s.store, Action::Help);
        key(&mut app, &mut s.store, KeyCode::Char('G'));
        insta::assert_snapshot!(format!("help_end_{w}x{h}"), screen(&app));
    }
}

/// Looking at last week: a birthday then is past, not overdue; a reminder still open from
/// then is overdue today.
#[test]
fn another_week_measures_lateness_from_today() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    act(&mut app, &mut s.store, Action::NextWeek);
    let next = screen(&app);
    assert!(
        !next.contains("Overdue    ! book the team dinner"),
        "{next}"
    );
    // Grace's birthday (Fri 20 Nov) seen from the week after it: not late.
    let zone = chrono::FixedOffset::east_opt(0).unwrap();
    app.clock = rolo::clock::Clock::fixed(now() + chrono::Duration::days(7), zone);
    app.today = app.clock.today();
    act(&mut app, &mut s.store, Action::Close);
    act(&mut app, &mut s.store, Action::WeeklyReview);
    act(&mut app, &mut s.store, Action::PreviousWeek);
    let last = screen(&app);
    let birthday = last.lines().find(|l| l.contains("birthday")).unwrap();
    assert!(!birthday.contains("overdue"), "{last}");
}

/// A handled row still opens its person.
#[test]
fn a_handled_row_opens_its_person() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    select_row(&mut app, &mut s.store, "Grace Hopper's birthday");
    act(&mut app, &mut s.store, Action::Done);
    act(&mut app, &mut s.store, Action::Open);
    assert!(
        matches!(app.overlay, Some(rolo::tui::app::Overlay::Card(_))),
        "{}",
        screen(&app)
    );
}

/// What was handled in a week stays handled for the session: moving to another week and
/// back, or closing the review and opening it again, shows the progress, not a fresh list
/// that has lost the rows dealt with.
#[test]
fn progress_survives_moving_between_weeks_and_reopening() {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    select_row(&mut app, &mut s.store, "Grace Hopper");
    act(&mut app, &mut s.store, Action::Done);
    assert_eq!(progress(&app), (1, 5));
    act(&mut app, &mut s.store, Action::NextWeek);
    assert_ne!(app.review.as_ref().unwrap().week_start, app.today);
    act(&mut app, &mut s.store, Action::PreviousWeek);
    assert_eq!(progress(&app), (1, 5), "{}", screen(&app));
    assert!(screen(&app).contains("1 of 5 handled"));
    act(&mut app, &mut s.store, Action::WeeklyReview);
    assert!(app.review.is_none());
    act(&mut app, &mut s.store, Action::WeeklyReview);
    assert_eq!(progress(&app), (1, 5));
    assert!(handled(&app, "Grace Hopper").is_some());
    // Past midnight, the week begun yesterday is still the one `w` opens.
    let started = app.review.as_ref().unwrap().week_start;
    act(&mut app, &mut s.store, Action::WeeklyReview);
    rolo::tui::update::update(
        &mut app,
        &mut s.store,
        rolo::tui::update::Msg::Tick(now() + chrono::Duration::hours(10)),
    );
    assert_ne!(app.today, started);
    act(&mut app, &mut s.store, Action::WeeklyReview);
    assert_eq!(app.review.as_ref().unwrap().week_start, started);
    assert!(handled(&app, "Grace Hopper").is_some());
}
