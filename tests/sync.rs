//! `rolo sync` against real servers: Radicale 3.9 and Xandikos 0.4, each started on
//! 127.0.0.1 on a free port with a temporary storage directory, with two journals A and B.
//! Every scenario runs against both servers.
//!
//! The servers are found through `ROLO_SYNC_SERVERS` (a directory holding the `radicale`
//! and `xandikos` executables, as `.ci/run` sets up in a venv), else on `PATH`. Locally a
//! missing server makes a test say it skipped; under `CI=true` it fails.
//!
//! Knobs: `ROLO_SYNC_KILL_LOOPS` (kill -9 rounds, default 3), `ROLO_SYNC_ROUND_TRIPS`
//! (default 40; the full count is 1000), `ROLO_SYNC_BULK=1` for the 500 contacts +
//! 5,000 interactions first sync (its time is printed; see benches/RESULTS.md).

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use predicates::str::contains;
use rolo::clock::Clock;
use rolo::domain::contact::{ContactField, FieldKind, NameParts};
use rolo::domain::record::{
    ContactRecord, EventRecord, InteractionRecord, Records, ReminderRecord,
};
use rolo::journal::sync::Options;
use rolo::store::Store;
use serde_json::Value;

// --- servers -----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Radicale,
    Xandikos,
}

struct Server {
    child: Child,
    _dir: tempfile::TempDir,
    url: String,
    kind: Kind,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    /// Starts a server, or says why not: `None` means skip (never under CI).
    fn start(kind: Kind) -> Option<Server> {
        Server::start_with(kind, &[])
    }

    fn start_with(kind: Kind, extra: &[&str]) -> Option<Server> {
        let name = match kind {
            Kind::Radicale => "radicale",
            Kind::Xandikos => "xandikos",
        };
        let Some(bin) = common::dav::binary(name) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{name} not found: set ROLO_SYNC_SERVERS (see .ci/run)"
            );
            eprintln!("skipped: {name} not found (set ROLO_SYNC_SERVERS to a directory with it)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut cmd = StdCommand::new(bin);
        match kind {
            Kind::Radicale => {
                cmd.args(["--config", ""])
                    .args(["--server-hosts", &format!("127.0.0.1:{port}")])
                    .arg("--storage-filesystem-folder")
                    .arg(dir.path().join("collections"));
                if !extra.iter().any(|a| a.starts_with("--auth-type")) {
                    cmd.args(["--auth-type", "none"]);
                }
            }
            Kind::Xandikos => {
                cmd.args(["serve", "-d"])
                    .arg(dir.path().join("data"))
                    .args(["--defaults", "-l", "127.0.0.1", "-p", &port.to_string()])
                    .arg("--no-detect-systemd");
            }
        }
        cmd.args(extra);
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            _dir: dir,
            url: format!("http://127.0.0.1:{port}/"),
            kind,
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{name} did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }
}

// --- journals ----------------------------------------------------------------------------

struct Journal {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl Journal {
    fn new() -> Journal {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        Journal { dir, path }
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("rolo").unwrap();
        cmd.env("ROLO_DB", &self.path)
            .env_remove("RUST_BACKTRACE")
            .env_remove("ROLO_SYNC_PASSWORD");
        cmd
    }

