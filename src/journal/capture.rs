//! The capture line (PRODUCT.md §3), resolved against the journal and written: `rolo log`,
//! `rolo remind` and the TUI's quick note all come through here.

use std::borrow::Cow;

use anyhow::{Result, bail};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

use super::undo::{Written, tracked};
use crate::clock::Clock;
use crate::domain::agenda::{Mark, Occasion};
use crate::domain::capture::{self, Capture, join_names};
use crate::domain::contact::{ContactDraft, ContactId};
use crate::domain::interaction::{Interaction, InteractionDraft};
use crate::domain::names::{NameCandidate, NameError, NameIndex};
use crate::domain::reminder::{Reminder, ReminderDraft, ReminderId, Source};
use crate::domain::when::{self, Direction};
use crate::store::records::Table;
use crate::store::reminders::Done;
use crate::store::{Store, contacts, drafts, interactions, reminders};

/// A capture line resolved against the journal: ready to write, or to preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub capture: Capture,
    pub people: Vec<ContactId>,
    /// The participants' display names, in the order they were named.
    pub names: Vec<String>,
    pub summary: String,
}

/// Everyone who can be named, prepared for many look-ups.
pub fn names(store: &Store) -> Result<NameIndex> {
    Ok(NameIndex::new(contacts::name_candidates(store.conn())?))
}

/// The name a person goes by in a sentence: nickname, else first name, else the full name.
pub fn short_name(candidate: &NameCandidate) -> String {
    candidate
        .nickname
        .clone()
        .or_else(|| {
            candidate
                .display_name
                .split_whitespace()
                .next()
                .map(str::to_owned)
        })
        .unwrap_or_else(|| candidate.display_name.clone())
}

/// Parses and resolves a capture line; every `@name` must name exactly one contact.
pub fn resolve(line: &str, clock: &Clock, index: &NameIndex) -> Result<Resolved> {
    let line = crate::text::clean(line);
    let capture = capture::parse(&line, clock.local_now())?;
    let candidates = index.candidates();
    let mention_ids: Vec<ContactId> = capture
        .people
        .iter()
        .map(|n| index.resolve(n))
        .collect::<Result<_, _>>()?;
    let mut people: Vec<ContactId> = Vec::new();
    for id in &mention_ids {
        if !people.contains(id) {
            people.push(*id);
        }
    }
    let by_id = |id: ContactId| candidates.iter().find(|c| c.id == id);
    let summary = capture.summary(|i| by_id(mention_ids[i]).map(short_name).unwrap_or_default());
    let names = people
        .iter()
        .filter_map(|id| by_id(*id))
        .map(|c| c.display_name.clone())
        .collect();
    Ok(Resolved {
        capture,
        people,
        names,
        summary,
    })
}

/// [`resolve`] against only the contacts the line's `@mentions` could name, read through the
/// name index instead of loading everyone; an unknown name is reported (with its "did you
/// mean") as among everyone.
pub fn resolve_in(conn: &Connection, line: &str, clock: &Clock) -> Result<Resolved> {
    let mentions = capture::parse(line, clock.local_now())?.people;
    let mentions: Vec<&str> = mentions.iter().map(String::as_str).collect();
    let index = super::contacts::names_for(conn, &mentions)?;
    match resolve(line, clock, &index) {
        Err(err)
            if matches!(
                err.downcast_ref::<NameError>(),
                Some(NameError::Unknown { .. })
            ) =>
        {
            resolve(
                line,
                clock,
                &NameIndex::new(contacts::name_candidates(conn)?),
            )
        }
        other => other,
    }
}

/// What saving a capture line wrote.
#[derive(Debug, Serialize)]
pub struct Logged {
    pub interaction: Interaction,
    pub follow_up: Option<Reminder>,
    /// The reminder this note was logged from: its due date before, and what marking it
    /// done did.
    #[serde(skip)]
    pub completed: Option<(ReminderId, NaiveDate, Done)>,
}

/// Where a note is saved from, beyond its text: what else the same transaction settles.
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin<'a> {
    /// Logged from this reminder: saving the note marks it done (if it is still open).
    pub reminder: Option<ReminderId>,
    /// The draft that held the text: cleared with the save, so a crash can never leave both
    /// the note and its draft (which would invite a second copy).
    pub draft: Option<&'a str>,
    /// Logged from a birthday or anniversary row: saving the note acknowledges that
    /// occurrence (contact, which occasion, the date it fell on).
    pub acknowledges: Option<(ContactId, Occasion, NaiveDate)>,
}

/// When it happened: `--at` (a phrase), else the line's `^when`, else now.
pub fn happened_at(resolved: &Resolved, at: Option<&str>, clock: &Clock) -> Result<DateTime<Utc>> {
    match (at, resolved.capture.at) {
        (Some(_), Some(_)) => bail!("say when it happened once: --at or ^, not both"),
        (Some(phrase), None) => Ok(clock.instant_of(when::parse_moment(
            phrase,
            clock.local_now(),
            Direction::Past,
        )?)?),
        (None, Some(local)) => Ok(clock.instant_of(local)?),
        (None, None) => Ok(clock.now),
    }
}

/// A note as typed: the capture line, then (after a newline) the body.
pub fn split(text: &str) -> (&str, Option<&str>) {
    match text.split_once('\n') {
        Some((line, body)) => (line, Some(body.trim()).filter(|b| !b.is_empty())),
        None => (text, None),
    }
}

