//! `agenda`, `done`, `snooze`: what is due, and dealing with it.

use std::fmt::Write as _;

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use serde::Serialize;

use super::output::emit;
use super::{Ctx, local_date};
use crate::domain::agenda::{self, Agenda, AgendaItem, ItemKind, day_heading, relative_day};
use crate::domain::reminder::{Reminder, ReminderId};
use crate::domain::when::{self, Direction};
use crate::store::reminders::{self, Done};
use crate::store::{Store, contacts};

/// The agenda for `from ..= from + days`, read from the store.
/// `local_date` turns an instant into the user's calendar date.
pub fn load(
    store: &Store,
    from: NaiveDate,
    days: u32,
    local_date: impl Fn(chrono::DateTime<chrono::Utc>) -> NaiveDate,
) -> crate::store::Result<Agenda> {
    let until = from
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let conn = store.conn();
    let open = reminders::open(conn, Some(until))?;
    let cadences = contacts::cadence_rows(conn, local_date)?;
    let dates = contacts::date_rows(conn)?;
    Ok(agenda::build(from, days, &open, &cadences, &dates))
}

pub fn agenda(ctx: &Ctx, from: Option<&str>, days: u32) -> Result<()> {
    let from = from
        .map(|f| when::parse_date(f, ctx.today(), Direction::Future))
        .transpose()?
        .unwrap_or(ctx.today());
    let agenda = load(&ctx.store, from, days, local_date)?;
    emit(ctx.json, &agenda, || render(&agenda))
}

fn item_line(out: &mut String, item: &AgendaItem, from: NaiveDate, overdue: bool) {
    let id = match &item.kind {
        ItemKind::Reminder { id, .. } => format!("r{}", id.0),
        _ => String::new(),
    };
    let when = if overdue {
        format!("  ({}, due {})", relative_day(item.date, from), item.date)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {id:<6} {:<13} {}{when}",
        item.kind.label(),
        item.title
    );
}

fn render(agenda: &Agenda) -> String {
    if agenda.is_empty() {
        return format!("Nothing due from {} to {}.\n", agenda.from, agenda.until);
    }
    let mut out = String::new();
    if !agenda.overdue.is_empty() {
        let _ = writeln!(out, "Overdue ({})", agenda.overdue.len());
        for item in &agenda.overdue {
            item_line(&mut out, item, agenda.from, true);
        }
    }
    for day in &agenda.days {
        if !out.is_empty() {
            out.push('\n');
        }
        let label = if day.date == agenda.from {
            format!("Today · {}", day_heading(day.date))
        } else {
            day_heading(day.date)
        };
        let _ = writeln!(out, "{label}  {}", day.date);
        for item in &day.items {
            item_line(&mut out, item, agenda.from, false);
        }
    }
    out
}

/// `r12` or `12`.
fn reminder_id(text: &str) -> Result<ReminderId> {
    text.trim()
        .trim_start_matches('r')
        .parse()
        .map(ReminderId)
        .map_err(|_| anyhow!("'{text}' is not a reminder id; use the id agenda shows, e.g. r12"))
}

#[derive(Serialize)]
struct DoneJson {
    reminder: Reminder,
    /// The next date of a recurring reminder; absent when it was completed.
    next_due: Option<NaiveDate>,
}

pub fn done(ctx: &mut Ctx, id: &str) -> Result<()> {
    let id = reminder_id(id)?;
    let (today, now) = (ctx.today(), ctx.now);
    let outcome = ctx.store.write(|tx| reminders::done(tx, id, today, now))?;
    let reminder = reminders::get(ctx.store.conn(), id)?;
    let next_due = match outcome {
        Done::Completed => None,
        Done::Rescheduled(next) => Some(next),
    };
    emit(
        ctx.json,
        &DoneJson {
            reminder: reminder.clone(),
            next_due,
        },
        || match next_due {
            None => format!("Done: r{} {}\n", id.0, reminder.title),
            Some(next) => format!("Done: r{} {} (next due {next})\n", id.0, reminder.title),
        },
    )
}

pub fn snooze(ctx: &mut Ctx, id: &str, until: &str) -> Result<()> {
    let id = reminder_id(id)?;
    let date = when::parse_date(until, ctx.today(), Direction::Future)?;
    if date < ctx.today() {
        bail!("{date} is in the past; snooze to a later date");
    }
    let now = ctx.now;
    let reminder = ctx.store.write(|tx| reminders::snooze(tx, id, date, now))?;
    emit(ctx.json, &reminder, || {
        format!(
            "Snoozed r{} until {} ({} snoozes): {}\n",
            id.0, date, reminder.snooze_count, reminder.title
        )
    })
}
