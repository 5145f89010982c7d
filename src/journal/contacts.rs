//! Contacts: naming one, adding (with the duplicate rule), editing, tagging, archiving,
//! trashing, and reading one or many with their stay-in-touch standing.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::undo::{Written, tracked};
use crate::clock::Clock;
use crate::domain::agenda::Occasion;
use crate::domain::contact::{Contact, ContactDraft, ContactId, Health, Standing, next_check_in};
use crate::domain::interaction::Interaction;
use crate::domain::names::{self, NameCandidate, NameError, NameIndex};
use crate::domain::reminder::Reminder;
use crate::store::contacts::{self as store_contacts, ContactRow, ListQuery, Sort};
use crate::store::interactions::{self, TimelineQuery};
use crate::store::records::Table;
use crate::store::{Store, marks, reminders};

/// Resolves a NAME argument (a name, or an id like `c12`) to one live contact, or an error
/// naming the candidates.
pub fn resolve(store: &Store, name: &str) -> Result<ContactId> {
    resolve_in(store.conn(), name)
}

/// [`resolve`] on a connection (or a transaction): among the few contacts the name could
/// mean, read through the name index. Everyone is read only when no one matches, to suggest
/// near misses.
pub(crate) fn resolve_in(conn: &Connection, name: &str) -> Result<ContactId> {
    match names_for(conn, &[name])?.resolve(name) {
        Ok(id) => Ok(id),
        Err(NameError::Unknown { .. }) => {
            if let Some(id) = names::parse_contact_id(name)
                && store_contacts::is_trashed(conn, id)?
            {
                anyhow::bail!(
                    "c{} is in the trash; restore them first (rolo trash restore c{})",
                    id.0,
                    id.0
                );
            }
            resolve_among(&store_contacts::name_candidates(conn)?, name)
        }
        Err(other) => Err(other.into()),
    }
}

/// The contacts any of `queries` (names as typed, `@` or not, or ids like `c12`) could
/// mean, ready to resolve them: the same answers as among everyone (only an unknown name's
/// "did you mean" differs), without reading every contact.
pub(crate) fn names_for(conn: &Connection, queries: &[&str]) -> Result<NameIndex> {
    let filters: Vec<names::Prefilter> = queries.iter().map(|q| names::Prefilter::new(q)).collect();
    let mut candidates = store_contacts::name_candidates_where(conn, |name, nickname| {
        filters.iter().any(|f| f.admits(name, nickname))
    })?;
    for query in queries {
        if let Some(ContactId(id)) = names::parse_contact_id(query)
            && !candidates.iter().any(|c| c.id.0 == id)
            && let Some(candidate) = store_contacts::name_candidate(conn, ContactId(id))?
        {
            candidates.push(candidate);
        }
    }
    Ok(NameIndex::new(candidates))
}

pub fn resolve_among(candidates: &[NameCandidate], name: &str) -> Result<ContactId> {
    Ok(names::resolve(name, candidates)?)
}

/// A second contact with the same name: refused unless asked for, by every face alike.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a contact named '{name}' already exists (c{}); edit them instead, or add another on purpose", .existing.0)]
pub struct DuplicateName {
    pub name: String,
    pub existing: ContactId,
}

/// The live contact named exactly `name` (case and accents aside), other than `except`.
fn same_name(store: &Store, name: &str, except: Option<ContactId>) -> Result<Option<ContactId>> {
    let key = names::match_key(name);
    let filter = names::Prefilter::new(name);
    Ok(
        store_contacts::name_candidates_where(store.conn(), |n, _| filter.admits(n, None))?
            .into_iter()
            .find(|c| Some(c.id) != except && names::match_key(&c.display_name) == key)
            .map(|c| c.id),
    )
}

fn check_name(
    store: &Store,
    draft: &ContactDraft,
    except: Option<ContactId>,
    allow_duplicate: bool,
) -> Result<()> {
    // As stored: a name of control characters alone is no name.
    if crate::text::clean(&draft.display_name).trim().is_empty() {
        bail!("a contact needs a name");
    }
    if !allow_duplicate && let Some(existing) = same_name(store, &draft.display_name, except)? {
        return Err(DuplicateName {
            name: draft.display_name.clone(),
            existing,
        }
        .into());
    }
    Ok(())
}