    fn run(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .args(args)
            .arg("--json")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out)))
    }

    /// Fails with exit code 1 and one line on stderr containing `message`; nothing changed.
    fn refuses(&self, args: &[&str], message: &str) {
        let before = self.export();
        let out = self
            .cmd()
            .args(args)
            .assert()
            .code(1)
            .stderr(contains(message))
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "one clear line, got: {stderr}");
        assert_eq!(self.export(), before, "the journal is unchanged");
    }

    fn setup(&self, server: &Server) {
        self.run(&["sync", "setup", &server.url, "--user", "alice"]);
    }

    fn sync(&self) -> Value {
        self.run(&["sync"])
    }

    /// Syncs in process (faster than a process per sync, for the loops).
    fn sync_here(&self) -> rolo::journal::sync::Report {
        let mut store = Store::open(&self.path).unwrap();
        rolo::journal::sync::sync(
            &mut store,
            &Clock::system(),
            Options::default(),
            &mut |_| {},
        )
        .unwrap()
    }

    /// The whole journal as `export json` has it, minus the export's own stamp.
    fn export(&self) -> Value {
        let mut doc = self.run(&["export", "json"]);
        if let Some(o) = doc.as_object_mut() {
            o.retain(|k, _| k != "exported_at");
        }
        doc
    }

    fn store(&self) -> Store {
        Store::open(&self.path).unwrap()
    }

    fn write_records(&self, records: &Records) {
        let mut store = self.store();
        store
            .write(|tx| rolo::store::records::restore(tx, records))
            .unwrap();
    }

    fn collections(&self) -> Vec<(String, String)> {
        let status = self.run(&["sync", "status"]);
        status["collections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["kind"].as_str().unwrap().to_owned(),
                    c["href"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

fn writes(report: &Value) -> u64 {
    ["contacts", "interactions", "reminders"]
        .iter()
        .map(|k| {
            ["pulled", "pushed", "deleted_here", "deleted_there"]
                .iter()
                .map(|f| report[k][f].as_u64().unwrap())
                .sum::<u64>()
        })
        .sum()
}

// --- the server seen from outside --------------------------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Every item of a collection: href → data.
fn server_items(server: &Server, collection: &str) -> Vec<(String, String)> {
    use libdav::caldav::GetCalendarResources;
    use libdav::carddav::GetAddressBookResources;
    use libdav::dav::SyncCollection;
    runtime().block_on(async {
        let dav = rolo::sync::dav::client(&server.url, Some("alice"), None).unwrap();
        let listing = dav.request(SyncCollection::new(collection)).await.unwrap();
        let hrefs: Vec<String> = listing
            .changed
            .into_iter()
            .map(|r| r.href)
            .filter(|h| !h.ends_with('/'))
            .collect();
        if hrefs.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for batch in hrefs.chunks(200) {
            let resources = if collection.contains("contacts") {
                dav.request(GetAddressBookResources::new(collection).with_hrefs(batch))
                    .await
                    .unwrap()
                    .resources
            } else {
                dav.request(GetCalendarResources::new(collection).with_hrefs(batch))
                    .await
                    .unwrap()
                    .resources
            };
            for r in resources {
                if let Ok(c) = r.content {
                    out.push((r.href, c.data));
                }
            }
        }
        out
    })
}

fn uid_of(data: &str) -> String {
    rolo::interop::content_line::unfold(data)
        .into_iter()
        .find_map(|(_, l)| l.strip_prefix("UID:").map(str::to_owned))
        .unwrap()
}

/// Asserts no UID is on the server twice, and returns how many items each collection has.
fn no_duplicates(server: &Server, journal: &Journal) -> Vec<usize> {
    let mut counts = Vec::new();
    for (kind, href) in journal.collections() {
        let items = server_items(server, &href);
        let mut uids: Vec<String> = items.iter().map(|(_, d)| uid_of(d)).collect();
        let n = uids.len();
        uids.sort();
        uids.dedup();
        assert_eq!(uids.len(), n, "{kind}: a UID is on the server twice");
        counts.push(n);
    }
    counts
}

/// A PUT as another client makes it (plain HTTP, no rolo).
fn put(server: &Server, href: &str, body: &str, content_type: &str) {
    runtime().block_on(async {
        let dav = rolo::sync::dav::client(&server.url, Some("alice"), None).unwrap();
        dav.request(libdav::dav::PutResource::new(href).create(body, content_type))
            .await
            .unwrap();
    });
}

fn get(server: &Server, collection: &str, href: &str) -> String {
    server_items(server, collection)
        .into_iter()
        .find(|(h, _)| h == href)
        .map_or_else(|| panic!("{href} is not on the server"), |(_, d)| d)
}

fn delete_all(server: &Server, collection: &str) {
    let items = server_items(server, collection);
    runtime().block_on(async {
        let dav = rolo::sync::dav::client(&server.url, Some("alice"), None).unwrap();
        for (href, _) in items {
            dav.request(libdav::dav::Delete::new(&href).force())
                .await
                .unwrap();
        }
    });
}

// --- records -----------------------------------------------------------------------------

fn at(day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, day, hour, 0, 0).unwrap()
}

fn contact(uid: &str, name: &str) -> ContactRecord {
    ContactRecord {
        uid: uid.to_owned(),
        display_name: name.to_owned(),
        name: NameParts::guess(name),
        nickname: None,
        company: None,
        title: None,
        fields: Vec::new(),
        birthday: None,
        anniversary: None,
        met_text: None,
        met_date: None,
        introduced_by: None,
        notes: None,
        tags: Vec::new(),
        cadence: None,
        archived: false,
        vcard_extra: None,
        created_at: at(1, 9),
        updated_at: at(1, 9),
        deleted_at: None,
        marks: Vec::new(),
    }
}

/// A journal with every kind of detail sync must carry.
#[allow(clippy::too_many_lines)] // one literal journal
fn rich_records() -> Records {
    let ada = ContactRecord {
        nickname: Some("Countess".into()),
        company: Some("Analytical Engines, Ltd.".into()),
        title: Some("Mathematician; poet".into()),
        fields: vec![
            ContactField {
                preferred: true,
                ..ContactField::new(FieldKind::Email, "ada@example.com").labelled("work")
            },
            ContactField::new(FieldKind::Phone, "+44 20 7946 0000").labelled("cell"),
            ContactField::new(FieldKind::Url, "https://example.com/ada"),
            ContactField::postal(rolo::domain::contact::PostalAddress {
                street: "12 St James's Square".into(),
                locality: "London".into(),
                postal_code: "SW1Y 4JH".into(),
                country: "UK".into(),
                ..Default::default()
            })
            .labelled("home"),
        ],
        birthday: Some("1815-12-10".into()),
        anniversary: Some("--07-08".into()),
        met_text: Some("at Babbage's soirée, with \"friends\"".into()),
        met_date: chrono::NaiveDate::from_ymd_opt(1833, 6, 5),
        notes: Some("Line one, with a comma; and a semicolon\nline two \\ backslash".into()),
        tags: vec!["math".into(), "mentor".into(), "poetry,prose".into()],
        cadence: Some("30d".into()),
        marks: vec![rolo::domain::record::MarkRecord {
            occasion: rolo::domain::agenda::Occasion::KeepInTouch,
            occurrence: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            until: chrono::NaiveDate::from_ymd_opt(2026, 11, 9),
        }],
        ..contact("0194c2a0-0000-7000-8000-00000000000a", "Ada Lovelace")
    };
    let grace = ContactRecord {
        company: Some("US Navy".into()),
        introduced_by: Some(ada.uid.clone()),
        archived: true,
        ..contact("0194c2a0-0000-7000-8000-00000000000b", "Grace Hopper")
    };
    let alan = contact("alan@rolo.example", "Alan Turing");
    let lunch = InteractionRecord {
        uid: "0194c2a0-0000-7000-8000-0000000000a1".into(),
        happened_at: at(5, 12),
        kind: "meal".into(),
        summary: "lunch: compilers, loops; and more".into(),
        body: Some("We talked.\n\nThen, we talked more; a lot.".into()),
        location: Some("The Ivy, London".into()),
        participants: vec![grace.uid.clone(), ada.uid.clone(), alan.uid.clone()],
        tags: vec!["mentoring".into(), "a,b".into()],
        created_at: at(5, 13),
        updated_at: at(5, 14),
        deleted_at: None,
    };
    let promotion = InteractionRecord {
        uid: "0194c2a0-0000-7000-8000-0000000000a2".into(),
        happened_at: at(6, 8),
        kind: "milestone".into(),
        summary: "Grace made rear admiral".into(),
        body: None,
        location: None,
        participants: vec![grace.uid.clone()],
        tags: Vec::new(),
        created_at: at(6, 8),
        updated_at: at(6, 8),
        deleted_at: None,
    };
    let hackathon = InteractionRecord {
        uid: "0194c2a0-0000-7000-8000-0000000000a3".into(),
        kind: "hackathon".into(),
        summary: "hackathon".into(),
        participants: vec![alan.uid.clone()],
        ..promotion.clone()
    };
    let follow_up = ReminderRecord {
        uid: "0194c2a0-0000-7000-8000-0000000000b1".into(),
        title: "send her the paper, with notes".into(),
        contact: Some(ada.uid.clone()),
        due_date: chrono::NaiveDate::from_ymd_opt(2026, 10, 19).unwrap(),
        due_time: None,
        recurrence: None,
        anchor_date: None,
        status: "open".into(),
        snooze_count: 1,
        source: "follow-up".into(),
        interaction: Some(lunch.uid.clone()),
        completed_at: None,
        created_at: at(5, 13),
        updated_at: at(7, 9),
        deleted_at: None,
        events: vec![EventRecord {
            at: at(7, 9),
            event: "snoozed".into(),
            from_date: chrono::NaiveDate::from_ymd_opt(2026, 10, 12),
            to_date: chrono::NaiveDate::from_ymd_opt(2026, 10, 19),
        }],
    };
    let monthly = ReminderRecord {
        uid: "0194c2a0-0000-7000-8000-0000000000b2".into(),
        title: "pay the club".into(),
        contact: None,
        due_date: chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        due_time: Some("09:30".into()),
        recurrence: Some("1m".into()),
        anchor_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 31),
        status: "done".into(),
        snooze_count: 0,
        source: "manual".into(),
        interaction: None,
        completed_at: Some(at(8, 10)),
        created_at: at(1, 9),
        updated_at: at(8, 10),
        deleted_at: None,
        events: vec![EventRecord {
            at: at(8, 10),
            event: "done".into(),
            from_date: None,
            to_date: None,
        }],
    };
    Records {
        contacts: vec![ada, grace, alan],
        interactions: vec![lunch, promotion, hackathon],
        reminders: vec![follow_up, monthly],
        drafts: Vec::new(),
    }
}

// --- the scenarios -----------------------------------------------------------------------

/// Issue point 1: Everything arrives exactly; a second sync writes nothing, rewritten items included.
fn arrives_exactly(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let (a, b) = (Journal::new(), Journal::new());
    a.write_records(&rich_records());
    a.setup(&server);
    let rehearsal = a.run(&["sync", "--dry-run"]);
    assert_eq!(rehearsal["dry_run"], true);
    assert_eq!(rehearsal["contacts"]["pushed"], 3, "{rehearsal}");
    assert_eq!(
        no_duplicates(&server, &a),
        vec![0, 0, 0],
        "a dry run sends nothing"
    );
    assert_eq!(
        a.run(&["sync", "status"])["pending"],
        8,
        "and records nothing"
    );
    let first = a.sync();
    assert_eq!(first["contacts"]["pushed"], 3, "{first}");
    assert_eq!(first["interactions"]["pushed"], 3);
    assert_eq!(first["reminders"]["pushed"], 2);
    b.setup(&server);
    let pulled = b.sync();
    assert_eq!(pulled["contacts"]["pulled"], 3, "{pulled}");
    assert_eq!(a.export(), b.export(), "B has exactly A's journal");
    for j in [&a, &b, &a, &b] {
        let again = j.sync();
        assert_eq!(
            writes(&again),
            0,
            "nothing changed, nothing written: {again}"
        );
    }
    assert_eq!(no_duplicates(&server, &a), vec![3, 3, 2]);
    // The server's own rewrite is not an edit: Radicale re-serialises everything; rewrite
    // every item once more by hand (property order, folding, stamps) for both servers.
    for (_, href) in a.collections() {
        for (item, data) in server_items(&server, &href) {
            let mut lines: Vec<String> = rolo::interop::content_line::unfold(&data)
                .into_iter()
                .map(|(_, l)| l)
                .map(|l| {
                    if l.starts_with("PRODID") {
                        "PRODID:-//another//client//EN".to_owned()
                    } else {
                        l
                    }
                })
                .collect();
            // Swap two properties inside the item (never BEGIN/END/VERSION).
            if let Some(i) = lines
                .iter()
                .position(|l| l.starts_with("SUMMARY") || l.starts_with("FN"))
            {
                let j = i + 1;
                if j < lines.len() && !lines[j].starts_with("END") && !lines[j].starts_with("BEGIN")
                {
                    lines.swap(i, j);
                }
            }
            let text = lines.join("\r\n") + "\r\n";
            runtime().block_on(async {
                let dav = rolo::sync::dav::client(&server.url, Some("alice"), None).unwrap();
                let etag = dav
                    .request(libdav::dav::GetEtag::new(&item))
                    .await
                    .unwrap()
                    .etag;
                let ct = if href.contains("contacts") {
                    "text/vcard"
                } else {
                    "text/calendar"
                };
                dav.request(libdav::dav::PutResource::new(&item).update(text, ct, etag))
                    .await
                    .unwrap();
            });
        }
    }
    for j in [&a, &b] {
        let again = j.sync();
        assert_eq!(writes(&again), 0, "a rewrite is not an edit: {again}");
    }
    assert_eq!(a.export(), b.export());
}

/// Issue point 2: Two journals that share UIDs (one imported from the other) make no duplicates.
fn shared_uids_link(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let (a, b) = (Journal::new(), Journal::new());
    a.write_records(&rich_records());
    let export = a.dir.path().join("a.json");
    a.cmd()
        .args(["export", "json", "-o"])
        .arg(&export)
        .assert()
        .success();
    b.cmd()
        .args(["import", "json"])
        .arg(&export)
        .assert()
        .success();
    a.setup(&server);
    b.setup(&server);
    a.sync();
    let linked = b.sync();
    assert_eq!(
        writes(&linked),
        0,
        "same records: linked, nothing written: {linked}"
    );
    assert_eq!(no_duplicates(&server, &a), vec![3, 3, 2]);
    assert_eq!(a.export(), b.export());
}

/// Issue point 3: kill -9 in the middle of a sync, again and again: nothing lost, nothing doubled.
fn killed_mid_sync(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let loops: u64 = std::env::var("ROLO_SYNC_KILL_LOOPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let (a, b) = (Journal::new(), Journal::new());
    let mut records = rich_records();
    for n in 0..120 {
        records.contacts.push(contact(
            &format!("0194c2a0-0000-7000-8000-1{n:011}"),
            &format!("Person {n}"),
        ));
    }
    a.write_records(&records);
    a.setup(&server);
    b.setup(&server);
    let mut rng = 7u64;
    for round in 0..loops {
        // Something new each round, so every round has work to interrupt.
        a.cmd()
            .args(["add", &format!("Round {round}")])
            .assert()
            .success();
        b.cmd()
            .args(["add", &format!("Round B{round}")])
            .assert()
            .success();
        for j in [&a, &b] {
            let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("rolo"))
                .env("ROLO_DB", &j.path)
                .args(["sync", "--json"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            std::thread::sleep(Duration::from_millis(30 + (rng >> 33) % 400));
            let _ = StdCommand::new("kill")
                .args(["-9", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }
    for j in [&a, &b, &a, &b] {
        j.sync();
    }
    let counts = no_duplicates(&server, &a);
    let contacts = a.export()["contacts"].as_array().unwrap().len();
    assert_eq!(counts[0], contacts, "every contact once on the server");
    assert_eq!(contacts, 3 + 120 + 2 * loops as usize);
    assert_eq!(a.export(), b.export(), "nothing lost either way");
}

/// Issue point 4: A delete on A reaches B; an edit on B to a record A deleted survives.
fn deletes_travel_and_edits_survive(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let (a, b) = (Journal::new(), Journal::new());
    a.write_records(&rich_records());
    a.setup(&server);
    b.setup(&server);
    a.sync();
    b.sync();
    // A deletes Alan (to the trash) and the hackathon, then empties the trash: a tombstone
    // must carry the hackathon's delete although the record is gone for good.
    a.cmd().args(["rm", "Alan Turing"]).assert().success();
    let hack = find_interaction(&a, "hackathon");
    a.cmd().args(["rm", &hack]).assert().success();
    a.cmd().args(["trash", "empty", "--yes"]).assert().success();
    let status = a.run(&["sync", "status"]);
    assert!(status["tombstones"].as_u64().unwrap() >= 2, "{status}");
    let pushed = a.sync();
    assert_eq!(pushed["contacts"]["deleted_there"], 1, "{pushed}");
    assert_eq!(pushed["interactions"]["deleted_there"], 1, "{pushed}");
    assert_eq!(a.run(&["sync", "status"])["tombstones"], 0);
    let pulled = b.sync();
    assert_eq!(pulled["contacts"]["deleted_here"], 1, "{pulled}");
    let trash = b.run(&["trash", "list"]);
    let titles: Vec<&str> = trash
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Alan Turing") && titles.contains(&"hackathon"),
        "{titles:?}"
    );
    // A deletes Grace; B, not yet knowing, edits her: B's edit wins on both sides.
    a.cmd().args(["rm", "Grace Hopper"]).assert().success();
    a.sync();
    b.cmd()
        .args(["edit", "Grace Hopper", "--company", "Yale"])
        .assert()
        .success();
    let b_sync = b.sync();
    assert_eq!(
        b_sync["contacts"]["pushed"], 1,
        "sent back as new: {b_sync}"
    );
    a.sync();
    let grace = a.run(&["show", "Grace Hopper"]);
    assert_eq!(grace["contact"]["company"], "Yale", "{grace}");
    // And the other way round: A deletes the promotion while B edits it, A syncs second.
    let promo_b = find_interaction(&b, "rear admiral");
    b.cmd()
        .args([
            "edit",
            &promo_b,
            "--summary",
            "Grace made rear admiral (lower half)",
        ])
        .assert()
        .success();
    b.sync();
    let promo_a = find_interaction(&a, "rear admiral");
    a.cmd().args(["rm", &promo_a]).assert().success();
    a.sync();
    assert!(
        !find_interaction(&a, "lower half").is_empty(),
        "the edit made on B brought the note back on A"
    );
    b.sync();
    // A emptied its trash; B keeps what A deleted in its own trash: the live journals agree.
    assert_eq!(live(&a.export()), live(&b.export()));
    no_duplicates(&server, &a);
}

/// The records not in the trash.
fn live(doc: &Value) -> Value {
    let mut doc = doc.clone();
    for kind in ["contacts", "interactions", "reminders"] {
        if let Some(list) = doc[kind].as_array_mut() {
            list.retain(|r| r["deleted_at"].is_null());
        }
    }
    doc
}

fn find_interaction(j: &Journal, text: &str) -> String {
    let timeline = j.run(&["timeline", "--limit", "100"]);
    let list = timeline
        .as_array()
        .cloned()
        .or_else(|| timeline["interactions"].as_array().cloned())
        .unwrap_or_default();
    list.iter()
        .find(|i| i["summary"].as_str().is_some_and(|s| s.contains(text)))
        .map(|i| format!("i{}", i["id"]))
        .unwrap_or_default()
}

/// Issue point 5: Both sides edit one contact: different fields merge, the same field gives one
/// winner and one conflict the user can turn around.
fn both_edit_one_contact(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let (a, b) = (Journal::new(), Journal::new());
    a.write_records(&rich_records());
    a.setup(&server);
    b.setup(&server);
    a.sync();
    b.sync();
    a.cmd()
        .args(["edit", "Ada Lovelace", "--title", "Countess of Lovelace"])
        .assert()
        .success();
    b.cmd()
        .args(["edit", "Ada Lovelace", "--nickname", "Ada"])
        .assert()
        .success();
    a.sync();
    let merged = b.sync();
    assert_eq!(merged["contacts"]["conflicts"], 0, "{merged}");
    a.sync();
    for j in [&a, &b] {
        let ada = j.run(&["show", "Ada Lovelace"]);
        assert_eq!(ada["contact"]["title"], "Countess of Lovelace", "{ada}");
        assert_eq!(ada["contact"]["nickname"], "Ada");
    }
    assert_eq!(a.export(), b.export());
    // The same field on both sides: B edits last, so B's value is newer and wins.
    a.cmd()
        .args(["edit", "Ada Lovelace", "--company", "From A"])
        .assert()
        .success();
    std::thread::sleep(Duration::from_millis(1100));
    b.cmd()
        .args(["edit", "Ada Lovelace", "--company", "From B"])
        .assert()
        .success();
    a.sync();
    let clash = b.sync();
    assert_eq!(clash["contacts"]["conflicts"], 1, "{clash}");
    a.sync();
    for j in [&a, &b] {
        assert_eq!(
            j.run(&["show", "Ada Lovelace"])["contact"]["company"],
            "From B"
        );
    }
    let conflicts = b.run(&["sync", "conflicts"]);
    let list = conflicts.as_array().unwrap();
    assert_eq!(list.len(), 1, "{conflicts}");
    assert_eq!(list[0]["field"], "company");
    assert_eq!(list[0]["kept"], "From B");
    assert_eq!(list[0]["lost"], "From A");
    assert!(a.run(&["sync", "conflicts"]).as_array().unwrap().is_empty());
    // Take the other side: it becomes the value everywhere.
    let id = list[0]["id"].to_string();
    b.run(&["sync", "conflicts", "take", &id]);
    assert!(b.run(&["sync", "conflicts"]).as_array().unwrap().is_empty());
    b.sync();
    a.sync();
    for j in [&a, &b] {
        assert_eq!(
            j.run(&["show", "Ada Lovelace"])["contact"]["company"],
            "From A"
        );
    }
    assert_eq!(a.export(), b.export());
}

/// Issue point 6: A sync token the server does not accept (Radicale 403, Xandikos 412): full resync.
fn invalid_token_resyncs(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let a = Journal::new();
    a.write_records(&rich_records());
    a.setup(&server);
    a.sync();
    let bogus = match kind {
        Kind::Radicale => {
            "http://radicale.org/ns/sync/0000000000000000000000000000000000000000000000000000000000000000"
        }
        Kind::Xandikos => "0000000000000000000000000000000000000000",
    };
    rusqlite::Connection::open(&a.path)
        .unwrap()
        .execute("UPDATE sync_collections SET sync_token = ?1", [bogus])
        .unwrap();
    let report = a.sync();
    for k in ["contacts", "interactions", "reminders"] {
        assert_eq!(report[k]["full_resync"], true, "{report}");
    }
    assert_eq!(writes(&report), 0, "{report}");
    assert_eq!(no_duplicates(&server, &a), vec![3, 3, 2]);
    assert_eq!(writes(&a.sync()), 0, "the new token works");
}

/// Issue point 7: A server collection emptied behind rolo's back: abort, delete nothing here.
fn emptied_collection_aborts(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let a = Journal::new();
    a.write_records(&rich_records());
    a.setup(&server);
    a.sync();
    let (_, contacts) = a.collections().into_iter().next().unwrap();
    delete_all(&server, &contacts);
    a.refuses(&["sync"], "is empty, but rolo synced 3 item(s)");
    // Setting up again uploads the journal to the empty collection.
    a.setup(&server);
    let again = a.sync();
    assert_eq!(again["contacts"]["pushed"], 3, "{again}");
    assert_eq!(no_duplicates(&server, &a), vec![3, 3, 2]);
}

/// Issue point 8: A card another client PUT (with what rolo does not model) becomes a contact,
/// and keeps those properties through rolo's edits.
fn foreign_card_keeps_its_properties(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let a = Journal::new();
    a.setup(&server);
    let (_, contacts) = a.collections().into_iter().next().unwrap();
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Phone//EN\r\nUID:phone-1234@device.example\r\nFN:Katherine Johnson\r\nN:Johnson;Katherine;;;\r\nitem1.EMAIL;TYPE=INTERNET:kj@nasa.example\r\nitem1.X-ABLABEL:_$!<Other>!$_\r\nX-PHONETIC-FIRST-NAME:Kath\r\nX-CUSTOM;X-PARAM=a:value\\, with comma\r\nPHOTO;VALUE=uri:https://example.com/kj.jpg\r\nNOTE:Orbital mechanics\\, Friendship 7\r\nEND:VCARD\r\n";
    let href = format!("{contacts}phone-1234@device.example.vcf");
    put(&server, &href, card, "text/vcard");
    let pulled = a.sync();
    assert_eq!(pulled["contacts"]["pulled"], 1, "{pulled}");
    let kj = a.run(&["show", "Katherine Johnson"]);
    assert_eq!(
        kj["contact"]["notes"], "Orbital mechanics, Friendship 7",
        "{kj}"
    );
    a.cmd()
        .args([
            "edit",
            "Katherine Johnson",
            "--title",
            "Mathematician",
            "--tag",
            "nasa",
        ])
        .assert()
        .success();
    let pushed = a.sync();
    assert_eq!(pushed["contacts"]["pushed"], 1, "{pushed}");
    let stored = get(&server, &contacts, &href);
    let unfolded: Vec<String> = rolo::interop::content_line::unfold(&stored)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    for kept in [
        "X-PHONETIC-FIRST-NAME:Kath",
        "X-CUSTOM;X-PARAM=a:value\\, with comma",
        "item1.X-ABLABEL:_$!<Other>!$_",
        "UID:phone-1234@device.example",
    ] {
        assert!(
            unfolded.iter().any(|l| l == kept),
            "{kept} missing from:\n{stored}"
        );
    }
    assert!(
        unfolded.iter().any(|l| l.starts_with("item1.EMAIL")),
        "{stored}"
    );
    assert!(unfolded.iter().any(|l| l.starts_with("PHOTO")), "{stored}");
    assert!(
        unfolded.iter().any(|l| l == "TITLE:Mathematician"),
        "{stored}"
    );
    assert!(unfolded.iter().any(|l| l == "CATEGORIES:nasa"), "{stored}");
    assert_eq!(no_duplicates(&server, &a)[0], 1);
    // A photo inline, the way a phone writes it in 3.0: after rolo edits the card (now 4.0,
    // a data: URI), the server still holds every byte of it (Radicale cut a raw comma).
    let data = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U";
    let photo_card = format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-5678@device.example\r\nFN:Marie Photo\r\nN:Photo;Marie;;;\r\nPHOTO;ENCODING=b;TYPE=JPEG:{data}\r\nEND:VCARD\r\n"
    );
    let photo_href = format!("{contacts}marie@icloud.com x+yé.vcf");
    put(&server, &photo_href, &photo_card, "text/vcard");
    a.sync();
    a.cmd()
        .args(["edit", "Marie Photo", "--title", "Photographer"])
        .assert()
        .success();
    a.sync();
    let stored = get(&server, &contacts, &photo_href);
    let photo = rolo::interop::content_line::unfold(&stored)
        .into_iter()
        .map(|(_, l)| l)
        .find(|l| l.starts_with("PHOTO"))
        .unwrap_or_else(|| panic!("no photo left:\n{stored}"));
    assert!(photo.contains(data), "the photo lost its data: {photo}");
    // An iCalendar note another app wrote keeps its own properties too.
    let (_, journal_cal) = a.collections().into_iter().nth(1).unwrap();
    let note = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\nBEGIN:VJOURNAL\r\nUID:note-1@other.example\r\nDTSTAMP:20261001T100000Z\r\nDTSTART:20261001T100000Z\r\nSUMMARY:call with Katherine\r\nCLASS:PRIVATE\r\nX-OTHER-APP:keep me\r\nEND:VJOURNAL\r\nEND:VCALENDAR\r\n";
    let note_href = format!("{journal_cal}note-1@other.example.ics");
    put(&server, &note_href, note, "text/calendar");
    a.sync();
    let id = find_interaction(&a, "call with Katherine");
    a.cmd()
        .args(["edit", &id, "--kind", "call"])
        .assert()
        .success();
    a.sync();
    let stored = get(&server, &journal_cal, &note_href);
    assert!(stored.contains("X-OTHER-APP:keep me"), "{stored}");
    assert!(stored.contains("CLASS:PRIVATE"), "{stored}");
    assert!(stored.contains("X-ROLO-KIND:call"), "{stored}");
}

/// Issue point 9: Tags with commas and `@` in hrefs survive; many round trips leave no duplicate.
fn round_trips(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let trips: usize = std::env::var("ROLO_SYNC_ROUND_TRIPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let (a, b) = (Journal::new(), Journal::new());
    a.write_records(&rich_records());
    a.setup(&server);
    b.setup(&server);
    a.sync_here();
    b.sync_here();
    // alan@rolo.example lives at an href with '@'.
    let (_, contacts) = a.collections().into_iter().next().unwrap();
    assert!(
        server_items(&server, &contacts)
            .iter()
            .any(|(h, _)| h.ends_with("alan@rolo.example.vcf")),
        "the @ is kept in the href"
    );
    let start = Instant::now();
    for n in 0..trips {
        let (from, to) = if n % 2 == 0 { (&a, &b) } else { (&b, &a) };
        from.cmd()
            .args([
                "edit",
                "Alan Turing",
                "--tag",
                &format!("t{n},x"),
                "--note",
                &format!("trip {n}"),
            ])
            .assert()
            .success();
        if n % 5 == 0 {
            from.cmd()
                .args(["log", &format!("note with @alan #trip{n} number {n}")])
                .assert()
                .success();
        }
        let sent = from.sync_here();
        assert!(sent.writes() >= 1);
        let got = to.sync_here();
        assert!(got.contacts.pulled >= 1, "trip {n}: {got:?}");
    }
    eprintln!(
        "{:?}: {trips} round trips in {:.1} s",
        server.kind,
        start.elapsed().as_secs_f64()
    );
    assert_eq!(a.export(), b.export());
    let counts = no_duplicates(&server, &a);
    assert_eq!(counts[0], 3);
    assert_eq!(counts[1], 3 + trips.div_ceil(5));
    let alan = a.run(&["show", "Alan Turing"]);
    let tags: Vec<&str> = alan["contact"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        tags.contains(&format!("t{},x", trips - 1).as_str()),
        "{tags:?}"
    );
}

/// Issue point 9b: The first sync of 500 contacts and 5,000 interactions (timed; `ROLO_SYNC_BULK=1`).
fn bulk_first_sync(kind: Kind) {
    if std::env::var("ROLO_SYNC_BULK").as_deref() != Ok("1") {
        eprintln!("skipped: set ROLO_SYNC_BULK=1 for the 500 + 5,000 first sync");
        return;
    }
    let Some(server) = Server::start(kind) else {
        return;
    };
    let (a, b) = (Journal::new(), Journal::new());
    let mut records = Records::default();
    for n in 0..500 {
        let mut c = contact(
            &format!("0194c2a0-0000-7000-8000-2{n:011}"),
            &format!("Person {n}"),
        );
        c.tags = vec!["bulk".into()];
        c.fields = vec![ContactField::new(
            FieldKind::Email,
            format!("p{n}@example.com"),
        )];
        records.contacts.push(c);
    }
    for n in 0..5000 {
        records.interactions.push(InteractionRecord {
            uid: format!("0194c2a0-0000-7000-8000-3{n:011}"),
            happened_at: at(1 + (n % 28) as u32, 10),
            kind: "call".into(),
            summary: format!("call number {n}, about things"),
            body: Some("notes\nmore notes".into()),
            location: None,
            participants: vec![records.contacts[n % 500].uid.clone()],
            tags: vec!["bulk".into()],
            created_at: at(1, 9),
            updated_at: at(1, 9),
            deleted_at: None,
        });
    }
    a.write_records(&records);
    a.setup(&server);
    b.setup(&server);
    let start = Instant::now();
    let up = a.sync_here();
    let push = start.elapsed();
    let start = Instant::now();
    let down = b.sync_here();
    let pull = start.elapsed();
    eprintln!(
        "{:?}: first sync of 500 contacts + 5,000 interactions: push {:.1} s, pull {:.1} s",
        kind,
        push.as_secs_f64(),
        pull.as_secs_f64()
    );
    assert_eq!(up.contacts.pushed + up.interactions.pushed, 5500);
    assert_eq!(down.contacts.pulled + down.interactions.pulled, 5500);
    let start = Instant::now();
    assert_eq!(a.sync_here().writes(), 0);
    eprintln!(
        "{kind:?}: a sync with nothing to do: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    assert_eq!(a.export(), b.export());
}

/// Wrong password, unreachable server, TLS error, no VJOURNAL: one line each, no change.
fn clear_errors(kind: Kind) {
    let a = Journal::new();
    a.write_records(&rich_records());
    // Nothing listening.
    let port = free_port();
    a.refuses(
        &[
            "sync",
            "setup",
            &format!("http://127.0.0.1:{port}/"),
            "--user",
            "alice",
        ],
        "cannot reach the server at 127.0.0.1",
    );
    // TLS spoken to a plain HTTP server.
    let Some(server) = Server::start(kind) else {
        return;
    };
    let tls_url = server.url.replace("http://", "https://");
    a.refuses(&["sync", "setup", &tls_url, "--user", "alice"], "TLS error");
    // A calendar where the notes go that takes only events.
    if kind == Kind::Xandikos || kind == Kind::Radicale {
        let home = if kind == Kind::Radicale {
            "/alice/"
        } else {
            "/user/calendars/"
        };
        runtime().block_on(async {
            let dav = rolo::sync::dav::client(&server.url, Some("alice"), None).unwrap();
            dav.request(rolo::sync::dav::MkCalendar {
                path: &format!("{home}rolo-journal/"),
                display_name: "events only",
                component: "VEVENT",
            })
            .await
            .unwrap();
        });
        a.refuses(
            &["sync", "setup", &server.url, "--user", "alice"],
            "accepts VJOURNAL",
        );
    }
    // Not set up.
    a.refuses(&["sync"], "sync is not set up");
    // A wrong password (Radicale checks them; Xandikos has no accounts).
    if kind == Kind::Radicale {
        let dir = tempfile::tempdir().unwrap();
        let users = dir.path().join("users");
        fs::write(&users, "alice:s3cr3t-pw\n").unwrap();
        let secret = dir.path().join("secret");
        fs::write(&secret, "s3cr3t-pw\n").unwrap();
        let Some(guarded) = Server::start_with(
            Kind::Radicale,
            &[
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                users.to_str().unwrap(),
                "--auth-htpasswd-encryption",
                "plain",
            ],
        ) else {
            return;
        };
        let before = a.export();
        a.cmd()
            .args(["sync", "setup", &guarded.url, "--user", "alice"])
            .env("ROLO_SYNC_PASSWORD", "wrong")
            .assert()
            .code(1)
            .stderr(contains("refused the user name or password"));
        assert_eq!(a.export(), before);
        a.cmd()
            .args([
                "sync",
                "setup",
                &guarded.url,
                "--user",
                "alice",
                "--password-command",
                &format!("cat {}", secret.display()),
            ])
            .assert()
            .success();
        a.cmd().args(["sync"]).assert().success();
        for file in [a.path.clone(), a.path.with_extension("db-wal")] {
            let bytes = fs::read(&file).unwrap_or_default();
            assert!(
                !bytes.windows(9).any(|w| w == b"s3cr3t-pw".as_slice()),
                "the password itself is never stored ({})",
                file.display()
            );
        }
    }
}

/// `S` in the TUI syncs on a thread of its own: the screen keeps answering, and what another
/// journal sent arrives in the panes without a restart; the status bar says when it synced.
#[test]
fn the_tui_syncs_in_the_background() {
    use common::tmux::{Tmux, tui_command};
    let Some(tmux) = Tmux::start() else { return };
    let Some(server) = Server::start(Kind::Radicale) else {
        return;
    };
    let (a, b) = (Journal::new(), Journal::new());
    a.setup(&server);
    b.setup(&server);
    a.run(&["add", "Ada Lovelace"]);
    a.sync();
    let s = "sync";
    tmux.new_session(s, &tui_command(&b.path, "; sleep 60"), (120, 30));
    let before = tmux.wait_for(s, "not synced yet");
    assert!(!before.contains("Ada Lovelace"), "{before}");
    tmux.keys(s, &["S"]);
    let after = tmux.wait_for(s, "Synced: 1 change");
    assert!(after.contains("Ada Lovelace"), "{after}");
    tmux.keys(s, &["j"]);
    tmux.wait_for(s, "synced just now");
}

/// One sync of a journal at a time: a second one while the first runs is refused (two at
/// once took each other's pushes for the server's deletes and trashed records), and two
/// started together leave nothing in the trash. Many edits pushed at once are taken by a
/// server that locks while it commits (Xandikos answers 423 to overlapping PUTs).
fn one_sync_at_a_time(kind: Kind) {
    let Some(server) = Server::start(kind) else {
        return;
    };
    let a = Journal::new();
    let path = a.path.to_str().unwrap();
    a.run(&[
        "demo",
        "--no-open",
        "--contacts",
        "40",
        "--interactions",
        "30",
        "--db",
        path,
    ]);
    a.setup(&server);
    // Held by someone else: refused, nothing changed.
    let mut name = a.path.as_os_str().to_owned();
    name.push(".sync-lock");
    let held = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(PathBuf::from(name))
        .unwrap();
    held.try_lock().unwrap();
    a.refuses(&["sync"], "another sync of this journal is running");
    drop(held);
    // Two at once: one syncs, the other is refused or finds nothing left to do.
    let both: Vec<_> = (0..2)
        .map(|_| {
            StdCommand::new(assert_cmd::cargo::cargo_bin("rolo"))
                .env("ROLO_DB", &a.path)
                .args(["sync", "--json"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in both {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || stderr.contains("another sync"),
            "{stderr}"
        );
    }
    let trash = a.run(&["trash", "list"]);
    assert!(
        trash.as_array().is_some_and(Vec::is_empty),
        "a sync trashed records: {trash}"
    );
    a.sync();
    // Thirty edits pushed together.
    for i in 1..=30 {
        a.run(&["tag", &format!("c{i}"), "pushed"]);
    }
    let report = a.sync();
    assert!(writes(&report) >= 30, "{report}");
    assert_eq!(writes(&a.sync()), 0, "everything went the first time");
}

macro_rules! against_both {
    ($($name:ident),* $(,)?) => {
        mod radicale {
            $(#[test] fn $name() { super::$name(super::Kind::Radicale) })*
        }
        mod xandikos {
            $(#[test] fn $name() { super::$name(super::Kind::Xandikos) })*
        }
    };
}

against_both!(
    arrives_exactly,
    shared_uids_link,
    killed_mid_sync,
    deletes_travel_and_edits_survive,
    both_edit_one_contact,
    invalid_token_resyncs,
    emptied_collection_aborts,
    foreign_card_keeps_its_properties,
    round_trips,
    bulk_first_sync,
    clear_errors,
    one_sync_at_a_time,
);
