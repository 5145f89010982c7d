//! The real `rolo` binary in a real terminal (tmux), driven by keystrokes the way a person
//! uses it: panes appear, j/k move, a quick note is saved and found by `rolo search`, help
//! opens, resizing keeps it alive, a `kill -9` mid-note loses nothing, `q` restores the
//! terminal and exits 0. Skips with a message where tmux is not installed.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::time::Duration;

mod common;

use common::tmux::*;

#[test]
fn a_session_in_a_real_terminal() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "main";
    tmux.new_session(
        s,
        &tui_command(&db, "; echo EXIT=$?; stty -a; sleep 60"),
        (120, 40),
    );

    let screen = tmux.wait_for(s, "Timeline Ada Lovelace");
    for needle in [
        "Contacts",
        "Reminders",
        "Ada Lovelace",
        "Grace Hopper",
        "call with Ada about the Analytical Engine",
    ] {
        assert!(screen.contains(needle), "{needle:?} missing:\n{screen}");
    }

    // j and k move through contacts; the timeline follows.
    tmux.keys(s, &["j"]);
    let screen = tmux.wait_for(s, "Timeline Grace Hopper");
    assert!(screen.contains("lunch with Grace about COBOL"), "{screen}");
    tmux.keys(s, &["k"]);
    tmux.wait_for(s, "Timeline Ada Lovelace");

    // n, a capture line, Enter: stored, and `rolo search` finds it.
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "Quick note");
    tmux.type_text(s, "coffee with @grace talked about quasiquotation #lisp");
    tmux.wait_for(s, "→ meal with Grace Hopper #lisp");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Logged: coffee with Grace talked about quasiquotation");
    let hits = rolo(&db, &["search", "quasiquotation"]);
    assert!(
        hits.contains("coffee with Grace talked about quasiquotation"),
        "{hits}"
    );

    // ? shows help from the keymap; Esc closes it.
    tmux.keys(s, &["?"]);
    let help = tmux.wait_for(s, "Keys · / filters");
    assert!(
        help.contains("quick note") && help.contains("weekly review"),
        "{help}"
    );
    tmux.keys(s, &["Escape"]);
    tmux.wait_gone(s, "Keys · / filters");

    // Squeezed to 40x12 it shows one pane and a tab bar; back at full size, all three.
    tmux.tmux(&["resize-window", "-t", s, "-x", "40", "-y", "12"]);
    tmux.wait_for(s, "Contacts │ Timeline │ Reminders");
    tmux.tmux(&["resize-window", "-t", s, "-x", "120", "-y", "40"]);
    tmux.wait_for(s, "Timeline Ada Lovelace");

    // q: exit code 0, the normal screen back, the terminal out of raw mode.
    tmux.keys(s, &["q"]);
    let after = tmux.wait_for(s, "EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(
        !after.contains("Timeline Ada Lovelace"),
        "the alternate screen was left:\n{after}"
    );
    assert!(
        after.contains(" icanon") && after.contains(" echo"),
        "raw mode was not turned off:\n{after}"
    );
}

#[test]
fn a_half_typed_note_survives_kill_9() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    tmux.new_session("first", &tui_command(&db, ""), (120, 40));
    tmux.wait_for("first", "Timeline Ada Lovelace");
    tmux.keys("first", &["n"]);
    tmux.wait_for("first", "Quick note");
    tmux.type_text(
        "first",
        "dinner with @ada she wants to talk about Bernoulli num",
    );
    tmux.wait_for("first", "Bernoulli num");
    // The draft is saved on the next tick (250 ms): give it a few.
    std::thread::sleep(Duration::from_millis(1200));
    kill_9(&db);

    tmux.new_session("second", &tui_command(&db, ""), (120, 40));
    // Offered, not forced over the panes: n continues it.
    tmux.wait_for("second", "n to continue it");
    tmux.keys("second", &["n"]);
    let screen = tmux.wait_for("second", "Quick note");
    assert!(
        screen.contains("dinner with @ada she wants to talk about Bernoulli num"),
        "{screen}"
    );
    // The cursor is where it was: typing goes on at the end.
    tmux.type_text("second", "bers");
    tmux.keys("second", &["Enter"]);
    tmux.wait_for(
        "second",
        "Logged: dinner with Ada she wants to talk about Bernoulli numbers",
    );
    tmux.keys("second", &["q"]);
    assert!(rolo(&db, &["search", "bernoulli"]).contains("Bernoulli numbers"));
}

