//! The journal store: the only place with SQL. `Store::open` creates or opens one SQLite
//! file safely (private permissions, WAL, `synchronous=FULL`, a backup before migrating,
//! refusal of foreign or newer files); the submodules are free functions over a
//! `&Connection` (a `&Transaction` derefs to one), each mapping rows to domain types in one
//! place. Writers go through [`Store::write`], one immediate transaction per user action.

pub mod contacts;
pub mod drafts;
pub mod identity;
pub mod integrity;
pub mod interactions;
pub mod marks;
pub mod records;
pub mod reminders;
pub mod search;
pub mod sync;
mod text;
mod time;
pub mod trash;

use std::fmt::Write as _;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

pub use time::{from_text as instant_from_text, to_text as instant_to_text};

/// Schema migrations; append only. Their count is the schema version (`user_version`).
fn migration_steps() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("store/migrations/0001_init.sql")),
        M::up(include_str!("store/migrations/0002_contact_kinds.sql")),
        M::up(include_str!("store/migrations/0003_sync.sql")),
        M::up(include_str!("store/migrations/0004_draft_owners.sql")),
        M::up(include_str!("store/migrations/0005_anchor.sql")),
        M::up(include_str!("store/migrations/0006_search.sql")),
        M::up_with_hook(
            include_str!("store/migrations/0007_text.sql"),
            |tx: &Transaction| Ok(text::upgrade(tx)?),
        ),
        M::up(include_str!("store/migrations/0008_agenda_marks.sql")),
        M::up(include_str!("store/migrations/0009_sync_marks.sql")),
        M::up(include_str!("store/migrations/0010_live_count.sql")),
        M::up(include_str!("store/migrations/0011_journal_id.sql")),
    ]
}

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(migration_steps()));

/// `PRAGMA application_id` of a rolo journal ("ROLO"), so a foreign SQLite file is told apart.
const APPLICATION_ID: i32 = 0x524f_4c4f;
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a rolo journal ({reason})")]
    NotAJournal { path: PathBuf, reason: &'static str },
    #[error(
        "{path}: written by a newer rolo (schema v{found}; this rolo knows up to v{known}); upgrade rolo to open it"
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        known: usize,
    },
    #[error("cannot create the journal at {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the copy {path}: {source}")]
    Copy {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot back up the journal before upgrading it: {0}")]
    Backup(rusqlite::Error),
    #[error("upgrading the journal failed (nothing was changed): {0}")]
    Migrate(#[from] rusqlite_migration::Error),
    #[error("the journal is busy or locked by another program: {0}")]
    Busy(rusqlite::Error),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("the journal file is damaged ({0}); `rolo check` says where, and a backup restores it")]
    Damaged(rusqlite::Error),
    #[error("the journal holds a value rolo cannot read ({0}); run `rolo check`")]
    Corrupt(String),
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: i64 },
    /// A date past what the journal keeps (four-digit years, up to 9999-12-31).
    #[error("{what} would be after 9999-12-31, the last day the journal keeps; {hint}")]
    PastTheEnd { what: String, hint: String },
    #[error("the journal is read-only here; nothing was changed")]
    ReadOnly,
    #[error(
        "{path} is read-only and written by an older rolo; open it writable once to upgrade it"
    )]
    ReadOnlyNeedsUpgrade { path: PathBuf },
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy(err)
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::Damaged(err),
            _ => StoreError::Sqlite(err),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open journal.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Transactions committed through this handle: one user action is one commit, and
    /// tests hold the application layer to that.
    commits: u64,
    /// Opened read-only (the file or its directory cannot be written): reads work, every
    /// write is refused as [`StoreError::ReadOnly`].
    read_only: bool,
}

