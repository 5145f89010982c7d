//! What is due: the agenda for a window of days, as the CLI's `agenda`, the reminders pane
//! and the weekly review all show it; and dealing with any of its rows the same way —
//! a reminder, a lapsed cadence or a birthday is done (acknowledged) or put off.

use std::collections::HashMap;

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::reminders;
use super::undo::{Written, tracked};
use crate::clock::Clock;
use crate::domain::agenda::{
    self, Agenda, AgendaItem, CadenceRow, DatesRow, ItemKey, ItemKind, KeyRef, Mark, Occasion,
};
use crate::domain::contact::ContactId;
use crate::domain::reminder::Reminder;
use crate::store::records::Table;
use crate::store::{self, Store, contacts, marks};

/// The window `rolo done c4` looks in for the row it means: what is overdue and the coming
/// week, as `rolo agenda` shows by default.
pub const WINDOW_DAYS: u32 = 7;

fn until_of(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The whole agenda for `from ..= from + days`, overdue items included.
pub fn load(store: &Store, clock: &Clock, from: NaiveDate, days: u32) -> store::Result<Agenda> {
    let open = store::reminders::open(store.conn(), Some(until_of(from, days)))?;
    build(store, clock, from, days, &open)
}

/// Which part of each section of the agenda to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Items skipped at the start of each section.
    pub offset: usize,
    pub limit: usize,
}

/// The agenda for `from ..= from + days` with, in each section (overdue, each day), only the
/// items of `page`; every section still says how many it has in all.
///
/// A journal can hold thousands of open follow-ups, and nobody reads 8,000 overdue rows:
/// this reads the reminders of the page (an index walk), every section's total (counted in
/// the index), and the stay-in-touch and date rows (one per contact at most, from covering
/// indexes).
pub fn load_page(
    store: &Store,
    clock: &Clock,
    from: NaiveDate,
    days: u32,
    page: Page,
) -> store::Result<Agenda> {
    let conn = store.conn();
    let until = until_of(from, days);
    let wanted = page.offset.saturating_add(page.limit);
    let counts = store::reminders::open_counts(conn, until)?;
    // A section's first `wanted` items hold at most `wanted` reminders, and they are the
    // first ones in date-then-made order: reading those is enough.
    let mut open = store::reminders::open_between(conn, None, from.pred_opt(), wanted)?;
    for (date, _) in &counts {
        if *date >= from {
            open.extend(store::reminders::open_between(
                conn,
                Some(*date),
                Some(*date),
                wanted,
            )?);
        }
    }
    Ok(with_totals(store, clock, from, days, &open, counts)?.page(page.offset, page.limit))
}

/// The first `n` items of the agenda for `from ..= from + days`, overdue first: what the
/// reminders pane shows, with every section's total.
pub fn load_head(
    store: &Store,
    clock: &Clock,
    from: NaiveDate,
    days: u32,
    n: usize,
) -> store::Result<Agenda> {
    let until = until_of(from, days);
    let open = store::reminders::open_between(store.conn(), None, Some(until), n)?;
    let per_date = store::reminders::open_counts(store.conn(), until)?;
    let (cadences, dates, marks) = occasions(store, clock, from, until)?;
    let open = agenda::OpenReminders {
        first: &open,
        per_date: &per_date,
    };
    Ok(agenda::head(from, days, open, &cadences, &dates, &marks, n))
}

/// The agenda of `open` (the open reminders, or the first of them) and every other item.
fn build(
    store: &Store,
    clock: &Clock,
    from: NaiveDate,
    days: u32,
    open: &[Reminder],
) -> store::Result<Agenda> {
    let (cadences, dates, marks) = occasions(store, clock, from, until_of(from, days))?;
    Ok(agenda::build(from, days, open, &cadences, &dates, &marks))
}

/// The contacts' rows that can fall from `from` to `until`, and their marks.
fn occasions(
    store: &Store,
    clock: &Clock,
    from: NaiveDate,
    until: NaiveDate,
) -> store::Result<(Vec<CadenceRow>, Vec<DatesRow>, agenda::Marks)> {
    let conn = store.conn();
    let marks = marks::all(conn)?;
    // Only rows that can fall in the window are made: a cadence due after `until` (a mark
    // only ever puts it later), a date with no occurrence in it — unless a mark moved one
    // there.
    let cadences = contacts::cadence_rows_due_by(conn, |t| clock.date_of(t), until)?;
    let dates = contacts::date_rows_between(conn, from, until, |id| {
        marks.contains_key(&(id, Occasion::Birthday))
            || marks.contains_key(&(id, Occasion::Anniversary))
    })?;
    Ok((cadences, dates, marks))
}

