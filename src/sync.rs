//! `rolo sync`: two-way sync of the journal with a CardDAV/CalDAV server (PRODUCT.md §6).
//! Contacts are vCards in an address book, reminders VTODOs and interactions VJOURNALs in
//! two calendars, so any standard server is the hub and other apps see the same items.
//!
//! The only room with async code: libdav runs in a current-thread tokio runtime that each
//! call here builds and drops, so the rest of rolo stays synchronous. State lives in the
//! journal (`store::sync`); the password never does. Nothing here prints: progress goes
//! to a callback, results come back as values.
//!
//! - [`item`]: records as vCard / VTODO / VJOURNAL and back;
//! - [`normal`]: the hash that sees through a server's rewrite;
//! - [`merge`]: the field-level three-way merge;
//! - [`dav`]: the HTTP client, MKCALENDAR, errors in words;
//! - [`engine`]: the sync itself.

pub mod dav;
mod engine;
pub mod item;
pub mod merge;
pub mod normal;

use std::process::{Command, Stdio};

use libdav::caldav::{
    CalendarComponent, FindCalendarHomeSet, FindCalendars, GetSupportedComponents,
};
use libdav::carddav::{CreateAddressBook, FindAddressBookHomeSet, FindAddressBooks};
use libdav::dav::SyncCollection;
use serde::Serialize;

use crate::clock::Clock;
use crate::store::records::Table;
use crate::store::sync::{self as state, Account};
use crate::store::{Store, StoreError};
use dav::Dav;
use item::SyncRecord;

/// What can stop a sync, each in one sentence.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("sync is not set up: run `rolo sync setup URL [--user NAME]` first")]
    NotSetUp,
    #[error("{0}")]
    Url(String),
    #[error(
        "the server refused the user name or password (HTTP {0}); check --user and ROLO_SYNC_PASSWORD or the password command"
    )]
    Unauthorized(u16),
    #[error("cannot reach the server at {host}: {reason}")]
    Unreachable { host: String, reason: String },
    #[error("TLS error talking to {host}: {reason}")]
    Tls { host: String, reason: String },
    #[error("the server at {host} did not answer within {secs} s")]
    Timeout { host: String, secs: u64 },
    #[error("the server refused {what} (HTTP {status})")]
    Status { what: String, status: u16 },
    #[error("the server has no calendar that accepts {component} ({what}): {reason}")]
    Unsupported {
        component: &'static str,
        what: &'static str,
        reason: String,
    },
    #[error(
        "the server's {what} ({href}) is empty, but rolo synced {count} item(s) with it: nothing was changed here. If it was emptied on purpose, run `rolo sync setup URL` again to upload the journal to it"
    )]
    Emptied {
        what: &'static str,
        href: String,
        count: usize,
    },
    #[error(
        "the server's {what} ({href}) is gone; run `rolo sync setup URL` again to find or create it"
    )]
    Gone { what: &'static str, href: String },
    #[error("the password command failed: {0}")]
    Password(String),
    #[error("another sync of this journal is running; try again when it has finished")]
    Running,
    #[error("{0}")]
    Server(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one sync did to one kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Records created or changed here from the server.
    pub pulled: usize,
    /// Records created or changed on the server.
    pub pushed: usize,
    /// Records moved to the trash here because they were deleted there.
    pub deleted_here: usize,
    /// Records deleted on the server because they were deleted here.
    pub deleted_there: usize,
    /// Fields both sides changed differently (see `rolo sync conflicts`).
    pub conflicts: usize,
    /// The whole collection was listed (first sync, or the server forgot the token).
    pub full_resync: bool,
}

impl Counts {
    pub fn writes(&self) -> usize {
        self.pulled + self.pushed + self.deleted_here + self.deleted_there
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub contacts: Counts,
    pub interactions: Counts,
    pub reminders: Counts,
    /// Things worth a line: an item skipped, a conflict, an edit that beat a delete.
    pub notes: Vec<String>,
}

impl Report {
    /// Writes on either side, all kinds together.
    pub fn writes(&self) -> usize {
        self.contacts.writes() + self.interactions.writes() + self.reminders.writes()
    }

    pub fn conflicts(&self) -> usize {
        self.contacts.conflicts + self.interactions.conflicts + self.reminders.conflicts
    }
}

/// Where a sync is: `kind` is `contacts`, `interactions` or `reminders`; `stage` one of
/// listing, fetching, applying, pushing.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub kind: &'static str,
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

fn runtime() -> Result<tokio::runtime::Runtime, SyncError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SyncError::Server(format!("cannot start the network runtime: {e}")))
}

