//! Crash safety: the real binary killed with SIGKILL at random moments while it logs notes,
//! imports a 2,000-card file, empties the trash and exports (JSON, vCard, a vdir,
//! iCalendar). After every run: each write that printed success is there, everything seen
//! committed stays, an import is all or nothing, an export target is the old file or the
//! whole new one, SQLite's `integrity_check` and `rolo check` (search indexes, last-interaction
//! times, sort keys, sync state) are clean, and the files are still private.
//!
//! CI kills 100 times; `cargo test --test crash -- --ignored` (or `tests/long.sh`)
//! kills 1,000 times. Each kill stops the process first and reads `/proc/locks`, so the
//! figures say how many kills landed inside a write transaction — the harness must reach
//! them, and fails if it does not. `ROLO_SEED` replays a run. The sync harness (`rolo sync`
//! against Radicale, between notes, imports and emptied trashes) kills 25 times in CI and 250
//! in the long run.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::kill::{self, Run};
use rusqlite::{Connection, OpenFlags};

/// Cards in each import (the sync harness imports fewer: each is pushed one by one).
const CARDS: usize = 2000;
const SYNC_CARDS: usize = 150;
/// A fresh journal after this many kills, so the journal (and the vdir export) stays small.
const KILLS_PER_JOURNAL: usize = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Log,
    Import,
    TrashEmpty,
    Sync,
    ExportJson,
    ExportVcard,
    ExportVdir,
    ExportIcs,
}

impl Op {
    /// One round: mostly notes, each other kind once, in a random order.
    fn round(rng: &mut fastrand::Rng) -> Vec<Op> {
        let mut ops = vec![Op::Log; 6];
        ops.extend([
            Op::Import,
            Op::TrashEmpty,
            [Op::ExportJson, Op::ExportVcard][rng.usize(0..2)],
            [Op::ExportVdir, Op::ExportIcs][rng.usize(0..2)],
        ]);
        rng.shuffle(&mut ops);
        ops
    }
}

#[derive(Debug, Default)]
struct Figures {
    runs: usize,
    kills: usize,
    mid_write: usize,
    mid_file: usize,
    by_op: BTreeMap<String, (usize, usize, usize, usize)>, // runs, kills, mid-write, mid-file
    acknowledged: usize,
    unacknowledged_landed: usize,
    imports_whole: usize,
    imports_none: usize,
    exports_checked: usize,
    leftover_temp_files: usize,
    checks: usize,
}

impl Figures {
    fn count(&mut self, op: Op, run: &Run) {
        self.runs += 1;
        let entry = self.by_op.entry(format!("{op:?}")).or_default();
        entry.0 += 1;
        if run.killed() {
            self.kills += 1;
            entry.1 += 1;
        }
        if run.mid_write() {
            self.mid_write += 1;
            entry.2 += 1;
        }
        if run.mid_file() {
            self.mid_file += 1;
            entry.3 += 1;
        }
    }

    fn report(&self) -> String {
        let mut out = format!(
            "crash: {} runs, {} killed with SIGKILL, {} of them inside a write transaction, \
             {} while writing an export file; {} acknowledged writes all present, {} unacknowledged writes that had landed kept; \
             imports whole {} / none {} (never partial); {} export targets checked whole; \
             {} integrity checks clean; {} temporary files left by killed exports; bytes lost: 0\n",
            self.runs,
            self.kills,
            self.mid_write,
            self.mid_file,
            self.acknowledged,
            self.unacknowledged_landed,
            self.imports_whole,
            self.imports_none,
            self.exports_checked,
            self.checks,
            self.leftover_temp_files,
        );
        for (op, (runs, kills, mid, file)) in &self.by_op {
            let _ = writeln!(
                out,
                "  {op:<12} {runs:>5} runs {kills:>5} kills {mid:>5} mid-write {file:>5} mid-file"
            );
        }
        out
    }
}

/// One journal and what is known about it.
struct Journal {
    dir: tempfile::TempDir,
    db: PathBuf,
    epoch: usize,
    /// Cards in each of its imports.
    cards: usize,
    /// Notes seen committed (acknowledged, or found after a kill): marker → interaction id.
    durable: BTreeMap<String, i64>,
    /// Notes moved to the trash by the harness, gone for good once it is emptied.
    trashed: BTreeSet<String>,
    /// Import batches seen whole; the next batch to try.
    batches: usize,
    notes: usize,
    /// Each export target's last whole content.
    exports: BTreeMap<&'static str, Vec<u8>>,
}

