//! Bad input gets a clear message and changes nothing it should not: the corpus in
//! `tests/hostile/` (data files, and `cases.toml`, one table of expectations: the command,
//! its input, the exit code, a fragment of the message) run against the real binary. Every
//! case: the exit code exactly as listed (0, 1 or 2 — never a panic's 101), no panic or
//! backtrace, no raw control character in anything printed, and a refused command leaves
//! the journal byte-for-byte as it was. What is accepted (an emoji name, an escape sequence
//! that is cleaned away) round-trips through `show`, `list` and the exports, and `rolo check`
//! stays clean. Big inputs (a 50 MB line, 10,000 CSV columns, deep JSON, a 10 MB note) are
//! made at test time.
//!
//! Then the parsers under proptest: the capture line, date phrases, vCard, CSV (every
//! layout), the content lines of iCalendar and vCard, and encoding detection never panic on
//! generated input — `PROPTEST_CASES` cases each (256 in CI; `tests/long.sh` runs 10,000).

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde::Deserialize;

const ROLO: &str = env!("CARGO_BIN_EXE_rolo");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    args: Vec<String>,
    code: i32,
    stderr: Option<String>,
    stdout: Option<String>,
    file: Option<String>,
    r#gen: Option<String>,
    gen_arg: Option<String>,
    stdin: Option<String>,
    stdin_file: Option<String>,
    stdin_gen: Option<String>,
    journal: Option<String>,
    #[serde(default)]
    raw: bool,
    #[serde(default)]
    then: Vec<Vec<String>>,
    then_stdout: Option<String>,
    #[serde(default)]
    unchanged: bool,
}

#[derive(Debug, Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

/// Files and texts made at test time, once.
fn generated(name: &str) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static MADE: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let path = dir.path().join(name);
    let mut made = MADE.lock().unwrap();
    if made.iter().any(|m| m == name) {
        return path;
    }
    let card = |fields: &str| format!("BEGIN:VCARD\r\nVERSION:4.0\r\n{fields}END:VCARD\r\n");
    let bytes: Vec<u8> = match name {
        "line-50mb" => vec![b'A'; 50 << 20],
        "vcard-line-50mb" => {
            let mut v = b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:".to_vec();
            v.resize(v.len() + (50 << 20), b'x');
            v
        }
        "vcard-long-name" => card(&format!("FN:{}\r\n", "N".repeat(100_000))).into_bytes(),
        "vcard-10mb-note" => {
            card(&format!("FN:Long Note\r\nNOTE:{}\r\n", "n".repeat(10 << 20))).into_bytes()
        }
        "vcard-photo" => card(&format!(
            "FN:Photo Person\r\nPHOTO;ENCODING=b;TYPE=JPEG:{}\r\n",
            "QUJD".repeat(20_000)
        ))
        .into_bytes(),
        "vcard-3000-cards" | "vcard-3000-cards-last-broken" => {
            let mut text: String = (0..3000)
                .map(|i| card(&format!("FN:Many Person {i}\r\nEMAIL:many{i}@example.org\r\n")))
                .collect();
            if name.ends_with("broken") {
                text.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL\r\n");
            }
            text.into_bytes()
        }
        "random-1mb" => {
            let mut rng = fastrand::Rng::with_seed(13);
            (0..1 << 20).map(|_| rng.u8(..)).collect()
        }
        "csv-10000-columns" | "csv-10000-columns-named" => {
            let mut header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
            if name.ends_with("named") {
                header[0] = "Full name".into();
                header[1] = "Mail".into();
            }
            let mut text = header.join(",") + "\r\n";
            for r in 0..3 {
                let row: Vec<String> = (0..10_000)
                    .map(|i| match i {
                        0 => format!("Column Person {r}"),
                        1 => format!("col{r}@example.org"),
                        _ => format!("v{i}"),
                    })
                    .collect();
                text += &(row.join(",") + "\r\n");
            }
            text.into_bytes()
        }
        "csv-100000-commas" => {
            format!("Name,E-mail 1 - Value\r\nAda,{}\r\n", ",".repeat(100_000)).into_bytes()
        }
        "csv-1mb-cell" => {
            format!("Name,E-mail 1 - Value\r\nAda {},a@example.org\r\n", "a".repeat(1 << 20))
                .into_bytes()
        }
        "json-nested-arrays" => {
            let mut v = "[".repeat(100_000).into_bytes();
            v.extend("]".repeat(100_000).into_bytes());
            v
        }
        "json-nested-objects" => {
            let mut v = "{\"a\":".repeat(10_000).into_bytes();
            v.extend(b"1");
            v.extend("}".repeat(10_000).into_bytes());
            v
        }
        "json-wrong-types-deep" => format!(
            "{{\"format\":\"rolo-journal\",\"version\":2,\"contacts\":[{{\"uid\":\"u\",\"display_name\":\"A\",\"fields\":{}1{}}}]}}",
            "[".repeat(5000),
            "]".repeat(5000)
        )
        .into_bytes(),
        "note-10mb" => format!("call with @ada\n{}", "x".repeat(10 << 20)).into_bytes(),
        "note-1mb-plus" => format!("call with @ada\n{}", "x".repeat((1 << 20) + 1)).into_bytes(),
        "note-300k" => format!("call with @ada\n{}", "x".repeat(300 << 10)).into_bytes(),
        "note-under-1mb" => format!("call with @ada\n{}", "x".repeat((1 << 20) - 4096)).into_bytes(),
        other => panic!("no generator {other}"),
    };
    fs::write(&path, bytes).unwrap();
    made.push(name.to_owned());
    path
}