/// Esc keeps a half-typed note (n brings it back), and u takes back a logged note.
#[test]
fn esc_keeps_a_note_and_u_takes_back_a_log() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "main";
    tmux.new_session(s, &tui_command(&db, ""), (100, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "Quick note");
    tmux.type_text(s, "tea with @ada about the difference engine");
    tmux.wait_for(s, "difference engine");
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "Kept as a draft");
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "tea with @ada about the difference engine");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Logged: tea with Ada about the difference engine");
    assert!(rolo(&db, &["search", "difference"]).contains("tea with Ada"));
    tmux.keys(s, &["u"]);
    tmux.wait_for(
        s,
        "Undid: logged 'tea with Ada about the difference engine'",
    );
    assert!(!rolo(&db, &["search", "difference"]).contains("tea with Ada"));
    tmux.keys(s, &["U"]);
    tmux.wait_for(s, "Redid: logged");
    assert!(rolo(&db, &["search", "difference"]).contains("tea with Ada"));
    tmux.keys(s, &["q"]);
}

/// At 80×24 the help does not fit: it scrolls to the weekly review's keys, and `/` finds
/// them; the status bar keeps `? help` whole.
#[test]
fn help_at_80x24_reaches_the_review_keys() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "small";
    tmux.new_session(s, &tui_command(&db, "; sleep 60"), (80, 24));
    let screen = tmux.wait_for(s, "Timeline Ada Lovelace");
    let status = screen.lines().last().unwrap_or_default();
    assert!(status.contains("? help"), "{status:?}");
    tmux.keys(s, &["?"]);
    let first = tmux.wait_for(s, "Keys · / filters");
    assert!(
        !first.contains("previous week"),
        "it fits after all?\n{first}"
    );
    // G: to the end, past the review's keys to the modes; k back up to the review.
    tmux.keys(s, &["G"]);
    let end = tmux.wait_for(s, "filter these keys");
    assert!(end.contains("Help"), "{end}");
    for _ in 0..40 {
        tmux.keys(s, &["k"]);
    }
    tmux.wait_for(s, "previous week");
    // The filter: only entries about weeks, the review's among them.
    tmux.keys(s, &["g", "/"]);
    tmux.type_text(s, "week");
    let filtered = tmux.wait_for(s, "/week");
    assert!(
        filtered.contains("Weekly review") && filtered.contains("next week"),
        "{filtered}"
    );
    assert!(!filtered.contains("quick note"), "{filtered}");
    tmux.keys(s, &["Escape", "Escape"]);
    tmux.wait_gone(s, "Keys ·");
}

/// A wide grapheme's cells are all cleared when something narrower replaces it, in a real
/// terminal that keeps each half of a flag in its own cell (tmux): filtering away "Kim 🇰🇷
/// Kang" leaves no stray 🇷; nor does a CJK name or a ZWJ family when their rows empty.
#[test]
fn wide_graphemes_leave_no_half_cells_behind() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wide.db");
    for name in [
        "Abe One",
        "Ada Two",
        "Kim 🇰🇷 Kang",
        "Zoë 🇯🇵🇫🇷 Ångström",
        "東京 太郎",
        "Fam 👨‍👩‍👧 Lee",
    ] {
        rolo(&db, &["add", name]);
    }
    let s = "wide";
    tmux.new_session(s, &tui_command(&db, "; sleep 60"), (80, 24));
    let first = tmux.wait_for(s, "Kang");
    assert!(
        first.contains('🇷'),
        "the flag is not drawn at all:\n{first}"
    );
    tmux.keys(s, &["/"]);
    tmux.type_text(s, "abe");
    tmux.wait_gone(s, "Ada Two");
    let filtered = tmux.screen(s);
    for half in ['🇰', '🇷', '🇯', '🇵', '🇫', '東', '京', '👧'] {
        assert!(
            !filtered.contains(half),
            "a stray {half} was left behind:\n{filtered}"
        );
    }
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "Kang");
}
