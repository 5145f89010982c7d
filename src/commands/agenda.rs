//! `agenda`, `done`, `snooze`: what is due, and dealing with it.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use super::Ctx;
use super::output::emit;
use crate::domain::agenda::{Agenda, AgendaItem, ItemKind, day_heading, relative_day};
use crate::domain::reminder::Reminder;
use crate::domain::when::{self, Direction};
use crate::journal::{agenda, reminders};
use crate::store::reminders::Done;

pub fn agenda(ctx: &Ctx, from: Option<&str>, days: u32) -> Result<()> {
    let today = ctx.clock.today();
    let from = from
        .map(|f| when::parse_date(f, today, Direction::Future))
        .transpose()?
        .unwrap_or(today);
    let agenda = agenda::load(&ctx.store, &ctx.clock, from, days)?;
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

#[derive(Serialize)]
struct DoneJson {
    reminder: Reminder,
    /// The next date of a recurring reminder; absent when it was completed.
    next_due: Option<NaiveDate>,
}

pub fn done(ctx: &mut Ctx, id: &str) -> Result<()> {
    let id = reminders::parse_id(id)?;
    let completed = reminders::done(&mut ctx.store, &ctx.clock, id)?;
    let reminder = completed.reminder;
    let next_due = match completed.outcome {
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
    let id = reminders::parse_id(id)?;
    let reminder = reminders::snooze(&mut ctx.store, &ctx.clock, id, until)?;
    emit(ctx.json, &reminder, || {
        format!(
            "Snoozed r{} until {} ({} snoozes): {}\n",
            id.0, reminder.due_date, reminder.snooze_count, reminder.title
        )
    })
}
