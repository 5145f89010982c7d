//! The TUI tests' fixture: a seeded in-memory journal at a fixed "today" (Wed 18 Nov 2026,
//! UTC), an app on it, and helpers to press keys and draw the screen.

#![allow(dead_code, clippy::unwrap_used)]

use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rolo::clock::Clock;
use rolo::domain::contact::{ContactDraft, ContactId};
use rolo::domain::interaction::{InteractionDraft, Kind};
use rolo::domain::reminder::{ReminderDraft, Source};
use rolo::domain::when::PartialDate;
use rolo::store::{Store, contacts, interactions, reminders};
use rolo::tui::action::Action;
use rolo::tui::app::App;
use rolo::tui::keymap::Keymap;
use rolo::tui::theme::Theme;
use rolo::tui::ui;
use rolo::tui::update::{Msg, update};

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 18, 15, 0, 0).unwrap()
}

pub fn days_ago(n: u64, hour: u32) -> DateTime<Utc> {
    let date = now().date_naive() - Days::new(n);
    Utc.from_utc_datetime(&date.and_hms_opt(hour, 0, 0).unwrap())
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub struct Seeded {
    pub store: Store,
    pub ada: ContactId,
    pub alan: ContactId,
}

/// Four people, a few weeks of history, and one reminder in each bucket.
#[allow(clippy::too_many_lines)] // the fixture, as data
pub fn seeded() -> Seeded {
    let mut store = Store::open_in_memory().unwrap();
    let created = days_ago(200, 9);
    let person =
        |name: &str, tags: &[&str], every: Option<&str>, birthday: Option<&str>, company: &str| {
            let mut draft = ContactDraft::named(name);
            draft.tags = tags.iter().map(|t| (*t).to_owned()).collect();
            draft.cadence = every.map(|e| e.parse().unwrap());
            draft.birthday = birthday.map(|b| PartialDate::parse(b).unwrap());
            draft.company = Some(company.to_owned());
            draft
        };
    let people = [
        person(
            "Ada Lovelace",
            &["mentor"],
            Some("30d"),
            Some("1815-12-10"),
            "Analytical Engines",
        ),
        person(
            "Grace Hopper",
            &["mentor", "compilers"],
            Some("2m"),
            Some("--11-20"),
            "US Navy",
        ),
        person(
            "Alan Turing",
            &["friend"],
            Some("14d"),
            None,
            "Bletchley Park",
        ),
        person(
            "Katherine Johnson",
            &["nasa"],
            None,
            Some("1918-08-26"),
            "NASA",
        ),
    ];
    let ids: Vec<ContactId> = store
        .write(|tx| {
            people
                .iter()
                .map(|p| contacts::insert(tx, p, None, created))
                .collect()
        })
        .unwrap();
    let (ada, grace, alan, katherine) = (ids[0], ids[1], ids[2], ids[3]);
    let notes = [
        (
            2,
            Kind::Meal,
            "lunch with Ada and Grace talked about compilers",
            vec![ada, grace],
            vec!["mentoring"],
        ),
        (
            9,
            Kind::Call,
            "call with Ada about the Analytical Engine paper",
            vec![ada],
            vec![],
        ),
        (
            20,
            Kind::Email,
            "emailed Alan the morphogenesis draft",
            vec![alan],
            vec!["research"],
        ),
        (
            40,
            Kind::Milestone,
            "Katherine got the Presidential Medal of Freedom",
            vec![katherine],
            vec![],
        ),
        (
            45,
            Kind::Meeting,
            "meeting with Grace on COBOL standards",
            vec![grace],
            vec![],
        ),
    ];
    for (ago, kind, summary, participants, tags) in notes {
        let at = days_ago(ago, 12);
        let draft = InteractionDraft {
            happened_at: at,
            kind,
            summary: summary.to_owned(),
            body: Some(format!(
                "Notes on: {summary}\n\n- first point\n- second point"
            )),
            location: None,
            participants,
            tags: tags.into_iter().map(str::to_owned).collect(),
        };
        store
            .write(|tx| interactions::insert(tx, &draft, None, at))
            .unwrap();
    }
    let reminder =
        |title: &str, contact: Option<ContactId>, due: &str, source: Source| ReminderDraft {
            title: title.to_owned(),
            contact,
            due_date: date(due),
            due_time: None,
            recurrence: None,
            source,
            interaction: None,
        };
    for r in [
        reminder(
            "send Ada the paper",
            Some(ada),
            "2026-11-15",
            Source::FollowUp,
        ),
        reminder("book the team dinner", None, "2026-11-18", Source::Manual),
        reminder(
            "ask Grace about the talk",
            Some(grace),
            "2026-11-21",
            Source::FollowUp,
        ),
        reminder(
            "renew the conference ticket",
            None,
            "2026-12-10",
            Source::Manual,
        ),
    ] {
        store
            .write(|tx| reminders::insert(tx, &r, None, created))
            .unwrap();
    }
    Seeded { store, ada, alan }
}

pub fn new_app(store: &Store, size: (u16, u16)) -> App {
    let mut app = App::new(
        Keymap::defaults(),
        Theme::plain(),
        Clock::fixed(now(), FixedOffset::east_opt(0).unwrap()),
        size,
    );
    app.reload(store).unwrap();
    app
}

pub fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|frame| ui::view(frame, app)).unwrap();
    terminal.backend().to_string()
}

pub fn key(app: &mut App, store: &mut Store, code: KeyCode) {
    update(
        app,
        store,
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
    );
}

pub fn type_text(app: &mut App, store: &mut Store, text: &str) {
    for c in text.chars() {
        key(app, store, KeyCode::Char(c));
    }
}

pub fn act(app: &mut App, store: &mut Store, action: Action) {
    update(app, store, Msg::Action(action));
}

/// The open reminders the pane lists (a row just done, still shown struck through until
/// the cursor moves, is not one of them).
pub fn reminder_titles(app: &App) -> Vec<String> {
    app.reminders
        .items
        .iter()
        .enumerate()
        .filter(|(row, _)| app.reminders.is_settled(*row).is_none())
        .map(|(_, i)| i.title.clone())
        .collect()
}

pub fn select_reminder(app: &mut App, store: &mut Store, title_part: &str) {
    act(app, store, Action::FocusReminders);
    act(app, store, Action::Top);
    while !app.reminders.items[app.reminders.scroll.selected]
        .title
        .contains(title_part)
    {
        let before = app.reminders.scroll.selected;
        act(app, store, Action::Down);
        assert_ne!(
            before, app.reminders.scroll.selected,
            "no reminder like {title_part}"
        );
    }
}
