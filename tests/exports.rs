//! Exports every reader understands exactly as rolo means them (issue 16): the .ics through
//! recurring-ical-events, vobject and ical.js gives, for every recurring reminder, the dates
//! `rolo done` gives; the vdir is safe and khard reads it; the Markdown dossier parses with
//! no emphasis, link or HTML the data did not ask for.

#![allow(clippy::unwrap_used)]

mod transfer;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use serde_json::Value;
use transfer::{Journal, node, python, run_reader};

/// Recurring reminders on every hard case: the 31st, the 30th and 29th reaching February,
/// every 3 and 2 months, Feb 29 yearly, weekly, and each of these snoozed (the moved
/// occurrence must not move the series); titles with commas, semicolons, backslashes,
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
        ("snoozed from the 31st", "2027-01-31", "1m"),
        ("snoozed weekly", "2027-01-05", "1w"),
        ("snoozed leap day", "2028-02-29", "1y"),
        ("snoozed past the next", "2027-01-30", "1m"),
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
    // Snoozed: a few days; two days; into March; past the next occurrence (Feb 28).
    for (n, until) in [
        (8, "2027-02-03"),
        (9, "2027-01-07"),
        (10, "2028-03-02"),
        (11, "2027-03-05"),
    ] {
        j.json(&["snooze", &ids[n].1, until]);
    }
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
    let (j, ids) = recurring_journal();
    assert_eq!(
        dates_by_done(&j, &ids[0].1),
        [
            "2027-01-31",
            "2027-02-28",
            "2027-03-31",
            "2027-04-30",
            "2027-05-31"
        ],
        "monthly from the 31st keeps the 31st"
    );
    assert_eq!(
        dates_by_done(&j, &ids[4].1),
        [
            "2028-02-29",
            "2029-02-28",
            "2030-02-28",
            "2031-02-28",
            "2032-02-29"
        ],
        "yearly from Feb 29 comes back to the 29th in leap years"
    );
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

/// The VTODOs of one UID in an .ics, as text.
fn todos_of<'a>(ics: &'a str, uid: &str) -> Vec<&'a str> {
    ics.split("BEGIN:VTODO")
        .skip(1)
        .filter(|todo| todo.contains(&format!("UID:{uid}\r\n")))
        .collect()
}

#[test]
fn a_snoozed_occurrence_moves_alone() {
    let (j, ids) = recurring_journal();
    assert_eq!(
        dates_by_done(&j, &ids[8].1),
        [
            "2027-02-03",
            "2027-02-28",
            "2027-03-31",
            "2027-04-30",
            "2027-05-31"
        ],
        "a snooze moves one occurrence; the series keeps the 31st"
    );
    assert_eq!(
        dates_by_done(&j, &ids[10].1),
        [
            "2028-03-02",
            "2029-02-28",
            "2030-02-28",
            "2031-02-28",
            "2032-02-29"
        ]
    );
    let ics = j.text(&["export", "ics"]);
    for (n, series, moved) in [
        (8, "20270131", "20270203"),
        (9, "20270105", "20270107"),
        (10, "20280229", "20280302"),
        (11, "20270228", "20270305"),
    ] {
        let todos = todos_of(&ics, &ids[n].0);
        assert_eq!(
            todos.len(),
            2,
            "the series and the moved occurrence: {todos:?}"
        );
        let (master, moved_one) = (todos[0], todos[1]);
        assert!(master.contains("RRULE:"), "{master}");
        assert!(
            master.contains(&format!("DTSTART;VALUE=DATE:{series}\r\n"))
                && master.contains(&format!("DUE;VALUE=DATE:{series}\r\n")),
            "the series starts and is due on its own occurrence: {master}"
        );
        assert!(!moved_one.contains("RRULE:"), "{moved_one}");
        for line in [
            format!("RECURRENCE-ID;VALUE=DATE:{series}"),
            format!("DTSTART;VALUE=DATE:{moved}"),
            format!("DUE;VALUE=DATE:{moved}"),
            "STATUS:NEEDS-ACTION".to_owned(),
            "BEGIN:VALARM".to_owned(),
        ] {
            assert!(moved_one.contains(&line), "{line} in {moved_one}");
        }
        let summary = |t: &str| {
            t.lines()
                .find(|l| l.starts_with("SUMMARY:"))
                .map(str::to_owned)
        };
        assert_eq!(summary(master), summary(moved_one));
    }
    // Not snoozed: one VTODO.
    assert_eq!(todos_of(&ics, &ids[0].0).len(), 1);
}

