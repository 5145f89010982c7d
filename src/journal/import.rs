//! Imports: the one pipeline every contact format goes through. Records are read
//! (all of them, before anything is written), then matched against the journal — by UID,
//! then email, then profile URL, then normalised name (the name only when no stronger key of
//! the record says it is someone else) — and created or merged, all in one transaction.
//! A merge fills gaps and never overwrites what the user set. `--dry-run` runs the very same
//! code in a transaction that is rolled back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Days, Utc};
use rusqlite::Transaction;
use serde::Serialize;

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
}

/// How an import treats what it finds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Rehearse in a transaction that is rolled back.
    pub dry_run: bool,
    /// Record new titles and companies of known people as job changes.
    pub apply_changes: bool,
}

/// How many days after an import the "congratulate" follow-up of a job change is due.
pub const CONGRATULATE_AFTER_DAYS: u64 = 3;

/// Normalised keys, so `Ada@Example.com` and `https://www.linkedin.com/in/ada/` match.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn url_key(url: &str) -> String {
    let lower = url.trim().to_lowercase();
    let without_scheme = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let without_www = without_scheme
        .strip_prefix("www.")
        .unwrap_or(without_scheme);
    without_www.trim_end_matches('/').to_owned()
}

/// A profile URL's key: the same person has one profile per service, so two different
/// LinkedIn profiles are two people, while a personal website says nothing either way.
pub fn profile_key(url: &str) -> Option<String> {
    let key = url_key(url);
    let (host, path) = key.split_once('/')?;
    (host.ends_with("linkedin.com") && path.starts_with("in/")).then(|| {
        let slug = path.trim_start_matches("in/");
        format!("linkedin:{}", slug.split(['/', '?']).next().unwrap_or(slug))
    })
}

pub fn name_key(name: &str) -> String {
    match_key(name)
}

/// The journal's identities, kept current as the import creates contacts.
#[derive(Default)]
struct Index {
    uid: HashMap<String, (ContactId, bool)>,
    email: HashMap<String, ContactId>,
    url: HashMap<String, ContactId>,
    /// Profile keys ([`profile_key`]) of each contact.
    urls_of: HashMap<ContactId, Vec<String>>,
    name: HashMap<String, Vec<ContactId>>,
    display: HashMap<ContactId, String>,
    /// Contacts whose UID came from the file being imported: another UID from the same file
    /// is another person, whatever the name.
    uid_from_file: std::collections::HashSet<ContactId>,
}

impl Index {
    fn load(tx: &Transaction<'_>) -> Result<Index> {
        let mut index = Index::default();
        for c in contacts::identities(tx)? {
            index.uid.insert(c.uid.clone(), (c.id, c.trashed));
            if !c.trashed {
                index
                    .name
                    .entry(name_key(&c.display_name))
                    .or_default()
                    .push(c.id);
                index.display.insert(c.id, c.display_name);
            }
        }
        for (id, email) in contacts::field_values(tx, FieldKind::Email)? {
            index.email.entry(email_key(&email)).or_insert(id);
        }
        for (id, url) in contacts::field_values(tx, FieldKind::Url)? {
            index.url.entry(url_key(&url)).or_insert(id);
            if let Some(profile) = profile_key(&url) {
                index.urls_of.entry(id).or_default().push(profile);
            }
        }
        Ok(index)
    }

    fn add(&mut self, id: ContactId, uid: &str, from_file: bool, draft: &ContactDraft) {
        self.uid.insert(uid.to_owned(), (id, false));
        if from_file {
            self.uid_from_file.insert(id);
        }
        self.name
            .entry(name_key(&draft.display_name))
            .or_default()
            .push(id);
        self.display.insert(id, draft.display_name.clone());
        self.add_fields(id, &draft.fields);
    }

    fn add_fields(&mut self, id: ContactId, fields: &[ContactField]) {
        for f in fields {
            match f.kind {
                FieldKind::Email => {
                    self.email.entry(email_key(&f.value)).or_insert(id);
                }
                FieldKind::Url => {
                    self.url.entry(url_key(&f.value)).or_insert(id);
                    if let Some(profile) = profile_key(&f.value) {
                        self.urls_of.entry(id).or_default().push(profile);
                    }
                }
                _ => {}
            }
        }
    }

