//! The real `rolo` binary in a real terminal (tmux), driven by keystrokes the way a person
//! uses it: panes appear, j/k move, a quick note is saved and found by `rolo search`, help
//! opens, resizing keeps it alive, a `kill -9` mid-note loses nothing, `q` restores the
//! terminal and exits 0. Skips with a message where tmux is not installed.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const ROLO: &str = env!("CARGO_BIN_EXE_rolo");

static NEXT_SERVER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A private tmux server (its own socket), killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start() -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!(
                "SKIPPED: tmux is not installed (apt-get install tmux); the TUI end-to-end test did not run"
            );
            return None;
        }
        // One server per test: tests run in parallel and each kills its own server.
        let n = NEXT_SERVER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmux = Tmux {
            socket: format!("rolo-e2e-{}-{n}", std::process::id()),
        };
        // A server with no sessions exits; when a test kills rolo, its session ends with it.
        // This idle session keeps the server up for the next one.
        tmux.new_session("keeper", "sleep 600", (80, 24));
        Some(tmux)
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    fn new_session(&self, name: &str, command: &str, size: (u16, u16)) {
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let out = self.tmux(&["new-session", "-d", "-s", name, "-x", &w, "-y", &h, command]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn keys(&self, session: &str, keys: &[&str]) {
        for key in keys {
            self.tmux(&["send-keys", "-t", session, key]);
            // A lone Esc followed at once by a key reads as Alt-key: pace the keys.
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    fn type_text(&self, session: &str, text: &str) {
        self.tmux(&["send-keys", "-t", session, "-l", text]);
    }

    fn screen(&self, session: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", session]).stdout)
            .into_owned()
    }

    /// Waits until the screen shows `needle` (or fails showing the screen).
    fn wait_for(&self, session: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen(session);
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {needle:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_gone(&self, session: &str, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen(session);
            if !screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "{needle:?} did not go away; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn rolo(db: &Path, args: &[&str]) -> String {
    let out = Command::new(ROLO)
        .arg("--db")
        .arg(db)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "rolo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The shell command that runs the TUI on `db`, with no user config and no colour.
fn tui_command(db: &Path, after: &str) -> String {
    format!(
        "env ROLO_CONFIG=/nonexistent NO_COLOR=1 '{ROLO}' --db '{}'{after}",
        db.display()
    )
}

/// Kills (SIGKILL) every process running the rolo binary on `db`.
fn kill_9(db: &Path) {
    let out = Command::new("pgrep")
        .arg("-f")
        .arg(db.to_str().unwrap())
        .output()
        .unwrap();
    let rolo = std::fs::canonicalize(ROLO).unwrap();
    let mut killed = 0;
    for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
        if exe == rolo {
            Command::new("kill").arg("-9").arg(pid).status().unwrap();
            killed += 1;
        }
    }
    assert_eq!(
        killed,
        1,
        "exactly one rolo was running; pgrep said {:?} for {}",
        String::from_utf8_lossy(&out.stdout),
        db.display()
    );
}

fn seeded_journal(dir: &Path) -> PathBuf {
    let db = dir.join("journal.db");
    rolo(
        &db,
        &["add", "Ada Lovelace", "--every", "30d", "--tag", "mentor"],
    );
    rolo(&db, &["add", "Grace Hopper", "--every", "2m"]);
    rolo(&db, &["log", "call with @ada about the Analytical Engine"]);
    rolo(
        &db,
        &["log", "lunch with @grace about COBOL !2w send the standard"],
    );
    db
}

#[test]
fn a_session_in_a_real_terminal() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    let s = "main";
    tmux.new_session(
        s,
        &tui_command(&db, "; echo EXIT=$?; stty -a; sleep 60"),
        (120, 40),
    );

    let screen = tmux.wait_for(s, "Timeline Ada Lovelace");
    for needle in [
        "Contacts",
        "Reminders",
        "Ada Lovelace",
        "Grace Hopper",
        "call with Ada about the Analytical Engine",
    ] {
        assert!(screen.contains(needle), "{needle:?} missing:\n{screen}");
    }

    // j and k move through contacts; the timeline follows.
    tmux.keys(s, &["j"]);
    let screen = tmux.wait_for(s, "Timeline Grace Hopper");
    assert!(screen.contains("lunch with Grace about COBOL"), "{screen}");
    tmux.keys(s, &["k"]);
    tmux.wait_for(s, "Timeline Ada Lovelace");

    // n, a capture line, Enter: stored, and `rolo search` finds it.
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "Quick note");
    tmux.type_text(s, "coffee with @grace talked about quasiquotation #lisp");
    tmux.wait_for(s, "→ meal with Grace Hopper #lisp");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Logged: coffee with Grace talked about quasiquotation");
    let hits = rolo(&db, &["search", "quasiquotation"]);
    assert!(
        hits.contains("coffee with Grace talked about quasiquotation"),
        "{hits}"
    );

    // ? shows help from the keymap; Esc closes it.
    tmux.keys(s, &["?"]);
    let help = tmux.wait_for(s, "Keys · Esc closes");
    assert!(
        help.contains("quick note") && help.contains("weekly review"),
        "{help}"
    );
    tmux.keys(s, &["Escape"]);
    tmux.wait_gone(s, "Keys · Esc closes");

    // Squeezed to 40x12 it shows one pane and a tab bar; back at full size, all three.
    tmux.tmux(&["resize-window", "-t", s, "-x", "40", "-y", "12"]);
    tmux.wait_for(s, "Contacts │ Timeline │ Reminders");
    tmux.tmux(&["resize-window", "-t", s, "-x", "120", "-y", "40"]);
    tmux.wait_for(s, "Timeline Ada Lovelace");

    // q: exit code 0, the normal screen back, the terminal out of raw mode.
    tmux.keys(s, &["q"]);
    let after = tmux.wait_for(s, "EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(
        !after.contains("Timeline Ada Lovelace"),
        "the alternate screen was left:\n{after}"
    );
    assert!(
        after.contains(" icanon") && after.contains(" echo"),
        "raw mode was not turned off:\n{after}"
    );
}

#[test]
fn a_half_typed_note_survives_kill_9() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = seeded_journal(dir.path());
    tmux.new_session("first", &tui_command(&db, ""), (120, 40));
    tmux.wait_for("first", "Timeline Ada Lovelace");
    tmux.keys("first", &["n"]);
    tmux.wait_for("first", "Quick note");
    tmux.type_text(
        "first",
        "dinner with @ada she wants to talk about Bernoulli num",
    );
    tmux.wait_for("first", "Bernoulli num");
    // The draft is saved on the next tick (250 ms): give it a few.
    std::thread::sleep(Duration::from_millis(1200));
    kill_9(&db);

    tmux.new_session("second", &tui_command(&db, ""), (120, 40));
    let screen = tmux.wait_for("second", "Restored your unsaved note");
    assert!(
        screen.contains("dinner with @ada she wants to talk about Bernoulli num"),
        "{screen}"
    );
    // The cursor is where it was: typing goes on at the end.
    tmux.type_text("second", "bers");
    tmux.keys("second", &["Enter"]);
    tmux.wait_for(
        "second",
        "Logged: dinner with Ada she wants to talk about Bernoulli numbers",
    );
    tmux.keys("second", &["q"]);
    assert!(rolo(&db, &["search", "bernoulli"]).contains("Bernoulli numbers"));
}