/// What a person's record cannot say: a birthday, anniversary or first meeting after today,
/// or being their own introducer. Only what `before` did not already hold is checked, so an
/// imported oddity never blocks an unrelated edit.
fn check_facts(
    draft: &ContactDraft,
    before: Option<&ContactDraft>,
    id: Option<ContactId>,
    clock: &Clock,
) -> Result<()> {
    type DateOf = fn(&ContactDraft) -> Option<NaiveDate>;
    let today = clock.today();
    let changed =
        |f: DateOf| f(draft).filter(|d| *d > today && before.is_none_or(|b| f(b) != f(draft)));
    let checks: [(&str, DateOf); 3] = [
        ("birthday", |d| d.birthday.and_then(|b| b.in_year(b.year?))),
        ("anniversary", |d| {
            d.anniversary.and_then(|a| a.in_year(a.year?))
        }),
        ("day you met", |d| d.met.date),
    ];
    for (what, date) in checks {
        if let Some(future) = changed(date) {
            bail!("the {what} {future} is after today; nothing was saved");
        }
    }
    if id.is_some() && draft.met.introduced_by == id {
        bail!("no one introduces themselves: introduced by names this contact");
    }
    Ok(())
}

/// Adds a contact; a second contact of the same name needs `allow_duplicate`.
pub fn add(
    store: &mut Store,
    clock: &Clock,
    draft: &ContactDraft,
    allow_duplicate: bool,
) -> Result<Written<Contact>> {
    check_name(store, draft, None, allow_duplicate)?;
    check_facts(draft, None, None, clock)?;
    let now = clock.now;
    tracked(
        store,
        |c: &Contact| format!("added {}", c.display_name),
        |tx, t| {
            let id = store_contacts::insert(tx, draft, None, now)?;
            t.created(tx, Table::Contacts, id.0)?;
            Ok(store_contacts::get(tx, id)?)
        },
    )
}

/// Reads the contact, lets `change` edit it, and writes it back, in one transaction. Nothing
/// is written when `change` changes nothing. A rename onto another contact's name needs
/// `allow_duplicate`, as `add` does.
pub fn edit(
    store: &mut Store,
    clock: &Clock,
    id: ContactId,
    allow_duplicate: bool,
    change: impl FnOnce(&mut ContactDraft) -> Result<()>,
) -> Result<Written<Contact>> {
    let now = clock.now;
    let before = store_contacts::get(store.conn(), id)?;
    let mut draft = ContactDraft::from(before.clone());
    change(&mut draft)?;
    if draft.display_name != before.display_name {
        check_name(store, &draft, Some(id), allow_duplicate)?;
        // A name the user gave is not one rolo made up: an import must not replace it.
        draft
            .tags
            .retain(|t| t != crate::domain::contact::UNNAMED_TAG);
    }
    check_facts(
        &draft,
        Some(&ContactDraft::from(before.clone())),
        Some(id),
        clock,
    )?;
    tracked(
        store,
        |c: &Contact| format!("edited {}", c.display_name),
        |tx, t| {
            // What the draft was made from must still be what is there, or another writer's
            // change would be overwritten.
            if store_contacts::get(tx, id)? != before {
                bail!(
                    "{} was changed elsewhere meanwhile; nothing was saved — try again",
                    before.display_name
                );
            }
            if draft != ContactDraft::from(before.clone()) {
                t.touch(tx, Table::Contacts, id.0)?;
                store_contacts::update(tx, id, &draft, now)?;
            }
            Ok(store_contacts::get(tx, id)?)
        },
    )
}

/// Adds (`add`) or removes tags; returns how many changed and the contact as it is now.
pub fn tag(
    store: &mut Store,
    clock: &Clock,
    id: ContactId,
    tags: &[String],
    add: bool,
) -> Result<Written<(usize, Contact)>> {
    let now = clock.now;
    tracked(
        store,
        |(_, c): &(usize, Contact)| format!("retagged {}", c.display_name),
        |tx, t| {
            t.touch(tx, Table::Contacts, id.0)?;
            let changed = if add {
                store_contacts::add_tags(tx, id, tags, now)?
            } else {
                store_contacts::remove_tags(tx, id, tags, now)?
            };
            Ok((changed, store_contacts::get(tx, id)?))
        },
    )
}

