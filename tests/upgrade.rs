//! Upgrades: a journal written by the first rolo (schema v1, made here from the shipped
//! `0001_init.sql`, exactly as rolo v1 made it) opens in this rolo with every row of every
//! table intact; the copy taken before migrating exists, is private and is the old journal;
//! a journal from a newer rolo is refused untouched, by the CLI and by the TUI; a migration
//! killed at a random moment (while backing up or while migrating a large journal) leaves
//! the old journal usable, and the next start upgrades it.
//!
//! CI kills 8 migrations; `cargo test --test upgrade -- --ignored` kills 50.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use common::kill;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

const V1: &str = include_str!("../src/store/migrations/0001_init.sql");
const APPLICATION_ID: i32 = 0x524f_4c4f;

/// The tables of schema v1 and their columns, in order.
const V1_TABLES: &[(&str, &str)] = &[
    (
        "contacts",
        "id, uid, display_name, name_family, name_given, name_additional, name_prefix, name_suffix, \
         nickname, company, title, birthday, anniversary, met_text, met_date, met_introduced_by, \
         notes, cadence, archived, vcard_extra, last_interaction_at, created_at, updated_at, deleted_at",
    ),
    (
        "contact_fields",
        "id, contact_id, position, kind, label, value, preferred",
    ),
    ("contact_tags", "contact_id, tag"),
    (
        "interactions",
        "id, uid, happened_at, kind, summary, body, location, created_at, updated_at, deleted_at",
    ),
    (
        "interaction_participants",
        "interaction_id, contact_id, position, happened_at",
    ),
    ("interaction_tags", "interaction_id, tag"),
    (
        "reminders",
        "id, uid, title, contact_id, due_date, due_time, recurrence, status, snooze_count, source, \
         interaction_id, completed_at, created_at, updated_at, deleted_at",
    ),
    (
        "reminder_events",
        "id, reminder_id, at, event, from_date, to_date",
    ),
    ("drafts", "name, text, cursor, updated_at"),
];

/// An empty journal at schema v1, as rolo v1 created it.
fn v1_journal(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(V1).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn
}