fn gen_arg(name: &str) -> String {
    match name {
        "100k" => "x".repeat(100_000),
        "name-100k" => "N".repeat(100_000),
        other => panic!("no generated argument {other}"),
    }
}

/// `\xHH` as the byte HH: arguments that are not UTF-8.
fn raw_arg(text: &str) -> OsString {
    let mut bytes = Vec::new();
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        if rest.len() >= 4 && rest.starts_with(b"\\x") {
            let hex = std::str::from_utf8(&rest[2..4]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            rest = &rest[4..];
        } else {
            bytes.push(rest[0]);
            rest = &rest[1..];
        }
    }
    OsString::from_vec(bytes)
}

/// A journal with Ada Lovelace (c1), Grace Hopper (c2), a call with Ada (i1) and a reminder
/// (r1), made once and copied for every case.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("journal.db");
        for args in [
            &[
                "add",
                "Ada Lovelace",
                "--email",
                "ada@example.org",
                "--every",
                "30d",
            ][..],
            &["add", "Grace Hopper", "--birthday", "1906-12-09"],
            &["log", "call with @ada about the engine"],
            &["remind", "@ada send the deck", "--on", "tomorrow"],
        ] {
            let out = Command::new(ROLO)
                .arg("--db")
                .arg(&db)
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        (dir, db)
    });
    path
}