impl Store {
    /// Opens the journal at `path`, creating it (file 0600, new directories 0700) if missing,
    /// and migrating it to the current schema after a backup copy.
    pub fn open(path: &Path) -> Result<Store> {
        let is_new =
            !path.exists() || fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0);
        let mut settled = false;
        if is_new {
            create_private_file(path)?;
        } else {
            settled = check_sqlite_header(path)?.is_settled();
            if !writable(path) {
                return Store::open_read_only(path);
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn =
            Connection::open_with_flags(path, flags).map_err(|e| not_a_journal_or(path, e))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        tune_wal(&conn)?;
        let version = schema_version(&conn).map_err(|e| not_a_journal_or(path, e))?;
        if settled && version == latest_version() {
            // The header says: ours, current and in WAL mode (all three persist in the file),
            // and the schema version read through SQLite (which sees the WAL) agrees. Nothing
            // to set up or migrate: a read-only command starts reading at once.
            let store = Store {
                conn,
                path: Some(path.to_owned()),
                commits: 0,
                read_only: false,
            };
            store.configure()?;
            return Ok(store);
        }
        check_identity(&conn, path, version)?;
        if let Err(err) = conn.pragma_update(None, "journal_mode", "WAL") {
            // The file is writable but its directory is not (no room for the WAL files).
            drop(conn);
            return match StoreError::from(err) {
                StoreError::ReadOnly | StoreError::Sqlite(_) if !is_new => {
                    Store::open_read_only(path)
                }
                other => Err(other),
            };
        }
        let mut store = Store {
            conn,
            path: Some(path.to_owned()),
            commits: 0,
            read_only: false,
        };
        store.configure()?;
        if version > 0 && version < latest_version() {
            store.backup_before_migration(path, version)?;
        }
        store.migrate()?;
        Ok(store)
    }

    /// A private in-memory journal, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let mut store = Store {
            conn: Connection::open_in_memory()?,
            path: None,
            commits: 0,
            read_only: false,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens a journal that cannot be written here, for reading. Immutable when even its
    /// WAL index cannot be made (a read-only directory or mount).
    fn open_read_only(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let open = |uri: String| -> Result<Connection> {
            let conn =
                Connection::open_with_flags(uri, flags).map_err(|e| not_a_journal_or(path, e))?;
            conn.busy_timeout(Duration::from_secs(5))?;
            // Reading the schema is what fails when the WAL index cannot be opened.
            schema_version(&conn).map_err(|e| not_a_journal_or(path, e))?;
            Ok(conn)
        };
        let file_uri = |extra: &str| {
            let mut uri = String::from("file:");
            for byte in path.to_string_lossy().bytes() {
                match byte {
                    b'%' | b'?' | b'#' => {
                        let _ = write!(uri, "%{byte:02X}");
                    }
                    _ => uri.push(char::from(byte)),
                }
            }
            uri.push_str(extra);
            uri
        };
        let conn = open(file_uri("?mode=ro")).or_else(|_| open(file_uri("?immutable=1")))?;
        let version = schema_version(&conn).map_err(|e| not_a_journal_or(path, e))?;
        check_identity(&conn, path, version)?;
        if version < latest_version() {
            return Err(StoreError::ReadOnlyNeedsUpgrade {
                path: path.to_owned(),
            });
        }
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Store {
            conn,
            path: Some(path.to_owned()),
            commits: 0,
            read_only: true,
        })
    }

