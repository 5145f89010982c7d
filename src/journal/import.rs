//! Imports: the one pipeline every contact format goes through. Records are read (all of
//! them, before anything is written), then matched against the journal by the one identity
//! rule of [`super::identity`] — a strong identifier that agrees and nothing strong that
//! contradicts it — and created, merged, or held back as a *possible match* for the user to
//! settle (`--link ROW=c12`, `--new ROW`), all in one transaction. A merge fills gaps and never
//! overwrites what the user set; a new title or company is a job change, recorded only on
//! request. `--dry-run` runs the very same code in a transaction that is rolled back.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Days, Utc};
use phonenumber::country::Id as Region;
use rusqlite::Transaction;
use serde::Serialize;

use super::identity::{self, Keys, Verdict};
use crate::clock::Clock;
use crate::domain::contact::{ContactDraft, ContactField, ContactId, FieldKind, UNNAMED_TAG};
use crate::domain::interaction::{InteractionDraft, InteractionId, Kind};
use crate::domain::names::match_key;
use crate::domain::reminder::{ReminderDraft, ReminderId, Source};
use crate::interop::vcard;
use crate::store::{Store, contacts, interactions, reminders};

/// A contact read from a file, not yet matched.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Where it came from, for the report: "card 3", "line 17", "a.vcf card 1".
    pub source: String,
    /// What `--link ROW=c12` and `--new ROW` call it: "17" (a line), "3" (a card), "a.vcf:1".
    pub row: String,
    pub uid: Option<String>,
    pub draft: ContactDraft,
    /// For a record that came without a name: what rolo named it from ("e-mail" …).
    pub named_from: Option<&'static str>,
    /// When the source says the record last changed (a vCard's REV): the date a job change
    /// it reveals is logged on.
    pub dated: Option<DateTime<Utc>>,
}

/// A record that could not be read, or was not imported.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub source: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Created {
    pub source: String,
    pub name: String,
    /// Set when the record had no name: what rolo named it from. Such contacts are tagged
    /// `unnamed` so that they can be found and named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub named_from: Option<&'static str>,
}

/// A known person whose title or company in the file differs from the journal's: a new role.
#[derive(Debug, Clone, Serialize)]
pub struct RoleChange {
    pub source: String,
    pub contact_id: ContactId,
    pub name: String,
    /// "Engineer at Analytical", as the journal has it.
    pub from: String,
    /// "VP Engineering at Analytical", as the file has it.
    pub to: String,
    /// Recorded (fields updated, a milestone logged, a follow-up added): only with
    /// `--apply-changes`; the journal's values are never replaced without it.
    pub applied: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub milestone: Option<InteractionId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<ReminderId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Merged {
    pub source: String,
    pub name: String,
    pub into: String,
    pub contact_id: ContactId,
    /// What the merge filled in; empty means the journal already had it all.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub dry_run: bool,
    pub created: Vec<Created>,
    pub merged: Vec<Merged>,
    pub unchanged: Vec<Merged>,
    pub skipped: Vec<Skipped>,
    /// New roles of people rolo knows (applied or only listed).
    pub changes: Vec<RoleChange>,
    /// Records that may be someone rolo knows: held back until the user says.
    pub possible: Vec<Possible>,
}

/// A record that may be a contact rolo knows; not imported until the user settles it with
/// `--link ROW=cN` (the same person) or `--new ROW` (someone new).
#[derive(Debug, Clone, Serialize)]
pub struct Possible {
    pub source: String,
    pub row: String,
    pub name: String,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub contact_id: ContactId,
    pub name: String,
    /// Why rolo cannot tell.
    pub reason: String,
}

/// How an import treats what it finds.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Rehearse in a transaction that is rolled back.
    pub dry_run: bool,
    /// Record new titles and companies of known people as job changes.
    pub apply_changes: bool,
    /// Where phone numbers without a country code are (for E.164).
    pub region: Option<Region>,
    /// Rows the user says are these contacts (`--link ROW=c12`).
    pub links: Vec<(String, ContactId)>,
    /// Rows the user says are someone new (`--new ROW`).
    pub new_rows: Vec<String>,
}