/// The names a note can use before they exist: contacts picked as "+ new contact", stood in
/// for by placeholder ids so that a preview resolves.
///
/// Called on every keystroke of the quick note: with no one new (the usual case) it is the
/// index itself; otherwise a copy with only the new names folded.
pub fn with_new_people<'a>(index: &'a NameIndex, new_people: &[String]) -> Cow<'a, NameIndex> {
    if new_people.is_empty() {
        return Cow::Borrowed(index);
    }
    let mut extended = index.clone();
    for (n, name) in (1_i64..).zip(new_people) {
        extended.push(NameCandidate {
            id: ContactId(-n),
            display_name: name.clone(),
            nickname: None,
            company: None,
        });
    }
    Cow::Owned(extended)
}

/// The most a note may hold: far beyond a meeting's notes, short of a pasted document.
pub const MOST_NOTE_BYTES: usize = 1024 * 1024;

/// A note to save, and what else the same transaction settles.
#[derive(Debug, Clone, Copy)]
pub struct Note<'a> {
    /// The capture line, then optionally a newline and the body.
    pub text: &'a str,
    /// `--at`: when it happened, as a phrase (else the line's `^when`, else now).
    pub at: Option<&'a str>,
    /// Contacts to add first (picked as "+ new contact" while typing); a name someone has
    /// meanwhile added is used, not duplicated.
    pub new_people: &'a [String],
    pub origin: Origin<'a>,
}

/// Saves a note — its new contacts, the interaction, its follow-up, the reminder it
/// completes and the cleared draft — in one transaction, tracked for undo.
pub fn save(store: &mut Store, clock: &Clock, note: &Note<'_>) -> Result<Written<Logged>> {
    if note.text.len() > MOST_NOTE_BYTES {
        bail!(
            "the note is {} KiB; a note holds at most {} KiB (keep documents elsewhere and link them)",
            note.text.len() / 1024,
            MOST_NOTE_BYTES / 1024
        );
    }
    let (line, body) = split(note.text);
    let (now, today) = (clock.now, clock.today());
    tracked(
        store,
        |l: &Logged| format!("logged '{}'", l.interaction.summary),
        |tx, t| {
            for name in note.new_people {
                let key = crate::domain::names::match_key(name);
                let exists = contacts::name_candidates(tx)?
                    .iter()
                    .any(|c| crate::domain::names::match_key(&c.display_name) == key);
                if !exists {
                    let id = contacts::insert(tx, &ContactDraft::named(name), None, now)?;
                    t.created(tx, Table::Contacts, id.0)?;
                }
            }
            let resolved = resolve_in(tx, line, clock)?;
            let happened_at = happened_at(&resolved, note.at, clock)?;
            not_in_the_future(happened_at, clock)?;
            let draft = InteractionDraft {
                happened_at,
                kind: resolved.capture.kind.clone(),
                summary: resolved.summary.clone(),
                body: body.map(str::to_owned),
                location: None,
                participants: resolved.people.clone(),
                tags: resolved.capture.tags.clone(),
            };
            let id = interactions::insert(tx, &draft, None, now)?;
            t.created(tx, Table::Interactions, id.0)?;
            let reminder = resolved
                .capture
                .follow_up
                .as_ref()
                .map(|f| {
                    let title = if f.text.is_empty() {
                        format!(
                            "Follow up with {}: {}",
                            join_names(&resolved.names),
                            resolved.summary
                        )
                    } else {
                        f.text.clone()
                    };
                    let r = ReminderDraft {
                        title,
                        contact: resolved.people.first().copied(),
                        due_date: f.due,
                        due_time: None,
                        recurrence: None,
                        source: Source::FollowUp,
                        interaction: Some(id),
                    };
                    reminders::insert(tx, &r, None, now)
                })
                .transpose()?;
            if let Some(r) = reminder {
                t.created(tx, Table::Reminders, r.0)?;
            }
            // A reminder closed elsewhere meanwhile is fine to leave alone: the note counts.
            let completed = match note.origin.reminder {
                Some(r) if reminders::is_open(tx, r)? => {
                    t.touch(tx, Table::Reminders, r.0)?;
                    let was_due = reminders::get_open(tx, r)?.due_date;
                    Some((r, was_due, reminders::done(tx, r, today, now)?))
                }
                _ => None,
            };
            if let Some((contact, occasion, occurrence)) = note.origin.acknowledges {
                t.touch(tx, Table::Contacts, contact.0)?;
                let mark = Mark {
                    occurrence,
                    until: None,
                };
                crate::store::marks::set(tx, contact, occasion, mark, now)?;
            }
            if let Some(name) = note.origin.draft {
                drafts::clear(tx, name)?;
            }
            Ok(Logged {
                interaction: interactions::get(tx, id)?,
                follow_up: reminder.map(|r| reminders::get(tx, r)).transpose()?,
                completed,
            })
        },
    )
}

/// How far ahead of now an interaction may be dated: clocks differ by a little, and "14:00"
/// typed at 13:58 is not a plan.
const FUTURE_SLACK_MINUTES: i64 = 5;

/// An interaction is something that happened: one dated in the future is refused (a plan
/// is a reminder), so "last contact" can never read "tomorrow".
pub fn not_in_the_future(happened_at: DateTime<Utc>, clock: &Clock) -> Result<()> {
    if happened_at > clock.now + chrono::Duration::minutes(FUTURE_SLACK_MINUTES) {
        bail!(
            "that is in the future ({}); log what has happened — for something planned, use `rolo remind`",
            clock.datetime_of(happened_at).format("%Y-%m-%d %H:%M")
        );
    }
    Ok(())
}

/// `rolo log`: saves a note given on the command line (or read from standard input).
pub fn log(
    store: &mut Store,
    clock: &Clock,
    text: &str,
    at: Option<&str>,
) -> Result<Written<Logged>> {
    save(
        store,
        clock,
        &Note {
            text,
            at,
            new_people: &[],
            origin: Origin::default(),
        },
    )
}