    /// Whether this journal was opened read-only (see [`Store::open`]).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn configure(&self) -> Result<()> {
        // Pragmas are per connection, not part of the schema: set them on every open.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        // No memory-mapped reads (SQLite's default, said here on purpose): a command reads
        // each page it needs about once, so mapping saves nothing, and the kernel maps sixteen
        // pages around each one touched — a card's few hundred scattered look-ups took 33 MB
        // of RSS mapped, 8 MB read. Pages come through SQLite's bounded page cache, so memory
        // stays flat however large the journal (benches/RESULTS.md).
        self.conn.pragma_update(None, "mmap_size", 0)?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let before = schema_version(&self.conn)?;
        MIGRATIONS.to_latest(&mut self.conn)?;
        if before == 0 {
            self.conn
                .pragma_update(None, "application_id", APPLICATION_ID)?;
        }
        if before != latest_version() {
            // Fold the new schema into the file, so that its header says what it is and the
            // next open is the quick one (see `Header::is_settled`).
            self.checkpoint()?;
        }
        Ok(())
    }

    fn backup_before_migration(&self, path: &Path, version: usize) -> Result<()> {
        // The wall time names the copy for the person who finds it; nothing else reads it.
        #[allow(clippy::disallowed_methods)]
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let named = |n: u32| {
            let mut name = path.file_name().unwrap_or_default().to_os_string();
            name.push(format!(".v{version}-{stamp}"));
            if n > 1 {
                name.push(format!("-{n}"));
            }
            name.push(".bak");
            path.with_file_name(name)
        };
        // An upgrade that was interrupted left its copy; a second try within the same
        // second must not trip over it.
        let copy = (1..1000)
            .map(named)
            .find(|p| fs::symlink_metadata(p).is_err())
            .unwrap_or_else(|| named(0));
        self.backup_to(&copy).map_err(|e| match e {
            StoreError::Sqlite(e) => StoreError::Backup(e),
            other => other,
        })
    }

    /// A consistent copy of the whole journal at `dest` (mode 0600), safe while others write:
    /// SQLite's online backup, in one step (one read snapshot, so writers carry on), into a
    /// private temporary file beside `dest` that is linked into place only when whole. An
    /// existing `dest` — a file, or a symlink even to nowhere — is refused, never followed
    /// or overwritten.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        let copy_err = |source| StoreError::Copy {
            path: dest.to_owned(),
            source,
        };
        if fs::symlink_metadata(dest).is_ok() {
            return Err(copy_err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "it exists already; choose a new name",
            )));
        }
        let temp = private_temp_beside(dest).map_err(copy_err)?;
        let result = (|| {
            let mut copy = Connection::open(&temp)?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
                while backup.step(-1)? != rusqlite::backup::StepResult::Done {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            copy.close().map_err(|(_, e)| e)?;
            fs::File::open(&temp)
                .and_then(|f| f.sync_all())
                .map_err(copy_err)?;
            // A hard link never replaces what appeared at `dest` meanwhile; where the file
            // system has none, a rename still replaces only a link, never its target.
            match fs::hard_link(&temp, dest) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(copy_err(e)),
                Err(_) => fs::rename(&temp, dest).map_err(copy_err),
            }
        })();
        let _ = fs::remove_file(&temp);
        result
    }

    /// Runs `f` in one immediate transaction: all of it is committed, or none of it.
    /// Immediate, so two rolo processes queue on the write lock instead of failing midway.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transact(f, true)
    }

    fn transact<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
        commit: bool,
    ) -> Result<T, E> {
        if self.read_only {
            return Err(StoreError::ReadOnly.into());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(&tx)?;
        if commit {
            tx.commit().map_err(StoreError::from)?;
            self.commits += 1;
        } else {
            tx.rollback().map_err(StoreError::from)?;
        }
        Ok(value)
    }

    /// Runs `f` as one transaction with durability switched off — for filling a journal that
    /// was just created (the demo, benchmarks), where a crash means simply starting over. The
    /// usual settings (WAL, `synchronous=FULL`) are back before this returns.
    pub fn write_bulk<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let set = |conn: &Connection, journal: &str, sync: &str| -> Result<()> {
            conn.pragma_update_and_check(None, "journal_mode", journal, |_| Ok(()))?;
            conn.pragma_update(None, "synchronous", sync)?;
            Ok(())
        };
        set(&self.conn, "OFF", "OFF")?;
        self.conn
            .pragma_update(None, "cache_size", -262_144)
            .map_err(StoreError::from)?; // 256 MiB
        let result = self.write(|tx| -> Result<T, E> {
            let indexing = BulkIndexing::pause(tx).map_err(E::from)?;
            let value = f(tx)?;
            indexing.resume(tx).map_err(E::from)?;
            Ok(value)
        });
        let restored = set(
            &self.conn,
            if self.path.is_some() { "WAL" } else { "MEMORY" },
            "FULL",
        )
        .and_then(|()| Ok(self.conn.pragma_update(None, "cache_size", -2000)?));
        let value = result?;
        restored?;
        Ok(value)
    }

    /// Runs `f` in a transaction that is always rolled back: a rehearsal (`--dry-run`) that
    /// takes exactly the path the real thing would, and changes nothing.
    pub fn rehearse<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.transact(f, false)
    }

    /// Runs `f`'s reads on one snapshot of the journal: one read transaction for all of
    /// them instead of one per statement, so what they read agrees (a write by another
    /// process lands before or after, never between two panes) and the WAL's read lock is
    /// taken once. Inside a transaction already, `f` simply runs in it.
    pub fn snapshot<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if !self.conn.is_autocommit() {
            return f();
        }
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let value = f()?;
        // Nothing was written: ending the transaction only lets go of the snapshot.
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// How many transactions this handle has committed.
    pub fn commits(&self) -> u64 {
        self.commits
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Copies the WAL into the database file and empties it, if no one is reading: the
    /// journal is one self-contained file again (the TUI does this when it quits).
    pub fn checkpoint(&self) -> Result<()> {
        if self.read_only || self.path.is_none() {
            return Ok(());
        }
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Changes whenever another connection commits: the TUI polls it to follow outside writes.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |row| row.get(0))?)
    }
}

