//! Killing the real binary at a random moment, and knowing what it was doing when it died:
//! the process is stopped first, its locks are read from `/proc/locks`, then it gets
//! SIGKILL. A process holding SQLite's WAL write lock (byte 120 of `journal.db-shm`) was
//! inside a write transaction — so a harness can count the kills that landed mid-write
//! instead of hoping some did.

#![allow(dead_code, clippy::unwrap_used)]

use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const ROLO: &str = env!("CARGO_BIN_EXE_rolo");

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It finished before the moment came.
    Finished(ExitStatus),
    /// It was killed; `mid_write` says whether it held the journal's write lock, `mid_file`
    /// whether it had a temporary file of an export open (`.NAME.rolo-PID.tmp`).
    Killed { mid_write: bool, mid_file: bool },
}

/// What a run left: how it ended, how long it ran, what it printed.
#[derive(Debug)]
pub struct Run {
    pub ending: Ending,
    pub elapsed: Duration,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn killed(&self) -> bool {
        matches!(self.ending, Ending::Killed { .. })
    }

    pub fn mid_write(&self) -> bool {
        matches!(
            self.ending,
            Ending::Killed {
                mid_write: true,
                ..
            }
        )
    }

    pub fn mid_file(&self) -> bool {
        matches!(self.ending, Ending::Killed { mid_file: true, .. })
    }

    /// Finished on its own with exit code 0.
    pub fn succeeded(&self) -> bool {
        matches!(self.ending, Ending::Finished(status) if status.success())
    }

    /// A panic or a backtrace reached the user, or an exit code other than 0, 1 or 2.
    pub fn assert_no_panic(&self, what: &str) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("internal error"),
            "{what}: {}",
            self.stderr
        );
        if let Ending::Finished(status) = self.ending {
            assert!(
                matches!(status.code(), Some(0..=2)),
                "{what}: exit {status}: {}",
                self.stderr
            );
        }
    }
}

/// A rolo command on `db` with output to files in `scratch` (a pipe could fill and stall it).
pub fn rolo(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(ROLO);
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .env("ROLO_CONFIG", "/nonexistent")
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd` and kills it with SIGKILL after `after` (unless it finished first). Output goes
/// through files in `scratch`.
pub fn run_and_kill(mut cmd: Command, db: &Path, scratch: &Path, after: Duration) -> Run {
    let out = scratch.join("stdout");
    let err = scratch.join("stderr");
    cmd.stdout(File::create(&out).unwrap())
        .stderr(File::create(&err).unwrap());
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let ending = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Ending::Finished(status);
        }
        if start.elapsed() >= after {
            break stop_and_kill(&mut child, db);
        }
        std::thread::sleep(Duration::from_micros(200).min(after.saturating_sub(start.elapsed())));
    };
    let elapsed = start.elapsed();
    Run {
        ending,
        elapsed,
        stdout: fs::read_to_string(&out).unwrap_or_default(),
        stderr: fs::read_to_string(&err).unwrap_or_default(),
    }
}

/// Runs `cmd` to its end.
pub fn run(cmd: Command, scratch: &Path) -> Run {
    run_and_kill(cmd, Path::new("/nonexistent"), scratch, Duration::MAX)
}

/// Stops `child` (SIGSTOP), notes whether it holds the write lock, and kills it (SIGKILL).
fn stop_and_kill(child: &mut Child, db: &Path) -> Ending {
    let pid = child.id();
    Command::new("kill")
        .args(["-STOP", &pid.to_string()])
        .status()
        .unwrap();
    // The stop is delivered asynchronously: wait until the process is stopped (or gone).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .next();
        if matches!(state, Some("T" | "t" | "Z" | "X") | None) || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    if let Some(status) = child.try_wait().unwrap() {
        return Ending::Finished(status);
    }
    let mid_write = holds_write_lock(pid, db);
    let mid_file = writes_export(pid);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    // A process that exited on its own between the stop and the kill is not a kill.
    if status.code().is_some() {
        return Ending::Finished(status);
    }
    Ending::Killed {
        mid_write,
        mid_file,
    }
}

/// Whether `pid` has an export's temporary file open: it was writing the file.
fn writes_export(pid: u32) -> bool {
    fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
        fds.filter_map(Result::ok).any(|fd| {
            fs::read_link(fd.path()).is_ok_and(|target| {
                let name = target.file_name().unwrap_or_default().to_string_lossy();
                name.starts_with('.') && name.contains(".rolo-") && name.ends_with(".tmp")
            })
        })
    })
}

pub fn shm(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-shm");
    PathBuf::from(name)
}

pub fn wal(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Whether `pid` holds SQLite's WAL write lock on `db`: a POSIX write lock on byte 120 of
/// the `-shm` file (`WALINDEX_LOCK_OFFSET + WAL_WRITE_LOCK` in SQLite's wal.c).
pub fn holds_write_lock(pid: u32, db: &Path) -> bool {
    let Ok(meta) = fs::metadata(shm(db)) else {
        return false;
    };
    let inode = meta.ino();
    let locks = fs::read_to_string("/proc/locks").unwrap_or_default();
    locks.lines().any(|line| {
        // "12: POSIX  ADVISORY  WRITE 4242 fd:01:393221 120 120"; waiters have "->" after the
        // number and hold nothing yet.
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 8 || f[1] == "->" {
            return false;
        }
        let ino = f[5].rsplit(':').next().and_then(|i| i.parse::<u64>().ok());
        let (Ok(start), end) = (f[6].parse::<u64>(), f[7]) else {
            return false;
        };
        let end = if end == "EOF" {
            u64::MAX
        } else {
            end.parse().unwrap_or(0)
        };
        f[3] == "WRITE"
            && f[4] == pid.to_string()
            && ino == Some(inode)
            && start <= 120
            && 120 <= end
    })
}

/// A random delay up to `max`.
pub fn somewhen(rng: &mut fastrand::Rng, max: Duration) -> Duration {
    let max = max.as_micros().max(1) as u64;
    Duration::from_micros(rng.u64(0..max))
}

/// The seed for this run: `ROLO_SEED` to replay one, else the clock. Printed either way.
pub fn seed(test: &str) -> u64 {
    let seed = std::env::var("ROLO_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("{test}: ROLO_SEED={seed} replays this run");
    seed
}