    /// Who an incoming record is, if anyone; `Err` when it cannot be imported.
    fn find(&self, incoming: &Incoming) -> Result<Option<ContactId>, String> {
        if let Some(uid) = &incoming.uid {
            match self.uid.get(uid) {
                Some((_, true)) => {
                    return Err("a contact with this UID is in the trash (restore it first)".into());
                }
                Some((id, false)) => return Ok(Some(*id)),
                None => {}
            }
        }
        let fields = |kind: FieldKind| incoming.draft.fields.iter().filter(move |f| f.kind == kind);
        if let Some(id) =
            fields(FieldKind::Email).find_map(|f| self.email.get(&email_key(&f.value)))
        {
            return Ok(Some(*id));
        }
        let urls: Vec<String> = fields(FieldKind::Url).map(|f| url_key(&f.value)).collect();
        if let Some(id) = urls.iter().find_map(|u| self.url.get(u)) {
            return Ok(Some(*id));
        }
        // A profile URL, or a UID from this same file, is a stronger key than a name: a
        // same-named contact with another profile on the same service is someone else (a
        // personal website is no such contradiction).
        let profiles: Vec<String> = fields(FieldKind::Url)
            .filter_map(|f| profile_key(&f.value))
            .collect();
        let candidates: Vec<ContactId> = self
            .name
            .get(&name_key(&incoming.draft.display_name))
            .into_iter()
            .flatten()
            .copied()
            .filter(|id| {
                let theirs = self.urls_of.get(id).map_or(&[][..], Vec::as_slice);
                theirs.is_empty()
                    || profiles.is_empty()
                    || profiles.iter().any(|p| theirs.contains(p))
            })
            .filter(|id| incoming.uid.is_none() || !self.uid_from_file.contains(id))
            .collect();
        Ok(match candidates.as_slice() {
            [one] => Some(*one),
            _ => None, // nobody, or several people of that name: a new contact
        })
    }
}

/// Fills what the journal lacks from `incoming`; returns the names of the filled fields.
fn fill_gaps(existing: &mut ContactDraft, incoming: &ContactDraft) -> Vec<String> {
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
            FieldKind::Email => email_key(&f.value),
            FieldKind::Url => url_key(&f.value),
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

fn apply(
    tx: &Transaction<'_>,
    clock: &Clock,
    records: Vec<Incoming>,
    skipped: Vec<Skipped>,
    options: Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report> {
    let now = clock.now;
    let mut index = Index::load(tx)?;
    let mut report = Report {
        dry_run: options.dry_run,
        skipped,
        ..Report::default()
    };
    let total = records.len();
    for (n, record) in records.into_iter().enumerate() {
        if n % 1000 == 0 {
            progress(n, total);
        }
        match index.find(&record) {
            Err(reason) => report.skipped.push(Skipped {
                source: record.source,
                reason,
            }),
            Ok(None) => {
                let uid = record.uid.clone().unwrap_or_else(contacts::new_uid);
                let mut draft = record.draft;
                if record.named_from.is_some() && !draft.tags.iter().any(|t| t == UNNAMED_TAG) {
                    draft.tags.push(UNNAMED_TAG.to_owned());
                    draft.tags.sort();
                }
                let id = contacts::insert(tx, &draft, Some(&uid), now)?;
                index.add(id, &uid, record.uid.is_some(), &draft);
                report.created.push(Created {
                    source: record.source,
                    name: draft.display_name,
                    named_from: record.named_from,
                });
            }
            Ok(Some(id)) => {
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
                let fields = fill_gaps(&mut existing, &record.draft);
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
                    index.add_fields(id, &existing.fields);
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
    options: Options,
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

/// Reads vCards from a file or a directory. Without `skip_invalid`, the first bad card is
/// the error (and nothing is imported).
pub fn read_vcards(path: &Path, skip_invalid: bool) -> Result<(Vec<Incoming>, Vec<Skipped>)> {
    let files = vcard_files(path)?;
    let many = files.len() > 1;
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for file in files {
        let bytes =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        // vCard 4 is UTF-8; older files in Latin-1 are read as such rather than refused.
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| e.into_bytes().into_iter().map(char::from).collect());
        let prefix = if many {
            format!(
                "{} ",
                file.file_name().unwrap_or_default().to_string_lossy()
            )
        } else {
            String::new()
        };
        for result in vcard::read_each(&text) {
            match result {
                Ok(card) => records.push(Incoming {
                    source: format!("{prefix}card {}", card.number),
                    uid: card.uid,
                    draft: card.draft,
                    named_from: None,
                    dated: card.rev,
                }),
                Err(err) if skip_invalid => skipped.push(Skipped {
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

/// Reads a LinkedIn or Google CSV. Row errors are the error (naming the line) unless
/// `skip_invalid`, which lists them as skipped.
pub fn read_csv(
    path: &Path,
    google: bool,
    skip_invalid: bool,
) -> Result<(Vec<Incoming>, Vec<Skipped>)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| e.into_bytes().into_iter().map(char::from).collect());
    let rows = if google {
        crate::interop::csv::read_google(&text)
    } else {
        crate::interop::csv::read_linkedin(&text)
    }
    .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", path.display()))?;
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for row in rows {
        let source = format!("line {}", row.line);
        match row.contact {
            Ok(draft) => records.push(Incoming {
                source,
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