/// A v1 journal holding one of everything v1 could hold.
fn rich_v1(path: &Path) {
    let conn = v1_journal(path);
    conn.execute_batch(
        "INSERT INTO contacts (id, uid, display_name, name_family, name_given, name_additional,
             name_prefix, name_suffix, nickname, company, title, birthday, anniversary, met_text,
             met_date, met_introduced_by, notes, cadence, archived, vcard_extra, created_at,
             updated_at, deleted_at) VALUES
           (1, 'urn:uuid:ada', 'Ada Lovelace', 'Lovelace', 'Ada', 'Augusta', 'Countess', '',
            'ada', 'Analytical Engines', 'Mathematician', '1815-12-10', '--07-08',
            'at a soirée', '1833-06-05', NULL, 'Poetical science.
Second line.', '30d', 0, 'X-ABC:keep me', '2026-01-01T09:00:00Z', '2026-01-02T09:00:00Z', NULL),
           (2, 'urn:uuid:grace', 'Grace Hopper', 'Hopper', 'Grace', '', 'Rear Admiral', '',
            NULL, 'US Navy', NULL, '--12-09', NULL, 'introduced by Ada', NULL, 1, NULL, '2m', 0,
            NULL, '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z', NULL),
           (3, 'urn:uuid:zoe', 'Zoë Ångström', '', '', '', '', '', NULL, NULL, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, 1, NULL, '2026-01-01T09:00:00Z',
            '2026-01-01T09:00:00Z', NULL),
           (4, 'urn:uuid:gone', 'Trashed Person', '', '', '', '', '', NULL, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, '2026-01-01T09:00:00Z',
            '2026-01-03T09:00:00Z', '2026-01-03T09:00:00Z');
         INSERT INTO contact_fields (id, contact_id, position, kind, label, value, preferred) VALUES
           (1, 1, 0, 'email', 'work', 'ada@example.org', 1),
           (2, 1, 1, 'phone', 'cell', '+44 20 7946 0000', 0),
           (3, 1, 2, 'url', 'linkedin', 'https://www.linkedin.com/in/ada', 0),
           (4, 1, 3, 'address', 'home', ';;12 St James''s Square;London;;SW1Y 4JH;UK', 0),
           (5, 2, 0, 'handle', 'matrix', '@grace:example.org', 0);
         INSERT INTO contact_tags (contact_id, tag) VALUES (1, 'mentor'), (1, 'poet'), (2, 'navy');
         INSERT INTO interactions (id, uid, happened_at, kind, summary, body, location,
             created_at, updated_at, deleted_at) VALUES
           (1, 'i-1', '2026-02-01T12:00:00Z', 'meal', 'lunch with Ada and Grace',
            '# Notes
- engines
- compilers', 'The Ivy', '2026-02-01T12:00:00Z', '2026-02-01T12:00:00Z', NULL),
           (2, 'i-2', '2026-03-01T12:00:00Z', 'call', 'call with Ada about the paper', NULL,
            NULL, '2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z', NULL),
           (3, 'i-3', '2026-03-05T12:00:00Z', 'note', 'a note in the trash', NULL, NULL,
            '2026-03-05T12:00:00Z', '2026-03-06T12:00:00Z', '2026-03-06T12:00:00Z');
         INSERT INTO interaction_participants (interaction_id, contact_id, position, happened_at) VALUES
           (1, 1, 0, '2026-02-01T12:00:00Z'), (1, 2, 1, '2026-02-01T12:00:00Z'),
           (2, 1, 0, '2026-03-01T12:00:00Z'), (3, 2, 0, '2026-03-05T12:00:00Z');
         INSERT INTO interaction_tags (interaction_id, tag) VALUES (1, 'mentoring'), (2, 'research');
         INSERT INTO reminders (id, uid, title, contact_id, due_date, due_time, recurrence, status,
             snooze_count, source, interaction_id, completed_at, created_at, updated_at, deleted_at) VALUES
           (1, 'r-1', 'send Ada the deck', 1, '2026-03-15', NULL, NULL, 'open', 2, 'follow-up', 2,
            NULL, '2026-03-01T12:00:00Z', '2026-03-10T12:00:00Z', NULL),
           (2, 'r-2', 'water the plants', NULL, '2026-03-20', '09:30', '1w', 'open', 0, 'manual',
            NULL, NULL, '2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z', NULL),
           (3, 'r-3', 'book the dinner', 2, '2026-02-10', NULL, NULL, 'done', 0, 'manual', NULL,
            '2026-02-09T12:00:00Z', '2026-02-01T12:00:00Z', '2026-02-09T12:00:00Z', NULL);
         INSERT INTO reminder_events (id, reminder_id, at, event, from_date, to_date) VALUES
           (1, 1, '2026-03-08T12:00:00Z', 'snoozed', '2026-03-08', '2026-03-12'),
           (2, 1, '2026-03-12T12:00:00Z', 'snoozed', '2026-03-12', '2026-03-15'),
           (3, 3, '2026-02-09T12:00:00Z', 'done', NULL, NULL);
         INSERT INTO drafts (name, text, cursor, updated_at) VALUES
           ('quick-note', 'half a thought about @ada', 12, '2026-03-20T12:00:00Z');",
    )
    .unwrap();
}

/// Every row of every v1 table, column by column.
fn v1_rows(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    V1_TABLES
        .iter()
        .map(|(table, columns)| {
            let n = columns.split(',').count();
            let rows = conn
                .prepare(&format!("SELECT {columns} FROM {table} ORDER BY 1, 2"))
                .unwrap()
                .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<rusqlite::Result<Vec<Vec<Value>>>>()
                .unwrap();
            ((*table).to_owned(), rows)
        })
        .collect()
}

fn user_version(path: &Path) -> i64 {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("journal.db.v1-") && name.ends_with(".bak")
        })
        .collect();
    found.sort();
    found
}

