//! Every record can be corrected and removed from the command line, and the rules that
//! keep the data honest hold: the real binary on a temp journal.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Datelike, Days, NaiveDate};
use common::Journal;
use serde_json::Value;

fn today() -> NaiveDate {
    rolo::clock::Clock::system().today()
}

fn day(n: u64) -> String {
    (today() - Days::new(n)).to_string()
}

/// (summary, kind, tags) of a contact's timeline, newest first.
fn timeline(j: &Journal, who: &str) -> Vec<(String, String, Vec<String>)> {
    j.json(&["timeline", who])
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["summary"].as_str().unwrap().to_owned(),
                i["kind"].as_str().unwrap().to_owned(),
                i["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

/// The local date of a contact's last interaction, or None.
fn last_contact(j: &Journal, who: &str) -> Option<String> {
    let shown = j.json(&["show", who]);
    shown["contact"]["last_interaction_at"]
        .as_str()
        .map(|t| t[..10].to_owned())
}

#[test]
fn an_interaction_logged_wrong_is_fixed_removed_and_restored() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["add", "Grace Hopper"]);
    let logged = j.json(&["log", "call with @grace about the paper", "--at", &day(3)]);
    let id = format!("i{}", logged["interaction"]["id"]);
    assert_eq!(last_contact(&j, "grace").as_deref(), Some(day(3).as_str()));
    assert_eq!(last_contact(&j, "ada"), None);

    // It was Ada, two days ago, over lunch, about mentoring.
    j.json(&[
        "edit",
        &id,
        "--with",
        "@ada",
        "--without",
        "@grace",
        "--at",
        &day(2),
        "--kind",
        "lunch",
        "--tag",
        "mentoring",
    ]);
    assert!(
        timeline(&j, "grace").is_empty(),
        "gone from Grace's timeline"
    );
    assert_eq!(
        timeline(&j, "ada"),
        [(
            "call with Grace about the paper".to_owned(),
            "meal".to_owned(),
            vec!["mentoring".to_owned()]
        )]
    );
    assert_eq!(last_contact(&j, "ada").as_deref(), Some(day(2).as_str()));
    assert_eq!(
        last_contact(&j, "grace"),
        None,
        "Grace's last contact went with it"
    );

    j.json(&[
        "edit",
        &id,
        "--summary",
        "lunch with Ada about the paper",
        "--untag",
        "mentoring",
        "--tag",
        "advice",
    ]);
    assert_eq!(
        timeline(&j, "ada")[0],
        (
            "lunch with Ada about the paper".to_owned(),
            "meal".to_owned(),
            vec!["advice".to_owned()]
        )
    );

    let removed = j.text(&["rm", &id]);
    assert!(
        removed.contains(&format!("rolo trash restore {id}")),
        "{removed}"
    );
    assert!(timeline(&j, "ada").is_empty());
    assert_eq!(last_contact(&j, "ada"), None);

    j.json(&["trash", "restore", &id]);
    assert_eq!(timeline(&j, "ada").len(), 1);
    assert_eq!(last_contact(&j, "ada").as_deref(), Some(day(2).as_str()));

    // Flags that do not apply are usage mistakes, and the journal stays as it was.
    j.usage(
        &["edit", &id, "--email", "x@example.com"],
        "--email does not apply",
    );
    j.usage(&["edit", "ada", "--kind", "call"], "--kind does not apply");
    j.refuses(&["edit", &id, "--at", "tomorrow"], "in the future");
    j.refuses(
        &["edit", "i999", "--kind", "call"],
        "no interaction with id 999",
    );
}