/// Mounts a tmpfs at `dir` (root only); false where that is not allowed.
fn tmpfs(dir: &Path, size: &str) -> bool {
    fs::create_dir_all(dir).unwrap();
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn umount(dir: &Path) {
    let _ = Command::new("umount").arg("-l").arg(dir).status();
}

/// Where the case's journal is, set up as the case says; `None`: this machine cannot (a
/// mount needs root), said once.
fn journal(kind: &str, dir: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    let seeded = |at: &Path| {
        fs::copy(template(), at).unwrap();
        at.to_path_buf()
    };
    Some(match kind {
        "seeded" => (seeded(&dir.join("journal.db")), None),
        "directory" => {
            let db = dir.join("journal.db");
            fs::create_dir(&db).unwrap();
            (db, None)
        }
        "text" => {
            let db = dir.join("journal.db");
            fs::write(&db, "Dear diary, this is not a database at all.\n").unwrap();
            (db, None)
        }
        "missing-dir" => (dir.join("no/such/dir/journal.db"), None),
        "newer" => {
            let db = seeded(&dir.join("journal.db"));
            let conn = rusqlite::Connection::open(&db).unwrap();
            let v: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            conn.pragma_update(None, "user_version", v + 1).unwrap();
            (db, None)
        }
        "damaged" => {
            let db = seeded(&dir.join("journal.db"));
            let conn = rusqlite::Connection::open(&db).unwrap();
            let page: i64 = conn
                .pragma_query_value(None, "page_size", |r| r.get(0))
                .unwrap();
            let root: i64 = conn
                .query_row(
                    "SELECT rootpage FROM sqlite_schema WHERE name = 'interactions'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            drop(conn);
            let mut bytes = fs::read(&db).unwrap();
            bytes[((root - 1) * page) as usize] = 0xA5;
            fs::write(&db, bytes).unwrap();
            (db, None)
        }
        "read-only" | "full" => {
            let mount = dir.join("mnt");
            if !tmpfs(&mount, if kind == "full" { "1m" } else { "4m" }) {
                return None;
            }
            let db = seeded(&mount.join("journal.db"));
            if kind == "read-only" {
                let ok = Command::new("mount")
                    .args(["-o", "remount,ro"])
                    .arg(&mount)
                    .status()
                    .unwrap()
                    .success();
                assert!(ok, "remount read-only");
            } else {
                // Full, but for room to open the journal (its WAL index and header).
                fs::write(mount.join("reserve"), vec![0u8; 96 << 10]).unwrap();
                let _ = Command::new("dd")
                    .args(["if=/dev/zero", "bs=4k"])
                    .arg(format!("of={}", mount.join("filler").display()))
                    .stderr(Stdio::null())
                    .status();
                fs::remove_file(mount.join("reserve")).unwrap();
            }
            (db, Some(mount))
        }
        other => panic!("no journal kind {other}"),
    })
}

/// A control character that would act on a terminal (newline, tab and carriage return are
/// text).
fn raw_control(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(db: &Path, scratch: &Path, args: &[OsString], stdin: Option<&[u8]>) -> Outcome {
    let out_path = scratch.join(".stdout");
    let err_path = scratch.join(".stderr");
    let mut cmd = Command::new(ROLO);
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .current_dir(CORPUS)
        .env("ROLO_CONFIG", "/nonexistent")
        .env("HOME", scratch)
        .env("TMPDIR", scratch)
        .env("EDITOR", "false")
        .env_remove("VISUAL")
        .env_remove("ROLO_DB")
        .env_remove("RUST_BACKTRACE")
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
    let mut child = cmd.spawn().unwrap();
    if let Some(bytes) = stdin {
        use std::io::Write as _;
        let mut pipe = child.stdin.take().unwrap();
        // rolo may refuse before reading it all: a broken pipe is its answer, not ours.
        let _ = pipe.write_all(bytes);
    }
    let deadline = Instant::now() + Duration::from_mins(2);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?} hung for two minutes");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Outcome {
        code: status.code(),
        stdout: String::from_utf8_lossy(&fs::read(&out_path).unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&fs::read(&err_path).unwrap()).into_owned(),
    }
}

/// A case's result (what went wrong; `None`: skipped) and how long it took.
type Checked = (Option<Vec<String>>, Duration);

/// Runs one case; returns what went wrong (empty: it held), or `None` when skipped.
#[allow(clippy::too_many_lines)] // one case, checked in full
fn check_case(case: &Case) -> Option<Vec<String>> {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let (db, mount) = journal(case.journal.as_deref().unwrap_or("seeded"), dir)?;
    let file = match (&case.file, &case.r#gen) {
        (Some(f), _) => Some(Path::new(CORPUS).join(f)),
        (None, Some(g)) => Some(generated(g)),
        (None, None) => None,
    };
    let expand = |arg: &str| -> String {
        let mut a = arg.replace("{dir}", dir.to_str().unwrap());
        a = a.replace("{db}", db.to_str().unwrap());
        if let Some(file) = &file {
            a = a.replace("{file}", file.to_str().unwrap());
        }
        if let Some(g) = &case.gen_arg {
            a = a.replace("{gen}", &gen_arg(g));
        }
        a
    };
    let args: Vec<OsString> = case
        .args
        .iter()
        .map(|a| {
            let a = expand(a);
            if case.raw {
                raw_arg(&a)
            } else {
                OsString::from(a)
            }
        })
        .collect();
    let stdin: Option<Vec<u8>> = match (&case.stdin, &case.stdin_file, &case.stdin_gen) {
        (Some(text), _, _) => Some(text.clone().into_bytes()),
        (_, Some(f), _) => Some(fs::read(Path::new(CORPUS).join(f)).unwrap()),
        (_, _, Some(g)) => Some(fs::read(generated(g)).unwrap()),
        _ => Some(Vec::new()),
    };
    let before = fs::read(&db).ok();
    let out = run(&db, dir, &args, stdin.as_deref());
    let mut wrong = Vec::new();
    let shown = |s: &str| s.chars().take(300).collect::<String>();
    if out.code != Some(case.code) {
        wrong.push(format!(
            "exit {:?}, expected {}; stderr: {}",
            out.code,
            case.code,
            shown(&out.stderr)
        ));
    }
    for text in [&out.stdout, &out.stderr] {
        for bad in [
            "panicked",
            "RUST_BACKTRACE",
            "stack backtrace",
            "internal error",
        ] {
            if text.contains(bad) {
                wrong.push(format!("{bad:?} reached the user: {}", shown(text)));
            }
        }
        if let Some(c) = raw_control(text) {
            wrong.push(format!(
                "a raw {c:?} was printed: {}",
                shown(text).escape_debug()
            ));
        }
    }
    if case.code == 1
        && (!out.stderr.starts_with("rolo: ") || out.stderr.trim_end().lines().count() != 1)
    {
        wrong.push(format!("not one clear line: {}", shown(&out.stderr)));
    }
    if let Some(want) = &case.stderr
        && !out.stderr.contains(want.as_str())
    {
        wrong.push(format!("stderr lacks {want:?}: {}", shown(&out.stderr)));
    }
    if let Some(want) = &case.stdout
        && !out.stdout.contains(want.as_str())
    {
        wrong.push(format!("stdout lacks {want:?}: {}", shown(&out.stdout)));
    }
    if (case.code != 0 || case.unchanged) && before.is_some() && fs::read(&db).ok() != before {
        wrong.push("the journal changed".to_owned());
    }
    if case.code == 0 && out.code == Some(0) {
        let mut printed = String::new();
        for then in &case.then {
            let args: Vec<OsString> = then.iter().map(|a| OsString::from(expand(a))).collect();
            let next = run(&db, dir, &args, None);
            if next.code != Some(0) {
                wrong.push(format!(
                    "then {then:?}: exit {:?}: {}",
                    next.code,
                    shown(&next.stderr)
                ));
            }
            if let Some(c) = raw_control(&next.stdout) {
                wrong.push(format!("then {then:?} printed a raw {c:?}"));
            }
            printed.push_str(&next.stdout);
        }
        if let Some(want) = &case.then_stdout
            && !printed.contains(want.as_str())
        {
            wrong.push(format!("then printed no {want:?}"));
        }
        if case.journal.is_none() && !case.unchanged {
            let check = run(&db, dir, &[OsString::from("check")], None);
            if check.code != Some(0) {
                wrong.push(format!("rolo check after it: {}", shown(&check.stdout)));
            }
        }
    }
    if let Some(mount) = mount {
        umount(&mount);
    }
    Some(wrong)
}

#[test]
fn the_hostile_corpus() {
    let text = fs::read_to_string(Path::new(CORPUS).join("cases.toml")).unwrap();
    let corpus: Corpus = toml::from_str(&text).unwrap();
    let cases = &corpus.case;
    assert!(cases.len() >= 200, "{} cases", cases.len());
    let mut names = std::collections::BTreeSet::new();
    for case in cases {
        assert!(names.insert(&case.name), "two cases named {}", case.name);
        assert!(
            matches!(case.code, 0..=2),
            "{}: exit codes are 0, 1, 2",
            case.name
        );
    }
    // `ROLO_HOSTILE=part of a name` runs the cases that match.
    let only = std::env::var("ROLO_HOSTILE").unwrap_or_default();
    let todo: Vec<&Case> = cases.iter().filter(|c| c.name.contains(&only)).collect();
    let started = Instant::now();
    let next = Mutex::new(0usize);
    let results: Mutex<BTreeMap<usize, Checked>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some(case) = todo.get(i) else { break };
                    let start = Instant::now();
                    let result = check_case(case);
                    results.lock().unwrap().insert(i, (result, start.elapsed()));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    let mut report = String::new();
    let (mut failed, mut skipped, mut refused) = (0, 0, 0);
    let mut slowest: Vec<(Duration, &str)> = results
        .iter()
        .map(|(i, (_, took))| (*took, todo[*i].name.as_str()))
        .collect();
    slowest.sort();
    for (took, name) in slowest.iter().rev().take(8) {
        eprintln!("  slowest: {took:.1?} {name}");
    }
    for (i, (result, _)) in &results {
        let case = todo[*i];
        match result {
            None => skipped += 1,
            Some(wrong) if wrong.is_empty() => {
                if case.code != 0 {
                    refused += 1;
                }
            }
            Some(wrong) => {
                failed += 1;
                let _ = writeln!(report, "✗ {}\n    {}", case.name, wrong.join("\n    "));
            }
        }
    }
    if skipped > 0 {
        eprintln!(
            "SKIPPED: {skipped} cases need a tmpfs mount (root); the read-only and full-disk cases did not run"
        );
    }
    eprintln!(
        "hostile: {} cases in {:.1?}: {} refused with a clear message and the journal unchanged, {} accepted \
         and round-tripped, {skipped} skipped, {failed} failed",
        results.len(),
        started.elapsed(),
        refused,
        results.len() - refused - skipped - failed,
    );
    assert!(failed == 0, "{failed} hostile cases failed:\n{report}");
}

// --- the parsers under proptest -------------------------------------------------------------

/// `PROPTEST_CASES` (default 256), failures kept in proptest-regressions/hostile.txt.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/hostile.txt"
        )))),
        ..ProptestConfig::default()
    }
}

