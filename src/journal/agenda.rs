//! What is due: the agenda for a window of days, as the CLI's `agenda`, the reminders pane
//! and the weekly review all show it.
//!
//! A journal can hold thousands of open follow-ups. Nobody reads 8,000 overdue rows, so the
//! CLI and the reminders pane read the agenda a page at a time: the reminders of the page
//! (an index walk), every section's total (counted in the index), and the stay-in-touch and
//! date rows (one per contact at most, read from covering indexes).

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::domain::agenda::{self, Agenda};
use crate::domain::reminder::Reminder;
use crate::store::{self, Store, contacts, reminders};

fn until_of(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The whole agenda for `from ..= from + days`, overdue items included.
pub fn load(store: &Store, clock: &Clock, from: NaiveDate, days: u32) -> store::Result<Agenda> {
    let open = reminders::open(store.conn(), Some(until_of(from, days)))?;
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
    // A section's first `wanted` items hold at most `wanted` reminders, and they are the
    // first ones in date-then-made order: reading those is enough.
    let counts = reminders::open_counts(conn, until)?;
    let mut open = reminders::open_between(conn, None, from.pred_opt(), wanted)?;
    for (date, _) in &counts {
        if *date >= from {
            open.extend(reminders::open_between(
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
    let open = reminders::open_between(store.conn(), None, Some(until), n)?;
    let counts = reminders::open_counts(store.conn(), until)?;
    Ok(with_totals(store, clock, from, days, &open, counts)?.head(n))
}

fn build(
    store: &Store,
    clock: &Clock,
    from: NaiveDate,
    days: u32,
    open: &[Reminder],
) -> store::Result<Agenda> {
    let conn = store.conn();
    let until = until_of(from, days);
    let cadences = contacts::cadence_rows_due_by(conn, |t| clock.date_of(t), until)?;
    let dates = contacts::date_rows_between(conn, from, until)?;
    Ok(agenda::build(from, days, open, &cadences, &dates))
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
    let others = |items: &[agenda::AgendaItem]| {
        items
            .iter()
            .filter(|i| !matches!(i.kind, agenda::ItemKind::Reminder { .. }))
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
