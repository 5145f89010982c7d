//! The real `rolo` binary on a temp journal, driven the way a script or a person would.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{Days, NaiveDate};
use predicates::str::contains;
use serde_json::Value;

mod common;

use common::Journal;

fn today() -> NaiveDate {
    rolo::clock::Clock::system().today()
}

fn ids(items: &Value) -> Vec<i64> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

fn agenda_items(agenda: &Value) -> Vec<Value> {
    let mut items: Vec<Value> = agenda["overdue"].as_array().unwrap().clone();
    for day in agenda["days"].as_array().unwrap() {
        items.extend(day["items"].as_array().unwrap().iter().cloned());
    }
    items
}

#[test]
#[allow(clippy::too_many_lines)] // one user journey, read top to bottom
fn the_scripted_journey() {
    let j = Journal::new();
    let ada = j.json(&[
        "add",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--tag",
        "mentor",
        "--every",
        "30d",
        "--birthday",
        "12-10",
    ]);
    assert_eq!(ada["cadence"], "30d");
    assert_eq!(ada["birthday"], "--12-10");
    assert_eq!(ada["tags"], serde_json::json!(["mentor"]));
    assert_eq!(
        fs::metadata(&j.path).unwrap().permissions().mode() & 0o777,
        0o600,
        "the journal is private"
    );
    j.json(&["add", "Grace Hopper"]);

    // One line: two people, a tag, a follow-up in 14 days.
    let logged = j.json(&[
        "log",
        "lunch with @ada @grace #mentoring talked about compilers !2w send the paper",
    ]);
    let lunch = &logged["interaction"];
    let names: Vec<&str> = lunch["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ada Lovelace", "Grace Hopper"]);
    assert_eq!(lunch["kind"], "meal");
    assert_eq!(lunch["tags"], serde_json::json!(["mentoring"]));
    let due = (today() + Days::new(14)).to_string();
    assert_eq!(logged["follow_up"]["due_date"], due.as_str());
    assert_eq!(logged["follow_up"]["title"], "send the paper");
    let follow_up_id = logged["follow_up"]["id"].as_i64().unwrap();
    let lunch_id = lunch["id"].as_i64().unwrap();
    assert_eq!(
        j.json(&["timeline"]).as_array().unwrap().len(),
        1,
        "exactly one interaction"
    );

    let agenda = j.json(&["agenda", "--days", "15"]);
    let follow_up = agenda_items(&agenda)
        .into_iter()
        .find(|i| i["type"] == "reminder")
        .expect("the follow-up is on the agenda");
    assert_eq!(
        (follow_up["id"].as_i64(), follow_up["date"].as_str()),
        (Some(follow_up_id), Some(due.as_str()))
    );

    let hits = j.json(&["search", "compilers"]);
    assert_eq!(hits[0]["kind"], "interaction");
    assert_eq!(hits[0]["id"].as_i64(), Some(lunch_id));

    let shown = j.json(&["show", "ada"]);
    assert_eq!(ids(&shown["timeline"]), [lunch_id]);
    assert_eq!(ids(&shown["reminders"]), [follow_up_id]);

    // A 30-day cadence lapses after a 45-day-old interaction; a new one clears it.
    j.json(&["add", "Alan Turing", "--every", "30d"]);
    let long_ago = (today() - Days::new(45)).to_string();
    j.json(&[
        "log",
        "call with @alan about morphogenesis",
        "--at",
        &long_ago,
    ]);
    let overdue = j.json(&["list", "--overdue"]);
    assert_eq!(
        overdue
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Alan Turing"]
    );
    assert_eq!(overdue[0]["health"], "overdue");
    let stay = agenda_items(&j.json(&["agenda"]))
        .into_iter()
        .find(|i| i["type"] == "stay-in-touch")
        .expect("stay-in-touch is due");
    assert_eq!(stay["contact"], "Alan Turing");
    j.json(&["log", "coffee with @alan"]);
    assert_eq!(j.json(&["list", "--overdue"]), serde_json::json!([]));
    assert!(
        agenda_items(&j.json(&["agenda"]))
            .iter()
            .all(|i| i["type"] != "stay-in-touch")
    );

    // Done takes the follow-up off the agenda.
    j.json(&["done", &format!("r{follow_up_id}")]);
    assert!(
        agenda_items(&j.json(&["agenda", "--days", "15"]))
            .iter()
            .all(|i| i["type"] != "reminder")
    );

    // A leap-day birthday shows on Feb 28 of a common year.
    j.json(&["add", "Leap Day", "--birthday", "2000-02-29"]);
    let agenda = j.json(&["agenda", "--from", "2027-02-25", "--days", "7"]);
    let birthday = agenda_items(&agenda)
        .into_iter()
        .find(|i| i["type"] == "birthday")
        .expect("the leap-day birthday");
    assert_eq!(birthday["date"], "2027-02-28");
    assert_eq!(birthday["age"], 27);

    // Bad input: one clear line, exit 1, the journal untouched.
    j.json(&["add", "Grace Harris"]);
    j.refuses(
        &["log", "coffee with @nobody"],
        "no contact matches 'nobody'",
    );
    j.refuses(
        &["log", "coffee with @grace"],
        "'grace' matches 2 contacts: Grace Harris (c5), Grace Hopper (c2)",
    );
    j.refuses(&["add", "Someone", "--birthday", "31/02"], "ambiguous");
    j.refuses(
        &["add", "Someone", "--birthday", "02-31"],
        "not a real calendar date",
    );
    j.refuses(&["log", ""], "empty note");
    j.refuses(&["log", "   "], "empty note");
    j.refuses(&["log", "call @ada !someday do it"], "follow-up date");
    j.refuses(&["remind", "call @ada", "--on", "03/04/2026"], "ambiguous");
    j.refuses(&["show", "zed"], "no contact matches");
    j.refuses(&["done", "r9999"], "no open reminder with id 9999");
    j.refuses(&["done", &format!("r{follow_up_id}")], "no open reminder");
    j.refuses(&["add", "Ada Lovelace"], "already exists");
}

