//! A CardDAV/CalDAV server for the tests that sync: Radicale on 127.0.0.1, on a free port,
//! with storage of its own, found like tests/sync.rs finds it (`ROLO_SYNC_SERVERS`, set up
//! by .ci/run, else `PATH`). Missing, a test says it skipped — under `CI=true` it fails.

#![allow(dead_code, clippy::unwrap_used)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Radicale {
    child: Child,
    _dir: tempfile::TempDir,
    pub url: String,
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server's program: in `ROLO_SYNC_SERVERS` when set, else on `PATH`.
pub fn binary(name: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ROLO_SYNC_SERVERS") {
        let path = Path::new(&dir).join(name);
        return path.exists().then_some(path);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.exists())
    })
}

impl Radicale {
    pub fn start() -> Option<Radicale> {
        let Some(bin) = binary("radicale") else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "radicale not found: set ROLO_SYNC_SERVERS (see .ci/run)"
            );
            eprintln!(
                "SKIPPED: radicale not found (set ROLO_SYNC_SERVERS to a directory with it); the sync part did not run"
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(bin)
            .args(["--config", ""])
            .args(["--server-hosts", &format!("127.0.0.1:{port}")])
            .arg("--storage-filesystem-folder")
            .arg(dir.path().join("collections"))
            .args(["--auth-type", "none"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Radicale {
            child,
            _dir: dir,
            url: format!("http://127.0.0.1:{port}/"),
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "radicale did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }
}
