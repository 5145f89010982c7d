//! Speed at the target scale of PRODUCT.md §7: 10,000 contacts, 1,000,000 interactions
//! (and the ~20,000 reminders the demo generator makes with them).
//!
//! `cargo bench` builds the journal once (about 45 s) under `target/rolo-bench/` and reuses
//! it. `ROLO_BENCH_CONTACTS` / `ROLO_BENCH_INTERACTIONS` choose another scale. Results are
//! recorded in `benches/RESULTS.md`; no test asserts a time (shared machines are noisy).

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

use std::path::PathBuf;
use std::process::Command;
use std::sync::LazyLock;

use divan::Bencher;
use rolo::clock::Clock;
use rolo::domain::contact::ContactId;
use rolo::domain::names;
use rolo::store::contacts::{self, ListQuery, Sort};
use rolo::store::interactions::{self, Cursor, TimelineQuery};
use rolo::store::{Store, search};

fn scale(var: &str, default: u32) -> u32 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The benchmark journal, generated on first use.
static JOURNAL: LazyLock<PathBuf> = LazyLock::new(|| {
    let contacts = scale("ROLO_BENCH_CONTACTS", 10_000);
    let interactions = scale("ROLO_BENCH_INTERACTIONS", 1_000_000);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rolo-bench");
    let path = dir.join(format!("journal-{contacts}-{interactions}.db"));
    if !path.exists() {
        let partial = dir.join("partial.db");
        let _ = std::fs::remove_file(&partial);
        let started = std::time::Instant::now();
        let mut store = Store::open(&partial).unwrap();
        rolo::journal::demo::generate(&mut store, &Clock::system(), 42, contacts, interactions)
            .unwrap();
        drop(store);
        std::fs::rename(&partial, &path).unwrap();
        eprintln!("generated {} in {:.1?}", path.display(), started.elapsed());
    }
    path
});

fn store() -> Store {
    Store::open(&JOURNAL).unwrap()
}

/// The contact with the most interactions (the demo skews towards low ids).
fn busiest(store: &Store) -> ContactId {
    let id: i64 = store
        .conn()
        .query_row(
            "SELECT contact_id FROM interaction_participants GROUP BY contact_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    ContactId(id)
}

fn main() {
    LazyLock::force(&JOURNAL);
    divan::main();
}

/// A word in about one interaction in twenty: ranking tens of thousands of matches.
#[divan::bench]
fn search_common_word(bencher: Bencher<'_, '_>) {
    let store = store();
    bencher.bench_local(|| {
        search::search(store.conn(), "compilers", 20, Clock::system().now).unwrap()
    });
}

/// Typing: the last word is a prefix.
#[divan::bench]
fn search_prefix_while_typing(bencher: Bencher<'_, '_>) {
    let store = store();
    bencher.bench_local(|| {
        search::search(store.conn(), "series fundr", 20, Clock::system().now).unwrap()
    });
}

#[divan::bench]
fn search_a_name(bencher: Bencher<'_, '_>) {
    let store = store();
    bencher
        .bench_local(|| search::search(store.conn(), "lovelace", 20, Clock::system().now).unwrap());
}

/// The first page of the busiest person's timeline (what the TUI shows on selection).
#[divan::bench]
fn timeline_first_page_busiest_contact(bencher: Bencher<'_, '_>) {
    let store = store();
    let contact = Some(busiest(&store));
    bencher.bench_local(|| {
        interactions::timeline(
            store.conn(),
            &TimelineQuery {
                contact,
                limit: 50,
                ..Default::default()
            },
        )
        .unwrap()
    });
}

/// A page deep into everyone's timeline: keyset pagination keeps it an index walk.
#[divan::bench]
fn timeline_deep_page_everyone(bencher: Bencher<'_, '_>) {
    let store = store();
    let (at, id): (String, i64) = store
        .conn()
        .query_row("SELECT happened_at, id FROM interactions ORDER BY happened_at DESC, id DESC LIMIT 1 OFFSET 500000", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let after = Some(Cursor {
        happened_at: rolo::store::instant_from_text(&at).unwrap(),
        id: rolo::domain::interaction::InteractionId(id),
    });
    bencher.bench_local(|| {
        interactions::timeline(
            store.conn(),
            &TimelineQuery {
                after,
                limit: 50,
                ..Default::default()
            },
        )
        .unwrap()
    });
}

/// What `rolo agenda` reads for a week: the first ten rows of each section and every count.
#[divan::bench]
fn agenda_week(bencher: Bencher<'_, '_>) {
    let store = store();
    let clock = Clock::system();
    let page = rolo::journal::agenda::Page {
        offset: 0,
        limit: 10,
    };
    bencher.bench_local(|| {
        rolo::journal::agenda::load_page(&store, &clock, clock.today(), 7, page).unwrap()
    });
}

/// What the reminders pane reads: the first hundred rows of 60 days and the counts.
#[divan::bench]
fn reminders_pane_head(bencher: Bencher<'_, '_>) {
    let store = store();
    let clock = Clock::system();
    bencher.bench_local(|| {
        rolo::journal::agenda::load_head(&store, &clock, clock.today(), 60, 100).unwrap()
    });
}

/// The contacts pane's data: every live contact, by name.
#[divan::bench]
fn contacts_list_by_name(bencher: Bencher<'_, '_>) {
    let store = store();
    bencher.bench_local(|| {
        contacts::list(
            store.conn(),
            &ListQuery {
                sort: Sort::Name,
                ..Default::default()
            },
        )
        .unwrap()
    });
}

/// What `rolo log @name` does before writing: load candidates and resolve one name.
#[divan::bench]
fn resolve_a_name(bencher: Bencher<'_, '_>) {
    let store = store();
    bencher.bench_local(|| {
        let candidates = contacts::name_candidates(store.conn()).unwrap();
        names::resolve("ada", &candidates).unwrap()
    });
}

/// `rolo log` end to end, as a shell runs it: process start, open, resolve, write, print.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn log_from_the_shell(bencher: Bencher<'_, '_>) {
    let copy = JOURNAL.with_file_name("log-bench.db");
    let _ = std::fs::remove_file(&copy);
    store().backup_to(&copy).unwrap();
    bencher.bench_local(|| {
        let status = Command::new(env!("CARGO_BIN_EXE_rolo"))
            .env("ROLO_DB", &copy)
            .args([
                "log",
                "--json",
                "coffee with @ada talked about the conference !2w send the slides",
            ])
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    });
}

fn tui_app(store: &Store) -> rolo::tui::app::App {
    use rolo::tui::{app, keymap, theme};
    let mut app = app::App::new(
        keymap::Keymap::defaults(),
        theme::Theme::plain(),
        Clock::system(),
        (120, 40),
    );
    app.reload(store).unwrap();
    app
}

fn draw(
    terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    app: &rolo::tui::app::App,
) {
    terminal
        .draw(|frame| rolo::tui::ui::view(frame, app))
        .unwrap();
}

/// Launch to first frame, less process start: open the journal, load what the three panes
/// show, draw 120x40.
#[divan::bench]
fn tui_first_frame(bencher: Bencher<'_, '_>) {
    use rolo::tui::{app, keymap, theme};
    bencher.bench_local(|| {
        let store = store();
        let mut app = app::App::new(
            keymap::Keymap::defaults(),
            theme::Theme::plain(),
            Clock::system(),
            (120, 40),
        );
        app.reload_first_frame(&store).unwrap();
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        draw(&mut terminal, &app);
    });
}

/// A keystroke to a redrawn frame: `j`/`k` in the contacts pane, which reloads the timeline.
#[divan::bench]
fn tui_keystroke_to_frame(bencher: Bencher<'_, '_>) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use rolo::tui::update::{Msg, update};
    let mut store = store();
    let mut app = tui_app(&store);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let mut down = true;
    bencher.bench_local(|| {
        let key = KeyEvent::new(
            KeyCode::Char(if down { 'j' } else { 'k' }),
            KeyModifiers::NONE,
        );
        down = !down;
        update(&mut app, &mut store, Msg::Key(key));
        draw(&mut terminal, &app);
    });
}

