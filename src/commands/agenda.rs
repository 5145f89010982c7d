//! `agenda`, `done`, `snooze`: what is due, and dealing with it.

use std::fmt::Write as _;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::Ctx;
use super::output::emit;
use crate::cli::ReminderFields;
use crate::domain::agenda::{Agenda, AgendaItem, day_heading};
use crate::domain::reminder::{Reminder, ReminderId};
use crate::domain::when::{self, Direction, Every};
use crate::journal::reminders::ReminderEdit;
use crate::journal::{agenda, reminders};
use crate::store::reminders::Done;
use crate::text::truncate;

/// How much of each section `agenda` prints (`None`: all of it).
#[derive(Debug, Clone, Copy)]
pub struct Rows {
    pub limit: usize,
    /// 1 for the first `limit` rows of each section.
    pub page: u32,
}

impl Rows {
    fn offset(self) -> usize {
        self.limit
            .saturating_mul(usize::try_from(self.page.saturating_sub(1)).unwrap_or(usize::MAX))
    }
}

pub fn agenda(ctx: &Ctx, from: Option<&str>, days: u32, rows: Option<Rows>) -> Result<()> {
    let today = ctx.clock.today();
    let from = from
        .map(|f| when::parse_date(f, today, Direction::Future))
        .transpose()?
        .unwrap_or(today);
    let agenda = match rows {
        Some(rows) => agenda::load_page(
            &ctx.store,
            &ctx.clock,
            from,
            days,
            agenda::Page {
                offset: rows.offset(),
                limit: rows.limit,
            },
        )?,
        None => agenda::load(&ctx.store, &ctx.clock, from, days)?,
    };
    emit(ctx.json, &agenda, || render(&agenda, rows))
}

/// Column widths for the rows shown: the key, whom it is for (capped), the title (capped).
struct Widths {
    key: usize,
    who: usize,
    title: usize,
}

fn pad(text: &str, width: usize) -> String {
    let text = truncate(text, width);
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

/// How late an overdue row is, in the words of the TUI's panes ("6d late"), spelled out.
fn late(date: NaiveDate, today: NaiveDate) -> String {
    match (today - date).num_days() {
        1 => "1 day late".to_owned(),
        n => format!("{n} days late"),
    }
}

fn item_line(out: &mut String, item: &AgendaItem, from: NaiveDate, overdue: bool, w: &Widths) {
    let key = pad(&item.key.to_string(), w.key);
    let who = pad(item.contact.as_deref().unwrap_or(""), w.who);
    let line = if overdue {
        format!(
            "  {key} {:<14}{who}  {}  {}, due {}",
            item.kind.label(),
            pad(&item.title, w.title),
            late(item.date, from),
            item.date
        )
    } else {
        format!(
            "  {key} {:<14}{who}  {}",
            item.kind.label(),
            truncate(&item.title, w.title)
        )
    };
    out.push_str(line.trim_end());
    out.push('\n');
}

/// "  … 4693 more overdue" under a section that has more than it shows.
fn more_line(out: &mut String, shown_to: usize, total: usize, what: &str) -> bool {
    if total <= shown_to {
        return false;
    }
    let _ = writeln!(out, "  … {} more {what}", total - shown_to);
    true
}

fn render(agenda: &Agenda, rows: Option<Rows>) -> String {
    if agenda.is_empty() {
        return format!("Nothing due from {} to {}.\n", agenda.from, agenda.until);
    }
    let offset = rows.map_or(0, Rows::offset);
    let widest = |width: fn(&AgendaItem) -> usize, cap: usize| {
        agenda.items().map(width).max().unwrap_or(0).min(cap)
    };
    let widths = Widths {
        key: widest(|i| i.key.to_string().width(), 20),
        who: widest(|i| i.contact.as_deref().unwrap_or("").width(), 24),
        title: widest(|i| i.title.width(), 50),
    };
    let mut out = String::new();
    let mut more = false;
    if agenda.overdue_total > 0 {
        let _ = writeln!(out, "Overdue ({})", agenda.overdue_total);
        for item in &agenda.overdue {
            item_line(&mut out, item, agenda.from, true, &widths);
        }
        more |= more_line(
            &mut out,
            offset + agenda.overdue.len(),
            agenda.overdue_total,
            "overdue",
        );
    }
    for day in agenda
        .days
        .iter()
        .filter(|d| offset == 0 || !d.items.is_empty())
    {
        if !out.is_empty() {
            out.push('\n');
        }
        let label = if day.date == agenda.from {
            format!("Today · {}", day_heading(day.date))
        } else {
            day_heading(day.date)
        };
        let count = if day.total > day.items.len() {
            format!("  ({})", day.total)
        } else {
            String::new()
        };
        let _ = writeln!(out, "{label}  {}{count}", day.date);
        for item in &day.items {
            item_line(&mut out, item, agenda.from, false, &widths);
        }
        more |= more_line(&mut out, offset + day.items.len(), day.total, "on this day");
    }
    if let Some(rows) = rows.filter(|_| more) {
        let _ = writeln!(
            out,
            "\nMore: rolo agenda --page {} (the next {} of each), or --all",
            rows.page + 1,
            rows.limit
        );
    } else if out.is_empty() {
        out.push_str("Nothing more on this page.\n");
    }
    out
}

#[derive(Serialize)]
struct DoneJson {
    reminder: Reminder,
    /// The next date of a recurring reminder; absent when it was completed.
    next_due: Option<NaiveDate>,
}

/// A contact's row (`c4:birthday`), dealt with through the agenda layer.
#[derive(Serialize)]
struct HandledJson<'a> {
    key: String,
    title: &'a str,
    message: &'a str,
    /// When it comes back, if it does.
    next: Option<NaiveDate>,
}

