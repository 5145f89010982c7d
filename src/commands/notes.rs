//! `log`, `remind`, `timeline`, `search`: writing and reading the journal itself.

use std::fmt::Write as _;

use anyhow::Result;

use super::Ctx;
use super::output::{Table, emit};
use crate::clock::Clock;
use crate::domain::contact::ContactId;
use crate::domain::interaction::Interaction;
use crate::journal::{capture, interactions, reminders};
use crate::store::search::HitKind;
use crate::text::truncate;

pub fn log(ctx: &mut Ctx, text: &str, at: Option<&str>) -> Result<()> {
    let logged = capture::log(&mut ctx.store, &ctx.clock, text, at)?;
    emit(ctx.json, &logged, || {
        let i = &logged.interaction;
        let mut out = format!(
            "Logged i{} · {} · {} · {}\n",
            i.id.0,
            ctx.clock.date_of(i.happened_at),
            i.kind,
            i.summary
        );
        if !i.participants.is_empty() {
            let _ = writeln!(
                out,
                "  with {}",
                i.participants
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if !i.tags.is_empty() {
            let _ = writeln!(
                out,
                "  tags {}",
                i.tags
                    .iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        if let Some(r) = &logged.follow_up {
            let _ = writeln!(
                out,
                "  follow-up r{} due {}: {}",
                r.id.0, r.due_date, r.title
            );
        }
        out
    })
}

pub fn remind(ctx: &mut Ctx, text: &str, on: &str, every: Option<&str>) -> Result<()> {
    let reminder = reminders::remind(&mut ctx.store, &ctx.clock, text, on, every)?;
    let id = reminder.id;
    emit(ctx.json, &reminder, || {
        let repeat = reminder
            .recurrence
            .map(|e| format!(", every {e}"))
            .unwrap_or_default();
        format!(
            "Reminder r{} due {}{repeat}: {}\n",
            id.0, reminder.due_date, reminder.title
        )
    })
}

pub fn timeline(ctx: &Ctx, name: Option<&str>, since: Option<&str>, limit: usize) -> Result<()> {
    let contact = name.map(|n| ctx.resolve(n)).transpose()?;
    let rows = interactions::timeline(&ctx.store, &ctx.clock, contact, since, limit)?;
    emit(ctx.json, &rows, || {
        render_timeline(&rows, contact, &ctx.clock)
    })
}

fn render_timeline(rows: &[Interaction], contact: Option<ContactId>, clock: &Clock) -> String {
    if rows.is_empty() {
        return "No interactions.\n".to_owned();
    }
    let mut table = Table::new(&["id", "date", "kind", "with", "summary"]);
    for i in rows {
        let with = i.others(contact);
        table.row(vec![
            format!("i{}", i.id.0),
            clock.date_of(i.happened_at).to_string(),
            i.kind.to_string(),
            truncate(&with.join(", "), 30),
            truncate(&i.summary, 60),
        ]);
    }
    table.render()
}

pub fn search(ctx: &Ctx, query: &str, limit: usize) -> Result<()> {
    let hits = interactions::search(&ctx.store, query, limit)?;
    emit(ctx.json, &hits, || {
        if hits.is_empty() {
            return format!("Nothing matches '{query}'.\n");
        }
        let mut table = Table::new(&["id", "date", "match"]);
        for hit in &hits {
            let (id, date) = match hit.kind {
                HitKind::Contact => (format!("c{}", hit.id), String::new()),
                HitKind::Interaction => (
                    format!("i{}", hit.id),
                    hit.happened_at
                        .map(|t| ctx.clock.date_of(t).to_string())
                        .unwrap_or_default(),
                ),
            };
            table.row(vec![
                id,
                date,
                truncate(&hit.snippet.replace('\n', " "), 80),
            ]);
        }
        table.render()
    })
}