/// Text with the characters that break parsers: quotes, separators, controls, wide and
/// combining characters, right-to-left marks, surrogate-free astral characters.
fn nasty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[a-zA-Z0-9 ]{1,8}",
            1 => Just("\"".to_owned()),
            1 => Just(",".to_owned()),
            1 => Just(";".to_owned()),
            1 => Just(":".to_owned()),
            1 => Just("\\".to_owned()),
            1 => Just("\r\n".to_owned()),
            1 => Just("\n ".to_owned()),
            1 => Just("=".to_owned()),
            1 => Just("\u{1b}[2J".to_owned()),
            1 => Just("\u{0}".to_owned()),
            1 => Just("\u{301}".to_owned()),
            1 => Just("\u{202e}".to_owned()),
            1 => Just("👩‍💻".to_owned()),
            1 => Just("\u{feff}".to_owned()),
            1 => "\\PC{1,4}",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn capture_line() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        3 => "[a-z]{1,8}",
        1 => "@[a-z]{0,6}",
        1 => "@\"[A-Za-z ]{0,10}\"?",
        1 => "#[a-z0-9-]{0,6}#?",
        1 => "![0-9]{0,20}[dwmy]?",
        1 => Just("!fri".to_owned()),
        1 => Just("!2026-02-30".to_owned()),
        1 => "\\^[a-z]{0,9}",
        1 => "\\^\"[a-z0-9: ]{0,12}\"?",
        1 => Just("kind:".to_owned()),
        1 => "kind:[a-z]{0,6}",
        1 => Just("lunch".to_owned()),
        1 => nasty(),
    ];
    prop::collection::vec(token, 0..10).prop_map(|t| t.join(" "))
}