/// The password: `ROLO_SYNC_PASSWORD`, else the first line the password command prints.
pub fn password(command: Option<&str>) -> Result<Option<String>, SyncError> {
    if let Ok(password) = std::env::var("ROLO_SYNC_PASSWORD") {
        return Ok(Some(password));
    }
    let Some(command) = command else {
        return Ok(None);
    };
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| SyncError::Password(e.to_string()))?;
    if !out.status.success() {
        return Err(SyncError::Password(format!(
            "`{command}` exited with {}",
            out.status
        )));
    }
    let text = String::from_utf8(out.stdout)
        .map_err(|_| SyncError::Password(format!("`{command}` printed something not UTF-8")))?;
    Ok(Some(text.lines().next().unwrap_or_default().to_owned()))
}

// --- setup -------------------------------------------------------------------------------

/// What `rolo sync setup` is given.
#[derive(Debug, Clone)]
pub struct SetupArgs {
    pub url: String,
    pub user: Option<String>,
    pub password_command: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SetupCollection {
    pub kind: &'static str,
    pub href: String,
    pub created: bool,
    /// Items rolo had synced with it before that it will upload again (it was empty).
    pub reupload: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SetupReport {
    pub url: String,
    pub user: Option<String>,
    pub collections: Vec<SetupCollection>,
}

const ADDRESS_BOOK: &str = "rolo-contacts/";
const CALENDARS: [(Table, &str, CalendarComponent, &str, &str); 2] = [
    (
        Table::Interactions,
        "rolo-journal/",
        CalendarComponent::VJournal,
        "VJOURNAL",
        "rolo journal",
    ),
    (
        Table::Reminders,
        "rolo-follow-ups/",
        CalendarComponent::VTodo,
        "VTODO",
        "rolo follow-ups",
    ),
];

fn path_of(uri: &http::Uri) -> String {
    uri.path().to_owned()
}

/// The current user's principal at the client's URL, if the server says.
async fn principal(dav: &Dav) -> Result<Option<String>, SyncError> {
    match dav.find_current_user_principal().await {
        Ok(p) => Ok(p.map(|p| path_of(&p))),
        Err(libdav::dav::FindCurrentUserPrincipalError::RequestError(e))
            if dav::status(&e).is_some_and(|s| matches!(s.as_u16(), 404 | 405 | 501)) =>
        {
            Ok(None)
        }
        Err(libdav::dav::FindCurrentUserPrincipalError::RequestError(e)) => {
            Err(dav::describe(dav, "looking up the account", &e))
        }
        Err(e) => Err(SyncError::Server(e.to_string())),
    }
}

/// Discovery (RFC 6764 without DNS): the principal at the URL given, else at the context
/// path `/.well-known/carddav` points to; then the address book and calendar home sets.
async fn homes(
    dav: &Dav,
    user: Option<&str>,
    password: Option<&str>,
) -> Result<(String, String), SyncError> {
    let principal = if let Some(p) = principal(dav).await? {
        p
    } else {
        let https = dav.base_url.scheme_str() == Some("https");
        let service = if https {
            libdav::sd::DiscoverableService::CardDavs
        } else {
            libdav::sd::DiscoverableService::CardDav
        };
        let host = dav.base_url.host().unwrap_or_default().to_owned();
        let port = dav
            .base_url
            .port_u16()
            .unwrap_or(if https { 443 } else { 80 });
        match dav.find_context_path(service, &host, port).await {
            // Radicale's well-known points at its web page, not at DAV.
            Ok(Some(context)) if !context.path().starts_with("/.web") => {
                let there = dav::client(&context.to_string(), user, password)?;
                principal(&there)
                    .await?
                    .unwrap_or_else(|| path_of(&context))
            }
            _ => path_of(&dav.base_url),
        }
    };
    let ab = dav::timed(
        dav,
        "looking up the address books",
        dav.request(FindAddressBookHomeSet::new(&principal)),
    )
    .await?
    .home_sets
    .first()
    .map_or_else(|| principal.clone(), path_of);
    let cal = dav::timed(
        dav,
        "looking up the calendars",
        dav.request(FindCalendarHomeSet::new(&principal)),
    )
    .await?
    .home_sets
    .first()
    .map_or_else(|| principal.clone(), path_of);
    Ok((ab, cal))
}

async fn ensure_address_book(dav: &Dav, home: &str) -> Result<(String, bool), SyncError> {
    let path = engine::join(home, ADDRESS_BOOK);
    let found = dav::timed(
        dav,
        "listing address books",
        dav.request(FindAddressBooks::new(home)),
    )
    .await?
    .addressbooks;
    if found.iter().any(|c| c.href == path) {
        return Ok((path, false));
    }
    match dav
        .request(CreateAddressBook::new(&path).with_display_name("rolo contacts"))
        .await
    {
        Ok(_) => Ok((path, true)),
        Err(e) if dav::status(&e).is_some_and(|s| s.as_u16() == 405) => Ok((path, false)),
        Err(e) => Err(dav::describe(dav, "creating the address book", &e)),
    }
}

async fn ensure_calendar(
    dav: &Dav,
    home: &str,
    name: &str,
    component: CalendarComponent,
    component_name: &'static str,
    display: &str,
) -> Result<(String, bool), SyncError> {
    let what = if component == CalendarComponent::VJournal {
        "notes, where rolo keeps interactions"
    } else {
        "to-dos, where rolo keeps follow-ups"
    };
    let path = engine::join(home, name);
    let found = dav::timed(
        dav,
        "listing calendars",
        dav.request(FindCalendars::new(home)),
    )
    .await?
    .calendars;
    let mut created = false;
    if !found.iter().any(|c| c.href == path) {
        let made = dav
            .request(dav::MkCalendar {
                path: &path,
                display_name: display,
                component: component_name,
            })
            .await;
        match made {
            Ok(_) => created = true,
            // Already there (405, 409 Radicale, 403 Xandikos).
            Err(e) if dav::status(&e).is_some_and(|s| matches!(s.as_u16(), 403 | 405 | 409)) => {}
            Err(e) => {
                return Err(SyncError::Unsupported {
                    component: component_name,
                    what,
                    reason: dav::describe(dav, "creating the calendar", &e).to_string(),
                });
            }
        }
    }
    let supported = dav::timed(
        dav,
        "reading what the calendar holds",
        dav.request(GetSupportedComponents::new(&path)),
    )
    .await?
    .components;
    if !supported.is_empty() && !supported.contains(&component) {
        return Err(SyncError::Unsupported {
            component: component_name,
            what,
            reason: format!("{path} holds only {supported:?}"),
        });
    }
    Ok((path, created))
}

/// Finds (or creates) the address book and the two calendars, and remembers them.
pub fn setup(store: &mut Store, clock: &Clock, args: &SetupArgs) -> Result<SetupReport, SyncError> {
    // Setting up forgets what was synced: not while a sync runs.
    let _running = one_at_a_time(store, false)?;
    let password = password(args.password_command.as_deref())?;
    let rt = runtime()?;
    let (collections, empty) = rt.block_on(async {
        let dav = dav::client(&args.url, args.user.as_deref(), password.as_deref())?;
        let (ab_home, cal_home) = homes(&dav, args.user.as_deref(), password.as_deref()).await?;
        let mut collections = vec![{
            let (href, created) = ensure_address_book(&dav, &ab_home).await?;
            (Table::Contacts, href, created)
        }];
        for (kind, name, component, component_name, display) in CALENDARS {
            let (href, created) =
                ensure_calendar(&dav, &cal_home, name, component, component_name, display).await?;
            collections.push((kind, href, created));
        }
        let mut empty = Vec::new();
        for (kind, href, _) in &collections {
            let listing =
                dav::timed(&dav, "listing", dav.request(SyncCollection::new(href))).await?;
            if listing.changed.iter().all(|r| r.href.ends_with('/')) {
                empty.push(*kind);
            }
        }
        Ok::<_, SyncError>((collections, empty))
    })?;
    let account = Account {
        url: args.url.clone(),
        user: args.user.clone(),
        password_command: args.password_command.clone(),
        created_at: clock.now,
        last_sync_at: None,
    };
    let report = store.write(|tx| {
        state::set_account(tx, &account)?;
        let mut out = Vec::new();
        for (kind, href, created) in &collections {
            state::set_collection(tx, *kind, href)?;
            let mut reupload = 0;
            if empty.contains(kind) {
                reupload = state::count_items(tx, *kind)?;
                if reupload > 0 {
                    state::forget_items(tx, *kind)?;
                }
            }
            out.push(SetupCollection {
                kind: kind.name(),
                href: href.clone(),
                created: *created,
                reupload,
            });
        }
        Ok::<_, StoreError>(out)
    })?;
    Ok(SetupReport {
        url: args.url.clone(),
        user: args.user.clone(),
        collections: report,
    })
}

// --- sync --------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Read the server, decide, report — and write nothing anywhere.
    pub dry_run: bool,
}

/// One two-way sync with the server set up for this journal.
pub fn sync(
    store: &mut Store,
    clock: &Clock,
    options: Options,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Report, SyncError> {
    let account = state::account(store.conn())?.ok_or(SyncError::NotSetUp)?;
    let _running = one_at_a_time(store, options.dry_run)?;
    let password = password(account.password_command.as_deref())?;
    let rt = runtime()?;
    rt.block_on(async {
        let dav = dav::client(&account.url, account.user.as_deref(), password.as_deref())?;
        let mut engine = engine::Engine {
            dav,
            store,
            clock: *clock,
            dry_run: options.dry_run,
            progress,
            report: Report {
                dry_run: options.dry_run,
                ..Report::default()
            },
        };
        engine.run().await?;
        Ok(engine.report)
    })
}

/// Holds the journal's sync lock (`JOURNAL.sync-lock`, an advisory lock the OS drops when
/// the process ends, kill -9 included) for as long as the returned file lives. Two syncs of
/// one journal at once (two shells, cron, the TUI's `S`) would each take the other's pushes
/// for the server's deletes and trash them: the second is refused instead.
///
/// The lock is named after the journal's real path, so two names for one file (a symlink,
/// a relative path) share it. A dry run, which writes nothing, goes ahead where the lock
/// file cannot be made (a read-only directory).
fn one_at_a_time(store: &Store, dry_run: bool) -> Result<Option<std::fs::File>, SyncError> {
    use std::os::unix::fs::OpenOptionsExt;
    let Some(path) = store.path() else {
        return Ok(None); // in memory: no other process can reach it
    };
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut name = real.into_os_string();
    name.push(".sync-lock");
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(std::path::PathBuf::from(name));
    let file = match opened {
        Ok(file) => file,
        Err(_) if dry_run => return Ok(None),
        Err(e) => return Err(SyncError::Server(format!("cannot take the sync lock: {e}"))),
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(SyncError::Running),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(SyncError::Server(format!("cannot take the sync lock: {e}")))
        }
    }
}

// --- status and conflicts ----------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
pub struct CollectionStatus {
    pub kind: &'static str,
    pub href: String,
    /// Items rolo has synced with it.
    pub items: usize,
    /// Local changes not yet on the server.
    pub pending: usize,
    pub synced_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub configured: bool,
    pub url: Option<String>,
    pub user: Option<String>,
    pub last_sync_at: Option<chrono::DateTime<chrono::Utc>>,
    pub collections: Vec<CollectionStatus>,
    pub pending: usize,
    /// Deletions (trash emptied) still to reach the server.
    pub tombstones: usize,
    pub open_conflicts: usize,
}

/// The last sync, what is pending, and open conflicts — cheap enough for a status bar.
pub fn status(store: &Store) -> Result<Status, SyncError> {
    let conn = store.conn();
    let account = state::account(conn)?;
    let mut collections = Vec::new();
    let mut pending = 0;
    let mut tombstones = 0;
    for c in state::collections(conn)? {
        let changes = state::local_changes(conn, c.kind)?.len();
        pending += changes;
        tombstones += state::tombstones(conn, c.kind)?.len();
        collections.push(CollectionStatus {
            kind: c.kind.name(),
            href: c.href,
            items: state::count_items(conn, c.kind)?,
            pending: changes,
            synced_at: c.synced_at,
        });
    }
    Ok(Status {
        configured: account.is_some(),
        url: account.as_ref().map(|a| a.url.clone()),
        user: account.as_ref().and_then(|a| a.user.clone()),
        last_sync_at: account.and_then(|a| a.last_sync_at),
        collections,
        pending,
        tombstones,
        open_conflicts: state::open_conflicts(conn)?.len(),
    })
}

/// What a status bar shows: cheap at any journal size (no counting of pending changes).
#[derive(Debug, Clone, Serialize)]
pub struct Brief {
    pub configured: bool,
    pub last_sync_at: Option<chrono::DateTime<chrono::Utc>>,
    pub open_conflicts: usize,
}

pub fn brief(store: &Store) -> Result<Brief, SyncError> {
    let conn = store.conn();
    let account = state::account(conn)?;
    Ok(Brief {
        configured: account.is_some(),
        last_sync_at: account.and_then(|a| a.last_sync_at),
        open_conflicts: state::open_conflicts(conn)?.len(),
    })
}

/// A conflict as the user sees it: which record, which field, what was kept and what lost.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictView {
    pub id: i64,
    pub kind: &'static str,
    /// The record's short id (`c4`), if it is still in the journal.
    pub record: Option<String>,
    pub title: String,
    pub field: String,
    pub kept: serde_json::Value,
    pub lost: serde_json::Value,
    /// Whose value was kept: `local` or `server`.
    pub kept_side: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

fn short_id(kind: Table, id: i64) -> String {
    let letter = match kind {
        Table::Contacts => 'c',
        Table::Interactions => 'i',
        Table::Reminders => 'r',
    };
    format!("{letter}{id}")
}

fn local(
    conn: &rusqlite::Connection,
    kind: Table,
    uid: &str,
) -> Result<Option<SyncRecord>, StoreError> {
    use crate::store::records;
    Ok(match kind {
        Table::Contacts => records::contact(conn, uid)?.map(SyncRecord::Contact),
        Table::Interactions => records::interaction(conn, uid)?.map(SyncRecord::Interaction),
        Table::Reminders => records::reminder(conn, uid)?.map(SyncRecord::Reminder),
    })
}

pub fn conflicts(store: &Store) -> Result<Vec<ConflictView>, SyncError> {
    let conn = store.conn();
    let mut out = Vec::new();
    for c in state::open_conflicts(conn)? {
        let record = local(conn, c.kind, &c.uid)?;
        let id = crate::store::records::id_of(conn, c.kind, &c.uid)?;
        out.push(ConflictView {
            id: c.id,
            kind: c.kind.name(),
            record: id.map(|id| short_id(c.kind, id)),
            title: record.map_or_else(|| c.uid.clone(), |r| r.title().to_owned()),
            field: c.field,
            kept: serde_json::from_str(&c.kept).unwrap_or_default(),
            lost: serde_json::from_str(&c.lost).unwrap_or_default(),
            kept_side: c.kept_side,
            at: c.at,
        });
    }
    Ok(out)
}

/// Settles a conflict: `take_other` puts the value that lost into the record (as an edit
/// made now, so the next sync sends it); otherwise the kept value stays.
pub fn resolve(
    store: &mut Store,
    clock: &Clock,
    id: i64,
    take_other: bool,
) -> Result<ConflictView, SyncError> {
    let view = conflicts(store)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| {
            SyncError::Server(format!("no open conflict {id}; see `rolo sync conflicts`"))
        })?;
    let now = clock.now;
    store.write(|tx| {
        let c = state::conflict(tx, id)?.ok_or(StoreError::NotFound {
            what: "conflict",
            id,
        })?;
        if take_other {
            let Some(record) = local(tx, c.kind, &c.uid)? else {
                return Err(SyncError::Server(format!(
                    "the record of conflict {id} is no longer in the journal"
                )));
            };
            let mut value = record.to_json();
            value[c.field.as_str()] = serde_json::from_str(&c.lost).unwrap_or_default();
            value["updated_at"] =
                serde_json::Value::from(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            let edited = SyncRecord::from_json(c.kind, value)
                .map_err(|e| SyncError::Server(format!("conflict {id}: {e}")))?;
            match &edited {
                SyncRecord::Contact(r) => crate::store::records::put_contact(tx, r, None)?,
                SyncRecord::Interaction(r) => crate::store::records::put_interaction(tx, r, None)?,
                SyncRecord::Reminder(r) => crate::store::records::put_reminder(tx, r, None)?,
            };
        }
        state::resolve_conflict(tx, id, if take_other { "took-other" } else { "kept" }, now)?;
        Ok(())
    })?;
    Ok(view)
}
