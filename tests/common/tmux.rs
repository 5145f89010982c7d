//! Driving the real binary in a real terminal: a private tmux server per test, keys sent
//! as a person types them, the screen read back.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const ROLO: &str = env!("CARGO_BIN_EXE_rolo");

static NEXT_SERVER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// A private tmux server (its own socket), killed when the test ends.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start() -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            // CI installs tmux: there, a missing one is a failure, not a skip.
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is not installed, and CI must run the end-to-end tests"
            );
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

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    pub fn new_session(&self, name: &str, command: &str, size: (u16, u16)) {
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let out = self.tmux(&["new-session", "-d", "-s", name, "-x", &w, "-y", &h, command]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn keys(&self, session: &str, keys: &[&str]) {
        for key in keys {
            self.tmux(&["send-keys", "-t", session, key]);
            // A lone Esc followed at once by a key reads as Alt-key: pace the keys.
            std::thread::sleep(Duration::from_millis(120));
        }
    }

    pub fn type_text(&self, session: &str, text: &str) {
        self.tmux(&["send-keys", "-t", session, "-l", text]);
    }

    /// The pane with wrapped lines joined (`capture-pane -J`): a long path or message
    /// that wraps at the pane's edge reads whole.
    pub fn joined(&self, session: &str) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-J", "-t", session])
                .stdout,
        )
        .into_owned()
    }

    pub fn screen(&self, session: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", session]).stdout)
            .into_owned()
    }

    /// Waits until the screen shows `needle` (or fails showing the screen).
    pub fn wait_for(&self, session: &str, needle: &str) -> String {
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

    pub fn wait_gone(&self, session: &str, needle: &str) -> String {
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

pub fn rolo(db: &Path, args: &[&str]) -> String {
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
pub fn tui_command(db: &Path, after: &str) -> String {
    format!(
        "env ROLO_CONFIG=/nonexistent NO_COLOR=1 '{ROLO}' --db '{}'{after}",
        db.display()
    )
}

/// Kills (SIGKILL) every process running the rolo binary on `db`.
pub fn kill_9(db: &Path) {
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

pub fn seeded_journal(dir: &Path) -> PathBuf {
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

impl Tmux {
    /// A tmux format of the session's pane: `#{alternate_on}`, `#{mouse_any_flag}` …
    pub fn pane_format(&self, session: &str, format: &str) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["display-message", "-p", "-t", session, format])
                .stdout,
        )
        .trim()
        .to_owned()
    }

    /// Pastes `text` the way a terminal does on Ctrl-Shift-V: bracketed when the program
    /// asked for it (`bracketed`), as plain keys otherwise.
    pub fn paste(&self, session: &str, text: &str, bracketed: bool) {
        self.tmux(&["set-buffer", "-b", "rolo-test", text]);
        let mut args = vec!["paste-buffer", "-b", "rolo-test", "-t", session];
        if bracketed {
            args.push("-p");
        }
        self.tmux(&args);
    }

    /// The process id running in the session's pane.
    pub fn pane_pid(&self, session: &str) -> u32 {
        self.pane_format(session, "#{pane_pid}").parse().unwrap()
    }
}

/// The pid of the rolo process running on `db` (exactly one).
pub fn rolo_pid(db: &Path) -> u32 {
    let out = Command::new("pgrep")
        .arg("-f")
        .arg(db.to_str().unwrap())
        .output()
        .unwrap();
    let rolo = std::fs::canonicalize(ROLO).unwrap();
    let pids: Vec<u32> = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default() == rolo)
        .map(|pid| pid.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 1, "one rolo on {}: {pids:?}", db.display());
    pids[0]
}

/// Sends `signal` (TERM, INT, …) to the rolo running on `db`.
pub fn signal(db: &Path, signal: &str) {
    let pid = rolo_pid(db).to_string();
    let status = Command::new("kill")
        .args(["-s", signal, &pid])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits until no rolo runs on `db`.
pub fn wait_exit(db: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let rolo = std::fs::canonicalize(ROLO).unwrap();
    loop {
        let out = Command::new("pgrep")
            .arg("-f")
            .arg(db.to_str().unwrap())
            .output()
            .unwrap();
        let running = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .any(|pid| std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default() == rolo);
        if !running {
            return;
        }
        assert!(Instant::now() < deadline, "rolo did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}
