//! What the CLI tests share: a journal in a temp directory and the real binary on it.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses some of these

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

/// The journal as it is on disk: the database file and its write-ahead log (while another
/// process has the journal open, a change may live in the WAL until it is folded in).
pub fn on_disk(path: &std::path::Path) -> (Vec<u8>, Vec<u8>) {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    (fs::read(path).unwrap(), fs::read(wal).unwrap_or_default())
}

pub struct Journal {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Journal {
    pub fn new() -> Journal {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.db");
        Journal { _dir: dir, path }
    }

    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("rolo").unwrap();
        cmd.env("ROLO_DB", &self.path).env_remove("RUST_BACKTRACE");
        cmd
    }

    /// Runs a command that must succeed and returns its JSON output.
    pub fn json(&self, args: &[&str]) -> Value {
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

    /// Runs a command that must fail with exit code 1 and a one-line error containing
    /// `message`, and leave the journal byte-for-byte unchanged.
    pub fn refuses(&self, args: &[&str], message: &str) {
        let before = on_disk(&self.path);
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
        assert!(stderr.starts_with("rolo: "), "{stderr}");
        assert!(out.stdout.is_empty(), "nothing on stdout for an error");
        assert!(
            on_disk(&self.path) == before,
            "{args:?} changed the journal"
        );
    }

    /// Runs a command that must be refused as a usage mistake (exit 2), journal untouched.
    pub fn usage(&self, args: &[&str], message: &str) {
        let before = on_disk(&self.path);
        self.cmd()
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(message));
        assert!(
            on_disk(&self.path) == before,
            "{args:?} changed the journal"
        );
    }

    /// Runs a command that must succeed and returns what it printed for a person.
    pub fn text(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .arg("--table")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }
}
pub mod dav;
pub mod kill;
pub mod tmux;
pub mod tui;