/// How many days after an import the "congratulate" follow-up of a job change is due.
pub const CONGRATULATE_AFTER_DAYS: u64 = 3;

/// `--link ROW=c12`: the row (as the report names it) and the contact.
pub fn parse_link(text: &str) -> Result<(String, ContactId), String> {
    let bad = || format!("'{text}' is not ROW=cN (e.g. --link 17=c12)");
    let (row, id) = text.rsplit_once('=').ok_or_else(bad)?;
    let id = id.trim();
    let number = id
        .strip_prefix('c')
        .unwrap_or(id)
        .parse()
        .map_err(|_| bad())?;
    let row = row.trim();
    if row.is_empty() {
        return Err(bad());
    }
    Ok((row.to_owned(), ContactId(number)))
}

/// Who a record is, by the identity rule.
enum Found {
    Nobody,
    Same(ContactId),
    Possible(Vec<Candidate>),
}

/// The journal's identities, kept current as the import creates and merges contacts: the
/// keys of each live contact, and which contacts each key value points at.
#[derive(Default)]
struct Index {
    region: Option<Region>,
    keys: HashMap<ContactId, Keys>,
    display: HashMap<ContactId, String>,
    by_key: HashMap<String, Vec<ContactId>>,
    trashed_uids: HashSet<String>,
    /// Contacts whose UID came from the file being imported: another UID from the same file
    /// is another person, whatever else they share.
    uid_from_file: HashSet<ContactId>,
}

impl Index {
    fn load(tx: &Transaction<'_>, region: Option<Region>) -> Result<Index> {
        let mut index = Index {
            region,
            ..Index::default()
        };
        let mut drafts: HashMap<ContactId, (String, ContactDraft)> = HashMap::new();
        for c in contacts::identities(tx)? {
            if c.trashed {
                index.trashed_uids.insert(c.uid);
                continue;
            }
            let mut draft = ContactDraft::named(&c.display_name);
            draft.name.given = c.given;
            draft.company = c.company;
            drafts.insert(c.id, (c.uid, draft));
        }
        for kind in [FieldKind::Email, FieldKind::Phone, FieldKind::Url] {
            for (id, value) in contacts::field_values(tx, kind)? {
                if let Some((_, draft)) = drafts.get_mut(&id) {
                    draft.fields.push(ContactField::new(kind, value));
                }
            }
        }
        for (id, (uid, draft)) in drafts {
            index.put(id, Some(&uid), &draft);
        }
        Ok(index)
    }