/// The search index, kept by triggers note by note, set aside for a bulk fill and built in
/// one pass after it. Kept row by row, every statement that writes a note opens a statement
/// savepoint, at which FTS5 flushes what it holds in memory: a segment per note, and merges
/// without end (40 % of filling a million notes). Built at the end, it is written once.
struct BulkIndexing {
    /// The triggers' own SQL, as the schema has it, to put back.
    triggers: Vec<String>,
}

const INDEXING_TRIGGERS: [&str; 2] = ["interactions_fts_insert", "contacts_fts_insert"];

impl BulkIndexing {
    fn pause(tx: &Transaction<'_>) -> Result<BulkIndexing> {
        let mut triggers = Vec::new();
        for name in INDEXING_TRIGGERS {
            let sql: String = tx.query_row(
                "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
                [name],
                |row| row.get(0),
            )?;
            tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
            triggers.push(sql);
        }
        Ok(BulkIndexing { triggers })
    }

    fn resume(self, tx: &Transaction<'_>) -> Result<()> {
        for sql in &self.triggers {
            tx.execute_batch(sql)?;
        }
        tx.execute_batch(
            "INSERT INTO interactions_fts (interactions_fts) VALUES ('rebuild');
             INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');",
        )?;
        Ok(())
    }
}

/// How many WAL pages a commit may leave before it copies them into the database file: small,
/// so that the next process to open the journal has little of the WAL to index.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 256;

/// The WAL as a person copying files expects it: the last process to close the journal folds
/// the WAL back into the database file (SQLite's default, kept on purpose — a `cp` of a
/// journal no rolo has open is then the whole journal); meanwhile commits fold it in every
/// [`WAL_AUTOCHECKPOINT_PAGES`], and [`Store::checkpoint`] does it on demand. Leaving the
/// WAL in place saves `rolo log` two fsyncs but makes the file alone silently incomplete.
fn tune_wal(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
    // A big write (a migration, an import) leaves no big WAL file behind once folded in.
    conn.pragma_update(None, "journal_size_limit", 4 * 1024 * 1024)?;
    Ok(())
}

/// The schema version this rolo writes.
pub fn latest_version() -> usize {
    migration_steps().len()
}

fn schema_version(conn: &Connection) -> rusqlite::Result<usize> {
    conn.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
        .map(|v| usize::try_from(v).unwrap_or(usize::MAX))
}

fn not_a_journal_or(path: &Path, err: rusqlite::Error) -> StoreError {
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotAJournal {
            path: path.to_owned(),
            reason: "not an SQLite database",
        },
        _ => err.into(),
    }
}

/// What the first 100 bytes of an SQLite file say (the database header, see
/// <https://sqlite.org/fileformat.html#the_database_header>).
#[derive(Debug, Clone, Copy)]
struct Header {
    wal: bool,
    user_version: u32,
    application_id: u32,
}

impl Header {
    /// A rolo journal at the current schema in WAL mode: opening it needs no set-up. The file
    /// header can lag behind a WAL that holds a newer page 1, so the caller still asks SQLite
    /// for the schema version; the mode and the application id never change once set.
    fn is_settled(self) -> bool {
        self.wal
            && self.application_id == APPLICATION_ID.cast_unsigned()
            && usize::try_from(self.user_version).is_ok_and(|v| v == latest_version())
    }
}

