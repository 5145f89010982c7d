//! The weekly review's state: the week's rows, each with what was done about it.

use chrono::NaiveDate;

use super::Scroll;
use crate::domain::agenda::{Agenda, AgendaItem, ItemKey};
use crate::journal;

/// The weekly review: the week's rows in the order first shown. A row dealt with (here or
/// elsewhere) stays in its place, marked, so the review shows progress ("3 of 9 handled")
/// and a repeated key never lands on the next row.
#[derive(Debug, Clone)]
pub struct Review {
    pub week_start: NaiveDate,
    pub agenda: Agenda,
    pub rows: Vec<ReviewRow>,
    pub scroll: Scroll,
}

#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub row: journal::review::Row,
    /// What was done about it ("done", "snoozed to Fri 4 Dec"); `None` while it is open.
    pub handled: Option<String>,
}

impl Review {
    /// The selected row, if it is still open.
    pub fn selected_open(&self) -> Option<&AgendaItem> {
        self.rows
            .get(self.scroll.selected)
            .filter(|r| r.handled.is_none())
            .map(|r| &r.row.item)
    }

    /// Rows dealt with, and all rows.
    pub fn progress(&self) -> (usize, usize) {
        let handled = self.rows.iter().filter(|r| r.handled.is_some()).count();
        (handled, self.rows.len())
    }

    /// Notes what was done about the row with `key`, before the reload that shows it.
    pub fn handle(&mut self, key: ItemKey, what: String) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.row.item.key == key) {
            row.handled = Some(what);
        }
    }

    /// Takes in a fresh reading of the week: open rows are updated in place, rows gone
    /// from it are handled ("handled elsewhere" unless this window did it), new rows join
    /// at the end; an undone row opens again.
    pub(super) fn refresh(&mut self, fresh: journal::review::Review) {
        let mut fresh_rows = fresh.rows;
        for row in &mut self.rows {
            match fresh_rows
                .iter()
                .position(|f| f.item.key == row.row.item.key)
            {
                // Still open this week (maybe moved by a snooze, or undone).
                Some(i) => {
                    row.row = fresh_rows.remove(i);
                    row.handled = None;
                }
                None => {
                    row.handled.get_or_insert_with(|| "handled".to_owned());
                }
            }
        }
        self.rows.extend(
            fresh_rows
                .into_iter()
                .map(|row| ReviewRow { row, handled: None }),
        );
        self.agenda = fresh.agenda;
    }
}
