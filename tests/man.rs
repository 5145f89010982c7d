//! The manual: `rolo man --dir` writes a page for every command clap knows (so a command
//! added later without a page fails here), every page it points to exists, every page
//! renders without a formatter warning, and the hand-written pages say what the code does.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use clap::CommandFactory;
use predicates::str::contains;
use rolo::domain::interaction::Kind;
use serde_json::Value;

fn rolo() -> Command {
    let mut cmd = Command::cargo_bin("rolo").unwrap();
    cmd.env_remove("RUST_BACKTRACE").env_remove("ROLO_DB");
    cmd
}

fn stdout(args: &[&str]) -> String {
    let out = rolo()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// The file name of every command's page, walked from the clap definitions themselves:
/// `rolo.1`, `rolo-add.1`, …, `rolo-import-vcard.1`.
fn command_pages() -> Vec<(String, clap::Command)> {
    fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, clap::Command)>) {
        out.push((format!("{name}.1"), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, &format!("{name}-{}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(&rolo::cli::Cli::command(), "rolo", &mut out);
    out
}

const TOPIC_PAGES: [&str; 2] = ["rolo-capture.7", "rolo-dates.7"];

/// Roff as a reader sees it, near enough to search: no font changes or escapes.
fn plain(roff: &str) -> String {
    roff.replace("\\-", "-")
        .replace("\\fB", "")
        .replace("\\fI", "")
        .replace("\\fR", "")
        .replace("\\fP", "")
        .replace("\\(aq", "'")
        .replace("\\*(Aq", "'")
        .replace("\\(lq", "\"")
        .replace("\\(rq", "\"")
        .replace("\\(dq", "\"")
        .replace("\\&", "")
        .replace("\\e", "\\")
}

/// Writes every page into a new directory (two levels that do not exist yet).
fn write_pages() -> (tempfile::TempDir, PathBuf, Value) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("share").join("man");
    let out = stdout(&["man", "--dir", dir.to_str().unwrap(), "--json"]);
    let listed: Value = serde_json::from_str(&out).unwrap();
    (tmp, dir, listed)
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn man_dir_writes_a_page_for_every_command_at_every_depth() {
    let commands = command_pages();
    let names: Vec<&str> = commands.iter().map(|(n, _)| n.as_str()).collect();
    // The walk itself must see the tree: top-level commands and nested ones.
    for must in [
        "rolo.1",
        "rolo-log.1",
        "rolo-import-vcard.1",
        "rolo-trash-restore.1",
    ] {
        assert!(names.contains(&must), "{must} not in {names:?}");
    }
    let (_tmp, dir, listed) = write_pages();
    let expected: BTreeSet<String> = names
        .iter()
        .map(|n| (*n).to_owned())
        .chain(TOPIC_PAGES.iter().map(|p| (*p).to_owned()))
        .collect();
    assert_eq!(files_in(&dir), expected, "one page per command, no others");
    let printed: BTreeSet<String> = listed["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            Path::new(p.as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(printed, expected, "it prints what it wrote");

    // Each command's page is that command's: its title, and its one-line help as its name.
    for (file, cmd) in &commands {
        let page = plain(&std::fs::read_to_string(dir.join(file)).unwrap());
        let stem = file.trim_end_matches(".1");
        assert!(
            page.contains(&format!(".TH {} 1 ", stem.to_uppercase())),
            "{file}: {page}"
        );
        if stem != "rolo" {
            let about = cmd.get_about().unwrap().to_string();
            assert!(
                page.contains(&format!("{stem} - {about}")),
                "{file} lacks its NAME line '{about}'"
            );
        }
        assert!(!page.contains("rolo-help"), "{file} points to a help page");
    }
}

#[test]
fn man_dir_prints_a_readable_list_and_refuses_a_path_it_cannot_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pages");
    let out = stdout(&["man", "--dir", dir.to_str().unwrap(), "--table"]);
    let count = command_pages().len() + TOPIC_PAGES.len();
    assert!(
        out.starts_with(&format!("Wrote {count} manual pages:\n")),
        "{out}"
    );
    assert!(out.contains(&format!("  {}\n", dir.join("rolo-capture.7").display())));

    let file = tmp.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let out = rolo()
        .args(["man", "--dir"])
        .arg(file.join("man"))
        .assert()
        .code(1)
        .stderr(contains("cannot write the manual pages to"))
        .get_output()
        .clone();
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    assert!(out.stdout.is_empty());
}

/// `rolo-add(1)` in running text, and `.BR rolo\-dates (7),` in SEE ALSO: (name, section).
fn references(roff: &str) -> Vec<(String, String)> {
    let text = plain(roff);
    let mut refs = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(".BR ") {
            let mut words = rest.split_whitespace();
            if let (Some(name), Some(section)) = (words.next(), words.next())
                && let Some(section) = section
                    .trim_end_matches(',')
                    .strip_prefix('(')
                    .and_then(|s| s.strip_suffix(')'))
            {
                refs.push((name.to_owned(), section.to_owned()));
            }
            continue;
        }
        let bytes = line.as_bytes();
        for (at, _) in line.match_indices('(') {
            let closes = bytes.get(at + 2) == Some(&b')');
            let section = bytes.get(at + 1).copied().filter(u8::is_ascii_digit);
            let name_start = line[..at]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .map_or(0, |i| i + 1);
            if let (true, Some(section), false) = (closes, section, name_start == at) {
                refs.push((
                    line[name_start..at].to_owned(),
                    char::from(section).to_string(),
                ));
            }
        }
    }
    refs
}

#[test]
fn every_page_a_page_points_to_was_written() {
    let (_tmp, dir, _) = write_pages();
    let written = files_in(&dir);
    let mut total = 0;
    for file in &written {
        let roff = std::fs::read_to_string(dir.join(file)).unwrap();
        let refs = references(&roff);
        for (name, section) in &refs {
            assert!(
                written.contains(&format!("{name}.{section}")),
                "{file} points to {name}({section}), which was not written"
            );
        }
        total += refs.len();
        if file != "rolo.1" {
            assert!(
                refs.contains(&("rolo".to_owned(), "1".to_owned())),
                "{file} does not point back to rolo(1)"
            );
        }
    }
    // rolo(1) lists every command and every topic page; the scan must have found them.
    let root = references(&std::fs::read_to_string(dir.join("rolo.1")).unwrap());
    for file in &written {
        let (name, section) = file.rsplit_once('.').unwrap();
        let top_level = name.matches('-').count() == 1;
        if top_level {
            assert!(
                root.contains(&(name.to_owned(), section.to_owned())),
                "rolo(1) does not mention {file}"
            );
        }
    }
    assert!(total > written.len(), "only {total} references found");
}

/// How to render a page and hear the formatter's warnings, if a formatter is installed.
fn formatter() -> Option<Vec<&'static str>> {
    let has = |tool: &str| Process::new(tool).arg("--version").output().is_ok();
    if has("man") {
        return Some(vec!["man", "--warnings=w", "-l"]);
    }
    if has("groff") {
        return Some(vec!["groff", "-man", "-Tutf8", "-ww"]);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "neither man nor groff is installed, and CI must render the manual (.ci/run installs man-db)"
    );
    eprintln!("SKIPPED: neither man nor groff is installed (apt-get install man-db)");
    None
}

#[test]
fn every_page_renders_without_warnings() {
    let Some(formatter) = formatter() else {
        return;
    };
    let (_tmp, dir, _) = write_pages();
    for file in files_in(&dir) {
        let out = Process::new(formatter[0])
            .args(&formatter[1..])
            .arg(dir.join(&file))
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{file}: {stderr}");
        assert!(
            stderr.trim().is_empty(),
            "{file} renders with warnings:\n{stderr}"
        );
        // Rendered, not echoed: headings set, no roff left in the text.
        assert!(
            text.contains("NAME") && text.contains("SEE ALSO"),
            "{file}:\n{text}"
        );
        assert!(
            !text.contains("\\f") && !text.contains("\\[u"),
            "{file}:\n{text}"
        );
    }
}

#[test]
fn rolo_man_prints_one_page_however_it_is_named() {
    let root = stdout(&["man"]);
    assert!(root.contains(".TH ROLO 1 "), "{root}");
    for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"] {
        assert!(root.contains(section), "rolo(1) lacks {section}");
    }
    let vcard = stdout(&["man", "import", "vcard"]);
    assert!(vcard.contains(".TH ROLO-IMPORT-VCARD 1 "), "{vcard}");
    assert_eq!(stdout(&["man", "import-vcard"]), vcard);
    assert_eq!(stdout(&["man", "rolo-import-vcard.1"]), vcard);
    assert_eq!(stdout(&["man", "rolo"]), root);
    assert!(stdout(&["man", "dates"]).contains(".TH ROLO-DATES 7 "));

    let out = rolo()
        .args(["man", "import", "nosuch"])
        .assert()
        .code(2)
        .stderr(contains("no manual page for 'import nosuch'"))
        .stderr(contains("capture"))
        .get_output()
        .clone();
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn rolo_man_capture_documents_the_syntax() {
    let page = plain(&stdout(&["man", "capture"]));
    assert!(page.contains(".TH ROLO-CAPTURE 7 "), "{page}");
    for syntax in [
        "@name",
        "@\"full name\"",
        "@c12",
        "#tag",
        "kind:name",
        "^when",
        "!date [text]",
        "rolo log -",
        "rolo log --edit",
        "+ new contact",
        "rolo remind",
    ] {
        assert!(page.contains(syntax), "rolo-capture(7) lacks {syntax}");
    }
    // The table of first words is the parser's: each word listed means that kind, and
    // every kind is listed.
    let mut kinds_listed = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line.strip_prefix(".B ") else {
            continue;
        };
        let kind = Kind::parse(name);
        if !Kind::KNOWN.contains(&kind) || kind.as_str() != name {
            continue;
        }
        let words = lines.next().unwrap();
        for word in words.split(", ") {
            assert_eq!(
                Kind::from_leading_word(word),
                Some(kind.clone()),
                "rolo-capture(7) says '{word}' starts a {name}"
            );
        }
        kinds_listed.push(kind);
    }
    assert_eq!(kinds_listed, Kind::KNOWN, "every kind, in order");
}

#[test]
fn rolo_man_dates_documents_every_accepted_form() {
    let page = plain(&stdout(&["man", "dates"]));
    for form in rolo::domain::when::ACCEPTED_DATES.split(", ") {
        assert!(page.contains(form), "rolo-dates(7) lacks '{form}'");
    }
    for rule in [
        "Mar 31, Apr 30, May 31",
        "--every",
        "--no-repeat",
        "03/04/2026",
    ] {
        assert!(page.contains(rule), "rolo-dates(7) lacks '{rule}'");
    }
}