/// Refuses a file that is not SQLite before SQLite can touch it (it would create `-wal`
/// files beside it and might report the problem only on the first query).
fn check_sqlite_header(path: &Path) -> Result<Header> {
    let read_err = |source| StoreError::Read {
        path: path.to_owned(),
        source,
    };
    if fs::metadata(path).map_err(read_err)?.is_dir() {
        return Err(StoreError::NotAJournal {
            path: path.to_owned(),
            reason: "it is a directory",
        });
    }
    let mut header = [0u8; 100];
    let mut file = fs::File::open(path).map_err(read_err)?;
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(read_err)? {
            0 => break,
            n => read += n,
        }
    }
    if read < SQLITE_MAGIC.len() || &header[..SQLITE_MAGIC.len()] != SQLITE_MAGIC {
        return Err(StoreError::NotAJournal {
            path: path.to_owned(),
            reason: "not an SQLite database",
        });
    }
    let word = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    Ok(Header {
        wal: read == header.len() && header[18] == 2 && header[19] == 2,
        user_version: if read == header.len() { word(60) } else { 0 },
        application_id: if read == header.len() { word(68) } else { 0 },
    })
}

/// An SQLite file is ours if it carries rolo's application id, or if it is still empty.
fn check_identity(conn: &Connection, path: &Path, version: usize) -> Result<()> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |row| row.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    if app_id != APPLICATION_ID && !(app_id == 0 && tables == 0) {
        return Err(StoreError::NotAJournal {
            path: path.to_owned(),
            reason: "an SQLite database of another program",
        });
    }
    if version > latest_version() {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            known: latest_version(),
        });
    }
    Ok(())
}

/// Whether this process may write the file (root may, whatever its mode says; a read-only
/// mount refuses everyone).
fn writable(path: &Path) -> bool {
    OpenOptions::new().append(true).open(path).is_ok()
}

/// A new, empty, private (0600) file beside `path` — `.NAME.rolo-PID-RANDOM.tmp` — made
/// with `O_EXCL`, so nothing planted there is followed; its directory is made (0700) if
/// missing.
fn private_temp_beside(path: &Path) -> std::io::Result<PathBuf> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(
        ".{name}.rolo-{}-{:08x}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)?;
    fs::set_permissions(&temp, fs::Permissions::from_mode(0o600))?;
    Ok(temp)
}

