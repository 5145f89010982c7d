//! Recovery: `rolo backup` is SQLite's online backup, whole while the TUI and a shell
//! write; `rolo check --repair` rebuilds what is derived (search indexes, participants'
//! times, last-interaction times, sort keys, the tables' indexes, sync state that lost its
//! record), says what it fixed and leaves `rolo check` clean; a damaged page is found by `rolo check`, which says so in
//! plain words and never panics.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::tmux::*;
use rusqlite::{Connection, OpenFlags};

fn summaries(db: &Path) -> BTreeSet<String> {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .prepare("SELECT summary FROM interactions")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(ROLO)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ROLO_CONFIG", "/nonexistent")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

fn backups_while_writing(rounds: usize) {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "tui";
    tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (120, 40));
    tmux.wait_for(s, "Timeline Ada Lovelace");

    let done = AtomicBool::new(false);
    let logged = AtomicUsize::new(0);
    let started = Instant::now();
    let copies = std::thread::scope(|scope| {
        // The TUI writes: notes saved with Enter, their drafts on every word.
        let tui = scope.spawn(|| {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                n += 1;
                tmux.keys(s, &["n"]);
                tmux.type_text(s, &format!("call with @ada tui note {n} "));
                std::thread::sleep(Duration::from_millis(200));
                tmux.keys(s, &["Enter"]);
            }
        });
        // A shell writes too.
        let shell = scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let i = logged.fetch_add(1, Ordering::Relaxed);
                let out = run(
                    &db,
                    &["log", &format!("call with @grace shell note {i} end")],
                );
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        });
        let mut copies = Vec::new();
        for round in 0..rounds {
            std::thread::sleep(Duration::from_millis(150));
            let before = summaries(&db);
            let copy = dir.path().join(format!("copy-{round}.db"));
            let out = run(&db, &["backup", copy.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "backup {round}: {stderr}");
            assert!(!stderr.to_lowercase().contains("locked"), "{stderr}");
            // Whole: SQLite and rolo find nothing wrong, and every note committed before
            // the backup began is in it.
            let check = run(&copy, &["check", "--json"]);
            assert!(
                check.status.success(),
                "{}",
                String::from_utf8_lossy(&check.stdout)
            );
            let in_copy = summaries(&copy);
            let missing: Vec<_> = before.difference(&in_copy).collect();
            assert!(missing.is_empty(), "backup {round} lacks {missing:?}");
            copies.push(in_copy.len());
        }
        done.store(true, Ordering::Relaxed);
        tui.join().unwrap();
        shell.join().unwrap();
        copies
    });
    tmux.keys(s, &["Escape", "q"]);
    let after = tmux.wait_for(s, "EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(!after.to_lowercase().contains("locked"), "{after}");
    let tui_notes = summaries(&db)
        .iter()
        .filter(|s| s.contains("tui note"))
        .count();
    assert!(
        tui_notes > 0,
        "the TUI wrote nothing: the test tested nothing"
    );
    assert!(
        copies.windows(2).all(|w| w[0] <= w[1]) && copies.first() < copies.last(),
        "the copies did not follow the writes: {copies:?}"
    );
    eprintln!(
        "recovery: {rounds} backups taken while the TUI ({tui_notes} notes) and a shell ({} notes) \
         wrote, in {:.1?}; each whole and checked clean",
        logged.load(Ordering::Relaxed),
        started.elapsed()
    );
}

#[test]
fn a_backup_while_the_tui_writes_is_whole() {
    backups_while_writing(8);
}

#[test]
#[ignore = "the long run: cargo test --test recovery -- --ignored (tests/long.sh)"]
fn fifty_backups_while_the_tui_writes_are_whole() {
    backups_while_writing(50);
}

fn check_json(db: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = run(db, &[&["check", "--json"], args].concat());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null),
        stderr,
    )
}

