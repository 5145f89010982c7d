//! Exports: the journal in other formats. Files are written atomically (a temporary
//! file renamed into place) and privately (0600): an export is as personal as the journal.

use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use anyhow::{Context, Result};

use crate::clock::Clock;
use crate::domain::contact::{Contact, ContactId};
use crate::interop::vcard::{self, Version};
use crate::store::Store;
use crate::store::contacts::{self, ListQuery};

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

/// The file in a vdir where rolo lists the files it wrote, so that a re-export removes the
/// files of contacts that are gone and never touches anything else in the directory.
pub const VDIR_MANIFEST: &str = ".rolo-vdir";

/// The longest UID used as a file name as it is.
const MAX_NAME: usize = 64;

/// A stable digest of a UID (64-bit FNV-1a), for UIDs that cannot be file names.
fn digest(uid: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in uid.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// File names for contacts in a vdir: the UID where it is a safe name (letters, digits, `-`
/// `_` `.`, not starting with `.`, at most 64 characters), else `rolo-` and a stable digest of
/// it. Names are unique, also on a case-insensitive file system: UIDs that would collide all
/// get digests.
fn vdir_names(contacts: &[Contact]) -> Vec<String> {
    let safe = |uid: &str| {
        !uid.is_empty()
            && uid.len() <= MAX_NAME
            && !uid.starts_with('.')
            && uid
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let mut names: Vec<String> = contacts
        .iter()
        .map(|c| {
            if safe(&c.uid) {
                format!("{}.vcf", c.uid)
            } else {
                format!("rolo-{}.vcf", digest(&c.uid))
            }
        })
        .collect();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for name in &names {
        *seen.entry(name.to_lowercase()).or_default() += 1;
    }
    for (name, contact) in names.iter_mut().zip(contacts) {
        if seen[&name.to_lowercase()] > 1 {
            *name = format!("rolo-{}.vcf", digest(&contact.uid));
        }
    }
    // Two digests alike would be a 64-bit accident; even then no file is written twice.
    let mut used = std::collections::HashSet::new();
    for name in &mut names {
        let stem = name.trim_end_matches(".vcf").to_owned();
        let mut n = 1;
        while !used.insert(name.to_lowercase()) {
            n += 1;
            *name = format!("{stem}-{n}.vcf");
        }
    }
    names
}

/// Every live contact as one vCard stream.
pub fn vcards(store: &Store, version: Version) -> Result<String> {
    Ok(all_contacts(store)?
        .iter()
        .map(|c| vcard::write(c, version))
        .collect())
}

/// What a vdir export did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VdirWritten {
    /// The files written, one per contact.
    pub written: Vec<String>,
    /// Files of an earlier export whose contacts are gone.
    pub removed: Vec<String>,
}

/// Writes one `.vcf` per live contact into `dir` (a vdir), each atomically; then removes the
/// files an earlier export wrote for contacts that are gone. Only files named in the
/// manifest are ever removed.
pub fn vcard_dir(store: &Store, dir: &Path, version: Version) -> Result<VdirWritten> {
    let contacts = all_contacts(store)?;
    // A directory rolo makes for cards is as private as the journal's.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest = dir.join(VDIR_MANIFEST);
    let before: Vec<String> = std::fs::read_to_string(&manifest)
        .map(|t| t.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let names = vdir_names(&contacts);
    for (contact, name) in contacts.iter().zip(&names) {
        write_atomically(&dir.join(name), &vcard::write(contact, version))?;
    }
    let mut removed = Vec::new();
    for old in before.iter().filter(|old| !names.contains(old)) {
        // A manifest line is a bare file name rolo wrote; anything else is not touched.
        let is_vcf = Path::new(old)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("vcf"));
        if old.contains(['/', '\\']) || old.starts_with('.') || !is_vcf {
            continue;
        }
        match std::fs::remove_file(dir.join(old)) {
            Ok(()) => removed.push(old.clone()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot remove {}", dir.join(old).display()));
            }
        }
    }
    let mut listing = names.join("\n");
    listing.push('\n');
    write_atomically(&manifest, &listing)?;
    Ok(VdirWritten {
        written: names,
        removed,
    })
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
