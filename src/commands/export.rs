//! `rolo export …`: the journal in other formats. Files are written atomically (a temporary
//! file renamed into place) and privately (0600): an export is as personal as the journal.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::Ctx;
use super::output::print;
use crate::domain::contact::Contact;
use crate::interop::vcard::{self, Version};
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
    let temp = dir.join(format!(
        ".{}.rolo-{}.tmp",
        name.to_string_lossy(),
        std::process::id()
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

/// Writes to `-o PATH`, or prints.
pub fn deliver(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => write_atomically(path, text),
        None => print(text),
    }
}

/// Every live contact, archived ones too, in full.
pub fn all_contacts(ctx: &Ctx) -> Result<Vec<Contact>> {
    let conn = ctx.store.conn();
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

/// A file name for a contact in a vdir: its UID, made safe.
fn vdir_name(contact: &Contact) -> String {
    let safe: String = contact
        .uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.vcf")
}

pub fn vcard(ctx: &Ctx, output: Option<&Path>, version: u8, dir: bool) -> Result<()> {
    let version = match version {
        3 => Version::V3,
        4 => Version::V4,
        other => bail!("vCard version {other} is not one rolo writes; use 3 or 4"),
    };
    let contacts = all_contacts(ctx)?;
    if dir {
        let Some(dir) = output else {
            bail!("--dir needs -o DIRECTORY")
        };
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        for contact in &contacts {
            write_atomically(
                &dir.join(vdir_name(contact)),
                &vcard::write(contact, version),
            )?;
        }
        eprintln!("Wrote {} cards to {}", contacts.len(), dir.display());
        return Ok(());
    }
    let text: String = contacts.iter().map(|c| vcard::write(c, version)).collect();
    deliver(output, &text)
}

pub fn json(ctx: &Ctx, output: Option<&Path>) -> Result<()> {
    let document = crate::store::archive::dump(ctx.store.conn())?;
    deliver(output, &crate::interop::json::to_string(&document))
}

pub fn ics(ctx: &Ctx, output: Option<&Path>) -> Result<()> {
    use crate::domain::contact::stay_in_touch_due;
    use crate::interop::ical::{self, Cadence};
    let contacts = all_contacts(ctx)?;
    let live: Vec<&Contact> = contacts.iter().filter(|c| !c.archived).collect();
    let reminders = crate::store::reminders::all_live(ctx.store.conn())?;
    let cadences: Vec<Cadence<'_>> = live
        .iter()
        .filter_map(|c| {
            let every = c.cadence?;
            let last = c.last_interaction_at.map(super::local_date);
            let due = stay_in_touch_due(Some(every), last, super::local_date(c.created_at))?;
            Some(Cadence {
                contact: c,
                every,
                due,
                last,
            })
        })
        .collect();
    let dated: Vec<Contact> = live.iter().map(|c| (*c).clone()).collect();
    deliver(output, &ical::write(&dated, &reminders, &cadences))
}

pub fn markdown(ctx: &Ctx, output: Option<&Path>, name: Option<&str>) -> Result<()> {
    use crate::store::interactions::{self, TimelineQuery};
    let conn = ctx.store.conn();
    let contacts = match name {
        Some(name) => vec![contacts::get(conn, ctx.resolve(name)?)?],
        None => all_contacts(ctx)?,
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
            super::local_date,
        ));
    }
    deliver(output, &sections.join("\n---\n\n"))
}