fn date_phrase() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("in".to_owned()),
        Just("ago".to_owned()),
        Just("next".to_owned()),
        Just("last".to_owned()),
        Just("days".to_owned()),
        Just("fri".to_owned()),
        Just("dec".to_owned()),
        Just("feb".to_owned()),
        Just("eow".to_owned()),
        Just("today".to_owned()),
        "[0-9]{1,25}",
        "-?[0-9]{1,6}[dwmy]",
        "[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}",
        "--[0-9]{1,3}-[0-9]{1,3}",
        "[0-9]{1,3}:[0-9]{1,3}",
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{1,4}",
        nasty(),
    ];
    prop::collection::vec(word, 0..5).prop_map(|w| w.join(" "))
}

fn vcard_text() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("FN"),
        Just("N"),
        Just("EMAIL"),
        Just("TEL"),
        Just("BDAY"),
        Just("ANNIVERSARY"),
        Just("ADR"),
        Just("ORG"),
        Just("TITLE"),
        Just("NOTE"),
        Just("URL"),
        Just("UID"),
        Just("CATEGORIES"),
        Just("X-ABLABEL"),
        Just("item1.EMAIL"),
        Just("REV"),
        Just("PHOTO"),
        Just("VERSION"),
        Just("NICKNAME"),
        Just("IMPP"),
        Just("X-SOCIALPROFILE"),
    ];
    let param = prop_oneof![
        Just(";TYPE=work".to_owned()),
        Just(";ENCODING=QUOTED-PRINTABLE".to_owned()),
        Just(";ENCODING=b".to_owned()),
        Just(";CHARSET=ISO-8859-1".to_owned()),
        Just(";VALUE=date".to_owned()),
        Just(";PREF=1".to_owned()),
        Just(";TYPE=\"a,b".to_owned()),
        ";[A-Z-]{1,6}=[a-z0-9\",]{0,6}",
    ];
    let value = prop_oneof![
        nasty(),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        "--[0-9]{2}-?[0-9]{2}",
        "[A-Za-z0-9+/=]{0,40}",
        "(=[0-9A-F]{2}){0,8}=?",
        Just("a;b;c;d;e;f;g;h".to_owned()),
    ];
    let line = prop_oneof![
        1 => Just("BEGIN:VCARD".to_owned()),
        1 => Just("END:VCARD".to_owned()),
        1 => prop_oneof![Just("VERSION:2.1"), Just("VERSION:3.0"), Just("VERSION:4.0"), Just("VERSION:x")]
            .prop_map(str::to_owned),
        6 => (name, prop::collection::vec(param, 0..3), value)
            .prop_map(|(n, p, v)| format!("{n}{}:{v}", p.concat())),
        1 => nasty(),
    ];
    let eol = prop_oneof![Just("\r\n"), Just("\n"), Just("\r"), Just("\r\n ")];
    prop::collection::vec((line, eol), 0..16).prop_map(|lines| {
        let body: String = lines.into_iter().map(|(l, e)| l + e).collect();
        format!("BEGIN:VCARD\r\nVERSION:4.0\r\n{body}")
    })
}

