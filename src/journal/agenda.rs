//! What is due: the agenda for a window of days, as the CLI's `agenda`, the reminders pane
//! and the weekly review all show it; and dealing with any of its rows the same way —
//! a reminder, a lapsed cadence or a birthday is done (acknowledged) or put off.

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;

use super::reminders;
use super::undo::{Written, tracked};
use crate::clock::Clock;
use crate::domain::agenda::{self, Agenda, AgendaItem, ItemKey, ItemKind, KeyRef, Mark, Occasion};
use crate::domain::contact::ContactId;
use crate::store::records::Table;
use crate::store::{self, Store, contacts, marks};

/// The window `rolo done c4` looks in for the row it means: what is overdue and the coming
/// week, as `rolo agenda` shows by default.
pub const WINDOW_DAYS: u32 = 7;

/// The agenda for `from ..= from + days`, overdue items included.
pub fn load(store: &Store, clock: &Clock, from: NaiveDate, days: u32) -> store::Result<Agenda> {
    let until = from
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let conn = store.conn();
    let open = store::reminders::open(conn, Some(until))?;
    let cadences = contacts::cadence_rows(conn, |t| clock.date_of(t))?;
    let dates = contacts::date_rows(conn)?;
    let marks = marks::all(conn)?;
    Ok(agenda::build(from, days, &open, &cadences, &dates, &marks))
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
            Ok(reminder_item(&reminder))
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

/// An open reminder as an agenda row, for one not due within the window.
fn reminder_item(r: &crate::domain::reminder::Reminder) -> AgendaItem {
    AgendaItem {
        key: ItemKey::Reminder(r.id),
        date: r.due_date,
        was_due: None,
        kind: ItemKind::Reminder {
            id: r.id,
            source: r.source,
            recurring: r.recurrence,
        },
        title: r.title.clone(),
        contact_id: r.contact,
        contact: r.contact_name.clone(),
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