#[test]
fn reminders_are_edited_dismissed_and_trashed() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["add", "Grace Hopper"]);
    let r = j.json(&["remind", "@ada send the deck", "--on", "in 5 days"]);
    let id = format!("r{}", r["id"]);
    let edited = j.json(&[
        "edit",
        &id,
        "--title",
        "send the slides",
        "--on",
        "in 2 days",
        "--for",
        "@grace",
        "--every",
        "2w",
    ]);
    assert_eq!(edited["title"], "send the slides");
    assert_eq!(edited["contact_name"], "Grace Hopper");
    assert_eq!(edited["due_date"], (today() + Days::new(2)).to_string());
    assert_eq!(edited["recurrence"], "2w");
    let edited = j.json(&["edit", &id, "--no-repeat"]);
    assert_eq!(edited["recurrence"], Value::Null);

    // A snooze only moves later; to the same day it changes nothing.
    j.refuses(&["snooze", &id, "tomorrow"], "a snooze moves it later");
    let same = j.json(&["snooze", &id, "in 2 days"]);
    assert_eq!(same["snooze_count"], 0, "a same-day snooze counts nothing");
    let later = j.json(&["snooze", &id, "in 5 days"]);
    assert_eq!(later["snooze_count"], 1);

    let dismissed = j.json(&["dismiss", &id]);
    assert_eq!(dismissed["status"], "dismissed");
    let agenda = j.json(&["agenda", "--days", "30"]).to_string();
    assert!(!agenda.contains("send the slides"), "{agenda}");
    j.refuses(&["dismiss", &id], "no open reminder");
    let reopened = j.json(&["edit", &id, "--reopen"]);
    assert_eq!(reopened["status"], "open");

    j.json(&["rm", &id]);
    let trash = j.json(&["trash"]).to_string();
    assert!(trash.contains("send the slides"), "{trash}");
    j.usage(&["edit", &id, "--kind", "call"], "--kind does not apply");
}

#[test]
fn labelled_fields_are_added_relabelled_and_removed() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["add", "Charles Babbage"]);
    j.json(&[
        "edit",
        "ada",
        "--address",
        "home=12 St James Square; London; ; SW1Y 4JH; UK",
        "--handle",
        "skype=live:ada",
        "--email",
        "work,pref=ada@analytical.example",
        "--introduced-by",
        "@charles",
        "--met-on",
        "1833-06-05",
        "--anniversary",
        "07-08",
        "--nickname",
        "Enchantress of Numbers",
    ]);
    let shown = j.json(&["show", "ada"]);
    let c = &shown["contact"];
    let fields = c["fields"].as_array().unwrap();
    let address = fields.iter().find(|f| f["kind"] == "address").unwrap();
    assert_eq!(address["label"], "home");
    assert_eq!(address["address"]["locality"], "London");
    assert_eq!(address["address"]["postal_code"], "SW1Y 4JH");
    let handle = fields.iter().find(|f| f["kind"] == "handle").unwrap();
    assert_eq!(
        (&handle["label"], &handle["value"]),
        (&Value::from("skype"), &Value::from("live:ada"))
    );
    let email = fields.iter().find(|f| f["kind"] == "email").unwrap();
    assert_eq!(email["preferred"], true);
    let charles = j.json(&["show", "charles"]);
    assert_eq!(c["met"]["introduced_by"], charles["contact"]["id"]);
    assert_eq!(c["met"]["date"], "1833-06-05");
    assert_eq!(c["anniversary"], "--07-08");
    let card = j.text(&["show", "ada"]);
    assert!(
        card.contains("12 St James Square, London SW1Y 4JH, UK"),
        "readable, not ADR: {card}"
    );

    // Relabel in place, then remove by value and by street.
    j.json(&["edit", "ada", "--email", "home=ada@analytical.example"]);
    let shown = j.json(&["show", "ada"]);
    let email = shown["contact"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "email")
        .unwrap()
        .clone();
    assert_eq!(
        (email["label"].as_str(), email.get("preferred")),
        (Some("home"), None)
    );
    j.json(&[
        "edit",
        "ada",
        "--remove-address",
        "12 St James Square",
        "--remove-handle",
        "live:ada",
    ]);
    let shown = j.json(&["show", "ada"]);
    let kinds: Vec<&str> = shown["contact"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["email"]);
    j.refuses(
        &["edit", "ada", "--remove-phone", "+44 1"],
        "has no phone '+44 1'",
    );
    j.refuses(
        &["edit", "ada", "--email", "work=not-an-address"],
        "is not an email address",
    );
    j.json(&[
        "edit",
        "ada",
        "--introduced-by",
        "",
        "--company",
        "Analytical Engines",
    ]);
    let shown = j.json(&["show", "ada"]);
    assert_eq!(shown["contact"]["met"].get("introduced_by"), None);
    j.json(&["edit", "ada", "--company", ""]);
    assert_eq!(
        j.json(&["show", "ada"])["contact"]["company"],
        Value::Null,
        "'' clears"
    );
}

