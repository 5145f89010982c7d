//! The terminal: every size from 1×1 to 300×100 draws without a panic, in every mode; wide,
//! combining and control characters never move a cell outside their own; and in a real
//! terminal (tmux) a panic leaves it as it was (cooked mode, the normal screen, no mouse
//! reporting) with the note typed so far kept, ctrl-c quits from every mode, and `fg` after
//! the window changed size while rolo was stopped redraws all of it at the new size.
//! (SIGTERM, SIGINT, SIGHUP and SIGQUIT, and ctrl-z/fg itself, are in `tui_e2e_input.rs`.)
//!
//! CI draws every size on a stride (391 sizes × 9 modes: 3,519 screens); `cargo test --test
//! terminal -- --ignored` draws all 30,000 (270,000 screens).

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::tmux::*;
use common::tui::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use rolo::domain::contact::ContactDraft;
use rolo::store::{Store, contacts};
use rolo::tui::action::Action;
use rolo::tui::app::App;
use rolo::tui::ui;
use rolo::tui::update::{Msg, update};

fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).unwrap();
    terminal.draw(|frame| ui::view(frame, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The modes a screen can be in, each set up on a fresh app.
/// How a mode is entered on a fresh app.
type Enter = fn(&mut App, &mut Store);

fn modes() -> Vec<(&'static str, Enter)> {
    vec![
        ("panes", |_, _| {}),
        ("help", |app, store| act(app, store, Action::Help)),
        ("quick note", |app, store| {
            act(app, store, Action::QuickNote);
            type_text(
                app,
                store,
                "lunch with @ada #mentoring talked about 山田 and 👩‍💻 !2w send the deck",
            );
        }),
        ("card", |app, store| act(app, store, Action::Open)),
        ("review", |app, store| act(app, store, Action::WeeklyReview)),
        ("add form", |app, store| act(app, store, Action::AddContact)),
        ("reminders", |app, store| {
            act(app, store, Action::FocusReminders);
        }),
        ("search", |app, store| {
            act(app, store, Action::Search);
            type_text(app, store, "ada");
        }),
        ("timeline filter", |app, store| {
            act(app, store, Action::FilterTimeline);
            type_text(app, store, "meal #mentoring");
        }),
    ]
}

fn every_size(widths: &[u16], heights: &[u16]) {
    let started = Instant::now();
    let drawn = std::sync::atomic::AtomicUsize::new(0);
    // Two threads, the modes shared out between them.
    let modes = modes();
    std::thread::scope(|scope| {
        for half in modes.chunks(modes.len().div_ceil(2)) {
            let drawn = &drawn;
            scope.spawn(move || {
                for (mode, enter) in half {
                    draw_sizes(mode, *enter, widths, heights, drawn);
                }
            });
        }
    });
    eprintln!(
        "terminal: {} sizes × modes drawn without a panic in {:.1?}",
        drawn.into_inner(),
        started.elapsed()
    );
}

fn draw_sizes(
    mode: &str,
    enter: Enter,
    widths: &[u16],
    heights: &[u16],
    drawn: &std::sync::atomic::AtomicUsize,
) {
    let mut s = seeded();
    let mut app = new_app(&s.store, (120, 40));
    enter(&mut app, &mut s.store);
    for &w in widths {
        for &h in heights {
            update(&mut app, &mut s.store, Msg::Resize(w, h));
            let buffer = draw(&app);
            drawn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            assert_eq!(buffer.area.width, w);
            let text: String = buffer.content.iter().map(Cell::symbol).collect();
            assert!(
                !text.chars().any(char::is_control),
                "{mode} at {w}×{h}: a control character in a cell"
            );
            // Something is drawn: a screen of blanks at a usable size is a failure too.
            if w >= 20 && h >= 5 {
                assert!(
                    text.chars().any(char::is_alphanumeric),
                    "{mode} at {w}×{h}: nothing drawn"
                );
            }
        }
    }
}

#[test]
fn every_size_draws_in_every_mode() {
    let widths: Vec<u16> = (1..=6)
        .chain((7..=300).step_by(23))
        .chain([79, 80, 81, 300])
        .collect();
    let heights: Vec<u16> = (1..=5)
        .chain((6..=100).step_by(13))
        .chain([23, 24, 25, 100])
        .collect();
    every_size(&widths, &heights);
}

#[test]
#[ignore = "the long run: cargo test --test terminal -- --ignored (tests/long.sh)"]
fn every_size_from_1x1_to_300x100_draws_in_every_mode() {
    let widths: Vec<u16> = (1..=300).collect();
    let heights: Vec<u16> = (1..=100).collect();
    every_size(&widths, &heights);
}

/// Names that are hard to measure: wide, combining, joined, right-to-left, and (written
/// behind rolo's back, so only the screen stands between them and the terminal) control
/// characters. A row holding one differs from the row holding a plain name only inside the
/// contacts pane; every other cell of the screen is the same.
#[test]
fn hard_text_never_moves_a_cell_outside_its_own() {
    let names = [
        "Zz 山田太郎 𠮷野家 ＦＵＬＬ",
        "Zz e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308} stacked",
        "Zz 👩‍👩‍👧‍👦 🏳️‍🌈 🇬🇧🇯🇵 👍🏽 family",
        "Zz \u{202e}evil\u{202c} مرحبا עברית",
        "Zz \u{200b}\u{200d}\u{2060}\u{feff} invisible",
        "Zz \u{1b}[2J\u{1b}]0;title\u{7}\u{9b}31m\u{8}\u{7f} control",
        "Zz \t tab\r\nnewline",
        "Zz W\u{20dd}\u{20dd} enclosed ꧅꧅꧅ ﷽",
    ];
    for size in [(120u16, 40u16), (80, 24), (60, 20), (44, 12)] {
        let baseline = screen_with(size, "Zz Plain Name");
        for name in names {
            let hard = screen_with(size, name);
            let row = (0..size.1)
                .find(|&y| row_text(&baseline, y).contains("Zz Plain"))
                .expect("the plain name is listed");
            // The contacts pane's inside on that row: from after its left border to before
            // the next border.
            let line: Vec<&str> = (0..size.0).map(|x| baseline[(x, row)].symbol()).collect();
            let left = line.iter().position(|s| *s == "│").unwrap();
            let right = left + 1 + line[left + 1..].iter().position(|s| *s == "│").unwrap();
            for y in 0..size.1 {
                for x in 0..size.0 {
                    let inside = y == row
                        && x > u16::try_from(left).unwrap()
                        && x < u16::try_from(right).unwrap();
                    if !inside {
                        assert_eq!(
                            hard[(x, y)].symbol(),
                            baseline[(x, y)].symbol(),
                            "{name:?} at {size:?} changed the cell ({x}, {y}):\n{}",
                            rows(&hard)
                        );
                    }
                }
            }
            let text: String = hard.content.iter().map(Cell::symbol).collect();
            assert!(
                !text.chars().any(char::is_control),
                "{name:?}: a control character reached a cell"
            );
        }
    }
}

/// The seeded journal plus one contact, named `name` as stored (straight into the table, so
/// whatever the store would clean reaches the screen), listed last.
fn screen_with(size: (u16, u16), name: &str) -> Buffer {
    let s = seeded();
    let mut store = s.store;
    let id = store
        .write(|tx| contacts::insert(tx, &ContactDraft::named("placeholder"), None, now()))
        .unwrap();
    store
        .conn()
        .execute(
            "UPDATE contacts SET display_name = ?2, sort_key = x'ff' WHERE id = ?1",
            rusqlite::params![id.0, name],
        )
        .unwrap();
    let app = new_app(&store, size);
    draw(&app)
}

fn row_text(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

fn rows(buffer: &Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| row_text(buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A bug (a panic, on purpose, in a debug build) with a note half typed: the terminal is
/// given back as it was, the message is one line, and the note is there on the next start.
#[test]
fn a_panic_leaves_the_terminal_as_it_was_and_keeps_the_note() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "panic";
    tmux.new_session(
        s,
        &format!(
            "env -u RUST_BACKTRACE ROLO_TEST_PANIC=4 {}",
            tui_command(
                &db,
                &format!(
                    " 2>{err}; echo EXIT=$?; stty -a; cat {err}; sleep 60",
                    err = dir.path().join("err.txt").display()
                )
            )
        ),
        (100, 30),
    );
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["n"]);
    tmux.type_text(s, "said just before the bug ");
    tmux.wait_for(s, "said just before the bug");
    let after = tmux.wait_for(s, "EXIT=");
    assert!(after.contains("EXIT=101"), "{after}");
    assert_eq!(
        tmux.pane_format(s, "#{alternate_on}"),
        "0",
        "alternate screen"
    );
    assert_eq!(
        tmux.pane_format(s, "#{mouse_any_flag}"),
        "0",
        "mouse reporting"
    );
    assert!(
        after.contains(" icanon") && after.contains(" echo"),
        "raw mode left on:\n{after}"
    );
    let message = tmux.wait_for(s, "internal error");
    assert!(
        message.contains("rolo: internal error") && !message.contains("stack backtrace"),
        "{message}"
    );
    let next = "next";
    tmux.new_session(next, &tui_command(&db, ""), (100, 30));
    tmux.wait_for(next, "n to continue it");
    tmux.keys(next, &["n"]);
    tmux.wait_for(next, "said just before the bug");
    tmux.keys(next, &["Escape", "q"]);
}

/// Ctrl-C ends rolo from every mode with exit 0 and the terminal restored; a note being
/// typed is kept for the next start; a changed form asks first (`tui_e2e_input.rs`).
#[test]
fn ctrl_c_quits_from_every_mode() {
    let Some(tmux) = Tmux::start() else { return };
    for (mode, keys) in [
        ("panes", &[][..]),
        ("help", &["?"][..]),
        ("card", &["Enter"]),
        ("review", &["w"]),
        ("filter", &["/", "a"]),
        ("quick note", &["n", "a", "b", "c"]),
        ("timeline", &["2", "j"]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let db = seeded_journal(dir.path());
        let s = &format!("ctrl-c-{}", mode.replace(' ', "-"));
        tmux.new_session(
            s,
            &tui_command(&db, "; echo EXIT=$?; stty -a; sleep 60"),
            (100, 30),
        );
        tmux.wait_for(s, "Timeline Ada Lovelace");
        tmux.keys(s, keys);
        tmux.keys(s, &["C-c"]);
        let after = tmux.wait_for(s, "EXIT=");
        assert!(after.contains("EXIT=0"), "{mode}: {after}");
        assert_eq!(tmux.pane_format(s, "#{alternate_on}"), "0", "{mode}");
        assert!(
            after.contains(" icanon"),
            "{mode}: raw mode left on:\n{after}"
        );
        if mode == "quick note" {
            let next = &format!("{s}-next");
            tmux.new_session(next, &tui_command(&db, ""), (100, 30));
            tmux.wait_for(next, "n to continue it");
            tmux.keys(next, &["q"]);
        }
    }
}

/// Stopped with ctrl-z, the window made smaller and then larger, `fg`: the whole screen is
/// drawn again at the size it is now — no line of the old frame or of the shell left.
#[test]
fn fg_after_a_resize_redraws_everything_at_the_new_size() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "resize";
    tmux.new_session(s, "env PS1='$ ' bash --norc --noprofile", (120, 40));
    tmux.type_text(s, &format!("{}\n", tui_command(&db, "")));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["C-z"]);
    tmux.wait_for(s, "Stopped");
    tmux.type_text(s, "echo SHELL-WAS-HERE\n");
    tmux.wait_for(s, "SHELL-WAS-HERE");
    tmux.tmux(&["resize-window", "-t", s, "-x", "70", "-y", "20"]);
    std::thread::sleep(Duration::from_millis(300));
    tmux.type_text(s, "fg\n");
    let screen = tmux.wait_for(s, "Ada Lovelace");
    std::thread::sleep(Duration::from_millis(500));
    let screen = if screen.contains("SHELL-WAS-HERE") {
        tmux.screen(s)
    } else {
        screen
    };
    assert!(
        !screen.contains("SHELL-WAS-HERE"),
        "the shell shows through:\n{screen}"
    );
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), 20, "{screen}");
    // At 70 columns rolo shows one pane with a tab bar; every line is rolo's.
    for (i, line) in lines.iter().enumerate() {
        assert!(
            rolo::text::width(line) <= 70,
            "line {i} is wider than the window:\n{screen}"
        );
    }
    assert_eq!(tmux.pane_format(s, "#{alternate_on}"), "1");
    // And back to a large window while running: redrawn again.
    tmux.tmux(&["resize-window", "-t", s, "-x", "130", "-y", "42"]);
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["q"]);
}

/// Shrunk to one cell and grown back while it runs, a few times over: it keeps running
/// and draws the full screen again.
#[test]
fn shrinking_to_one_cell_and_back_keeps_it_running() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "tiny";
    tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (100, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    for (w, h) in [(1, 1), (2, 1), (1, 3), (300, 100), (5, 2), (100, 30)] {
        tmux.tmux(&[
            "resize-window",
            "-t",
            s,
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        std::thread::sleep(Duration::from_millis(200));
        let screen = tmux.screen(s);
        assert!(!screen.contains("EXIT="), "ended at {w}×{h}:\n{screen}");
    }
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["q"]);
    let after = tmux.wait_for(s, "EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
}
