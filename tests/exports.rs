//! Exports every reader understands exactly as rolo means them (issue 16): the .ics through
//! recurring-ical-events, vobject and ical.js gives, for every recurring reminder, the dates
//! `rolo done` gives; the vdir is safe and khard reads it; the Markdown dossier parses with
//! no emphasis, link or HTML the data did not ask for.

#![allow(clippy::unwrap_used)]

mod transfer;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;
use transfer::{Journal, node, python, run_reader};

/// Recurring reminders on every hard case: the 31st, the 30th and 29th reaching February,
/// every 3 and 2 months, Feb 29 yearly, weekly; titles with commas, semicolons, backslashes,
/// quotes, emoji and CJK. Returns (uid, id) per reminder.
fn recurring_journal() -> (Journal, Vec<(String, String)>) {
    let j = Journal::new();
    let specs = [
        ("pay the rent, flat 3; 李 🎉", "2027-01-31", "1m"),
        ("water the \\ \"plants\"", "2027-01-30", "1m"),
        ("call mum", "2028-01-29", "1m"),
        ("quarterly review", "2027-11-30", "3m"),
        ("leap day", "2028-02-29", "1y"),
        ("every other month", "2027-08-31", "2m"),
        ("weekly sync", "2027-01-05", "1w"),
        ("already rolled once", "2027-01-30", "1m"),
    ];
    let mut ids = Vec::new();
    for (title, on, every) in specs {
        let r = j.json(&["remind", title, "--on", on, "--every", every]);
        ids.push((
            r["uid"].as_str().unwrap().to_owned(),
            format!("r{}", r["id"]),
        ));
    }
    // The last one has been done once: it starts on a February date its rule must not copy.
    j.json(&["done", &ids[7].1]);
    (j, ids)
}

/// What `rolo done` gives: the due date, then four more, on a copy of the journal.
fn dates_by_done(j: &Journal, id: &str) -> Vec<String> {
    let copy = j.dir.path().join(format!("copy-{id}.db"));
    let _ = fs::remove_file(&copy);
    j.json(&["backup", copy.to_str().unwrap()]);
    let c = Journal {
        dir: tempfile::tempdir().unwrap(),
        path: copy,
    };
    let mut dates = vec![
        c.json(&["agenda", "--from", "2026-01-01", "--days", "1"])["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .chain(
                c.json(&["agenda", "--from", "2026-01-01", "--days", "4000"])["days"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|d| d["items"].as_array().unwrap().iter()),
            )
            .find(|item| format!("r{}", item["id"]) == id)
            .map(|item| item["date"].as_str().unwrap().to_owned())
            .unwrap(),
    ];
    for _ in 0..4 {
        let done = c.json(&["done", id]);
        dates.push(done["next_due"].as_str().unwrap().to_owned());
    }
    dates
}

fn check_readers(readers: &Value, j: &Journal, ids: &[(String, String)], reader_names: &[&str]) {
    let mut table = BTreeMap::new();
    for (uid, id) in ids {
        let want = dates_by_done(j, id);
        for reader in reader_names {
            let got: Vec<String> = readers[uid][*reader]
                .as_array()
                .unwrap_or_else(|| panic!("{reader} has no {uid}: {readers}"))
                .iter()
                .map(|d| d.as_str().unwrap().to_owned())
                .collect();
            table.insert(format!("{id} {reader}"), (got == want, got, want.clone()));
        }
    }
    let wrong: Vec<_> = table.iter().filter(|(_, (ok, _, _))| !ok).collect();
    assert!(
        wrong.is_empty(),
        "readers disagree with rolo done: {wrong:#?}"
    );
}

#[test]
fn recurring_reminders_expand_to_rolo_dates_in_python_readers() {
    let Some(python) = python() else { return };
    let (j, ids) = recurring_journal();
    let ics = j.file("rolo.ics", &j.text(&["export", "ics"]));
    let readers = run_reader(&python, "ics_expand.py", &[&ics, Path::new("5")]);
    check_readers(&readers, &j, &ids, &["rie", "vobject"]);
}

#[test]
fn recurring_reminders_expand_to_rolo_dates_in_icaljs() {
    let Some(node) = node() else { return };
    let (j, ids) = recurring_journal();
    let ics = j.file("rolo.ics", &j.text(&["export", "ics"]));
    let readers = run_reader(&node, "ics_expand.mjs", &[&ics, Path::new("5")]);
    check_readers(&readers, &j, &ids, &["ical.js"]);
}

#[test]
fn every_recurring_todo_has_a_start() {
    let (j, _) = recurring_journal();
    let ics = j.text(&["export", "ics"]);
    for todo in ics.split("BEGIN:VTODO").skip(1) {
        if todo.contains("RRULE:") {
            assert!(todo.contains("DTSTART;VALUE=DATE:"), "{todo}");
        }
    }
    assert!(ics.contains("RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1"));
    assert!(ics.contains("RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=-1"));
    assert!(!ics.contains("BYSETPOS"), "ical.js ignores BYSETPOS");
}
