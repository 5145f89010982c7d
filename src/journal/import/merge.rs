//! What a merge writes: the gaps an incoming record fills (never what the user set), and a
//! new title or company recorded, on request, as a milestone with a follow-up to congratulate.

use anyhow::Result;
use chrono::{DateTime, Days, Utc};
use phonenumber::country::Id as Region;
use rusqlite::Transaction;

use super::CONGRATULATE_AFTER_DAYS;
use crate::clock::Clock;
use crate::domain::contact::{ContactDraft, ContactId, UNNAMED_TAG};
use crate::domain::interaction::{InteractionDraft, InteractionId, Kind};
use crate::domain::names::match_key;
use crate::domain::reminder::{ReminderDraft, ReminderId, Source};
use crate::journal::identity;
use crate::store::{contacts, interactions, reminders};

/// Fills what the journal lacks from `incoming`; returns the names of the filled fields.
pub(super) fn fill_gaps(
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
        let key = identity::field_key(field, region);
        if !existing
            .fields
            .iter()
            .any(|f| f.kind == field.kind && identity::field_key(f, region) == key)
        {
            existing.fields.push(field.clone());
            filled.push(field.kind.as_str().to_owned());
        }
    }
    // `#unnamed` says how rolo named a record, not something a named contact gains.
    for tag in incoming.tags.iter().filter(|t| *t != UNNAMED_TAG) {
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
pub(super) fn role_of(draft: &ContactDraft) -> String {
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    match (nonempty(&draft.title), nonempty(&draft.company)) {
        (Some(t), Some(c)) => format!("{t} at {c}"),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => String::new(),
    }
}

/// The role the file gives a known person, when it differs from the journal's: a title or
/// company that both have and that are not the same (a value only the file has is a gap to
/// fill, not a change). A role is title and company together, so a change takes both from
/// the file (keeping the journal's where the file has none): "Data Engineer at Quanta", never
/// the new title at the old company. Returns the draft with the new role.
pub(super) fn new_role(existing: &ContactDraft, incoming: &ContactDraft) -> Option<ContactDraft> {
    let same = |a: &str, b: &str| match_key(a) == match_key(b);
    let differs = |ours: &Option<String>, theirs: &Option<String>| match (ours, theirs) {
        (Some(o), Some(t)) => !o.trim().is_empty() && !t.trim().is_empty() && !same(o, t),
        _ => false,
    };
    if !differs(&existing.company, &incoming.company) && !differs(&existing.title, &incoming.title)
    {
        return None;
    }
    let mut updated = existing.clone();
    for (slot, theirs) in [
        (&mut updated.company, &incoming.company),
        (&mut updated.title, &incoming.title),
    ] {
        if theirs.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            slot.clone_from(theirs);
        }
    }
    Some(updated)
}

/// A contact rolo named from its details (`#unnamed`) takes the real name of a record that
/// has one — display name and name parts — and stops being unnamed. True when it did.
pub(super) fn take_real_name(existing: &mut ContactDraft, incoming: &ContactDraft) -> bool {
    let unnamed = |d: &ContactDraft| d.tags.iter().any(|t| t == UNNAMED_TAG);
    if !unnamed(existing) || unnamed(incoming) || incoming.display_name.trim().is_empty() {
        return false;
    }
    existing.display_name.clone_from(&incoming.display_name);
    existing.name = incoming.name.clone();
    existing.tags.retain(|t| t != UNNAMED_TAG);
    true
}

/// Records a job change: the new role on the contact, a `milestone` on their timeline dated
/// from the source where it says, and a follow-up to congratulate them a few days out.
pub(super) fn record_new_role(
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
    let draft = ReminderDraft {
        title: format!("congratulate {first_name} on the new role"),
        contact: Some(id),
        due_date: clock.today() + Days::new(CONGRATULATE_AFTER_DAYS),
        due_time: None,
        recurrence: None,
        source: Source::Import,
        interaction: Some(milestone),
    };
    // One open "congratulate" at a time: a second new role before the first call moves it.
    let open = reminders::open_for_contact(tx, id)?.into_iter().find(|r| {
        r.source == Source::Import
            && r.title.starts_with("congratulate ")
            && r.title.ends_with(" on the new role")
    });
    let follow_up = match open {
        Some(reminder) => {
            reminders::update(tx, reminder.id, &draft, now)?;
            reminder.id
        }
        None => reminders::insert(tx, &draft, None, now)?,
    };
    Ok((milestone, follow_up))
}