fn rolo(db: &Path, args: &[&str]) -> serde_json::Value {
    let out = kill::rolo(db, args).arg("--json").output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_v1_journal_opens_with_every_row_intact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    rich_v1(&db);
    let before = v1_rows(&db);
    let original = dir.path().join("original.db");
    Connection::open(&db)
        .unwrap()
        .execute("VACUUM INTO ?1", [original.to_str().unwrap()])
        .unwrap();

    // The first command of the new rolo upgrades it.
    let ada = rolo(&db, &["show", "ada"]);
    assert!(user_version(&db) > 1);
    assert_eq!(
        v1_rows(&db),
        before,
        "a row of schema v1 changed in the upgrade"
    );

    // What the new rolo reads back is what v1 wrote.
    let card = ada.to_string();
    for kept in [
        "Ada Lovelace",
        "Countess",
        "ada@example.org",
        "+44 20 7946 0000",
        "https://www.linkedin.com/in/ada",
        "St James's Square",
        "1815-12-10",
        "--07-08",
        "at a soirée",
        "Poetical science.\\nSecond line.",
        "30d",
        "mentor",
        "poet",
        "X-ABC:keep me",
        "call with Ada about the paper",
        "lunch with Ada and Grace",
        "The Ivy",
    ] {
        assert!(card.contains(kept), "{kept} lost: {card}");
    }
    let grace = rolo(&db, &["show", "grace"]).to_string();
    for kept in [
        "@grace:example.org",
        "--12-09",
        "introduced by Ada",
        "Rear Admiral",
    ] {
        assert!(grace.contains(kept), "{kept} lost: {grace}");
    }
    let list = rolo(&db, &["list", "--archived"]).to_string();
    assert!(
        list.contains("Zoë Ångström") && list.contains("Grace Hopper"),
        "{list}"
    );
    let trash = rolo(&db, &["trash"]).to_string();
    assert!(
        trash.contains("a note in the trash") && trash.contains("Trashed Person"),
        "{trash}"
    );
    let found = rolo(&db, &["search", "compilers"]).to_string();
    assert!(
        found.contains("lunch with Ada and Grace"),
        "the search index: {found}"
    );
    let agenda = rolo(&db, &["agenda", "--from", "2026-03-14", "--days", "7"]).to_string();
    assert!(agenda.contains("send Ada the deck"), "{agenda}");
    assert!(agenda.contains("water the plants"), "{agenda}");
    let check = rolo(&db, &["check"]);
    assert_eq!(check["ok"], true, "{check}");

    // The copy taken first is private, and it is the v1 journal as it was.
    let copies = backups(dir.path());
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(
        fs::metadata(&copies[0]).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(user_version(&copies[0]), 1);
    assert_eq!(v1_rows(&copies[0]), v1_rows(&original));
    // Only once: the next start finds nothing to upgrade.
    rolo(&db, &["list"]);
    assert_eq!(backups(dir.path()).len(), 1);
}

#[test]
fn a_journal_from_a_newer_rolo_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    rolo(&db, &["add", "Ada Lovelace"]);
    let newer = {
        let conn = Connection::open(&db).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "user_version", v + 1).unwrap();
        // Checkpointed and closed: the file alone is the journal.
        v + 1
    };
    let bytes = fs::read(&db).unwrap();
    let listing = |dir: &Path| {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let files = listing(dir.path());
    // A read, a write, and the TUI (no command): all refused before touching anything.
    for args in [&["list"][..], &["log", "call with @ada"], &[]] {
        let out = kill::rolo(&db, args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("written by a newer rolo (schema v{newer}"))
                && stderr.contains("upgrade rolo"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_eq!(fs::read(&db).unwrap(), bytes, "{args:?} changed the file");
        assert_eq!(listing(dir.path()), files, "{args:?} left files beside it");
    }
}

/// A v1 journal large enough that upgrading it takes a while: `contacts` people and five
/// notes each, half their text decomposed (the text upgrade rewrites it).
fn large_v1(path: &Path, contacts: usize) {
    let conn = v1_journal(path);
    conn.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {contacts})
         INSERT INTO contacts (id, uid, display_name, name_given, name_family, company, notes,
                               cadence, created_at, updated_at)
         SELECT i, 'u' || i, 'Person ' || i || CASE i % 2 WHEN 0 THEN ' Mu' || char(776) || 'ller' ELSE ' Muller' END,
                'Person', 'Muller', 'Company ' || (i % 97), 'met at event ' || i, '30d',
                '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z'
           FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {notes})
         INSERT INTO interactions (id, uid, happened_at, kind, summary, body, created_at, updated_at)
         SELECT i, 'i' || i, printf('2026-02-%02dT12:00:00Z', 1 + i % 28), 'call',
                'call number ' || i || CASE i % 2 WHEN 0 THEN ' cafe' || char(769) ELSE ' cafe' END,
                'notes of call ' || i, '2026-02-01T12:00:00Z', '2026-02-01T12:00:00Z'
           FROM n;
         INSERT INTO interaction_participants (interaction_id, contact_id, position, happened_at)
         SELECT id, 1 + (id % {contacts}), 0, happened_at FROM interactions;
         COMMIT;",
        notes = contacts * 5
    ))
    .unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
        .unwrap();
}

