//! What the import/export tests share: a journal in a temporary directory driven through the
//! real binary, and the independent readers (Python in a venv, node with ical.js) that
//! `.ci/run` installs (`bash .ci/readers`). A test that cannot find a reader fails under CI
//! (`CI=true`) and says it skipped anywhere else.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses part of this

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

pub struct Journal {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Journal {
    pub fn new() -> Journal {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        Journal { dir, path }
    }

    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        self.bytes(name, text.as_bytes())
    }

    pub fn bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("rolo").unwrap();
        cmd.env("ROLO_DB", &self.path).args(args);
        cmd
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd(args).arg("--json").assert().success();
        let stdout = out.get_output().stdout.clone();
        serde_json::from_slice(&stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&stdout)))
    }

    pub fn text(&self, args: &[&str]) -> String {
        let out = self.cmd(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    pub fn import(&self, format: &str, path: &Path, extra: &[&str]) -> Value {
        let mut args = vec!["import", format, path.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.json(&args)
    }

    /// The journal file's bytes, to check that something changed nothing.
    pub fn snapshot(&self) -> Vec<u8> {
        fs::read(&self.path).unwrap_or_default()
    }
}

pub fn count(report: &Value, key: &str) -> usize {
    report[key].as_array().map_or(0, Vec::len)
}

/// `None` after saying why, when a tool is missing outside CI; a failure under CI.
fn missing(what: &str) -> Option<PathBuf> {
    let message = format!("{what} not found: run `eval \"$(bash .ci/readers)\"` first");
    assert!(
        std::env::var("CI").map_or(true, |v| v != "true"),
        "{message} (.ci/run installs it; under CI a missing reader is a failure)"
    );
    eprintln!("SKIPPED: {message}");
    None
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python of the readers' venv.
pub fn python() -> Option<PathBuf> {
    let path = std::env::var_os("ROLO_READERS_PYTHON").map_or_else(
        || manifest_dir().join("target/ci-venv/bin/python"),
        PathBuf::from,
    );
    if path.exists() {
        Some(path)
    } else {
        missing("the readers' Python venv (ROLO_READERS_PYTHON)")
    }
}

/// khard, from the same venv.
pub fn khard() -> Option<PathBuf> {
    let path = std::env::var_os("ROLO_READERS_KHARD").map_or_else(
        || manifest_dir().join("target/ci-venv/bin/khard"),
        PathBuf::from,
    );
    if path.exists() {
        Some(path)
    } else {
        missing("khard (ROLO_READERS_KHARD)")
    }
}

/// `node`, when ical.js is installed where the reader scripts find it.
pub fn node() -> Option<PathBuf> {
    let modules = std::env::var_os("ROLO_READERS_NODE_MODULES").map_or_else(
        || manifest_dir().join("tests/readers/node_modules"),
        PathBuf::from,
    );
    if !modules.join("ical.js").exists() {
        return missing("ical.js (ROLO_READERS_NODE_MODULES)");
    }
    let node = PathBuf::from("node");
    match Process::new(&node).arg("--version").output() {
        Ok(out) if out.status.success() => Some(node),
        _ => missing("node"),
    }
}

/// A reader script from tests/readers, run on `args`; its stdout as JSON.
pub fn run_reader(program: &Path, script: &str, args: &[&Path]) -> Value {
    let out = Process::new(program)
        .arg(manifest_dir().join("tests/readers").join(script))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{script}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}