#[test]
fn usage_errors_exit_2() {
    let j = Journal::new();
    j.cmd().arg("frobnicate").assert().code(2);
    j.cmd().args(["agenda", "--days", "many"]).assert().code(2);
    j.cmd().arg("log").assert().code(2);
    assert!(!j.path.exists(), "a usage error creates nothing");
}

/// Files that are not rolo journals are refused and left exactly as they were.
#[test]
fn foreign_and_future_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let run = |path: &Path| {
        let mut cmd = Command::cargo_bin("rolo").unwrap();
        cmd.env("ROLO_DB", path).args(["list", "--json"]);
        cmd
    };
    let siblings = |path: &Path| fs::read_dir(path.parent().unwrap()).unwrap().count();

    let text = dir.path().join("notes.txt");
    fs::write(
        &text,
        "Dear diary, today I met Ada. This is not a database.\n",
    )
    .unwrap();
    let before = siblings(&text);
    run(&text)
        .assert()
        .code(1)
        .stderr(contains("not a rolo journal (not an SQLite database)"));
    assert_eq!(
        fs::read_to_string(&text).unwrap(),
        "Dear diary, today I met Ada. This is not a database.\n"
    );
    assert_eq!(
        siblings(&text),
        before,
        "no -wal or -shm files left beside it"
    );

    let journal = Journal::new();
    journal.json(&["add", "Ada Lovelace"]);
    rusqlite::Connection::open(&journal.path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    journal.refuses(&["list"], "written by a newer rolo (schema v99");

    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE songs (title TEXT);")
        .unwrap();
    let bytes = fs::read(&other).unwrap();
    run(&other)
        .assert()
        .code(1)
        .stderr(contains("an SQLite database of another program"));
    assert_eq!(fs::read(&other).unwrap(), bytes);
}

#[test]
fn a_journal_in_a_read_only_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // root ignores permission bits; /proc refuses new files to everyone.
    let target = if fs::write(locked.join("probe"), b"").is_ok() {
        PathBuf::from("/proc/rolo-test-journal.db")
    } else {
        locked.join("journal.db")
    };
    let mut cmd = Command::cargo_bin("rolo").unwrap();
    cmd.env("ROLO_DB", &target).args(["add", "Ada Lovelace"]);
    cmd.assert()
        .code(1)
        .stderr(contains("cannot create the journal at"));
    assert!(!target.exists());
}

