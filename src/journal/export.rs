//! Exports: the journal in other formats. Files are written atomically (a temporary
//! file renamed into place) and privately (0600): an export is as personal as the journal.

mod vdir;

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, Result};

use crate::clock::Clock;
use crate::domain::contact::{Contact, ContactId};
use crate::interop::vcard::{self, Version};
use crate::store::Store;
use crate::store::contacts::{self, ListQuery};

pub use vdir::{LeftAlone, VDIR_MANIFEST, VdirWritten, vcard_dir};

/// Writes `text` to `path` via a temporary file in the same directory, then renames it.
pub fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    // Random as well as the process id: a temporary file left by an export that was killed
    // must not block a later one that happens to get the same id.
    let temp = dir.join(format!(
        ".{}.rolo-{}-{:08x}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        fastrand::u32(..)
    ));
    let result = (|| -> Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Every live contact, archived ones too, in full.
pub fn all_contacts(store: &Store) -> Result<Vec<Contact>> {
    let conn = store.conn();
    let rows = contacts::list(
        conn,
        &ListQuery {
            include_archived: true,
            ..ListQuery::default()
        },
    )?;
    rows.iter()
        .map(|r| Ok(contacts::get(conn, r.id)?))
        .collect()
}

/// Every live contact as one vCard stream.
pub fn vcards(store: &Store, version: Version) -> Result<String> {
    Ok(all_contacts(store)?
        .iter()
        .map(|c| vcard::write(c, version))
        .collect())
}

/// The whole journal as rolo's versioned JSON document.
pub fn json(store: &Store) -> Result<String> {
    let records = crate::store::records::dump(store.conn())?;
    Ok(crate::interop::json::to_string(
        &crate::interop::json::Document::new(records),
    ))
}

/// Birthdays, anniversaries, reminders and stay-in-touch dates as one iCalendar.
pub fn ics(store: &Store, clock: &Clock) -> Result<String> {
    use crate::interop::ical::{self, Cadence};
    let contacts = all_contacts(store)?;
    let live: Vec<Contact> = contacts.into_iter().filter(|c| !c.archived).collect();
    let reminders = crate::store::reminders::all_live(store.conn())?;
    let kept = crate::store::marks::kept(store.conn())?;
    let cadences: Vec<Cadence<'_>> = live
        .iter()
        .filter_map(|c| {
            let every = c.cadence?;
            let standing = c.standing(kept.get(&c.id), clock);
            Some(Cadence {
                contact: c,
                every,
                due: standing.stay_in_touch_due?,
                last: c.last_interaction_at.map(|t| clock.date_of(t)),
            })
        })
        .collect();
    let todos = reminders
        .iter()
        .map(|r| {
            Ok(ical::Todo {
                reminder: r,
                anchor: crate::store::reminders::anchor_of(store.conn(), r.id)?
                    .unwrap_or(r.due_date),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ical::write(&live, &todos, &cadences))
}

/// A readable dossier: one contact's, or everyone's.
pub fn markdown(store: &Store, clock: &Clock, who: Option<ContactId>) -> Result<String> {
    use crate::store::interactions::{self, TimelineQuery};
    let conn = store.conn();
    let contacts = match who {
        Some(id) => vec![contacts::get(conn, id)?],
        None => all_contacts(store)?,
    };
    let mut sections = Vec::new();
    for c in &contacts {
        let reminders = crate::store::reminders::open_for_contact(conn, c.id)?;
        let timeline = interactions::timeline(
            conn,
            &TimelineQuery {
                contact: Some(c.id),
                limit: usize::MAX,
                ..TimelineQuery::default()
            },
        )?;
        sections.push(crate::interop::markdown::dossier(
            c,
            &reminders,
            &timeline,
            |t| clock.date_of(t),
        ));
    }
    Ok(sections.join("\n---\n\n"))
}