struct Harness {
    rng: fastrand::Rng,
    figures: Figures,
    /// How long each kind of run takes when left alone (the window a kill is drawn from).
    typical: BTreeMap<Op, Duration>,
}

fn query_i64(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

impl Journal {
    fn new(epoch: usize, cards: usize) -> Journal {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("journal.db");
        let j = Journal {
            dir,
            db,
            epoch,
            cards,
            durable: BTreeMap::new(),
            trashed: BTreeSet::new(),
            batches: 0,
            notes: 0,
            exports: BTreeMap::new(),
        };
        for args in [
            &["add", "Ada Lovelace", "--every", "30d"][..],
            &["add", "Grace Hopper", "--every", "2m"],
        ] {
            let run = j.run(args);
            assert!(run.succeeded(), "{args:?}: {}", run.stderr);
        }
        j
    }

    fn scratch(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Run {
        kill::run(kill::rolo(&self.db, args), self.scratch())
    }

    fn conn(&self) -> Connection {
        // Read-only: closing it does not checkpoint, so the harness leaves the WAL as rolo
        // left it.
        Connection::open_with_flags(&self.db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
    }

    fn batch_name(&self, batch: usize) -> String {
        // No "a" anywhere: `@ada` must stay unambiguous however many are imported.
        format!("Kim Import-{}-{batch}", self.epoch)
    }

    fn batch_file(&self, batch: usize) -> PathBuf {
        let path = self.dir.path().join(format!("batch-{batch}.vcf"));
        if !path.exists() {
            let mut text = String::new();
            for i in 0..self.cards {
                let _ = write!(
                    text,
                    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:00000000-{:04}-4{:03}-8000-{i:012}\r\n\
                     FN:{} Nr{i}\r\nEMAIL:k{}-{batch}-{i}@example.org\r\nNOTE:imported in batch {batch}\r\nEND:VCARD\r\n",
                    self.epoch,
                    batch,
                    self.batch_name(batch),
                    self.epoch
                );
            }
            fs::write(&path, text).unwrap();
        }
        path
    }

    fn export_target(&self, op: Op) -> (&'static str, PathBuf) {
        let name = match op {
            Op::ExportJson => "out.json",
            Op::ExportVcard => "out.vcf",
            Op::ExportVdir => "vdir",
            Op::ExportIcs => "out.ics",
            _ => unreachable!(),
        };
        (name, self.dir.path().join(name))
    }

    /// What must hold after every run, killed or not.
    fn verify(&mut self, figures: &mut Figures) {
        let conn = self.conn();
        let integrity: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok");
        let live: BTreeSet<String> = conn
            .prepare("SELECT summary FROM interactions WHERE deleted_at IS NULL")
            .unwrap()
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for marker in self.durable.keys() {
            assert!(
                live.iter().any(|s| s.contains(&format!("{marker} "))),
                "{marker} was committed and is gone"
            );
        }
        for batch in 0..self.batches {
            let n = query_i64(
                &conn,
                &format!(
                    "SELECT count(*) FROM contacts WHERE display_name LIKE '{} %' AND deleted_at IS NULL",
                    self.batch_name(batch)
                ),
            );
            assert_eq!(n, self.cards as i64, "batch {batch} was whole and is not");
        }
        drop(conn);
        let check = self.run(&["check", "--json"]);
        assert!(
            check.succeeded(),
            "rolo check: {}{}",
            check.stdout,
            check.stderr
        );
        let report: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
        assert_eq!(report["ok"], true, "{report}");
        figures.checks += 1;
        for path in [self.db.clone(), kill::wal(&self.db), kill::shm(&self.db)] {
            if let Ok(meta) = fs::metadata(&path) {
                assert_eq!(
                    meta.permissions().mode() & 0o777,
                    0o600,
                    "{}",
                    path.display()
                );
            }
        }
    }
}

impl Harness {
    /// When to kill a run of `op`: a random moment within its usual duration (the first run
    /// of each kind is left alone, to learn that duration).
    fn delay(&mut self, op: Op) -> Duration {
        match self.typical.get(&op).copied() {
            // Half again as long: about a third of the runs finish and print their answer.
            Some(typical) => kill::somewhen(&mut self.rng, typical + typical / 2),
            None => Duration::MAX,
        }
    }

    fn learn(&mut self, op: Op, run: &Run) {
        if run.succeeded() {
            // Journals grow within an epoch: follow the latest, not the first.
            let typical = match self.typical.get(&op) {
                Some(old) => (*old + run.elapsed * 3) / 4,
                None => run.elapsed,
            };
            self.typical.insert(op, typical);
        }
    }

    /// Runs `args` on `j` and kills it at a random moment within its usual duration.
    fn strike(&mut self, j: &Journal, op: Op, args: &[&str]) -> Run {
        let delay = self.delay(op);
        let run = kill::run_and_kill(kill::rolo(&j.db, args), &j.db, j.scratch(), delay);
        run.assert_no_panic(&format!("{op:?}"));
        if !run.killed() {
            assert!(
                run.succeeded(),
                "{op:?} {args:?} failed on its own: {}",
                run.stderr
            );
        }
        self.figures.count(op, &run);
        self.learn(op, &run);
        run
    }

    fn log(&mut self, j: &mut Journal) {
        j.notes += 1;
        let marker = format!("crash-{}-{}", j.epoch, j.notes);
        let follow_up = self.rng.bool();
        let line = if follow_up {
            format!("call with @ada #crash {marker} about looms !2w send {marker} the deck")
        } else {
            format!("lunch with @ada @grace {marker} about compilers")
        };
        let run = self.strike(j, Op::Log, &["log", &line, "--json"]);
        let acked = serde_json::from_str::<serde_json::Value>(&run.stdout).ok();
        let conn = j.conn();
        let found: Vec<(i64, String)> = conn
            .prepare("SELECT id, summary FROM interactions WHERE summary LIKE ?1")
            .unwrap()
            .query_map([format!("%{marker} %")], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(found.len() <= 1, "{marker} written twice: {found:?}");
        let reminders = query_i64(
            &conn,
            &format!("SELECT count(*) FROM reminders WHERE title LIKE '%{marker} %'"),
        );
        if let Some(acked) = &acked {
            assert_eq!(found.len(), 1, "{marker} was acknowledged and is not there");
            assert_eq!(acked["interaction"]["id"], found[0].0);
            self.figures.acknowledged += 1;
        } else if !found.is_empty() {
            self.figures.unacknowledged_landed += 1;
        }
        if let Some((id, _)) = found.first() {
            // The note and its follow-up are one transaction.
            assert_eq!(
                reminders,
                i64::from(follow_up),
                "{marker}: note without its follow-up"
            );
            j.durable.insert(marker, *id);
        } else {
            assert_eq!(reminders, 0, "{marker}: a follow-up without its note");
        }
    }

    fn import(&mut self, j: &mut Journal) {
        let batch = j.batches;
        let file = j.batch_file(batch);
        let run = self.strike(
            j,
            Op::Import,
            &["import", "vcard", file.to_str().unwrap(), "--json"],
        );
        let n = query_i64(
            &j.conn(),
            &format!(
                "SELECT count(*) FROM contacts WHERE display_name LIKE '{} %'",
                j.batch_name(batch)
            ),
        );
        let cards = j.cards;
        assert!(
            n == 0 || n == cards as i64,
            "a killed import left {n} of {cards} contacts"
        );
        if let Ok(report) = serde_json::from_str::<serde_json::Value>(&run.stdout) {
            assert_eq!(report["created"].as_array().unwrap().len(), cards);
            assert_eq!(n, cards as i64, "acknowledged import missing");
        }
        if n == 0 {
            self.figures.imports_none += 1;
        } else {
            self.figures.imports_whole += 1;
            j.batches += 1;
        }
    }

    fn trash_empty(&mut self, j: &mut Journal) {
        // Something to empty: up to three committed notes, trashed (not killed).
        let picks: Vec<(String, i64)> = j
            .durable
            .iter()
            .filter(|_| self.rng.u8(0..4) == 0)
            .take(3)
            .map(|(m, id)| (m.clone(), *id))
            .collect();
        for (marker, id) in &picks {
            let run = j.run(&["rm", &format!("i{id}"), "--json"]);
            assert!(run.succeeded(), "rm i{id}: {}", run.stderr);
            j.durable.remove(marker);
            j.trashed.insert(marker.clone());
        }
        let in_trash = |j: &Journal| {
            query_i64(
                &j.conn(),
                "SELECT (SELECT count(*) FROM interactions WHERE deleted_at IS NOT NULL)
                      + (SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL)
                      + (SELECT count(*) FROM reminders WHERE deleted_at IS NOT NULL)",
            )
        };
        let before = in_trash(j);
        let run = self.strike(j, Op::TrashEmpty, &["trash", "empty", "--yes", "--json"]);
        let after = in_trash(j);
        assert!(
            after == before || after == 0,
            "a killed trash empty left {after} of {before}"
        );
        if serde_json::from_str::<serde_json::Value>(&run.stdout).is_ok() {
            assert_eq!(after, 0, "acknowledged trash empty left {after}");
        }
        if after == 0 {
            let conn = j.conn();
            for marker in std::mem::take(&mut j.trashed) {
                let n = query_i64(
                    &conn,
                    &format!("SELECT count(*) FROM interactions WHERE summary LIKE '%{marker} %'"),
                );
                assert_eq!(n, 0, "{marker} survived the emptied trash");
            }
        }
    }

    /// A sync killed at a random moment: whatever it left, the journal is sound (its sync
    /// state included, which `verify` has `rolo check` look at); the next sync finishes it.
    fn sync(&mut self, j: &mut Journal) {
        self.strike(j, Op::Sync, &["sync", "--json"]);
    }

    fn export(&mut self, j: &mut Journal, op: Op) {
        let (name, target) = j.export_target(op);
        let target_text = target.to_str().unwrap().to_owned();
        let args: Vec<&str> = match op {
            Op::ExportJson => vec!["export", "json", "-o", &target_text],
            Op::ExportVcard => vec!["export", "vcard", "-o", &target_text],
            Op::ExportIcs => vec!["export", "ics", "-o", &target_text],
            Op::ExportVdir => vec!["export", "vcard", "--dir", &target_text, "--json"],
            _ => unreachable!(),
        };
        let run = self.strike(j, op, &args);
        let conn = j.conn();
        let live = query_i64(
            &conn,
            "SELECT count(*) FROM contacts WHERE deleted_at IS NULL",
        );
        if op == Op::ExportVdir {
            if target.exists() {
                let cards = check_vdir(&target, live);
                if run.succeeded() {
                    assert_eq!(cards, live, "a finished vdir export");
                }
            }
        } else if let Ok(now) = fs::read(&target)
            && j.exports.get(name) != Some(&now)
        {
            assert!(
                whole_export(op, &now, &conn, live),
                "{name} is neither the old file nor a whole new one"
            );
            assert_eq!(
                fs::metadata(&target).unwrap().permissions().mode() & 0o777,
                0o600
            );
            j.exports.insert(name, now);
        }
        self.figures.exports_checked += 1;
    }
}

/// Whether `bytes` is a whole export of the journal `conn` holds (`live` contacts).
fn whole_export(op: Op, bytes: &[u8], conn: &Connection, live: i64) -> bool {
    let text = String::from_utf8_lossy(bytes);
    match op {
        Op::ExportJson => {
            let Ok(doc) = serde_json::from_slice::<serde_json::Value>(bytes) else {
                return false;
            };
            let all = query_i64(conn, "SELECT count(*) FROM contacts");
            let notes = query_i64(conn, "SELECT count(*) FROM interactions");
            doc["contacts"].as_array().map(Vec::len) == Some(usize::try_from(all).unwrap())
                && doc["interactions"].as_array().map(Vec::len)
                    == Some(usize::try_from(notes).unwrap())
        }
        Op::ExportVcard => {
            let live = usize::try_from(live).unwrap();
            text.matches("BEGIN:VCARD\r\n").count() == live
                && text.matches("END:VCARD\r\n").count() == live
                && text.ends_with("END:VCARD\r\n")
        }
        _ => text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"),
    }
}

/// Every card file in the vdir is one whole card; the manifest is whole. Returns the cards.
fn check_vdir(dir: &Path, live: i64) -> i64 {
    let mut cards = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue; // the manifest and temporary files, checked below
        }
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("BEGIN:VCARD\r\n")
                && text.ends_with("END:VCARD\r\n")
                && text.matches("BEGIN:VCARD").count() == 1,
            "{name} is not one whole card"
        );
        cards += 1;
    }
    assert!(cards <= live, "{cards} cards for {live} contacts");
    if let Ok(manifest) = fs::read_to_string(dir.join(".rolo-vdir")) {
        assert!(
            manifest.is_empty() || manifest.ends_with('\n'),
            "a cut manifest"
        );
        // A header, then `journal TAB file TAB sha-256` per card written.
        for line in manifest.lines().filter(|l| !l.starts_with('#')) {
            let cells: Vec<&str> = line.split('\t').collect();
            assert!(
                cells.len() == 3
                    && Path::new(cells[1]).extension().is_some_and(|e| e == "vcf")
                    && cells[2].len() == 64,
                "manifest line {line:?}"
            );
        }
    }
    cards
}

fn leftover_temp_files(dir: &Path) -> usize {
    let mut n = 0;
    for sub in [dir.to_path_buf(), dir.join("vdir")] {
        if let Ok(entries) = fs::read_dir(sub) {
            n += entries
                .filter(|e| {
                    let name = e.as_ref().unwrap().file_name();
                    let name = name.to_string_lossy();
                    name.starts_with('.') && name.ends_with(".tmp")
                })
                .count();
        }
    }
    n
}

fn harness(kills: usize) -> Figures {
    let seed = kill::seed("crash");
    let mut h = Harness {
        rng: fastrand::Rng::with_seed(seed),
        figures: Figures::default(),
        typical: BTreeMap::new(),
    };
    let started = Instant::now();
    let mut epoch = 0;
    while h.figures.kills < kills {
        epoch += 1;
        let mut j = Journal::new(epoch, CARDS);
        let epoch_kills = h.figures.kills;
        while h.figures.kills < kills && h.figures.kills - epoch_kills < KILLS_PER_JOURNAL {
            for op in Op::round(&mut h.rng) {
                match op {
                    Op::Log => h.log(&mut j),
                    Op::Import => h.import(&mut j),
                    Op::TrashEmpty => h.trash_empty(&mut j),
                    _ => h.export(&mut j, op),
                }
                j.verify(&mut h.figures);
            }
        }
        h.figures.leftover_temp_files += leftover_temp_files(j.dir.path());
    }
    let mut report = h.figures.report();
    let _ = writeln!(report, "  {:.0?} in all, seed {seed}", started.elapsed());
    eprintln!("{report}");
    // A harness whose kills never land inside a transaction proves nothing about writes.
    for op in ["Log", "Import", "TrashEmpty"] {
        let (_, killed, mid, _) = h.figures.by_op.get(op).copied().unwrap_or_default();
        assert!(killed > 0, "no {op} was ever killed\n{report}");
        if op != "TrashEmpty" {
            assert!(
                mid > 0,
                "no {op} was killed inside its write transaction\n{report}"
            );
        }
    }
    assert!(
        h.figures.mid_write >= kills / 20,
        "too few kills landed inside a write transaction\n{report}"
    );
    // Exports are mostly small, so a kill while one writes its file is rare: the long run
    // must have seen some.
    assert!(
        kills < 1000 || h.figures.mid_file > 0,
        "no kill landed while an export was writing its file\n{report}"
    );
    h.figures
}

/// Records as a journal's JSON export has them: live contacts and notes by UID.
fn live_records(j: &Journal) -> (BTreeSet<String>, BTreeMap<String, String>) {
    let run = j.run(&["export", "json"]);
    assert!(run.succeeded(), "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let live = |kind: &str| {
        doc[kind]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["deleted_at"].is_null())
            .cloned()
            .collect::<Vec<_>>()
    };
    let contacts = live("contacts")
        .iter()
        .map(|c| c["uid"].as_str().unwrap().to_owned())
        .collect();
    let notes = live("interactions")
        .iter()
        .map(|i| {
            (
                i["uid"].as_str().unwrap().to_owned(),
                i["summary"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (contacts, notes)
}

/// `a` synced to the end, twice (the second finds nothing to do); then a second journal on
/// the same account receives exactly its live records, every note `a` committed among them.
fn synced_to_the_end(a: &Journal, url: &str, user: &str) {
    for _ in 0..2 {
        let run = a.run(&["sync", "--json"]);
        assert!(run.succeeded(), "the sync after the kills: {}", run.stderr);
    }
    let dir = tempfile::tempdir().unwrap();
    let b = Journal {
        db: dir.path().join("journal.db"),
        dir,
        epoch: a.epoch,
        cards: 0,
        durable: BTreeMap::new(),
        trashed: BTreeSet::new(),
        batches: 0,
        notes: 0,
        exports: BTreeMap::new(),
    };
    for args in [
        &["sync", "setup", url, "--user", user, "--json"][..],
        &["sync", "--json"],
    ] {
        let run = b.run(args);
        assert!(
            run.succeeded(),
            "{args:?} on the second journal: {}",
            run.stderr
        );
    }
    let (a_contacts, a_notes) = live_records(a);
    let (b_contacts, b_notes) = live_records(&b);
    assert_eq!(
        b_contacts, a_contacts,
        "contacts lost or doubled through the server"
    );
    assert_eq!(b_notes, a_notes, "notes lost or doubled through the server");
    for marker in a.durable.keys() {
        assert!(
            b_notes.values().any(|s| s.contains(&format!("{marker} "))),
            "{marker} never reached the server"
        );
    }
    let check = b.run(&["check", "--json"]);
    assert!(check.succeeded(), "{}", check.stdout);
}

/// The sync harness: one journal syncing with Radicale, its syncs killed at random between
/// notes, imports and emptied trashes. At the end of each journal's life it syncs to the
/// end, and a second journal set up on the same account receives exactly what it has:
/// every contact and note once, nothing lost, nothing doubled.
fn sync_harness(kills: usize) -> Option<Figures> {
    let server = common::dav::Radicale::start()?;
    let seed = kill::seed("crash (sync)");
    let mut h = Harness {
        rng: fastrand::Rng::with_seed(seed),
        figures: Figures::default(),
        typical: BTreeMap::new(),
    };
    let started = Instant::now();
    let mut epoch = 1000;
    while h.figures.kills < kills {
        epoch += 1;
        let mut a = Journal::new(epoch, SYNC_CARDS);
        let user = format!("user{epoch}");
        // Work for the first syncs to be killed in: a batch of cards and a few notes, each
        // pushed one by one.
        let file = a.batch_file(0);
        let import = a.run(&["import", "vcard", file.to_str().unwrap(), "--json"]);
        assert!(import.succeeded(), "{}", import.stderr);
        a.batches = 1;
        let setup = a.run(&["sync", "setup", &server.url, "--user", &user, "--json"]);
        assert!(setup.succeeded(), "sync setup: {}", setup.stderr);
        let epoch_kills = h.figures.kills;
        while h.figures.kills < kills && h.figures.kills - epoch_kills < KILLS_PER_JOURNAL {
            let mut ops = vec![
                Op::Log,
                Op::Log,
                Op::Sync,
                Op::Sync,
                Op::Sync,
                Op::TrashEmpty,
            ];
            if a.batches < 3 {
                ops.push(Op::Import);
            }
            h.rng.shuffle(&mut ops);
            for op in ops {
                match op {
                    Op::Log => h.log(&mut a),
                    Op::Import => h.import(&mut a),
                    Op::TrashEmpty => h.trash_empty(&mut a),
                    _ => h.sync(&mut a),
                }
                a.verify(&mut h.figures);
            }
        }
        synced_to_the_end(&a, &server.url, &user);
    }
    let mut report = h
        .figures
        .report()
        .replacen("crash:", "crash (sync with Radicale):", 1);
    let _ = writeln!(report, "  {:.0?} in all, seed {seed}", started.elapsed());
    eprintln!("{report}");
    let (_, killed, mid, _) = h.figures.by_op.get("Sync").copied().unwrap_or_default();
    assert!(killed > 0, "no sync was ever killed\n{report}");
    // Most of a sync is waiting on the network, outside any transaction: CI's 25 kills may
    // miss its writes; the long run may not.
    assert!(
        mid > 0 || kills < 100,
        "no sync was killed inside a write transaction\n{report}"
    );
    Some(h.figures)
}

/// A sync killed after the server deleted an item (a note emptied from the trash here) but
/// before the journal recorded it: the journal's last item of that collection has a
/// tombstone, the server's collection is empty. The next sync finishes the delete — an
/// empty collection is what it expects, not a sign of a reset server.
#[test]
fn a_sync_killed_after_the_servers_delete_resumes() {
    let Some(server) = common::dav::Radicale::start() else {
        return;
    };
    let j = Journal::new(1, 0);
    for args in [
        &[
            "sync",
            "setup",
            server.url.as_str(),
            "--user",
            "resume",
            "--json",
        ][..],
        &["log", "call with @ada about the one note", "--json"],
        &["sync", "--json"],
    ] {
        let run = j.run(args);
        assert!(run.succeeded(), "{args:?}: {}", run.stderr);
    }
    let (id, href): (i64, String) = j
        .conn()
        .query_row(
            "SELECT i.id, s.href FROM interactions i JOIN sync_items s ON s.uid = i.uid
              WHERE s.kind = 'interactions'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    for args in [
        &["rm", &format!("i{id}"), "--json"][..],
        &["trash", "empty", "--yes", "--json"],
    ] {
        let run = j.run(args);
        assert!(run.succeeded(), "{args:?}: {}", run.stderr);
    }
    // What the killed sync did before it died: the DELETE, on the server.
    http_delete(&server.url, &href);
    let run = j.run(&["sync", "--json"]);
    assert!(run.succeeded(), "the sync after: {}", run.stderr);
    let left: i64 = j
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM sync_items WHERE kind = 'interactions')
                  + (SELECT count(*) FROM sync_tombstones)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the delete was not finished");
    let check = j.run(&["check", "--json"]);
    assert!(check.succeeded(), "{}", check.stdout);
}

/// With sync set up, records changed since the last sync are marked; emptying the trash
/// then deletes rows whose foreign keys touch marked records (a follow-up's note, the
/// person who introduced someone, someone's part in a note). Every such case empties.
#[test]
fn the_trash_empties_whatever_sync_has_marked() {
    let j = Journal::new(1, 0);
    for args in [
        &["add", "Alan Turing", "--introduced-by", "ada", "--json"][..],
        &[
            "log",
            "call with @ada @grace about the deck !2w send the deck",
            "--json",
        ],
        &["log", "lunch with @grace about compilers", "--json"],
    ] {
        let run = j.run(args);
        assert!(run.succeeded(), "{args:?}: {}", run.stderr);
    }
    // Sync set up (its collections known), nothing synced yet: everything is marked.
    rusqlite::Connection::open(&j.db)
        .unwrap()
        .execute_batch(
            "INSERT INTO sync_collections (kind, href) VALUES
                 ('contacts', '/u/c/'), ('interactions', '/u/i/'), ('reminders', '/u/r/');
             INSERT OR IGNORE INTO sync_changed (kind, uid)
                 SELECT 'contacts', uid FROM contacts
                 UNION ALL SELECT 'interactions', uid FROM interactions
                 UNION ALL SELECT 'reminders', uid FROM reminders;",
        )
        .unwrap();
    // The note the follow-up came from; Ada, who introduced Alan; Grace, who was at lunch.
    for target in ["i1", "ada", "grace"] {
        let run = j.run(&["rm", target, "--json"]);
        assert!(run.succeeded(), "rm {target}: {}", run.stderr);
        let run = j.run(&["trash", "empty", "--yes", "--json"]);
        assert!(run.succeeded(), "emptying {target}: {}", run.stderr);
    }
    let check = j.run(&["check", "--json"]);
    assert!(check.succeeded(), "{}", check.stdout);
}

/// An HTTP DELETE of `href` on the server at `url` (Radicale, no authentication).
fn http_delete(url: &str, href: &str) {
    use std::io::{Read as _, Write as _};
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "DELETE {href} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer.split_whitespace().nth(1).unwrap_or_default();
    assert!(matches!(status, "200" | "204"), "{answer}");
}

#[test]
fn kill_9_during_sync_loses_nothing() {
    sync_harness(25);
}

#[test]
#[ignore = "the long run: cargo test --test crash -- --ignored (tests/long.sh)"]
fn kill_9_during_sync_250_times_loses_nothing() {
    sync_harness(250);
}

#[test]
fn kill_9_at_random_moments_loses_nothing() {
    harness(100);
}

#[test]
#[ignore = "the long run: cargo test --test crash -- --ignored (tests/long.sh)"]
fn kill_9_a_thousand_times_loses_nothing() {
    harness(1000);
}