/// Typing in a text box the TUI opens with `actions` and `typed`: each iteration types
/// `key` or takes it back (Backspace), in turn, and redraws 120x40 — what a keystroke costs
/// while the box re-reads what it shows.
fn typing(bencher: Bencher<'_, '_>, actions: &[rolo::tui::action::Action], typed: &str, key: char) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use rolo::tui::update::{Msg, update};
    let mut store = store();
    let mut app = tui_app(&store);
    let press = |app: &mut rolo::tui::app::App, store: &mut Store, code: KeyCode| {
        update(
            app,
            store,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
    };
    for action in actions {
        update(&mut app, &mut store, Msg::Action(*action));
    }
    for c in typed.chars() {
        press(&mut app, &mut store, KeyCode::Char(c));
    }
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let mut add = true;
    bencher.bench_local(|| {
        let code = if add {
            KeyCode::Char(key)
        } else {
            KeyCode::Backspace
        };
        add = !add;
        press(&mut app, &mut store, code);
        draw(&mut terminal, &app);
    });
}

/// Typing in the quick note: every key re-parses, re-resolves and redraws the preview.
#[divan::bench]
fn tui_quick_note_keystroke(bencher: Bencher<'_, '_>) {
    use rolo::tui::action::Action;
    typing(
        bencher,
        &[Action::QuickNote],
        "lunch with @ada talked about compilers !2w send the paper",
        's',
    );
}

/// Typing in the search (`f`): every key re-runs the search over a million notes and redraws
/// the hits. The query alternates between `compilers` (a word in one note of twenty) and
/// `compilers s` (the last word a one-letter prefix, matched whole: see `store::search`).
#[divan::bench]
fn tui_search_keystroke(bencher: Bencher<'_, '_>) {
    use rolo::tui::action::Action;
    typing(bencher, &[Action::Search], "compilers ", 's');
}

/// Typing the timeline filter on everyone's timeline: each key re-reads the first page of
/// the timeline narrowed to a kind and a tag (`meeting #hirin`, then `meeting #hiring`).
#[divan::bench]
fn tui_timeline_filter_keystroke(bencher: Bencher<'_, '_>) {
    use rolo::tui::action::Action;
    typing(
        bencher,
        &[Action::ToggleEveryone, Action::FilterTimeline],
        "meeting #hirin",
        'g',
    );
}