/// The agenda of `open` (some of the open reminders) and every other item, with the totals
/// of all open reminders as `counts` (open reminders per due date) has them.
fn with_totals(
    store: &Store,
    clock: &Clock,
    from: NaiveDate,
    days: u32,
    open: &[Reminder],
    counts: Vec<(NaiveDate, usize)>,
) -> store::Result<Agenda> {
    let mut agenda = build(store, clock, from, days, open)?;
    let counted: HashMap<NaiveDate, usize> = counts.into_iter().collect();
    let others = |items: &[AgendaItem]| {
        items
            .iter()
            .filter(|i| !matches!(i.kind, ItemKind::Reminder { .. }))
            .count()
    };
    agenda.overdue_total = others(&agenda.overdue)
        + counted
            .iter()
            .filter(|(d, _)| **d < from)
            .map(|(_, n)| n)
            .sum::<usize>();
    // A day whose reminders were not read (past the head) is still a day with a total.
    for date in counted.keys().filter(|d| **d >= from) {
        if let Err(at) = agenda.days.binary_search_by_key(date, |d| d.date) {
            agenda.days.insert(
                at,
                agenda::Day {
                    date: *date,
                    items: Vec::new(),
                    total: 0,
                },
            );
        }
    }
    for day in &mut agenda.days {
        day.total = others(&day.items) + counted.get(&day.date).copied().unwrap_or(0);
    }
    Ok(agenda)
}

