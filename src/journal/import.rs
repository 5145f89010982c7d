//! Imports: the one pipeline every contact format goes through. Records are read (all of
//! them, before anything is written), then matched against the journal by the one identity
//! rule of [`super::identity`] — a strong identifier that agrees and nothing strong that
//! contradicts it — and created, merged, or held back as a *possible match* for the user to
//! settle (`--link ROW=c12`, `--new ROW`), all in one transaction. A merge fills gaps and never
//! overwrites what the user set; a new title or company is a job change, recorded only on
//! request. `--dry-run` runs the very same code in a transaction that is rolled back.

use std::collections::{HashMap, HashSet};

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use phonenumber::country::Id as Region;
use rusqlite::Transaction;
use serde::Serialize;

use super::identity::{self, Keys, Verdict};
use crate::clock::Clock;
use crate::domain::contact::{ContactDraft, ContactField, ContactId, FieldKind, UNNAMED_TAG};
use crate::domain::interaction::InteractionId;
use crate::domain::reminder::ReminderId;
use crate::store::{Store, contacts};

mod merge;
mod read;

use merge::{fill_gaps, new_role, record_new_role, role_of, take_real_name};
pub use read::*;

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
    /// Contacts created from this file with a LinkedIn profile: an export lists each
    /// connection once, so another profile from the same file is another person.
    profile_from_file: HashSet<ContactId>,
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
            if c.unnamed {
                draft.tags.push(UNNAMED_TAG.to_owned());
            }
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
            let other_profile_in_file = self.profile_from_file.contains(&id)
                && !keys.profiles.is_empty()
                && !keys.profiles.iter().any(|p| theirs.profiles.contains(p));
            let verdict = if (incoming.uid.is_some()
                && theirs.uid != keys.uid
                && self.uid_from_file.contains(&id))
                || other_profile_in_file
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

/// A possible match that is no question: a candidate with the record's very name that already
/// holds everything the record brings (every field equal after normalisation, no new role).
/// Re-importing a name-only card is then "already up to date", not a fresh question each time.
fn already_held(
    tx: &Transaction<'_>,
    index: &Index,
    record: &Incoming,
    candidates: &[Candidate],
    options: &Options,
) -> Result<Option<Merged>> {
    let name = Keys::of(None, &record.draft, options.region).name;
    if name.is_empty() {
        return Ok(None);
    }
    let mut held = Vec::new();
    for candidate in candidates {
        let id = candidate.contact_id;
        if index.keys.get(&id).is_none_or(|k| k.name != name) {
            continue;
        }
        let mut existing = ContactDraft::from(contacts::get(tx, id)?);
        if new_role(&existing, &record.draft).is_none()
            && fill_gaps(&mut existing, &record.draft, options.region).is_empty()
        {
            held.push(Merged {
                source: record.source.clone(),
                name: record.draft.display_name.clone(),
                into: existing.display_name,
                contact_id: id,
                fields: Vec::new(),
            });
        }
    }
    // Two namesakes who both hold it all: still the user's call.
    Ok(if held.len() == 1 { held.pop() } else { None })
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
    for (n, mut record) in records.into_iter().enumerate() {
        if n % 1000 == 0 {
            progress(n, total);
        }
        // Matched and merged as it will be stored (NFC, no control characters), so that
        // nothing compares unequal only because the file spelled it differently; a record
        // rolo named is flagged before matching, so its made-up name matches no real namesake.
        record.draft = record.draft.cleaned();
        if record.named_from.is_some() && !record.draft.tags.iter().any(|t| t == UNNAMED_TAG) {
            record.draft.tags.push(UNNAMED_TAG.to_owned());
            record.draft.tags.sort();
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
            Ok(Found::Possible(candidates)) => {
                if let Some(known) = already_held(tx, &index, &record, &candidates, options)? {
                    report.unchanged.push(known);
                    continue;
                }
                report.possible.push(Possible {
                    source: record.source,
                    row: record.row,
                    name: record.draft.display_name,
                    candidates,
                });
            }
            Ok(Found::Nobody) => {
                let uid = record.uid.clone().unwrap_or_else(contacts::new_uid);
                let draft = record.draft;
                let id = contacts::insert(tx, &draft, Some(&uid), now)?;
                index.put(id, Some(&uid), &draft);
                if record.uid.is_some() {
                    index.uid_from_file.insert(id);
                }
                if index.keys.get(&id).is_some_and(|k| !k.profiles.is_empty()) {
                    index.profile_from_file.insert(id);
                }
                report.created.push(Created {
                    source: record.source,
                    name: draft.display_name,
                    named_from: record.named_from,
                });
            }
            Ok(Found::Same(id)) => {
                let mut existing = ContactDraft::from(contacts::get(tx, id)?);
                let mut incoming = record.draft;
                let mut fields = Vec::new();
                if take_real_name(&mut existing, &incoming) {
                    fields.push("name".to_owned());
                }
                if let Some(updated) = new_role(&existing, &incoming) {
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
                        // A rehearsal's ids are rolled back with it: a dry run names none.
                        if !options.dry_run {
                            change.milestone = Some(milestone);
                            change.follow_up = Some(follow_up);
                        }
                        existing = updated;
                    }
                    report.changes.push(change);
                    // A role moves as a unit: its title and company are not gaps to fill.
                    incoming.title = None;
                    incoming.company = None;
                }
                fields.extend(fill_gaps(&mut existing, &incoming, options.region));
                let merged = Merged {
                    source: record.source,
                    name: incoming.display_name,
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
