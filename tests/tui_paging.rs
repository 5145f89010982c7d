//! The TUI loads what is on screen: the first frame reads a screenful of contacts and the
//! reminders' first rows with their counts; the rest of the contacts follow right after the
//! frame, more reminders as the selection moves down.

#![allow(clippy::unwrap_used)]

use chrono::{FixedOffset, TimeZone, Utc};
use rolo::clock::Clock;
use rolo::store::Store;
use rolo::tui::action::Action;
use rolo::tui::app::{App, Focus, REMINDERS_PAGE};
use rolo::tui::update::{Msg, update};
use rolo::tui::{keymap::Keymap, theme::Theme};

fn journal() -> (Store, Clock) {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    let clock = Clock::fixed(now, FixedOffset::east_opt(0).unwrap());
    let mut store = Store::open_in_memory().unwrap();
    rolo::journal::demo::generate(&mut store, &clock, 3, 400, 12_000).unwrap();
    (store, clock)
}

#[test]
fn the_first_frame_loads_a_screenful_and_the_rest_follows() {
    let (mut store, clock) = journal();
    let mut app = App::new(Keymap::defaults(), Theme::plain(), clock, (120, 40));
    app.reload_first_frame(&store).unwrap();
    assert!(app.contacts.partial);
    assert_eq!(app.contacts.all.len(), 80, "two screens of rows");
    assert_eq!(app.contacts.total, 400, "the count is of everyone");
    let first: Vec<String> = app.contacts.all[..5]
        .iter()
        .map(|c| c.row.display_name.clone())
        .collect();

    app.finish_loading(&store).unwrap();
    assert!(!app.contacts.partial);
    assert_eq!(app.contacts.all.len(), 400);
    let same: Vec<String> = app.contacts.all[..5]
        .iter()
        .map(|c| c.row.display_name.clone())
        .collect();
    assert_eq!(first, same, "the rows on screen do not move");

    // The reminders pane: the first page, the counts of all.
    assert_eq!(app.reminders.items.len(), REMINDERS_PAGE);
    assert!(
        app.reminders.total > 2 * REMINDERS_PAGE,
        "{}",
        app.reminders.total
    );
    assert!(app.reminders.overdue > 0);
    update(&mut app, &mut store, Msg::Action(Action::FocusReminders));
    assert_eq!(app.focus, Focus::Reminders);
    for _ in 0..REMINDERS_PAGE {
        update(&mut app, &mut store, Msg::Action(Action::Down));
    }
    assert!(
        app.reminders.items.len() >= 2 * REMINDERS_PAGE,
        "more came as the selection moved: {}",
        app.reminders.items.len()
    );
    assert_eq!(app.reminders.scroll.selected, REMINDERS_PAGE);
    let whole = rolo::journal::agenda::load(
        &store,
        &clock,
        clock.today(),
        rolo::tui::app::REMINDER_HORIZON_DAYS,
    )
    .unwrap();
    let keys: Vec<_> = whole.items().map(|i| i.key).collect();
    let loaded: Vec<_> = app.reminders.items.iter().map(|i| i.key).collect();
    assert_eq!(
        &keys[..loaded.len()],
        loaded.as_slice(),
        "in the agenda's order"
    );
    assert_eq!(app.reminders.total, keys.len());
}