fn csv_text() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just("First Name,Last Name,URL,Email Address,Company,Position,Connected On"),
        Just(
            "Name,Given Name,Family Name,Birthday,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Value"
        ),
        Just("First Name,Middle Name,Last Name,E-mail Address,Mobile Phone,Birthday,Company"),
        Just("First Name;Last Name;E-mail Address"),
        Just("Full name,Mail"),
        Just("a,b,c"),
    ];
    let cell = prop_oneof![
        4 => "[A-Za-z0-9 @.]{0,12}",
        1 => "\"[^\"]{0,10}\"",
        1 => "\"[a-z,;\r\n]{0,10}",
        1 => Just("12 Mar 2024".to_owned()),
        1 => Just("--02-30".to_owned()),
        1 => Just(" ::: ".to_owned()),
        1 => nasty(),
    ];
    let row = prop::collection::vec(cell, 0..9).prop_map(|c| c.join(","));
    (
        prop_oneof![Just(""), Just("\u{feff}"), Just("Notes:\r\n\"x\"\r\n\r\n")],
        header,
        prop::collection::vec(row, 0..6),
        prop_oneof![Just("\r\n"), Just("\n")],
    )
        .prop_map(|(pre, h, rows, eol)| format!("{pre}{h}{eol}{}", rows.join(eol)))
}

