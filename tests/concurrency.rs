//! Two rolo processes never corrupt or lose data: the TUI open in tmux, a note being typed
//! in it (its draft saved on every tick), while four shells write as fast as they can —
//! three `rolo log` loops and one loop of logs and imports. Every write is there, no process
//! and no screen ever says "database is locked", and the TUI shows the new notes without a
//! restart; a fifth shell syncs with Radicale all the while, and everything reaches a second
//! journal through the server. Two TUIs on one journal see each other's notes.
//!
//! CI runs 4 × 100 writes (imports of 10 cards); `cargo test --test concurrency -- --ignored`
//! runs 4 × 250 (imports of 50 cards).

#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::FixedOffset;
use common::tmux::*;
use common::tui::{key, new_app, now, type_text};
use crossterm::event::KeyCode;
use rolo::clock::Clock;
use rolo::store::Store;
use rolo::tui::update::{Msg, update};
use rusqlite::Connection;

/// What a write printed: nothing about locks, ever.
fn assert_not_locked(what: &str, text: &str) {
    let lower = text.to_lowercase();
    for word in ["locked", "busy", "panicked"] {
        assert!(!lower.contains(word), "{what} said {word:?}: {text}");
    }
}

fn write(db: &Path, args: &[&str]) -> Duration {
    let start = Instant::now();
    let out = Command::new(ROLO)
        .arg("--db")
        .arg(db)
        .args(args)
        .arg("--json")
        .env("ROLO_CONFIG", "/nonexistent")
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_not_locked(&format!("{args:?}"), &stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    elapsed
}

fn cards(dir: &Path, shell: usize, batch: usize, cards: usize) -> std::path::PathBuf {
    let path = dir.join(format!("shell{shell}-batch{batch}.vcf"));
    let mut text = String::new();
    for i in 0..cards {
        let _ = write!(
            text,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kim Storm-{batch}-{i}\r\nEMAIL:storm-{batch}-{i}@example.org\r\nEND:VCARD\r\n"
        );
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn count(conn: &Connection, sql: &str, like: &str) -> i64 {
    conn.query_row(sql, [like], |r| r.get(0)).unwrap()
}

/// Every write the shells made is there, once; SQLite and `rolo check` find nothing wrong.
fn every_write_is_there(db: &Path, per_shell: usize, cards: usize) -> usize {
    let conn = Connection::open(db).unwrap();
    let mut writes = 0;
    for shell in 0..4 {
        for i in 0..per_shell {
            if shell == 3 && i % 10 == 0 {
                let n = count(
                    &conn,
                    "SELECT count(*) FROM contacts WHERE display_name LIKE ?1",
                    &format!("Kim Storm-{}-%", i / 10),
                );
                assert_eq!(n, cards as i64, "import {shell}/{i}");
            } else {
                let n = count(
                    &conn,
                    "SELECT count(*) FROM interactions WHERE summary LIKE ?1",
                    &format!("%storm-{shell}-{i} end"),
                );
                assert_eq!(n, 1, "storm-{shell}-{i}");
            }
            writes += 1;
        }
    }
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    let check: serde_json::Value = serde_json::from_str(&rolo(db, &["check"])).unwrap();
    assert_eq!(check["ok"], true, "{check}");
    writes
}

/// After the storm the journal syncs to the end, and a second journal on the same
/// account receives every contact and note, once.
fn everything_went_through_the_server(db: &Path, url: &str, dir: &Path) {
    rolo(db, &["sync"]);
    rolo(db, &["sync"]);
    let other = dir.join("other.db");
    rolo(&other, &["sync", "setup", url, "--user", "storm"]);
    rolo(&other, &["sync"]);
    let live = |db: &Path| {
        let doc: serde_json::Value = serde_json::from_str(&rolo(db, &["export", "json"])).unwrap();
        let uids = |kind: &str| {
            let mut uids: Vec<String> = doc[kind]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["deleted_at"].is_null())
                .map(|r| r["uid"].as_str().unwrap().to_owned())
                .collect();
            uids.sort();
            uids
        };
        (uids("contacts"), uids("interactions"))
    };
    let (here, there) = (live(db), live(&other));
    assert_eq!(here.0.len(), there.0.len(), "contacts through the server");
    assert_eq!(here, there, "records lost or doubled through the server");
}

/// One shell's writes, as fast as it can: notes, and for the fourth shell an import of
/// `cards` cards every tenth write. Returns how long each took.
fn shell_writes(
    db: &Path,
    dir: &Path,
    shell: usize,
    per_shell: usize,
    cards: usize,
) -> Vec<Duration> {
    (0..per_shell)
        .map(|i| {
            if shell == 3 && i % 10 == 0 {
                let file = self::cards(dir, shell, i / 10, cards);
                write(db, &["import", "vcard", file.to_str().unwrap()])
            } else {
                write(
                    db,
                    &["log", &format!("call with @ada storm-{shell}-{i} end")],
                )
            }
        })
        .collect()
}

/// Four shells of `per_shell` writes each beside the open TUI, the fourth importing
/// `cards` cards every tenth write.
fn storm(per_shell: usize, cards: usize) {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "tui";
    tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (120, 40));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "Quick note");

    // A fifth shell syncs with a server all through the storm, where one can be started.
    let server = common::dav::Radicale::start();
    if let Some(server) = &server {
        rolo(&db, &["sync", "setup", &server.url, "--user", "storm"]);
    }
    let syncs = AtomicUsize::new(0);
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let (latencies, typed, screens) = std::thread::scope(|scope| {
        if server.is_some() {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    write(&db, &["sync"]);
                    syncs.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        let shells: Vec<_> = (0..4)
            .map(|shell| {
                let (db, dir) = (&db, dir.path());
                scope.spawn(move || shell_writes(db, dir, shell, per_shell, cards))
            })
            .collect();
        // Meanwhile a person types a note in the TUI, and the screen is watched.
        let watcher = scope.spawn(|| {
            let mut typed = String::new();
            let mut screens = 0;
            let mut word = 0;
            while !done.load(Ordering::Relaxed) {
                word += 1;
                let next = format!("w{word} ");
                tmux.type_text(s, &next);
                typed.push_str(&next);
                let screen = tmux.screen(s);
                assert_not_locked("the TUI", &screen);
                assert!(!screen.contains("EXIT="), "the TUI ended:\n{screen}");
                screens += 1;
                std::thread::sleep(Duration::from_millis(150));
            }
            (typed, screens)
        });
        let latencies: Vec<Duration> = shells
            .into_iter()
            .flat_map(|shell| shell.join().unwrap())
            .collect();
        done.store(true, Ordering::Relaxed);
        let (typed, screens) = watcher.join().unwrap();
        (latencies, typed, screens)
    });
    let wall = started.elapsed();

    let writes = every_write_is_there(&db, per_shell, cards);
    if let Some(server) = &server {
        everything_went_through_the_server(&db, &server.url, dir.path());
    }

    // The note typed through the storm is whole, and the TUI follows a write from outside
    // without a restart.
    let last_word = typed.split_whitespace().last().unwrap().to_owned();
    let screen = tmux.wait_for(s, &last_word);
    assert_not_locked("the TUI", &screen);
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "Kept as a draft");
    let draft: String = Connection::open(&db)
        .unwrap()
        .query_row("SELECT text FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        draft.trim(),
        typed.trim(),
        "the note typed during the storm"
    );
    rolo(&db, &["log", "call with @ada after the storm"]);
    // Every contact imported is listed; the newest note is at the top of the timeline (the
    // cursor stays on the record it was on, so it is the top the person goes to).
    tmux.wait_for(
        s,
        &format!("Contacts {}", 2 + per_shell.div_ceil(10) * cards),
    );
    tmux.keys(s, &["2", "g"]);
    tmux.wait_for(s, "after the storm");
    tmux.keys(s, &["q"]);
    let after = tmux.wait_for(s, "EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
    assert_not_locked("the TUI's exit", &after);

    let syncs = syncs.into_inner();
    let mut sorted = latencies.clone();
    sorted.sort();
    eprintln!(
        "concurrency: {writes} writes from 4 shells ({} logs, {} imports of {cards} cards) beside the TUI \
         in {wall:.1?}; slowest {:.0?}, median {:.0?}; {screens} screens read, none locked; \
         {} characters typed into the TUI meanwhile, all kept; {syncs} syncs with Radicale meanwhile",
        writes - per_shell.div_ceil(10),
        per_shell.div_ceil(10),
        sorted.last().unwrap(),
        sorted[sorted.len() / 2],
        typed.len()
    );
}

#[test]
fn four_shells_beside_the_tui_lose_nothing() {
    storm(100, 10);
}

#[test]
#[ignore = "the long run: cargo test --test concurrency -- --ignored (tests/long.sh)"]
fn four_shells_of_250_beside_the_tui_lose_nothing() {
    storm(250, 50);
}

/// Two TUIs on one journal: each sees the other's notes and the shell's, and neither
/// reports a lock.
#[test]
fn two_tuis_on_one_journal() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    for s in ["one", "two"] {
        tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (120, 40));
        tmux.wait_for(s, "Timeline Ada Lovelace");
    }
    for round in 0..3 {
        for (from, to) in [("one", "two"), ("two", "one")] {
            let note = format!("round {round} from window {from}");
            tmux.keys(from, &["n"]);
            tmux.wait_for(from, "Quick note");
            tmux.type_text(from, &format!("call with @ada {note}"));
            tmux.wait_for(from, &note);
            tmux.keys(from, &["Enter"]);
            tmux.wait_for(from, &format!("Logged: call with Ada {note}"));
            // The other window shows it without a restart.
            let screen = tmux.wait_for(to, &note);
            assert_not_locked(to, &screen);
        }
        rolo(
            &db,
            &[
                "log",
                &format!("call with @ada round {round} from the shell"),
            ],
        );
        for s in ["one", "two"] {
            tmux.wait_for(s, &format!("round {round} from the shell"));
        }
    }
    for s in ["one", "two"] {
        tmux.keys(s, &["q"]);
        let after = tmux.wait_for(s, "EXIT=");
        assert!(after.contains("EXIT=0"), "{after}");
        assert_not_locked(s, &after);
    }
    let timeline: serde_json::Value =
        serde_json::from_str(&rolo(&db, &["timeline", "ada", "--limit", "100"])).unwrap();
    let logged = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["summary"].as_str().unwrap().contains("round "))
        .count();
    assert_eq!(logged, 9, "{timeline}");
}