fn counts(path: &Path) -> (i64, i64, i64) {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let n = |t: &str| {
        conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    (
        n("contacts"),
        n("interactions"),
        n("interaction_participants"),
    )
}

fn integrity(path: &Path) -> String {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn killed_migrations(kills: usize, contacts: usize) {
    let seed = kill::seed("upgrade");
    let mut rng = fastrand::Rng::with_seed(seed);
    let fixture_dir = tempfile::tempdir().unwrap();
    let fixture = fixture_dir.path().join("journal.db");
    large_v1(&fixture, contacts);
    let expected = counts(&fixture);
    let copy = |dir: &Path| {
        let db = dir.join("journal.db");
        fs::copy(&fixture, &db).unwrap();
        fs::set_permissions(&db, fs::Permissions::from_mode(0o600)).unwrap();
        db
    };

    // How long an upgrade takes when left alone.
    let dir = tempfile::tempdir().unwrap();
    let db = copy(dir.path());
    let start = Instant::now();
    let run = kill::run(kill::rolo(&db, &["list", "--tag", "none"]), dir.path());
    assert!(run.succeeded(), "{}", run.stderr);
    let typical = start.elapsed();
    assert_eq!(counts(&db), expected);
    let latest = user_version(&db);

    let (mut landed, mut mid_write, mut mid_backup, mut still_v1) = (0, 0, 0, 0);
    while landed < kills {
        let dir = tempfile::tempdir().unwrap();
        let db = copy(dir.path());
        // Half the kills early, where the copy of the old journal is being taken.
        let window = if rng.bool() { typical / 8 } else { typical };
        let run = kill::run_and_kill(
            kill::rolo(&db, &["list", "--tag", "none"]),
            &db,
            dir.path(),
            kill::somewhen(&mut rng, window),
        );
        run.assert_no_panic("the upgrade");
        if !run.killed() {
            assert!(run.succeeded(), "{}", run.stderr);
            continue;
        }
        landed += 1;
        if run.mid_write() {
            mid_write += 1;
        }
        if run.mid_file() {
            mid_backup += 1; // it had the copy's temporary file open
        }
        // Either the old journal or the new one, never something between.
        let version = user_version(&db);
        assert!(version == 1 || version == latest, "schema v{version}");
        assert_eq!(integrity(&db), "ok");
        assert_eq!(counts(&db), expected, "rows lost by a killed upgrade");
        if version == 1 {
            still_v1 += 1;
        }
        // A copy that exists under its name is a whole copy of the old journal.
        for backup in backups(dir.path()) {
            assert_eq!(integrity(&backup), "ok", "{}", backup.display());
            assert_eq!(user_version(&backup), 1);
            assert_eq!(
                counts(&backup),
                expected,
                "a cut backup: {}",
                backup.display()
            );
            assert_eq!(
                fs::metadata(&backup).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        // The old journal is usable: the next start (at once, in the same second) upgrades it.
        let check = rolo(&db, &["check"]);
        assert_eq!(check["ok"], true, "{check}");
        assert!(user_version(&db) > 1);
        assert_eq!(counts(&db), expected);
        assert!(
            !backups(dir.path()).is_empty(),
            "no copy of the old journal"
        );
    }
    eprintln!(
        "upgrade: {landed} upgrades of a {contacts}-contact, {}-note v1 journal killed \
         (typical upgrade {typical:.1?}): {still_v1} left it at v1, {mid_backup} while copying it, \
         {mid_write} inside the migration's write transaction; every one reopened and upgraded with every row; seed {seed}",
        contacts * 5
    );
    assert!(mid_write > 0, "no kill landed inside the migration");
    assert!(
        mid_backup > 0 || kills < 50,
        "no kill landed while the old journal was being copied"
    );
    assert!(still_v1 > 0, "no kill landed before the upgrade committed");
}

#[test]
fn a_migration_killed_midway_leaves_the_old_journal_usable() {
    killed_migrations(8, 5000);
}

#[test]
#[ignore = "the long run: cargo test --test upgrade -- --ignored (tests/long.sh)"]
fn fifty_killed_migrations_leave_the_old_journal_usable() {
    killed_migrations(50, 20_000);
}