fn icalendar_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("BEGIN:VCALENDAR".to_owned()),
        Just("BEGIN:VTODO".to_owned()),
        Just("END:VTODO".to_owned()),
        Just("BEGIN:VALARM".to_owned()),
        "RRULE:FREQ=(DAILY|MONTHLY|YEARLY);(BYMONTHDAY=-?[0-9]{1,3}|BYSETPOS=[0-9]|INTERVAL=[0-9]{1,9})",
        "(DTSTART|DUE|RDATE)(;VALUE=DATE)?(;TZID=[A-Za-z/]{0,12})?:[0-9]{8}(T[0-9]{6}Z?)?",
        "SUMMARY(;LANGUAGE=[a-z]{2})?:[a-zA-Z ,;\\\\]{0,20}",
        "X-[A-Z]{1,5}(;[A-Z]{1,3}=\"[^\"]{0,5}\"?)?:.{0,10}",
        nasty(),
    ];
    let eol = prop_oneof![Just("\r\n"), Just("\n"), Just("\r\n "), Just("\r\n\t")];
    prop::collection::vec((line, eol), 0..20)
        .prop_map(|lines| lines.into_iter().map(|(l, e)| l + e).collect())
}

fn noon() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 18)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_capture_parser_never_panics(line in capture_line()) {
        let _ = rolo::domain::capture::parse(&line, noon());
        let _ = rolo::domain::capture::highlight(&line);
        for cursor in [0, line.len() / 2, line.len()] {
            if line.is_char_boundary(cursor) {
                let _ = rolo::domain::capture::name_at_cursor(&line, cursor);
            }
        }
    }

    #[test]
    fn date_phrases_never_panic(
        phrase in date_phrase(),
        days in -800_000i64..800_000,
        future in any::<bool>(),
    ) {
        use rolo::domain::when::{self, Direction, Every, PartialDate};
        let direction = if future { Direction::Future } else { Direction::Past };
        if let Some(today) = noon().date().checked_add_signed(chrono::Duration::days(days)) {
            let _ = when::parse_date(&phrase, today, direction);
            let _ = when::parse_moment(&phrase, today.and_hms_opt(9, 30, 0).unwrap(), direction);
        }
        if let Ok(date) = PartialDate::parse(&phrase) {
            let _ = date.next_on_or_after(noon().date());
            let _ = date.to_string();
        }
        if let Ok(every) = phrase.parse::<Every>() {
            let anchor = noon().date();
            let _ = every.nth(anchor, 3);
            let _ = every.first_after(anchor, anchor);
        }
    }

    #[test]
    fn vcard_reading_never_panics(text in vcard_text()) {
        let _ = rolo::interop::vcard::read_each(&text);
        let _ = rolo::interop::vcard::read(&text);
    }

    #[test]
    fn csv_reading_never_panics(text in csv_text()) {
        let _ = rolo::interop::csv::read_linkedin(&text);
        let _ = rolo::interop::csv::read_google(&text, None);
        let _ = rolo::interop::sheet::read(&text, None, None);
        let mapping = rolo::interop::sheet::Mapping::parse("Full name=name,Mail=email").unwrap();
        let _ = rolo::interop::sheet::read(&text, Some(&mapping), None);
    }

    #[test]
    fn content_lines_never_panic(text in icalendar_text()) {
        use rolo::interop::content_line;
        for (_, line) in content_line::unfold(&text) {
            if let Some(property) = content_line::parse(&line) {
                let _ = content_line::unescape(&property.value);
                let _ = content_line::components(&property.value, ';');
                let _ = property.types();
                let _ = property.label();
            }
        }
    }

    #[test]
    fn encoding_detection_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = rolo::interop::encoding::decode(&bytes);
        let mut with_bom = vec![0xff, 0xfe];
        with_bom.extend(&bytes);
        let _ = rolo::interop::encoding::decode(&with_bom);
    }
}