/// Another shell logs while a quick note is being typed: whatever the TUI writes itself
/// (the draft on a space, the draft kept on Esc, its heartbeat), the outside note shows up
/// on the next tick.
#[test]
fn an_outside_write_is_never_taken_for_our_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.db");
    let clock = Clock::fixed(now(), FixedOffset::east_opt(0).unwrap());
    let mut store = Store::open(&path).unwrap();
    rolo::journal::contacts::add(
        &mut store,
        &clock,
        &rolo::domain::contact::ContactDraft::named("Ada Lovelace"),
        false,
    )
    .unwrap();
    let mut other = Store::open(&path).unwrap();
    let mut app = new_app(&store, (120, 40));
    key(&mut app, &mut store, KeyCode::Char('n'));
    type_text(&mut app, &mut store, "a thought");
    let timeline = |app: &rolo::tui::app::App| {
        app.timeline
            .rows
            .iter()
            .map(|r| r.summary.clone())
            .collect::<Vec<_>>()
    };
    for (round, finish) in [(1, "space"), (2, "esc")] {
        let note = format!("call with @ada from the other shell {round}");
        rolo::journal::capture::log(&mut other, &clock, &note, None).unwrap();
        match finish {
            // A space saves the draft at once (a word is done).
            "space" => key(&mut app, &mut store, KeyCode::Char(' ')),
            _ => key(&mut app, &mut store, KeyCode::Esc),
        }
        update(&mut app, &mut store, Msg::Tick(now()));
        update(
            &mut app,
            &mut store,
            Msg::Tick(now() + chrono::Duration::seconds(6)),
        );
        assert!(
            timeline(&app)
                .iter()
                .any(|s| s.ends_with(&format!("other shell {round}"))),
            "after a {finish}, the outside note is missing: {:?}",
            timeline(&app)
        );
    }
}