    /// Records (or re-records, after a merge) a contact's keys.
    fn put(&mut self, id: ContactId, uid: Option<&str>, draft: &ContactDraft) {
        let uid = uid
            .map(str::to_owned)
            .or_else(|| self.keys.get(&id).and_then(|k| k.uid.clone()));
        let keys = Keys::of(uid.as_deref(), draft, self.region);
        let values = keys
            .uid
            .iter()
            .map(|u| format!("uid:{u}"))
            .chain(keys.emails.iter().map(|e| format!("email:{e}")))
            .chain(keys.phones.iter().map(|p| format!("phone:{p}")))
            .chain(keys.profiles.iter().cloned())
            .chain(Some(format!("name:{}", keys.name)).filter(|_| !keys.name.is_empty()));
        for value in values {
            let ids = self.by_key.entry(value).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        self.display.insert(id, draft.display_name.clone());
        self.keys.insert(id, keys);
    }

    /// Who an incoming record is; `Err` when it cannot be imported.
    fn find(&self, incoming: &Incoming) -> Result<Found, String> {
        if let Some(uid) = &incoming.uid
            && self.trashed_uids.contains(uid)
        {
            return Err("a contact with this UID is in the trash (restore it first)".into());
        }
        let keys = Keys::of(incoming.uid.as_deref(), &incoming.draft, self.region);
        let mut candidates: Vec<ContactId> = Vec::new();
        let lookups = keys
            .uid
            .iter()
            .map(|u| format!("uid:{u}"))
            .chain(keys.emails.iter().map(|e| format!("email:{e}")))
            .chain(keys.phones.iter().map(|p| format!("phone:{p}")))
            .chain(keys.profiles.iter().cloned())
            .chain(Some(format!("name:{}", keys.name)).filter(|_| !keys.name.is_empty()));
        for value in lookups {
            for id in self.by_key.get(&value).into_iter().flatten() {
                if !candidates.contains(id) {
                    candidates.push(*id);
                }
            }
        }
        let mut same = Vec::new();
        let mut possible = Vec::new();
        for id in candidates {
            let Some(theirs) = self.keys.get(&id) else {
                continue;
            };
            let verdict = if incoming.uid.is_some()
                && theirs.uid != keys.uid
                && self.uid_from_file.contains(&id)
            {
                Verdict::Different
            } else {
                identity::judge(&keys, theirs)
            };
            let name = self.display.get(&id).cloned().unwrap_or_default();
            match verdict {
                Verdict::Same(by) => same.push(Candidate {
                    contact_id: id,
                    name,
                    reason: format!("the same {by}"),
                }),
                Verdict::Possible(reason) => possible.push(Candidate {
                    contact_id: id,
                    name,
                    reason,
                }),
                Verdict::Different => {}
            }
        }
        Ok(match (same.len(), possible.is_empty()) {
            (1, _) => Found::Same(same[0].contact_id),
            (0, true) => Found::Nobody,
            (0, false) => Found::Possible(possible),
            // Two contacts with the same strong key: rolo cannot pick one.
            _ => Found::Possible(
                same.into_iter()
                    .map(|c| Candidate {
                        reason: format!("{} (shared by several contacts)", c.reason),
                        ..c
                    })
                    .collect(),
            ),
        })
    }
}

/// Fills what the journal lacks from `incoming`; returns the names of the filled fields.
fn fill_gaps(
    existing: &mut ContactDraft,
    incoming: &ContactDraft,
    region: Option<Region>,
) -> Vec<String> {
    let mut filled = Vec::new();
    let mut fill = |slot: &mut Option<String>, value: &Option<String>, name: &str| {
        if slot.as_deref().is_none_or(str::is_empty)
            && value.as_deref().is_some_and(|v| !v.is_empty())
        {
            slot.clone_from(value);
            filled.push(name.to_owned());
        }
    };
    fill(&mut existing.nickname, &incoming.nickname, "nickname");
    fill(&mut existing.company, &incoming.company, "company");
    fill(&mut existing.title, &incoming.title, "title");
    fill(&mut existing.notes, &incoming.notes, "notes");
    fill(&mut existing.met.text, &incoming.met.text, "how we met");
    if existing.met.date.is_none() && incoming.met.date.is_some() {
        existing.met.date = incoming.met.date;
        filled.push("met on".to_owned());
    }
    if existing.birthday.is_none() && incoming.birthday.is_some() {
        existing.birthday = incoming.birthday;
        filled.push("birthday".to_owned());
    }
    if existing.anniversary.is_none() && incoming.anniversary.is_some() {
        existing.anniversary = incoming.anniversary;
        filled.push("anniversary".to_owned());
    }
    let parts = &existing.name;
    if [
        &parts.family,
        &parts.given,
        &parts.additional,
        &parts.prefix,
        &parts.suffix,
    ]
    .iter()
    .all(|p| p.is_empty())
        && incoming.name != existing.name
    {
        existing.name = incoming.name.clone();
        filled.push("name parts".to_owned());
    }
    for field in &incoming.fields {
        let key = |f: &ContactField| match f.kind {
            FieldKind::Email => identity::email_key(&f.value),
            FieldKind::Url => identity::url_key(&f.value),
            FieldKind::Phone => {
                identity::phone_key(&f.value, region).unwrap_or_else(|| f.value.trim().to_owned())
            }
            _ => f.value.trim().to_lowercase(),
        };
        if !existing
            .fields
            .iter()
            .any(|f| f.kind == field.kind && key(f) == key(field))
        {
            existing.fields.push(field.clone());
            filled.push(field.kind.as_str().to_owned());
        }
    }
    for tag in &incoming.tags {
        if !existing.tags.contains(tag) {
            existing.tags.push(tag.clone());
            filled.push(format!("#{tag}"));
        }
    }
    existing.tags.sort();
    if let Some(extra) = &incoming.vcard_extra {
        let current = existing.vcard_extra.clone().unwrap_or_default();
        let new: Vec<&str> = extra
            .lines()
            .filter(|l| !current.lines().any(|c| c == *l))
            .collect();
        if !new.is_empty() {
            let mut merged = current;
            for line in new {
                if !merged.is_empty() {
                    merged.push('\n');
                }
                merged.push_str(line);
            }
            existing.vcard_extra = Some(merged);
            filled.push("vCard extras".to_owned());
        }
    }
    filled.dedup();
    filled
}

/// "Title at Company" of a draft, or whichever is known.
fn role_of(draft: &ContactDraft) -> String {
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    match (nonempty(&draft.title), nonempty(&draft.company)) {
        (Some(t), Some(c)) => format!("{t} at {c}"),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => String::new(),
    }
}

/// The role the file gives a known person, when it differs from the journal's: a title or
/// company that both have and that are not the same (a value only the file has is a gap to
/// fill, not a change). Returns the draft with the new role.
fn new_role(existing: &ContactDraft, incoming: &ContactDraft) -> Option<ContactDraft> {
    let same = |a: &str, b: &str| match_key(a) == match_key(b);
    let differs = |ours: &Option<String>, theirs: &Option<String>| match (ours, theirs) {
        (Some(o), Some(t)) => !o.trim().is_empty() && !t.trim().is_empty() && !same(o, t),
        _ => false,
    };
    let company = differs(&existing.company, &incoming.company);
    let title = differs(&existing.title, &incoming.title);
    if !company && !title {
        return None;
    }
    let mut updated = existing.clone();
    if company {
        updated.company.clone_from(&incoming.company);
    }
    if title {
        updated.title.clone_from(&incoming.title);
    }
    Some(updated)
}

/// Records a job change: the new role on the contact, a `milestone` on their timeline dated
/// from the source where it says, and a follow-up to congratulate them a few days out.
fn record_new_role(
    tx: &Transaction<'_>,
    clock: &Clock,
    id: ContactId,
    updated: &ContactDraft,
    dated: Option<DateTime<Utc>>,
) -> Result<(InteractionId, ReminderId)> {
    let now = clock.now;
    contacts::update(tx, id, updated, now)?;
    let role = role_of(updated);
    let milestone = interactions::insert(
        tx,
        &InteractionDraft {
            happened_at: dated.filter(|d| *d <= now).unwrap_or(now),
            kind: Kind::Milestone,
            summary: format!("New role: {role}"),
            body: None,
            location: None,
            participants: vec![id],
            tags: Vec::new(),
        },
        None,
        now,
    )?;
    let first_name = Some(updated.name.given.trim())
        .filter(|g| !g.is_empty())
        .map_or_else(
            || updated.display_name.clone(),
            |g| g.split_whitespace().next().unwrap_or(g).to_owned(),
        );
    let follow_up = reminders::insert(
        tx,
        &ReminderDraft {
            title: format!("congratulate {first_name} on the new role"),
            contact: Some(id),
            due_date: clock.today() + Days::new(CONGRATULATE_AFTER_DAYS),
            due_time: None,
            recurrence: None,
            source: Source::Import,
            interaction: Some(milestone),
        },
        None,
        now,
    )?;
    Ok((milestone, follow_up))
}

#[allow(clippy::too_many_lines)] // settle, create, merge: one pass over the records
fn apply(
    tx: &Transaction<'_>,
    clock: &Clock,
    records: Vec<Incoming>,
    skipped: Vec<Skipped>,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report> {
    let now = clock.now;
    let mut index = Index::load(tx, options.region)?;
    let mut report = Report {
        dry_run: options.dry_run,
        skipped,
        ..Report::default()
    };
    // A --link or --new that names no row of the file is a mistake, not a no-op.
    for row in options
        .links
        .iter()
        .map(|(row, _)| row)
        .chain(&options.new_rows)
    {
        if !records.iter().any(|r| r.row == *row) {
            bail!(
                "there is no row {row} to settle in this file (rows are named as the report shows them)"
            );
        }
    }
    let total = records.len();
    for (n, record) in records.into_iter().enumerate() {
        if n % 1000 == 0 {
            progress(n, total);
        }
        let settled = options
            .links
            .iter()
            .find(|(row, _)| *row == record.row)
            .map(|(_, id)| *id);
        let found = if let Some(id) = settled {
            if !index.keys.contains_key(&id) {
                bail!("--link {}=c{}: there is no such contact", record.row, id.0);
            }
            Ok(Found::Same(id))
        } else if options.new_rows.contains(&record.row) {
            Ok(Found::Nobody)
        } else {
            index.find(&record)
        };
        match found {
            Err(reason) => report.skipped.push(Skipped {
                source: record.source,
                reason,
            }),
            Ok(Found::Possible(candidates)) => report.possible.push(Possible {
                source: record.source,
                row: record.row,
                name: record.draft.display_name,
                candidates,
            }),
            Ok(Found::Nobody) => {
                let uid = record.uid.clone().unwrap_or_else(contacts::new_uid);
                let mut draft = record.draft;
                if record.named_from.is_some() && !draft.tags.iter().any(|t| t == UNNAMED_TAG) {
                    draft.tags.push(UNNAMED_TAG.to_owned());
                    draft.tags.sort();
                }
                let id = contacts::insert(tx, &draft, Some(&uid), now)?;
                index.put(id, Some(&uid), &draft);
                if record.uid.is_some() {
                    index.uid_from_file.insert(id);
                }
                report.created.push(Created {
                    source: record.source,
                    name: draft.display_name,
                    named_from: record.named_from,
                });
            }
            Ok(Found::Same(id)) => {
                let mut existing = ContactDraft::from(contacts::get(tx, id)?);
                if let Some(updated) = new_role(&existing, &record.draft) {
                    let mut change = RoleChange {
                        source: record.source.clone(),
                        contact_id: id,
                        name: existing.display_name.clone(),
                        from: role_of(&existing),
                        to: role_of(&updated),
                        applied: false,
                        milestone: None,
                        follow_up: None,
                    };
                    if options.apply_changes {
                        let (milestone, follow_up) =
                            record_new_role(tx, clock, id, &updated, record.dated)?;
                        change.applied = true;
                        change.milestone = Some(milestone);
                        change.follow_up = Some(follow_up);
                        existing = updated;
                    }
                    report.changes.push(change);
                }
                let fields = fill_gaps(&mut existing, &record.draft, options.region);
                let merged = Merged {
                    source: record.source,
                    name: record.draft.display_name,
                    into: existing.display_name.clone(),
                    contact_id: id,
                    fields,
                };
                if merged.fields.is_empty() {
                    report.unchanged.push(merged);
                } else {
                    contacts::update(tx, id, &existing, now)?;
                    index.put(id, None, &existing);
                    report.merged.push(merged);
                }
            }
        }
    }
    progress(total, total);
    Ok(report)
}

/// Imports `records` in one transaction — or, with `dry_run`, rehearses exactly that in a
/// transaction that is rolled back. `progress(done, total)` is called every 1000 records.
pub fn run(
    store: &mut Store,
    clock: &Clock,
    records: Vec<Incoming>,
    skipped: Vec<Skipped>,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report> {
    if options.dry_run {
        store.rehearse(|tx| apply(tx, clock, records, skipped, options, progress))
    } else {
        store.write(|tx| apply(tx, clock, records, skipped, options, progress))
    }
}

/// The `.vcf` files to read: the file itself, or every `.vcf` in a directory (a vdir).
fn vcard_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("vcf")))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{} has no .vcf files", path.display());
    }
    Ok(files)
}

