//! Text being typed, kept as it is typed (PRODUCT.md §5: a crash loses at most the last
//! second of typing). Each TUI session keeps its own draft; one left by a session that is
//! gone (quit, closed, killed) is offered to the next — never one a live window still holds.

use anyhow::Result;

use crate::clock::Clock;
use crate::store::Store;
use crate::store::drafts::{self, Held};
pub use crate::store::drafts::{Draft, QUICK_NOTE};

/// How long a live session may go without a heartbeat before its draft is thought orphaned
/// (where a process cannot be looked up directly).
const HEARTBEAT_GRACE_SECONDS: i64 = 20;

/// One TUI session's claim on its draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The draft's name: `quick-note/<pid>-<start>`.
    pub name: String,
    pub pid: u32,
}

impl Session {
    /// This process's session, started now.
    pub fn new(clock: &Clock) -> Session {
        let pid = std::process::id();
        Session {
            name: format!(
                "{QUICK_NOTE}/{pid}-{}",
                clock.now.timestamp_nanos_opt().unwrap_or_default()
            ),
            pid,
        }
    }
}

/// Whether the process that holds a draft is still running.
fn holder_alive(held: &Held, clock: &Clock) -> bool {
    let Some(pid) = held.owner_pid else {
        return false;
    };
    let proc = std::path::Path::new("/proc");
    if proc.is_dir() {
        return proc.join(pid.to_string()).exists();
    }
    held.heartbeat_at
        .is_some_and(|at| (clock.now - at).num_seconds() < HEARTBEAT_GRACE_SECONDS)
}

pub fn save(store: &mut Store, clock: &Clock, session: &Session, draft: &Draft) -> Result<()> {
    let now = clock.now;
    Ok(store.write(|tx| drafts::save(tx, &session.name, draft, Some(session.pid), now))?)
}

pub fn load(store: &Store, session: &Session) -> Result<Option<Draft>> {
    Ok(drafts::load(store.conn(), &session.name)?)
}

pub fn clear(store: &mut Store, session: &Session) -> Result<()> {
    Ok(store.write(|tx| drafts::clear(tx, &session.name))?)
}

/// Takes over the newest draft nobody holds any more, if there is one.
pub fn adopt_orphan(store: &mut Store, clock: &Clock, session: &Session) -> Result<Option<Draft>> {
    let orphans: Vec<Held> = drafts::all(store.conn())?
        .into_iter()
        .filter(|h| h.name != session.name && !holder_alive(h, clock))
        .collect();
    let now = clock.now;
    for orphan in orphans {
        let taken = store.write(|tx| {
            drafts::adopt(
                tx,
                &orphan.name,
                orphan.owner_pid,
                &session.name,
                session.pid,
                now,
            )
        })?;
        if taken {
            return Ok(Some(orphan.draft));
        }
    }
    Ok(None)
}

/// Says this session is still here (so a slow machine's draft is not taken).
pub fn heartbeat(store: &mut Store, clock: &Clock, session: &Session) -> Result<()> {
    let now = clock.now;
    Ok(store.write(|tx| drafts::heartbeat(tx, &session.name, now))?)
}

/// Lets go of this session's draft on a clean exit: the next start offers it.
pub fn release(store: &mut Store, session: &Session) -> Result<()> {
    Ok(store.write(|tx| drafts::release(tx, &session.name))?)
}

/// Where typed text goes when the journal cannot take it (read-only, disk full): a private
/// file in the user's state directory (else the temp directory). Returns its path.
pub fn rescue(text: &str, clock: &Clock) -> Result<std::path::PathBuf> {
    use std::io::Write as _;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    let dir = directories::ProjectDirs::from("", "", "rolo")
        .and_then(|d| d.state_dir().map(std::path::Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir);
    let write = |dir: &std::path::Path| -> std::io::Result<std::path::PathBuf> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        let path = dir.join(format!(
            "unsaved-note-{}-{}.txt",
            clock.local_now().format("%Y%m%d-%H%M%S"),
            std::process::id()
        ));
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        if let Err(err) = written {
            // An empty or cut file must not look like the note.
            let _ = std::fs::remove_file(&path);
            return Err(err);
        }
        Ok(path)
    };
    write(&dir)
        .or_else(|_| write(&std::env::temp_dir()))
        .map_err(|e| anyhow::anyhow!("cannot keep the unsaved note in a file either: {e}"))
}