/// The row a typed key means, among what is overdue or due in the coming week: `c4` alone
/// must name exactly one of the contact's rows. Errors say which keys there are.
pub fn find(store: &Store, clock: &Clock, key: &str) -> Result<AgendaItem> {
    let wanted: KeyRef = key.parse().map_err(|e: String| anyhow!(e))?;
    let agenda = load(store, clock, clock.today(), WINDOW_DAYS)?;
    let matching: Vec<&AgendaItem> = agenda
        .items()
        .filter(|item| match wanted {
            KeyRef::Exact(k) => item.key == k,
            KeyRef::Contact(c) => matches!(item.key, ItemKey::Occasion(id, _) if id == c),
        })
        .collect();
    match (matching.as_slice(), wanted) {
        ([one], _) => Ok((*one).clone()),
        ([], KeyRef::Exact(ItemKey::Reminder(id))) => {
            // Not due this week, or closed: the reminder layer says which.
            let reminder = crate::store::reminders::get_open(store.conn(), id)?;
            Ok(AgendaItem::of_reminder(&reminder))
        }
        ([], _) => {
            bail!("nothing for {key} is overdue or due this week (rolo agenda shows what is)")
        }
        (several, _) => bail!(
            "{key} has {} rows this week; say which: {}",
            several.len(),
            several
                .iter()
                .map(|i| i.key.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// What dealing with a row did, in words for the status line ("Done: send the deck").
#[derive(Debug, Clone)]
pub struct Handled {
    pub message: String,
    /// The date the row comes back, if it does.
    pub next: Option<NaiveDate>,
}

fn occasion_of(item: &AgendaItem) -> Result<(ContactId, Occasion)> {
    match item.key {
        ItemKey::Occasion(c, o) => Ok((c, o)),
        ItemKey::Reminder(_) => Err(anyhow!("not a contact's occasion")),
    }
}

/// Marks `item`'s occasion, tracked for undo.
fn mark(
    store: &mut Store,
    clock: &Clock,
    item: &AgendaItem,
    until: Option<NaiveDate>,
    message: String,
) -> Result<Written<Handled>> {
    let (contact, occasion) = occasion_of(item)?;
    let mark = Mark {
        occurrence: item.was_due.unwrap_or(item.date),
        until,
    };
    let what = message.clone();
    let now = clock.now;
    tracked(
        store,
        move |_: &Handled| what,
        |tx, t| {
            t.touch(tx, Table::Contacts, contact.0)?;
            marks::set(tx, contact, occasion, mark, now)?;
            Ok(Handled {
                message,
                next: until,
            })
        },
    )
}

/// Done with a row: a reminder is completed (a recurring one moves to its next date); a
/// lapsed cadence counts as kept for one more round (next check-in a cadence from today —
/// logging an interaction does this too, and says more); a birthday or anniversary is
/// acknowledged until next year.
pub fn done(store: &mut Store, clock: &Clock, item: &AgendaItem) -> Result<Written<Handled>> {
    let who = item.contact.as_deref().unwrap_or("them");
    match item.kind {
        ItemKind::Reminder { id, .. } => {
            let written = reminders::done(store, clock, id)?;
            let message = match written.value.outcome {
                store::reminders::Done::Completed => format!("Done: {}", item.title),
                store::reminders::Done::Rescheduled(next) => {
                    format!("Done: {} — next on {next}", item.title)
                }
            };
            let next = match written.value.outcome {
                store::reminders::Done::Completed => None,
                store::reminders::Done::Rescheduled(next) => Some(next),
            };
            Ok(Written {
                value: Handled { message, next },
                change: written.change,
            })
        }
        ItemKind::StayInTouch { cadence, .. } => {
            let next = cadence.after(clock.today());
            let message = format!(
                "In touch with {who}: next check-in {}",
                agenda::day_heading(next)
            );
            mark(store, clock, item, Some(next), message)
        }
        ItemKind::Birthday { .. } | ItemKind::Anniversary { .. } => {
            let message = format!("Acknowledged: {}", item.title);
            mark(store, clock, item, None, message)
        }
    }
}

/// Puts a row off to `date`. Like a reminder's snooze it only ever moves a row later: to
/// the date it is on it changes nothing; an earlier date, or one in the past, is refused.
pub fn snooze(
    store: &mut Store,
    clock: &Clock,
    item: &AgendaItem,
    date: NaiveDate,
) -> Result<Written<Handled>> {
    if let ItemKind::Reminder { id, .. } = item.kind {
        let written = reminders::snooze_to(store, clock, id, date)?;
        return Ok(Written {
            value: Handled {
                message: format!("Snoozed until {date}: {}", written.value.title),
                next: Some(date),
            },
            change: written.change,
        });
    }
    if date < clock.today() {
        bail!("{date} is in the past; snooze to a later date");
    }
    if date < item.date {
        bail!(
            "{} is already on {}; a snooze moves it later",
            item.title,
            item.date
        );
    }
    // A yearly date put off as far as its next occurrence would be two rows of one key.
    if let ItemKind::Birthday { .. } | ItemKind::Anniversary { .. } = item.kind {
        let occurrence = item.was_due.unwrap_or(item.date);
        if let Some(next) = occurrence.checked_add_months(chrono::Months::new(12))
            && date >= next
        {
            bail!(
                "{} comes round again on {next}; snooze it to an earlier date",
                item.title
            );
        }
    }
    if date == item.date {
        return Ok(Written {
            value: Handled {
                message: format!("Already on {date}; nothing changed"),
                next: Some(date),
            },
            change: super::undo::Change::default(),
        });
    }
    let message = format!("Snoozed until {date}: {}", item.title);
    mark(store, clock, item, Some(date), message)
}

/// Takes back a done: of a reminder (see [`reminders::undo_done`]), or a done or snooze of a
/// contact's occasion (`rolo done --undo c4:birthday`), which falls on its own date again.
pub fn unmark(store: &mut Store, clock: &Clock, key: &str) -> Result<Written<Handled>> {
    let (contact, occasion) = match key.parse().map_err(|e: String| anyhow!(e))? {
        KeyRef::Exact(ItemKey::Occasion(c, o)) => (c, o),
        KeyRef::Exact(ItemKey::Reminder(id)) => {
            let written = reminders::undo_done(store, clock, id)?;
            let r = &written.value;
            return Ok(Written {
                value: Handled {
                    message: format!("Open again: r{} {} (due {})", id.0, r.title, r.due_date),
                    next: Some(r.due_date),
                },
                change: written.change,
            });
        }
        KeyRef::Contact(c) => {
            let marked: Vec<Occasion> = marks::of(store.conn(), c)?
                .iter()
                .map(|m| m.occasion)
                .collect();
            match marked.as_slice() {
                [one] => (c, *one),
                [] => bail!("nothing of c{}'s was done or snoozed", c.0),
                several => bail!(
                    "say which: {}",
                    several
                        .iter()
                        .map(|o| ItemKey::Occasion(c, *o).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        }
    };
    let name = contacts::get(store.conn(), contact)?.display_name;
    if contacts::is_trashed(store.conn(), contact)? {
        bail!(
            "{name} is in the trash; restore them first (rolo trash restore c{})",
            contact.0
        );
    }
    let message = format!(
        "{name}'s {} is back on its date",
        occasion.as_str().replace('-', " ")
    );
    let what = message.clone();
    let now = clock.now;
    let written = tracked(
        store,
        move |_: &bool| what,
        |tx, t| {
            t.touch(tx, Table::Contacts, contact.0)?;
            Ok(marks::remove(tx, contact, occasion, now)?)
        },
    )?;
    if !written.value {
        bail!(
            "c{}'s {} was neither done nor snoozed",
            contact.0,
            occasion.as_str()
        );
    }
    Ok(Written {
        value: Handled {
            message,
            next: None,
        },
        change: written.change,
    })
}