#[test]
fn repair_rebuilds_what_is_derived_and_says_what_it_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    assert!(
        run(
            &db,
            &["log", "coffee with @ada about the difference engine"]
        )
        .status
        .success()
    );
    let (code, clean, _) = check_json(&db, &[]);
    assert_eq!(
        (code, &clean["ok"]),
        (Some(0), &serde_json::json!(true)),
        "{clean}"
    );

    // Damage everything that is derived, behind rolo's back.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "INSERT INTO interactions_fts (interactions_fts) VALUES ('delete-all');
         INSERT INTO contacts_fts (contacts_fts) VALUES ('delete-all');
         UPDATE interaction_participants SET happened_at = '2001-01-01T00:00:00Z';
         UPDATE contacts SET last_interaction_at = '1999-01-01T00:00:00Z';
         UPDATE contacts SET sort_key = x'00' WHERE display_name = 'Grace Hopper';
         INSERT INTO sync_collections (kind, href) VALUES ('contacts', '/user/contacts/');
         INSERT INTO sync_items (kind, uid, href, hash, base, synced_at, remote_uid)
             VALUES ('contacts', 'gone-without-a-tombstone', '/user/contacts/x.vcf', 'h', '{}',
                     '2026-01-01T00:00:00Z', 'gone-without-a-tombstone');",
    )
    .unwrap();
    drop(conn);
    let found = run(&db, &["search", "difference"]);
    assert!(
        !String::from_utf8_lossy(&found.stdout).contains("difference engine"),
        "the damage did not take"
    );

    let (code, report, stderr) = check_json(&db, &[]);
    assert_eq!(code, Some(1), "{report}");
    assert!(stderr.contains("problem(s) found"), "{stderr}");
    let problems = report["problems"].to_string();
    for named in [
        "search index of notes",
        "search index of contacts",
        "participant row(s) out of step",
        "stale last-interaction time",
        "stale name sort key",
        "1 record(s) the sync state knows are gone without a tombstone",
    ] {
        assert!(problems.contains(named), "{named} not found: {problems}");
    }

    let (code, repaired, stderr) = check_json(&db, &["--repair"]);
    assert_eq!(code, Some(0), "{repaired} {stderr}");
    assert_eq!(repaired["ok"], true);
    let fixed: Vec<String> = repaired["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fixed,
        [
            "rebuilt the search index of notes (interactions_fts)",
            "rebuilt the search index of contacts (contacts_fts)",
            "set 3 participant row(s) to their interaction's time",
            "recomputed the last-interaction time of 2 contact(s)",
            "forgot the sync state of 1 record(s) gone without a tombstone (the next sync brings them back)",
            "recomputed the name sort key of 1 contact(s)",
        ]
    );
    // The table says it for a person too.
    let text = run(&db, &["check", "--repair", "--table"]);
    assert_eq!(
        String::from_utf8_lossy(&text.stdout),
        "The journal is healthy.\n",
        "nothing left to repair"
    );
    let (code, clean, _) = check_json(&db, &[]);
    assert_eq!(
        (code, &clean["ok"]),
        (Some(0), &serde_json::json!(true)),
        "{clean}"
    );
    let found = String::from_utf8_lossy(&run(&db, &["search", "difference"]).stdout).into_owned();
    assert!(found.contains("difference engine"), "{found}");
    let ada: serde_json::Value =
        serde_json::from_slice(&run(&db, &["show", "ada", "--json"]).stdout).unwrap();
    assert_ne!(
        ada["contact"]["last_interaction_at"],
        "1999-01-01T00:00:00Z"
    );
}

/// A page of an index whose keys were garbled: `check` names it, `--repair` rebuilds the
/// indexes. A table's page with a garbled header: `check` says the journal is damaged and
/// `--repair` says to restore it from a backup. Neither panics.
#[test]
fn a_damaged_page_is_found_and_named() {
    for (victim, repairable) in [("contacts_by_name", true), ("interactions", false)] {
        let dir = tempfile::tempdir().unwrap();
        let db = seeded_journal(dir.path());
        let mut cards = String::new();
        for i in 0..40 {
            let _ = write!(
                cards,
                "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Person {i:03} Filler\r\nEND:VCARD\r\n"
            );
        }
        let file = dir.path().join("cards.vcf");
        std::fs::write(&file, cards).unwrap();
        assert!(
            run(&db, &["import", "vcard", file.to_str().unwrap()])
                .status
                .success()
        );
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
        let page_size: i64 = conn
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .unwrap();
        let root: i64 = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
                [victim],
                |r| r.get(0),
            )
            .unwrap();
        drop(conn);
        let mut bytes = std::fs::read(&db).unwrap();
        let page = ((root - 1) * page_size) as usize..(root * page_size) as usize;
        if repairable {
            // The keys on the index's page no longer say what the table does.
            let garbled = String::from_utf8_lossy(&bytes[page.clone()])
                .matches("Filler")
                .count();
            assert!(garbled > 0, "the index page holds no names");
            for at in page.clone() {
                if bytes[at..].starts_with(b"Filler") {
                    bytes[at + 1] = b'z';
                }
            }
        } else {
            bytes[page.start] = 0xA5; // not a b-tree page type
        }
        std::fs::write(&db, &bytes).unwrap();

        let (code, report, stderr) = check_json(&db, &[]);
        assert_eq!(code, Some(1), "{victim}: {report} {stderr}");
        assert!(
            stderr.starts_with("rolo: ") && stderr.lines().count() == 1,
            "{stderr}"
        );
        let problems = report["problems"].to_string();
        assert!(
            problems.contains("integrity: "),
            "{victim}: {problems} {stderr}"
        );
        let (code, repaired, stderr) = check_json(&db, &["--repair"]);
        assert!(stderr.lines().count() <= 1, "{stderr}");
        if repairable {
            assert!(
                problems.contains("missing from index contacts_by_name"),
                "{problems}"
            );
            assert_eq!(code, Some(0), "{victim}: {repaired} {stderr}");
            assert!(
                repaired["fixed"].to_string().contains("REINDEX"),
                "{repaired}"
            );
            let (code, clean, _) = check_json(&db, &[]);
            assert_eq!(code, Some(0), "{clean}");
        } else {
            assert!(
                problems.contains("the table interactions cannot be read"),
                "the damaged table is not named: {problems}"
            );
            assert_eq!(code, Some(1), "{victim}: {repaired} {stderr}");
            assert!(
                stderr.contains("restore the journal from a backup"),
                "{stderr}"
            );
            // A command that reads the table says the file is damaged, in one line.
            let out = run(&db, &["timeline", "ada"]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            assert!(
                stderr.contains("the journal file is damaged")
                    && stderr.contains("rolo check")
                    && stderr.lines().count() == 1,
                "{stderr}"
            );
        }
    }
}