#[test]
fn two_people_with_one_name_are_addressed_by_id() {
    let j = Journal::new();
    let nasa = j.json(&["add", "Margaret Hamilton", "--company", "NASA"]);
    let mit = j.json(&[
        "add",
        "Margaret Hamilton",
        "--company",
        "MIT",
        "--allow-duplicate",
    ]);
    let (nasa, mit) = (nasa["id"].as_i64().unwrap(), mit["id"].as_i64().unwrap());
    j.refuses(
        &["log", "call with @margaret"],
        &format!("Margaret Hamilton (c{nasa}, NASA), Margaret Hamilton (c{mit}, MIT)"),
    );
    let logged = j.json(&["log", &format!("call with @c{mit} about Apollo")]);
    assert_eq!(logged["interaction"]["participants"][0]["id"], mit);
    j.json(&["edit", &format!("c{nasa}"), "--title", "Director"]);
    assert_eq!(
        j.json(&["show", &format!("c{nasa}")])["contact"]["title"],
        "Director"
    );
    assert_eq!(
        j.json(&["show", &format!("c{mit}")])["contact"]["title"],
        Value::Null
    );
}

#[test]
fn the_rules_that_keep_the_data_honest() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace", "--every", "30d"]);
    // The future is not contact.
    j.refuses(
        &["log", "lunch with @ada", "--at", "tomorrow"],
        "in the future",
    );
    j.refuses(&["log", "lunch with @ada ^tomorrow"], "in the future");
    // A milestone is news about them, not contact with them.
    j.json(&["log", "milestone @ada promoted to VP", "--at", &day(1)]);
    assert_eq!(last_contact(&j, "ada"), None);
    j.json(&["log", "call with @ada", "--at", &day(5)]);
    assert_eq!(last_contact(&j, "ada").as_deref(), Some(day(5).as_str()));

    // A --db whose directory does not exist is an error, not a new empty journal.
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("typo").join("x.db");
    let mut cmd = assert_cmd::Command::cargo_bin("rolo").unwrap();
    cmd.arg("--db").arg(&typo).arg("list");
    cmd.assert()
        .code(1)
        .stderr(predicates::str::contains("does not exist"));
    assert!(!typo.parent().unwrap().exists());
}