#[test]
fn demo_writes_a_deterministic_populated_journal() {
    let dir = tempfile::tempdir().unwrap();
    let mut snapshots = Vec::new();
    for name in ["a.db", "b.db"] {
        let path = dir.path().join(name);
        let mut cmd = Command::cargo_bin("rolo").unwrap();
        cmd.args(["demo", "--no-open", "--json", "--seed", "7", "--db"])
            .arg(&path);
        let out: Value =
            serde_json::from_slice(&cmd.assert().success().get_output().stdout).unwrap();
        assert_eq!(out["contacts"], 60);
        let mut list = Command::cargo_bin("rolo").unwrap();
        list.env("ROLO_DB", &path).args(["list", "--json"]);
        let contacts: Value =
            serde_json::from_slice(&list.assert().success().get_output().stdout).unwrap();
        assert_eq!(contacts.as_array().unwrap().len(), 60);
        assert_eq!(contacts[0]["name"], "Ada Lovelace");
        snapshots.push(
            contacts
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>(),
        );
        let mut agenda = Command::cargo_bin("rolo").unwrap();
        agenda
            .env("ROLO_DB", &path)
            .args(["agenda", "--json", "--days", "30"]);
        let agenda: Value =
            serde_json::from_slice(&agenda.assert().success().get_output().stdout).unwrap();
        assert!(
            !agenda["overdue"].as_array().unwrap().is_empty(),
            "the demo has overdue follow-ups"
        );
    }
    assert_eq!(snapshots[0], snapshots[1], "same seed, same journal");

    let mut again = Command::cargo_bin("rolo").unwrap();
    again
        .args(["demo", "--no-open", "--db"])
        .arg(dir.path().join("a.db"));
    again.assert().code(1).stderr(contains("already exists"));
}

#[test]
fn trash_round_trip_and_backup() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    let trashed = j.json(&["rm", "ada"]);
    assert_eq!(trashed["trashed"], "c1");
    j.refuses(&["show", "ada"], "no contact matches");
    assert_eq!(j.json(&["trash"])[0]["id"], "c1");
    j.json(&["trash", "restore", "c1"]);
    assert_eq!(
        j.json(&["show", "ada"])["contact"]["display_name"],
        "Ada Lovelace"
    );

    let copy = j.path.with_file_name("copy.db");
    j.json(&["backup", copy.to_str().unwrap()]);
    let mut list = Command::cargo_bin("rolo").unwrap();
    list.env("ROLO_DB", &copy).args(["list", "--json"]);
    list.assert().success().stdout(contains("Ada Lovelace"));
    assert_eq!(j.json(&["check"])["ok"], true);
}

#[test]
fn tables_for_people() {
    let j = Journal::new();
    j.json(&[
        "add",
        "Ada Lovelace",
        "--company",
        "Analytical Engines",
        "--tag",
        "mentor",
    ]);
    // Without --json and with a pipe, rolo prints JSON; a terminal gets the table, which the
    // `output` unit tests cover. Here: JSON is the default off a terminal.
    let out = j
        .cmd()
        .arg("list")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let parsed: Value = serde_json::from_slice(&out).expect("JSON when stdout is not a terminal");
    assert_eq!(parsed[0]["company"], "Analytical Engines");
}

/// A second contact of the same name (case, accents and spacing aside) is refused with the
/// journal's own words, plus the flag that overrides it; `--allow-duplicate` adds them.
#[test]
fn a_duplicate_name_is_refused_unless_asked_for() {
    let j = Journal::new();
    let ada = j.json(&["add", "Ada Lovelace"]);
    let expected = rolo::journal::contacts::DuplicateName {
        name: "ADA  Lovelace".into(),
        existing: rolo::domain::contact::ContactId(ada["id"].as_i64().unwrap()),
    };
    j.refuses(&["add", "ADA  Lovelace"], &expected.to_string());
    j.refuses(&["add", "ADA  Lovelace"], "--allow-duplicate");
    j.json(&["add", "Ada Lovelace", "--allow-duplicate"]);
    let listed = j.json(&["list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

/// "Family, Given" display names become the right N parts, and explicit parts win over the
/// guess — also when a rename comes with them.
#[test]
fn comma_names_split_by_family_and_given_and_explicit_parts_win() {
    let j = Journal::new();
    let parts = |who: &str| {
        let shown = j.json(&["show", who]);
        let n = &shown["contact"]["name"];
        ["prefix", "given", "additional", "family", "suffix"]
            .map(|k| n[k].as_str().unwrap().to_owned())
    };
    j.json(&["add", "Doe, Jane, PhD"]);
    assert_eq!(parts("doe"), ["", "Jane", "", "Doe", "PhD"]);
    j.json(&["add", "Smith, Dr. John"]);
    assert_eq!(parts("smith"), ["Dr.", "John", "", "Smith", ""]);
    j.json(&[
        "add",
        "Roe, Ann, MD",
        "--family",
        "Roe",
        "--given",
        "Ann",
        "--suffix",
        "M.D.",
    ]);
    assert_eq!(parts("roe"), ["", "Ann", "", "Roe", "M.D."]);
    j.json(&[
        "edit",
        "smith",
        "--rename",
        "Smith, John Q",
        "--given",
        "Jon",
    ]);
    assert_eq!(parts("smith"), ["", "Jon", "Q", "Smith", ""]);
}