/// A file's text, whatever encoding it came in (UTF-8, UTF-16 with a byte-order mark, or
/// Windows-1252); a file that is not text is one clear error.
fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (text, _) = crate::interop::encoding::decode(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", path.display()))?;
    Ok(text)
}

/// Reads vCards from a file or a directory. Without `skip_invalid`, the first bad card is
/// the error (and nothing is imported); a card that identifies no one is skipped either way.
pub fn read_vcards(path: &Path, skip_invalid: bool) -> Result<(Vec<Incoming>, Vec<Skipped>)> {
    let files = vcard_files(path)?;
    let many = files.len() > 1;
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for file in files {
        let text = read_text(&file)?;
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let prefix = if many {
            format!("{name} ")
        } else {
            String::new()
        };
        let row = |card: usize| {
            if many {
                format!("{name}:{card}")
            } else {
                card.to_string()
            }
        };
        for result in vcard::read_each(&text) {
            match result {
                Ok(card) => records.push(Incoming {
                    source: format!("{prefix}card {}", card.number),
                    row: row(card.number),
                    uid: card.uid,
                    draft: card.draft,
                    named_from: card.named_from,
                    dated: card.rev,
                }),
                Err(err) if skip_invalid || err.identifies_no_one => skipped.push(Skipped {
                    source: format!("{prefix}card {}", err.card),
                    reason: format!("line {}: {}", err.line, err.message),
                }),
                Err(err) => {
                    bail!("{prefix}{err}; nothing was imported (--skip-invalid imports the rest)")
                }
            }
        }
    }
    Ok((records, skipped))
}