#[test]
fn the_markdown_dossier_is_safe_commonmark() {
    let Some(python) = python() else { return };
    let j = Journal::new();
    let name = "Ana *the* <b>Boss</b> [x](https://evil.example) & Co_ltd";
    j.json(&[
        "add",
        name,
        "--company",
        "Stripe_Inc <script>",
        "--note",
        "# not a heading\n1. not a list\n> not a quote\n\n    not code `either`",
        "--tag",
        "vip",
    ]);
    let card = "BEGIN:VCARD\nVERSION:4.0\nFN:Ben Ode\nADR;TYPE=home:;;1 Main St;Springfield;IL;12345;USA\nEND:VCARD\n";
    j.import("vcard", &j.file("ben.vcf", card), &[]);
    j.json(&["log", "lunch with @ana about *pricing* <i>now</i>"]);
    let logged = j.json(&["log", "call with @ben"]);
    let id = format!("i{}", logged["interaction"]["id"]);
    j.cmd(&[
        "edit",
        &id,
        "--body",
        "## Notes\n*really* important\n\n# Top",
    ])
    .assert()
    .success();
    let md = j.file("dossier.md", &j.text(&["export", "markdown"]));
    let found = run_reader(&python, "md_check.py", &[&md]);
    // Only the body asked for emphasis; the bold labels and the italic tags line are rolo's.
    let markup: Vec<&str> = found["markup"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let unasked: Vec<&&str> = markup
        .iter()
        .filter(|m| {
            **m != "em:really"
                && !m.starts_with("em:#")
                && !m.starts_with("em:with ")
                && (!m.starts_with("strong:") || !m.ends_with(':'))
        })
        .collect();
    assert!(
        unasked.is_empty(),
        "markup the data did not ask for: {unasked:?}\n{}",
        fs::read_to_string(&md).unwrap()
    );
    let headings: Vec<(i64, String)> = found["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["level"].as_i64().unwrap(),
                h["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(headings.contains(&(1, name.to_owned())), "{headings:?}");
    assert!(
        headings
            .iter()
            .all(|(level, text)| text != "not a heading" || *level > 6),
        "{headings:?}"
    );
    let notes = headings.iter().position(|(_, t)| t == "Notes").unwrap();
    assert!(
        headings[notes].0 > 3,
        "a body heading nests under its entry: {headings:?}"
    );
    let top = headings.iter().find(|(_, t)| t == "Top").unwrap();
    assert!(top.0 > 3, "{headings:?}");
    let text = fs::read_to_string(&md).unwrap();
    assert!(
        text.contains("1 Main St, Springfield, IL 12345, USA"),
        "{text}"
    );
    assert!(!text.contains(";;1 Main St"), "no vCard syntax");
}

#[test]
fn every_body_stays_inside_its_entry() {
    let Some(python) = python() else { return };
    let j = Journal::new();
    j.json(&["add", "Ana Body"]);
    let bodies = [
        "```rust\nfn main() {",
        "~~~~\nstill code\n~~~",
        "<!-- a note to self",
        "<pre>\nkept as typed",
        "<script>alert(1)",
        "<div>\n<!--\n```\n-->",
        "- a list\n  ```\n  in the item\n```\nafter",
        "Intro line\n===\ntext",
        "Sub line\n---\ntext",
        "plain *emphasis*",
    ];
    let mut ids = Vec::new();
    for (n, body) in bodies.iter().enumerate() {
        let logged = j.json(&["log", &format!("call {n} with @ana")]);
        let id = format!("i{}", logged["interaction"]["id"]);
        j.cmd(&["edit", &id, &format!("--body={body}")])
            .assert()
            .success();
        ids.push(logged["interaction"]["id"].as_i64().unwrap());
    }
    // Control characters written past rolo, straight into the file.
    let conn = rusqlite::Connection::open(&j.path).unwrap();
    conn.execute(
        "UPDATE interactions SET body = ?1, summary = ?2 WHERE id = ?3",
        rusqlite::params![
            "\u{1b}[2J\u{1b}]0;pwned\u{7}cleared",
            "call \u{1b}[31mred",
            ids[9]
        ],
    )
    .unwrap();
    drop(conn);
    let text = j.text(&["export", "markdown"]);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the export: {text:?}"
    );
    assert!(text.contains("^[[2J^[]0;pwned^Gcleared"), "{text}");
    let md = j.file("dossier.md", &text);
    let found = run_reader(&python, "md_check.py", &[&md]);
    let headings: Vec<(i64, String)> = found["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["level"].as_i64().unwrap(),
                h["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let entries = headings
        .iter()
        .filter(|(l, t)| *l == 3 && t.contains(" · "))
        .count();
    assert_eq!(
        entries,
        bodies.len(),
        "every entry heading, at level 3: {headings:?}\n{text}"
    );
    for setext in ["Intro line", "Sub line"] {
        assert!(
            headings.iter().any(|(l, t)| t == setext && *l > 3),
            "{setext} nests under its entry: {headings:?}"
        );
    }
    let blocks: Vec<&Value> = found["markup"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m.as_str().unwrap().starts_with("html_block"))
        .collect();
    assert!(blocks.is_empty(), "{blocks:?}\n{text}");
}

/// What khard lists in a vdir: (UID, name) rows.
fn khard_list(khard: &Path, vdir: &Path, conf_dir: &Path) -> Vec<(String, String)> {
    let conf = conf_dir.join("khard.conf");
    fs::write(
        &conf,
        format!(
            "[addressbooks]\n[[rolo]]\npath = {}/\n[general]\neditor = /bin/true\nmerge_editor = /bin/true\n[vcard]\npreferred_version = 4.0\n",
            vdir.display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(khard)
        .args(["-c", conf.to_str().unwrap(), "list", "-p"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut rows: Vec<(String, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            (cells[0].to_owned(), cells[1].to_owned())
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn a_vdir_export_is_safe_and_follows_the_journal() {
    let Some(khard) = transfer::khard() else {
        return;
    };
    let j = Journal::new();
    let long = "x".repeat(300);
    let mut cards = String::new();
    for (uid, name) in [
        ("team/alice", "Alice Slash"),
        ("team:alice", "Alice Colon"),
        (".hidden", "Hidden Hal"),
        (long.as_str(), "Long Lou"),
        ("Case-Kim", "Kim Upper"),
        ("case-kim", "Kim Lower"),
        ("plain-uid-1", "Plain Pat"),
    ] {
        let _ = write!(
            cards,
            "BEGIN:VCARD\nVERSION:4.0\nUID:{uid}\nFN:{name}\nEND:VCARD\n"
        );
    }
    j.import("vcard", &j.file("unsafe.vcf", &cards), &[]);
    let vdir = j.dir.path().join("vdir");
    fs::create_dir(&vdir).unwrap();
    fs::write(
        vdir.join("mine.vcf"),
        "BEGIN:VCARD\nVERSION:4.0\nUID:mine\nFN:Not Rolo's\nEND:VCARD\n",
    )
    .unwrap();
    fs::write(vdir.join("notes.txt"), "mine too").unwrap();
    let written = j.json(&["export", "vcard", "--dir", vdir.to_str().unwrap()]);
    let names: Vec<&str> = written["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 7, "{written}");
    assert!(
        names.contains(&"plain-uid-1.vcf"),
        "a safe UID is its own name"
    );
    for name in &names {
        assert!(
            !name.starts_with('.') && name.len() <= 70 && !name.contains(['/', ':']),
            "{name}"
        );
        assert!(vdir.join(name).exists());
    }
    let listed = khard_list(&khard, &vdir, j.dir.path());
    assert_eq!(
        listed.len(),
        8,
        "every card, and the file rolo did not write: {listed:?}"
    );
    // A rename and a delete, then the same export again.
    j.json(&["edit", "pat", "--rename", "Patricia Plain"]);
    j.json(&["rm", "hal"]);
    let again = j.json(&["export", "vcard", "--dir", vdir.to_str().unwrap()]);
    assert_eq!(again["written"].as_array().unwrap().len(), 6);
    assert_eq!(again["removed"].as_array().unwrap().len(), 1, "{again}");
    let listed = khard_list(&khard, &vdir, j.dir.path());
    let names: Vec<&str> = listed.iter().map(|(_, n)| n.as_str()).collect();
    assert!(!names.contains(&"Hidden Hal"), "{names:?}");
    assert!(names.contains(&"Patricia Plain") && !names.contains(&"Plain Pat"));
    assert!(
        names.contains(&"Not Rolo's"),
        "a file rolo did not write is never touched"
    );
    assert!(vdir.join("notes.txt").exists());
}

/// The names of the `.vcf` files in a directory, sorted.
fn vcf_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == "vcf"))
        .collect();
    names.sort();
    names
}

/// A journal holding one card per (UID, name).
fn journal_of(cards: &[(&str, &str)]) -> Journal {
    let j = Journal::new();
    let mut text = String::new();
    for (uid, name) in cards {
        let _ = write!(
            text,
            "BEGIN:VCARD\nVERSION:4.0\nUID:{uid}\nFN:{name}\nEND:VCARD\n"
        );
    }
    j.import("vcard", &j.file("cards.vcf", &text), &[]);
    j
}

#[test]
fn a_vdir_export_never_touches_a_file_it_did_not_write_as_it_is() {
    let j = journal_of(&[
        ("abc", "Abe Foreign"),
        ("bob-1", "Bob Edited"),
        ("gone-1", "Gus Gone"),
        ("gone-2", "Gil Gone Edited"),
    ]);
    let vdir = j.dir.path().join("vdir");
    fs::create_dir(&vdir).unwrap();
    let foreign = "BEGIN:VCARD\nVERSION:4.0\nUID:abc\nFN:Someone Else's\nEND:VCARD\n";
    fs::write(vdir.join("abc.vcf"), foreign).unwrap();
    let dir = vdir.to_str().unwrap();

    // A name taken by a foreign file: the card goes to its digest name, and the output says so.
    let out = j.text(&["export", "vcard", "--dir", dir, "--table"]);
    assert_eq!(fs::read_to_string(vdir.join("abc.vcf")).unwrap(), foreign);
    assert!(out.starts_with("Wrote 4 cards to "), "{out}");
    assert!(
        out.contains(
            "  left alone: abc.vcf (not written by rolo; Abe Foreign's card went to rolo-"
        ),
        "{out}"
    );
    assert_eq!(vcf_files(&vdir).len(), 5, "{:?}", vcf_files(&vdir));

    // Changed since rolo wrote it: left alone whether its contact is still here or gone;
    // unchanged and gone: removed.
    let edited = |name: &str| {
        let path = vdir.join(name);
        let text = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            text.replace("END:VCARD", "NOTE:mine now\r\nEND:VCARD"),
        )
        .unwrap();
        fs::read_to_string(&path).unwrap()
    };
    let bob = edited("bob-1.vcf");
    let gil = edited("gone-2.vcf");
    j.json(&["rm", "gus"]);
    j.json(&["rm", "gil"]);
    let again = j.json(&["export", "vcard", "--dir", dir]);
    assert_eq!(
        again["removed"],
        serde_json::json!(["gone-1.vcf"]),
        "{again}"
    );
    let kept: Vec<&str> = again["left_alone"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["file"].as_str().unwrap())
        .collect();
    assert_eq!(kept, ["abc.vcf", "bob-1.vcf", "gone-2.vcf"], "{again}");
    assert_eq!(fs::read_to_string(vdir.join("bob-1.vcf")).unwrap(), bob);
    assert_eq!(fs::read_to_string(vdir.join("gone-2.vcf")).unwrap(), gil);
    assert!(!vdir.join("gone-1.vcf").exists());
    let bobs = again["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .find(|n| {
            fs::read_to_string(vdir.join(n))
                .unwrap()
                .contains("FN:Bob Edited")
        })
        .unwrap();
    assert!(bobs.starts_with("rolo-"), "{again}");
    // The same again: stable names, nothing removed.
    let third = j.json(&["export", "vcard", "--dir", dir]);
    assert_eq!(third["written"], again["written"]);
    assert_eq!(third["removed"], serde_json::json!([]));
}

#[test]
fn two_journals_share_a_vdir_without_touching_each_others_files() {
    let first = journal_of(&[("zed-1", "Zed First"), ("ann-1", "Ann First")]);
    let second = journal_of(&[("zed-1", "Zed Second"), ("olga-1", "Olga Second")]);
    let vdir = first.dir.path().join("vdir");
    let dir = vdir.to_str().unwrap();
    first.json(&["export", "vcard", "--dir", dir]);
    let before = vcf_files(&vdir);
    let out = second.text(&["export", "vcard", "--dir", dir, "--table"]);
    assert!(out.starts_with("Wrote 2 cards to "), "{out}");
    assert!(
        out.contains(
            "left alone: zed-1.vcf (written by another journal; Zed Second's card went to rolo-"
        ),
        "{out}"
    );
    assert!(
        out.contains("left alone: 2 files another journal wrote"),
        "{out}"
    );
    assert!(
        fs::read_to_string(vdir.join("zed-1.vcf"))
            .unwrap()
            .contains("FN:Zed First")
    );
    let after = vcf_files(&vdir);
    assert_eq!(after.len(), 4, "{after:?}");
    assert!(
        before.iter().all(|f| after.contains(f)),
        "{before:?} → {after:?}"
    );
    // Each removes only its own gone contacts.
    second.json(&["rm", "zed"]);
    first.json(&["rm", "ann"]);
    let firsts = first.json(&["export", "vcard", "--dir", dir]);
    assert_eq!(
        firsts["removed"],
        serde_json::json!(["ann-1.vcf"]),
        "{firsts}"
    );
    let seconds = second.json(&["export", "vcard", "--dir", dir]);
    assert_eq!(seconds["removed"].as_array().unwrap().len(), 1, "{seconds}");
    assert!(vdir.join("zed-1.vcf").exists() && vdir.join("olga-1.vcf").exists());
    assert_eq!(vcf_files(&vdir).len(), 2);
}

#[test]
fn export_usage_errors_exit_2_and_say_what_is_wrong() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    let out2 = j.dir.path().join("out2");
    let out3 = j.dir.path().join("out3");
    for args in [
        vec!["export", "vcard", "--dir"],
        vec!["export", "vcard", "--vcard-version", "5"],
        vec!["export", "vcard", "--vcard-version", "2"],
        vec![
            "export",
            "vcard",
            "--dir",
            out2.to_str().unwrap(),
            "-o",
            out3.to_str().unwrap(),
        ],
        vec!["export", "ics", "--dir", out2.to_str().unwrap()],
    ] {
        j.cmd(&args).assert().code(2);
        assert!(!out2.exists() && !out3.exists(), "{args:?}");
    }
    let file = j.file("afile", "not a directory");
    let out = j
        .cmd(&["export", "vcard", "--dir", file.to_str().unwrap()])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("afile is a file, not a directory"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a directory");
    // One card, one removed: the words agree with the counts.
    let out = j.text(&[
        "export",
        "vcard",
        "--dir",
        out2.to_str().unwrap(),
        "--table",
    ]);
    assert_eq!(out, format!("Wrote 1 card to {}\n", out2.display()));
    j.json(&["add", "Grace Hopper"]);
    let out = j.text(&[
        "export",
        "vcard",
        "--dir",
        out2.to_str().unwrap(),
        "--table",
    ]);
    assert!(out.starts_with("Wrote 2 cards to "), "{out}");
    j.json(&["rm", "ada"]);
    let out = j.text(&[
        "export",
        "vcard",
        "--dir",
        out2.to_str().unwrap(),
        "--table",
    ]);
    assert!(
        out.ends_with("; removed 1 card of a contact who is gone\n"),
        "{out}"
    );
}

/// A directory an earlier rolo exported into (its manifest lists bare file names): the
/// files holding this journal's cards are taken as its own and rewritten in place — one file
/// per UID, never the card again beside its old self — while a listed file of someone else's
/// stays untouched.
#[test]
fn a_vdir_from_an_earlier_manifest_is_taken_over_in_place() {
    let j = journal_of(&[("ada-1", "Ada Old"), ("bob-1", "Bob Old")]);
    let vdir = j.dir.path().join("vdir");
    fs::create_dir(&vdir).unwrap();
    // As the earlier rolo wrote them: another escaping of the same card.
    fs::write(
        vdir.join("ada-1.vcf"),
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:ada-1\r\nFN:Ada Old\r\nURL:https://x.example/a%2Cb\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let stranger = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:zed-9\r\nFN:Zed\r\nEND:VCARD\r\n";
    fs::write(vdir.join("zed-9.vcf"), stranger).unwrap();
    fs::write(vdir.join(".rolo-vdir"), "ada-1.vcf\nzed-9.vcf\n").unwrap();
    let dir = vdir.to_str().unwrap();
    j.text(&["export", "vcard", "--dir", dir, "--table"]);
    assert_eq!(
        vcf_files(&vdir),
        ["ada-1.vcf", "bob-1.vcf", "zed-9.vcf"],
        "one file per UID"
    );
    let ada = fs::read_to_string(vdir.join("ada-1.vcf")).unwrap();
    assert!(!ada.contains("%2C"), "rewritten in place: {ada}");
    assert_eq!(
        fs::read_to_string(vdir.join("zed-9.vcf")).unwrap(),
        stranger
    );
    // And the next export knows them by hash: removing Ada removes her file.
    j.json(&["rm", "ada"]);
    j.text(&["export", "vcard", "--dir", dir, "--table"]);
    assert_eq!(vcf_files(&vdir), ["bob-1.vcf", "zed-9.vcf"]);
}