fn handled(ctx: &Ctx, item: &AgendaItem, handled: &agenda::Handled, undo: &str) -> Result<()> {
    emit(
        ctx.json,
        &HandledJson {
            key: item.key.to_string(),
            title: &item.title,
            message: &handled.message,
            next: handled.next,
        },
        || format!("{} — undo with: {undo}\n", handled.message),
    )
}

/// Whether a typed id names a reminder (`r12`, `12`) rather than a contact's row.
fn is_reminder(id: &str) -> bool {
    !id.trim().starts_with('c')
}

pub fn done(ctx: &mut Ctx, id: &str, undo: bool) -> Result<()> {
    if undo {
        let handled = agenda::unmark(&mut ctx.store, &ctx.clock, id)?.value;
        let json = serde_json::json!({ "message": handled.message, "next": handled.next });
        return emit(ctx.json, &json, || format!("{}\n", handled.message));
    }
    if !is_reminder(id) {
        let item = agenda::find(&ctx.store, &ctx.clock, id)?;
        let written = agenda::done(&mut ctx.store, &ctx.clock, &item)?;
        return handled(
            ctx,
            &item,
            &written.value,
            &format!("rolo done --undo {}", item.key),
        );
    }
    let id = reminders::parse_id(id)?;
    let completed = reminders::done(&mut ctx.store, &ctx.clock, id)?.value;
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
            None => format!(
                "Done: r{} {} — undo with: rolo done --undo r{}\n",
                id.0, reminder.title, id.0
            ),
            Some(next) => format!(
                "Done: r{} {} (next due {next}) — undo with: rolo done --undo r{}\n",
                id.0, reminder.title, id.0
            ),
        },
    )
}

pub fn dismiss(ctx: &mut Ctx, id: &str) -> Result<()> {
    let id = reminders::parse_id(id)?;
    let reminder = reminders::dismiss(&mut ctx.store, &ctx.clock, id)?.value;
    emit(ctx.json, &reminder, || {
        format!(
            "Dismissed r{} {} — undo with: rolo edit r{} --reopen\n",
            id.0, reminder.title, id.0
        )
    })
}

/// "once", "2 times".
fn times(n: u32) -> String {
    if n == 1 {
        "once".to_owned()
    } else {
        format!("{n} times")
    }
}

pub fn snooze(ctx: &mut Ctx, id: &str, until: &str) -> Result<()> {
    if !is_reminder(id) {
        let item = agenda::find(&ctx.store, &ctx.clock, id)?;
        let date = when::parse_date(until, ctx.clock.today(), Direction::Future)?;
        let written = agenda::snooze(&mut ctx.store, &ctx.clock, &item, date)?;
        return handled(
            ctx,
            &item,
            &written.value,
            &format!("rolo done --undo {}", item.key),
        );
    }
    let id = reminders::parse_id(id)?;
    let was_due = crate::store::reminders::get_open(ctx.store.conn(), id)?.due_date;
    let written = reminders::snooze(&mut ctx.store, &ctx.clock, id, until)?;
    let reminder = written.value;
    emit(ctx.json, &reminder, || {
        if written.change.is_empty() {
            return format!(
                "r{} is due {} already; nothing changed\n",
                id.0, reminder.due_date
            );
        }
        format!(
            "Snoozed r{} until {} (snoozed {}): {} — undo with: rolo edit r{} --on {was_due}\n",
            id.0,
            reminder.due_date,
            times(reminder.snooze_count),
            reminder.title,
            id.0
        )
    })
}

/// `rolo edit r3 …`: what it says, when, how it repeats, whom it is for; or open it again.
pub fn edit(
    ctx: &mut Ctx,
    id: ReminderId,
    fields: &ReminderFields,
    title: Option<&str>,
    every: Option<&str>,
) -> Result<()> {
    let contact = fields
        .for_contact
        .as_deref()
        .map(|n| {
            let n = n.trim().trim_start_matches('@');
            (!n.is_empty()).then(|| ctx.resolve(n)).transpose()
        })
        .transpose()?;
    let recurrence = match (every, fields.no_repeat) {
        (_, true) => Some(None),
        (Some(every), false) => Some(Some(every.parse::<Every>()?)),
        (None, false) => None,
    };
    let edit = ReminderEdit {
        title: title.map(str::to_owned),
        due_date: fields
            .on
            .as_deref()
            .map(|on| when::parse_date(on, ctx.clock.today(), Direction::Future))
            .transpose()?,
        recurrence,
        contact,
        reopen: fields.reopen,
    };
    let before = crate::store::reminders::get(ctx.store.conn(), id).ok();
    let written = reminders::edit(&mut ctx.store, &ctx.clock, id, &edit)?;
    let r = written.value;
    let undo = before
        .and_then(|b| super::reverse::reminder_edit(&b, &r))
        .map(|cmd| format!("  undo with: {cmd}\n"))
        .unwrap_or_default();
    emit(ctx.json, &r, || {
        let verb = if written.change.is_empty() {
            "No change to"
        } else {
            "Updated"
        };
        let repeat = r
            .recurrence
            .map(|e| format!(", every {e}"))
            .unwrap_or_default();
        let who = r
            .contact_name
            .as_deref()
            .map(|n| format!(" (for {n})"))
            .unwrap_or_default();
        format!(
            "{verb} r{} · {} · due {}{repeat}: {}{who}\n{undo}",
            id.0,
            r.status.as_str(),
            r.due_date,
            r.title
        )
    })
}