/// What a JSON import did (or would do).
#[derive(Serialize)]
pub struct JsonReport {
    pub dry_run: bool,
    #[serde(flatten)]
    pub restored: crate::store::records::Restored,
}

/// Restores a rolo JSON export: every record whose UID the journal lacks, exactly as it was.
pub fn json(store: &mut Store, path: &Path, dry_run: bool) -> Result<JsonReport> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let document =
        crate::interop::json::from_str(&text).with_context(|| path.display().to_string())?;
    let restore = |tx: &Transaction<'_>| crate::store::records::restore(tx, &document.records);
    let restored = if dry_run {
        store.rehearse(restore)?
    } else {
        store.write(restore)?
    };
    Ok(JsonReport { dry_run, restored })
}

/// Which sheet reader a CSV import uses.
#[derive(Debug, Clone)]
pub enum SheetKind {
    Linkedin,
    Google,
    /// `rolo import csv`: a layout known by its headers, or the user's mapping.
    Any(Option<crate::interop::sheet::Mapping>),
}

/// Reads a contact sheet. Row errors are the error (naming the line) unless `skip_invalid`,
/// which lists them as skipped; a row that identifies no one is skipped either way.
pub fn read_csv(
    path: &Path,
    kind: &SheetKind,
    skip_invalid: bool,
) -> Result<(Vec<Incoming>, Vec<Skipped>)> {
    let text = read_text(path)?;
    let rows = match kind {
        SheetKind::Linkedin => crate::interop::csv::read_linkedin(&text),
        SheetKind::Google => crate::interop::csv::read_google(&text),
        SheetKind::Any(mapping) => {
            crate::interop::sheet::read(&text, mapping.as_ref()).map(|(_, rows)| rows)
        }
    }
    .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", path.display()))?;
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for row in rows {
        let source = format!("line {}", row.line);
        match row.contact {
            Ok(draft) => records.push(Incoming {
                source,
                row: row.line.to_string(),
                uid: None,
                draft,
                named_from: row.named_from,
                dated: None,
            }),
            Err(reason) if skip_invalid || row.identifies_no_one => {
                skipped.push(Skipped { source, reason });
            }
            Err(reason) => bail!(
                "{}: {source}: {reason}; nothing was imported (--skip-invalid imports the rest)",
                path.display()
            ),
        }
    }
    Ok((records, skipped))
}
