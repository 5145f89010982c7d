//! `rolo log -` takes a whole meeting's notes from standard input, and `rolo log --edit`
//! from the user's editor (scripted here): the first line is the capture line, the rest
//! the body. `-` is never logged as a note, and a failing editor loses nothing.

#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Journal;
use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::contains;

/// A shell script used as `$EDITOR`: it runs `body` with the file as `$1`.
fn editor(dir: &std::path::Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn log_dash_reads_the_note_from_standard_input() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    let out = j
        .cmd()
        .args(["log", "-", "--json"])
        .write_stdin("coffee with @ada #hiring re: the Lisbon role\n- small team\n- remote ok\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let logged: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let i = &logged["interaction"];
    assert_eq!(i["summary"], "coffee with Ada re: the Lisbon role");
    assert_eq!(i["body"], "- small team\n- remote ok");
    assert_eq!(i["participants"][0]["name"], "Ada Lovelace");
    assert_eq!(i["tags"][0], "hiring");
    // Nothing on standard input is an error, never a note called "-".
    let before = common::on_disk(&j.path);
    j.cmd()
        .args(["log", "-"])
        .write_stdin("  \n")
        .assert()
        .code(1)
        .stderr(contains("nothing on standard input"));
    assert_eq!(common::on_disk(&j.path), before);
    // '-' followed by words is a slip (exit 2), whatever is piped in.
    for args in [&["log", "-", "extra"][..], &["log", "-", "call", "@ada"]] {
        j.cmd()
            .args(args)
            .write_stdin("hi\n")
            .assert()
            .code(2)
            .stderr(contains("standard input"));
        assert_eq!(common::on_disk(&j.path), before);
    }
    let everyone = j.json(&["timeline"]).to_string();
    assert!(!everyone.contains("\"summary\":\"-\""), "{everyone}");
}

#[test]
fn log_edit_writes_the_note_in_the_editor() {
    let j = Journal::new();
    j.json(&["add", "Grace Hopper"]);
    let dir = tempfile::tempdir().unwrap();
    // An editor that writes the note above the template (keeping the template below).
    let writes = editor(
        dir.path(),
        "writes",
        r#"{ printf 'lunch with @grace about COBOL !2w send the spec\nshe liked the idea\n'; cat "$1"; } > "$1.new" && mv "$1.new" "$1""#,
    );
    let out = j
        .cmd()
        .env("EDITOR", &writes)
        .env_remove("VISUAL")
        .args(["log", "--edit", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let logged: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        logged["interaction"]["summary"],
        "lunch with Grace about COBOL"
    );
    assert_eq!(logged["interaction"]["body"], "she liked the idea");
    assert_eq!(logged["follow_up"]["title"], "send the spec");

    // VISUAL="" counts as unset: EDITOR is used (not an attempt to run the file).
    j.cmd()
        .env("VISUAL", "")
        .env("EDITOR", &writes)
        .args(["log", "--edit"])
        .assert()
        .success();

    // An editor that changes nothing: nothing logged, and a hint for window editors.
    let before = common::on_disk(&j.path);
    j.cmd()
        .env("EDITOR", editor(dir.path(), "nothing", "true"))
        .env_remove("VISUAL")
        .args(["log", "--edit"])
        .assert()
        .code(1)
        .stderr(contains("nothing was logged").and(contains("--wait")));
    // An editor that fails: nothing logged, and the text it had is kept and named.
    let failing = editor(
        dir.path(),
        "fails",
        r#"printf 'half a thought\n' > "$1"; exit 3"#,
    );
    let out = j
        .cmd()
        .env("EDITOR", &failing)
        .env_remove("VISUAL")
        .args(["log", "--edit"])
        .assert()
        .code(1)
        .stderr(contains("your text is kept in"))
        .get_output()
        .stderr
        .clone();
    assert_eq!(common::on_disk(&j.path), before);
    let stderr = String::from_utf8(out).unwrap();
    let kept = stderr
        .split("kept in ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap();
    assert_eq!(std::fs::read_to_string(kept).unwrap(), "half a thought\n");
    std::fs::remove_file(kept).unwrap();
    // An editor that succeeds with a note rolo cannot log (nobody called Zed): the text
    // written in the editor is kept and named, not lost with the error.
    let unknown = editor(
        dir.path(),
        "unknown",
        r#"printf 'lunch with @zed about the long plan\nthree paragraphs of it\n' > "$1""#,
    );
    let out = j
        .cmd()
        .env("EDITOR", &unknown)
        .env_remove("VISUAL")
        .args(["log", "--edit"])
        .assert()
        .code(1)
        .stderr(contains("no contact matches").and(contains("your note is kept in")))
        .get_output()
        .stderr
        .clone();
    assert_eq!(common::on_disk(&j.path), before);
    let stderr = String::from_utf8(out).unwrap();
    let kept = stderr.rsplit("kept in ").next().unwrap().trim();
    assert!(
        std::fs::read_to_string(kept)
            .unwrap()
            .contains("three paragraphs of it"),
        "{kept}"
    );
    std::fs::remove_file(kept).unwrap();
}

#[test]
fn log_prints_what_it_wrote_once() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["add", "Grace Hopper"]);
    let out = j.text(&[
        "log",
        "lunch with @ada @grace #mentoring talked about compilers !2w send the paper",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("Logged i1 · ")
            && lines[0].ends_with(" · meal · lunch with Ada and Grace talked about compilers"),
        "{out}"
    );
    assert_eq!(lines[1], "  with Ada Lovelace, Grace Hopper", "{out}");
    assert_eq!(lines[2], "  tags #mentoring", "{out}");
    assert!(lines[3].starts_with("  follow-up r1 due ") && lines[3].ends_with(": send the paper"));
    assert_eq!(lines[4], "  undo with: rolo rm i1", "{out}");
    assert_eq!(lines.len(), 5, "{out}");
}