pub fn archive(
    store: &mut Store,
    clock: &Clock,
    id: ContactId,
    archived: bool,
) -> Result<Written<Contact>> {
    let now = clock.now;
    tracked(
        store,
        |c: &Contact| {
            let verb = if archived { "archived" } else { "unarchived" };
            format!("{verb} {}", c.display_name)
        },
        |tx, t| {
            t.touch(tx, Table::Contacts, id.0)?;
            store_contacts::set_archived(tx, id, archived, now)?;
            Ok(store_contacts::get(tx, id)?)
        },
    )
}

/// One contact as `show` and the TUI's card present them.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub contact: Contact,
    #[serde(flatten)]
    pub standing: Standing,
    pub interaction_count: u64,
    /// The display name of whoever introduced them (`met.introduced_by`), if still live.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introduced_by_name: Option<String>,
    /// The newest interactions, newest first.
    pub timeline: Vec<Interaction>,
    /// Open reminders, soonest first.
    pub reminders: Vec<Reminder>,
}

/// A contact with their standing, the newest `recent` interactions and open reminders.
pub fn profile(store: &Store, clock: &Clock, id: ContactId, recent: usize) -> Result<Profile> {
    let conn = store.conn();
    let contact = store_contacts::get(conn, id)?;
    let timeline = interactions::timeline(
        conn,
        &TimelineQuery {
            contact: Some(id),
            limit: recent,
            ..TimelineQuery::default()
        },
    )?;
    Ok(Profile {
        standing: contact.standing(marks::get(conn, id, Occasion::KeepInTouch)?.as_ref(), clock),
        interaction_count: interactions::count_for(conn, id)?,
        introduced_by_name: contact
            .met
            .introduced_by
            .and_then(|by| store_contacts::get(conn, by).ok())
            .map(|c| c.display_name),
        reminders: reminders::open_for_contact(conn, id)?,
        timeline,
        contact,
    })
}

/// Interactions per month over the last `months` months, oldest first (the sparkline).
pub fn monthly(store: &Store, clock: &Clock, id: ContactId, months: u32) -> Result<Vec<u64>> {
    Ok(store_contacts::monthly_interactions(
        store.conn(),
        id,
        clock.today(),
        months,
    )?)
}

/// A list row with its standing on the clock's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub row: ContactRow,
    pub standing: Standing,
}

/// Live contacts as list rows with their standing, in `query.sort` order (most overdue
/// first, for `Sort::Overdue`; contacts without a cadence last, by name).
pub fn list(
    store: &Store,
    clock: &Clock,
    query: &ListQuery<'_>,
    overdue_only: bool,
) -> Result<Vec<Listed>> {
    // Only a contact with a cadence can be overdue: their standings come from the cadence
    // index, and only the overdue are read whole.
    let kept = marks::kept(store.conn())?;
    let overdue_ids: Vec<ContactId>;
    let narrowed = if overdue_only {
        // Standing::of's rule (next_check_in), with today read once and only the instant the
        // cadence counts from placed in the zone (thousands of rows; a few hundred are overdue).
        let today = clock.today();
        overdue_ids = store_contacts::cadence_standings(store.conn(), query.include_archived)?
            .into_iter()
            .filter(|(id, every, last, created)| {
                let since = clock.date_of(last.unwrap_or(*created));
                let due = next_check_in(*every, since, kept.get(id));
                Health::of(due, today) == Health::Overdue
            })
            .map(|(id, ..)| id)
            .collect();
        ListQuery {
            with_cadence: true,
            ids: Some(&overdue_ids),
            ..query.clone()
        }
    } else {
        query.clone()
    };
    let rows = store_contacts::list(store.conn(), &narrowed)?;
    let mut listed: Vec<Listed> = rows
        .into_iter()
        .map(|row| Listed {
            standing: Standing::of(
                row.cadence,
                row.last_interaction_at,
                row.created_at,
                kept.get(&row.id),
                clock,
            ),
            row,
        })
        .filter(|l| !overdue_only || l.standing.health == Health::Overdue)
        .collect();
    if query.sort == Sort::Overdue {
        listed.sort_by_key(|l| {
            let due = l.standing.stay_in_touch_due;
            (due.is_none(), due)
        });
    }
    Ok(listed)
}