fn create_private_file(path: &Path) -> Result<()> {
    let create_err = |source| StoreError::Create {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(create_err)?;
    }
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)
        .map_err(create_err)?;
    // The mode above is filtered by the umask; make sure it is exactly owner-only.
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(create_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn latest_version_counts_the_migrations() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(schema_version(store.conn()).unwrap(), latest_version());
    }

    #[test]
    fn a_new_file_is_private_wal_and_identified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/journal.db");
        let store = Store::open(&path).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let journal_mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(journal_mode, "wal");
        let sync: i64 = store
            .conn()
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        let fk: i64 = store
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        drop(store);
        Store::open(&path).unwrap();
    }

    /// A journal at the current schema opens without set-up and is still configured; once
    /// the last handle closes, the database file alone holds every commit (a `cp` of it is
    /// the whole journal).
    #[test]
    fn a_settled_journal_opens_at_once_and_its_file_alone_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        drop(Store::open(&path).unwrap());
        assert!(check_sqlite_header(&path).unwrap().is_settled());
        let mut store = Store::open(&path).unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO drafts (name, text, updated_at) VALUES ('x', 'kept', 'now')",
                    [],
                )
                .map_err(StoreError::from)
            })
            .unwrap();
        drop(store);
        // The file alone, copied as a person would copy it, without its WAL.
        let copy = dir.path().join("copy.db");
        fs::copy(&path, &copy).unwrap();
        let text: String = Connection::open(&copy)
            .unwrap()
            .query_row("SELECT text FROM drafts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(text, "kept", "the file alone holds the commit");
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let store = Store::open(&path).unwrap();
        let pragma = |name: &str| -> i64 {
            store
                .conn()
                .pragma_query_value(None, name, |r| r.get(0))
                .unwrap()
        };
        assert_eq!(pragma("foreign_keys"), 1);
        assert_eq!(pragma("synchronous"), 2);
        assert_eq!(pragma("mmap_size"), 0);
        let text: String = store
            .conn()
            .query_row("SELECT text FROM drafts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(text, "kept");
        store.checkpoint().unwrap();
        assert_eq!(fs::metadata(&wal).unwrap().len(), 0, "folded in on demand");
        drop(store);
        let other = Connection::open(&path).unwrap();
        let text: String = other
            .query_row("SELECT text FROM drafts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(text, "kept", "another program reads it too");
    }

    #[test]
    fn foreign_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        fs::write(&text, "this is not a database, just some words long enough").unwrap();
        assert!(matches!(
            Store::open(&text),
            Err(StoreError::NotAJournal { .. })
        ));

        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let err = Store::open(&other).err().unwrap();
        assert!(err.to_string().contains("another program"), "{err}");
    }

    #[test]
    fn newer_schemas_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        drop(Store::open(&path).unwrap());
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    }

    /// A journal written by the first release: its data survives the upgrade, and a private
    /// copy of it as it was is left beside it first.
    #[test]
    fn an_old_journal_is_copied_then_upgraded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            Migrations::new(migration_steps().into_iter().take(1).collect())
                .to_latest(&mut conn)
                .unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO contacts (id, uid, display_name, created_at, updated_at)
                     VALUES (1, 'u1', 'Ada', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO interactions (id, uid, happened_at, kind, summary, created_at, updated_at)
                     VALUES (1, 'i1', '2026-02-01T00:00:00Z', 'call', 'a call', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z'),
                            (2, 'i2', '2026-03-01T00:00:00Z', 'milestone', 'promoted', '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z');
                 INSERT INTO interaction_participants (interaction_id, contact_id, happened_at)
                     VALUES (1, 1, '2026-02-01T00:00:00Z'), (2, 1, '2026-03-01T00:00:00Z');",
            )
            .unwrap();
            let last: String = conn
                .query_row("SELECT last_interaction_at FROM contacts", [], |r| r.get(0))
                .unwrap();
            assert_eq!(last, "2026-03-01T00:00:00Z", "v1 counted the milestone");
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(schema_version(store.conn()).unwrap(), latest_version());
        let last: String = store
            .conn()
            .query_row("SELECT last_interaction_at FROM contacts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(last, "2026-02-01T00:00:00Z", "a milestone is not contact");
        let backups: Vec<PathBuf> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".v1-"))
            .collect();
        assert_eq!(backups.len(), 1, "{backups:?}");
        assert_eq!(
            fs::metadata(&backups[0]).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let copy = Connection::open(&backups[0]).unwrap();
        assert_eq!(schema_version(&copy).unwrap(), 1);
        let rows: i64 = copy
            .query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }

    /// Text written before rolo normalised it (decomposed accents, a control character, a
    /// tag in two forms) comes out of the upgrade in NFC, one tag, sorted by collation.
    #[test]
    fn an_old_journal_is_normalised_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            Migrations::new(migration_steps().into_iter().take(5).collect())
                .to_latest(&mut conn)
                .unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO contacts (id, uid, display_name, notes, created_at, updated_at)
                     VALUES (1, 'u1', 'Zoe Adams', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
                            (2, 'u2', 'E\u{301}mile Zola', 'one\u{1b}[2J\ntwo', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO contact_tags (contact_id, tag) VALUES (2, 'cafe\u{301}'), (2, 'caf\u{e9}');",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let rows: Vec<(String, Option<String>)> = store
            .conn()
            .prepare("SELECT display_name, notes FROM contacts ORDER BY sort_key")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                ("\u{c9}mile Zola".to_owned(), Some("one[2J\ntwo".to_owned())),
                ("Zoe Adams".to_owned(), None)
            ]
        );
        let tags: Vec<String> = store
            .conn()
            .prepare("SELECT tag FROM contact_tags")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(tags, ["caf\u{e9}"]);
    }

    #[test]
    fn backup_copies_are_complete_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("j.db")).unwrap();
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO drafts (name, text, updated_at) VALUES ('x', 'hello', 'now')",
                    [],
                )
                .map_err(StoreError::from)
            })
            .unwrap();
        let copy = dir.path().join("copy.db");
        store.backup_to(&copy).unwrap();
        assert_eq!(
            fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let text: String = Connection::open(&copy)
            .unwrap()
            .query_row("SELECT text FROM drafts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(text, "hello");
        assert!(store.backup_to(&copy).is_err(), "never overwrites");
    }
}
