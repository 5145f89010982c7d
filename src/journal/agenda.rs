//! What is due: the agenda for a window of days, as the CLI's `agenda`, the reminders pane
//! and the weekly review all show it.

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::domain::agenda::{self, Agenda};
use crate::store::{self, Store, contacts, reminders};

/// The agenda for `from ..= from + days`, overdue items included.
pub fn load(store: &Store, clock: &Clock, from: NaiveDate, days: u32) -> store::Result<Agenda> {
    let until = from
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let conn = store.conn();
    let open = reminders::open(conn, Some(until))?;
    let cadences = contacts::cadence_rows(conn, |t| clock.date_of(t))?;
    let dates = contacts::date_rows(conn)?;
    Ok(agenda::build(from, days, &open, &cadences, &dates))
}