/// Agenda keys name every row (`c4:keep-in-touch`, `c4:birthday`), and a lapsed cadence or a
/// birthday is done, snoozed and taken back from the command line as a reminder is.
#[test]
fn every_agenda_row_is_done_or_snoozed_by_its_key() {
    let j = Journal::new();
    let soon = today() + Days::new(2);
    j.json(&[
        "add",
        "Kofi Demir",
        "--every",
        "14d",
        "--birthday",
        &soon.format("%m-%d").to_string(),
    ]);
    j.json(&["log", "coffee with @kofi", "--at", &day(40)]);
    let keys: Vec<String> = j.json(&["agenda"])["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .chain(j.json(&["agenda"])["days"][0]["items"].as_array().unwrap())
        .map(|i| i["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["c1:keep-in-touch", "c1:birthday"]);
    // `c1` alone is ambiguous here, and says which keys there are.
    j.refuses(&["done", "c1"], "c1:keep-in-touch, c1:birthday");
    // Snoozed past the week: off the agenda; back with --undo.
    let snoozed = j.json(&[
        "snooze",
        "c1:keep-in-touch",
        &(today() + Days::new(10)).to_string(),
    ]);
    assert_eq!(snoozed["next"], (today() + Days::new(10)).to_string());
    assert!(!j.json(&["agenda"]).to_string().contains("keep-in-touch"));
    j.json(&["done", "--undo", "c1:keep-in-touch"]);
    assert!(j.json(&["agenda"]).to_string().contains("c1:keep-in-touch"));
    // A snooze never moves a row earlier.
    j.refuses(
        &["snooze", "c1:birthday", "today"],
        "a snooze moves it later",
    );
    // The birthday, acknowledged: gone now; the cadence, done: next check-in a round away.
    j.json(&["done", "c1:birthday"]);
    let done = j.json(&["done", "c1"]);
    assert_eq!(done["next"], (today() + Days::new(14)).to_string());
    assert_eq!(j.json(&["agenda"])["overdue"], serde_json::json!([]));
    assert!(!j.json(&["agenda"]).to_string().contains("birthday"));
    // The marks travel with the contact in the lossless export.
    let export = j.json(&["export", "json"]).to_string();
    assert!(export.contains("\"occasion\":\"birthday\""), "{export}");
}

/// A check-in put off or counted as kept moves the contact's standing everywhere it is shown,
/// not only on the agenda: the card, `list --overdue`, the contacts list and the calendar
/// export all say the date the agenda says.
#[test]
fn a_kept_or_put_off_check_in_moves_the_standing_everywhere() {
    let j = Journal::new();
    j.json(&["add", "Kofi Demir", "--every", "14d"]);
    j.json(&["add", "Ines Duarte", "--every", "30d"]);
    j.json(&["log", "coffee with @kofi", "--at", &day(40)]);
    j.json(&["log", "call with @ines", "--at", &day(45)]);
    let overdue = |j: &Journal| -> Vec<String> {
        j.json(&["list", "--overdue"])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(overdue(&j), ["Ines Duarte", "Kofi Demir"]);
    let later = (today() + Days::new(10)).to_string();
    j.json(&["snooze", "c1:keep-in-touch", &later]);
    let card = j.json(&["show", "kofi"]);
    assert_eq!(card["stay_in_touch_due"], later.as_str());
    assert_eq!(card["health"], "ok");
    assert_eq!(overdue(&j), ["Ines Duarte"]);
    let listed = j.json(&["list"]);
    let kofi = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Kofi Demir")
        .unwrap();
    assert_eq!(kofi["stay_in_touch_due"], later.as_str());
    let out = j.cmd().args(["export", "ics"]).output().unwrap();
    let ics = String::from_utf8(out.stdout).unwrap();
    let due = format!("DUE;VALUE=DATE:{}", later.replace('-', ""));
    assert!(ics.contains(&due), "{ics}");
    // Done: counted as kept, next check-in a round (30 days) from today.
    j.json(&["done", "c2:keep-in-touch"]);
    let next = (today() + Days::new(30)).to_string();
    assert_eq!(
        j.json(&["show", "ines"])["stay_in_touch_due"],
        next.as_str()
    );
    assert!(overdue(&j).is_empty());
    // Logging them again starts a new round: the mark no longer applies.
    j.json(&["log", "call with @kofi", "--at", &day(20)]);
    let due = (today() - Days::new(6)).to_string();
    assert_eq!(j.json(&["show", "kofi"])["stay_in_touch_due"], due.as_str());
    assert_eq!(overdue(&j), ["Kofi Demir"]);
}

/// `done --undo` takes a done back exactly: a one-off reminder is open again; a monthly one
/// on the 31st goes back to the date it was due and keeps its anchor day (an edit of the
/// date, the old undo hint, would have made the 28th its day for good).
#[test]
fn a_done_is_taken_back_without_losing_the_anchor() {
    let j = Journal::new();
    let year = today().year() + 1;
    let text = j.text(&[
        "remind",
        "pay the rent",
        "--on",
        &format!("{year}-01-31"),
        "--every",
        "1m",
    ]);
    assert!(text.contains("r1"), "{text}");
    let first = j.json(&["done", "r1"]);
    assert_eq!(first["next_due"], format!("{year}-02-28"));
    let undo_hint = j.text(&["done", "r1"]);
    assert!(undo_hint.contains("rolo done --undo r1"), "{undo_hint}");
    // Now due on the 31st of March; take that back: the 28th of February again.
    let back = j.json(&["done", "--undo", "r1"]);
    assert_eq!(back["next"], format!("{year}-02-28"));
    // Done again: the 31st, not the 28th.
    assert_eq!(j.json(&["done", "r1"])["next_due"], format!("{year}-03-31"));
    // Twice in a row has nothing to take back the second time.
    j.json(&["done", "--undo", "r1"]);
    j.refuses(&["done", "--undo", "r1"], "was not marked done last");
    // A one-off: open again.
    j.json(&["remind", "send the deck", "--on", "tomorrow"]);
    j.json(&["done", "r2"]);
    j.json(&["done", "--undo", "r2"]);
    let agenda = j.json(&["agenda"]).to_string();
    assert!(agenda.contains("send the deck"), "{agenda}");
}

/// `done --undo` refuses rather than overwrite what happened after the done: an edit (even
/// within the same second), the trash; and it gives back the snoozes the done had cleared.
#[test]
fn a_done_is_not_taken_back_over_a_later_change() {
    let j = Journal::new();
    let year = today().year() + 1;
    j.json(&[
        "remind",
        "pay rent",
        "--on",
        &format!("{year}-01-31"),
        "--every",
        "1m",
    ]);
    j.json(&["done", "r1"]);
    j.json(&["edit", "r1", "--on", &format!("{year}-02-10")]);
    j.refuses(&["done", "--undo", "r1"], "was not marked done last");
    let agenda = j.json(&["agenda", "--days", "400"]).to_string();
    assert!(
        agenda.contains(&format!("{year}-02-10")),
        "the edit stands: {agenda}"
    );
    j.json(&["remind", "send the deck", "--on", "tomorrow"]);
    j.json(&["done", "r2"]);
    j.json(&["rm", "r2"]);
    j.refuses(&["done", "--undo", "r2"], "in the trash");
    j.json(&[
        "remind",
        "call the bank",
        "--on",
        "tomorrow",
        "--every",
        "1w",
    ]);
    j.json(&["snooze", "r3", "in 2 days"]);
    j.json(&["snooze", "r3", "in 3 days"]);
    j.json(&["done", "r3"]);
    let back = j.json(&["done", "--undo", "r3"]);
    assert!(
        back["message"].as_str().unwrap().starts_with("Open again"),
        "{back}"
    );
    let shown = j.json(&["agenda", "--days", "30"]).to_string();
    assert!(shown.contains("call the bank"), "{shown}");
    let r3 = j.json(&["export", "json"])["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "call the bank")
        .cloned()
        .unwrap();
    assert_eq!(r3["snooze_count"], 2, "{r3}");
}

/// A birthday is put off at most until it comes round again, and a trashed contact's rows
/// are left alone.
#[test]
fn occasions_keep_to_their_year_and_their_person() {
    let j = Journal::new();
    let soon = today() + Days::new(2);
    j.json(&[
        "add",
        "Eun-ji Iyer",
        "--birthday",
        &soon.format("%m-%d").to_string(),
    ]);
    let next_year = soon.checked_add_months(chrono::Months::new(12)).unwrap();
    j.refuses(
        &["snooze", "c1:birthday", &next_year.to_string()],
        "comes round again",
    );
    j.json(&["snooze", "c1:birthday", &(soon + Days::new(3)).to_string()]);
    j.json(&["rm", "c1"]);
    j.refuses(&["done", "--undo", "c1:birthday"], "in the trash");
}

/// A record in the trash is restored before it is edited; a contact cannot be born, wed or
/// met after today, nor introduce themselves; an interaction keeps a kind. Each is one clear
/// line and an unchanged journal, and an unrelated edit still goes through.
#[test]
fn trashed_records_and_impossible_facts_are_refused() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["add", "Grace Hopper"]);
    j.json(&["log", "call with @ada", "--at", &day(2)]);
    j.json(&["remind", "@ada send the notes", "--on", "in 5 days"]);
    j.refuses(&["edit", "i1", "--kind", ""], "needs a kind");
    j.refuses(&["edit", "i1", "--kind", "  "], "needs a kind");
    j.refuses(
        &["edit", "ada", "--introduced-by", "ada"],
        "introduces themselves",
    );
    j.refuses(
        &["edit", "c1", "--introduced-by", "@c1"],
        "introduces themselves",
    );
    let next_year = (today().year() + 1).to_string();
    j.refuses(
        &["edit", "ada", "--birthday", &format!("{next_year}-01-01")],
        "after today",
    );
    j.refuses(
        &[
            "add",
            "Cleo Future",
            "--met-on",
            &format!("{next_year}-06-01"),
        ],
        "after today",
    );
    j.refuses(
        &[
            "edit",
            "grace",
            "--anniversary",
            &format!("{next_year}-06-01"),
        ],
        "after today",
    );
    // A year-less birthday is no claim about a year.
    j.json(&[
        "edit",
        "ada",
        "--birthday=--12-10",
        "--introduced-by",
        "grace",
    ]);

    j.json(&["rm", "i1"]);
    j.refuses(&["edit", "i1", "--summary", "x"], "in the trash");
    j.json(&["rm", "r1"]);
    j.refuses(&["edit", "r1", "--on", "in 9 days"], "in the trash");
    j.json(&["rm", "grace"]);
    j.refuses(&["edit", "c2", "--company", "Navy"], "c2 is in the trash");
    j.json(&["trash", "restore", "i1"]);
    j.json(&["edit", "i1", "--summary", "call with Ada about engines"]);
}

/// Runs what rolo printed after "undo with: " through a shell, with rolo on the PATH.
fn run_undo(j: &Journal, printed: &str) {
    let undo = printed
        .lines()
        .find_map(|l| l.split_once("undo with: ").map(|(_, cmd)| cmd.to_owned()))
        .unwrap_or_else(|| panic!("no undo line in: {printed}"));
    let bin = assert_cmd::cargo::cargo_bin("rolo");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = std::process::Command::new("sh")
        .args(["-c", &undo])
        .env("PATH", path)
        .env("ROLO_DB", &j.path)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{undo}");
}

/// An edit, a reminder and a tag print the command that reverses them, and running it
/// puts back exactly what was there (compared as JSON).
#[test]
fn the_command_line_prints_what_reverses_a_write() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["add", "Grace Hopper"]);
    j.json(&["log", "lunch with @ada #work it's good", "--at", &day(3)]);
    // A summary a shell would misread unquoted (a comment, an option) comes back too.
    j.json(&[
        "edit",
        "i1",
        "--summary=#1 lunch: it's good",
        "--location=-2 floor",
    ]);
    let before = j.json(&["timeline"]);
    let printed = j.text(&[
        "edit",
        "i1",
        "--with",
        "@grace",
        "--without",
        "@ada",
        "--kind",
        "call",
        "--at",
        &day(4),
        "--tag",
        "x",
        "--untag",
        "work",
        "--summary",
        "Grace's \"call\"",
        "--body",
        "a body; with $HOME",
    ]);
    assert_ne!(j.json(&["timeline"]), before);
    run_undo(&j, &printed);
    let mut after = j.json(&["timeline"]);
    let mut was = before.clone();
    for v in [&mut after, &mut was] {
        v[0]["updated_at"] = Value::Null;
    }
    assert_eq!(after, was);

    let printed = j.text(&["remind", "@ada send the notes", "--on", "in 5 days"]);
    assert!(printed.contains("undo with: rolo rm r1"), "{printed}");
    let before = j.json(&["show", "ada"])["reminders"].clone();
    let printed = j.text(&[
        "edit",
        "r1",
        "--on",
        "in 9 days",
        "--every",
        "2w",
        "--title",
        "x y",
    ]);
    run_undo(&j, &printed);
    let mut after = j.json(&["show", "ada"])["reminders"].clone();
    let mut was = before;
    for v in [&mut after, &mut was] {
        v[0]["updated_at"] = Value::Null;
    }
    assert_eq!(after, was);

    j.json(&["tag", "ada", "friend"]);
    let printed = j.text(&["tag", "ada", "vip", "friend"]);
    assert!(
        printed.contains("undo with: rolo untag c1 vip\n"),
        "{printed}"
    );
    run_undo(&j, &printed);
    assert_eq!(
        j.json(&["show", "ada"])["contact"]["tags"],
        serde_json::json!(["friend"])
    );
}

/// The journal keeps four-digit years: a recurring reminder at the end of 9999 is not
/// rolled past it (one clear line, nothing changed), and year 0 is "no year" (Android).
#[test]
fn dates_at_the_edges_of_the_calendar() {
    let j = Journal::new();
    j.json(&[
        "remind",
        "the last one",
        "--on",
        "9999-12-31",
        "--every",
        "1y",
    ]);
    j.refuses(&["done", "r1"], "after 9999-12-31");
    j.json(&["add", "Noa Year", "--birthday", "0000-05-01"]);
    let shown = j.json(&["show", "noa"]);
    assert_eq!(shown["contact"]["birthday"], "--05-01", "{shown}");
}

/// A contact edit of every kind of part prints the `edit cN` that puts it all back.
#[test]
fn a_contact_edit_prints_what_reverses_it() {
    let j = Journal::new();
    j.json(&["add", "Grace Hopper"]);
    j.json(&[
        "add",
        "Mary Contact",
        "--email",
        "work=mary@x.example",
        "--phone",
        "cell,pref=+44 20 7946 0000",
        "--url",
        "https://mary.example",
        "--company",
        "Acme, Inc.",
        "--birthday",
        "1990-03-04",
        "--tag",
        "keep",
        "--tag",
        "old",
        "--every",
        "30d",
    ]);
    let contact = |j: &Journal| {
        let mut c = j.json(&["show", "mary contact"])["contact"].clone();
        c["updated_at"] = Value::Null;
        let mut fields = c["fields"].as_array().unwrap().clone();
        fields.sort_by_key(std::string::ToString::to_string);
        c["fields"] = Value::Array(fields);
        c
    };
    let before = contact(&j);
    let printed = j.text(&[
        "edit",
        "mary contact",
        "--rename",
        "Mary-Jane O'Contact",
        "--company",
        "",
        "--title",
        "CTO",
        "--remove-email",
        "mary@x.example",
        "--phone",
        "+44 20 7946 1111",
        "--url",
        "home=https://mary.example",
        "--birthday=--03-05",
        "--untag",
        "old",
        "--tag",
        "new",
        "--note",
        "likes $5 coffee; 'strong'",
        "--no-cadence",
        "--met-on",
        &day(400),
        "--introduced-by",
        "grace",
        "--address",
        "work=1 Main St; Leeds; ; LS1; UK",
    ]);
    assert!(printed.contains("undo with: rolo edit c"), "{printed}");
    let after = j.json(&["show", "mary-jane"])["contact"].clone();
    assert_eq!(after["display_name"], "Mary-Jane O'Contact");
    run_undo(&j, &printed);
    assert_eq!(contact(&j), before);
}
