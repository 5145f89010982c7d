//! `log`, `remind`, `timeline`, `search`: writing and reading the journal itself.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::output::{Table, emit, truncate};
use super::{Ctx, local_date, to_instant};
use crate::domain::capture::{self, Capture, join_names};
use crate::domain::contact::ContactId;
use crate::domain::interaction::{Interaction, InteractionDraft};
use crate::domain::names::{NameCandidate, NameIndex};
use crate::domain::reminder::{Reminder, ReminderDraft, Source};
use crate::domain::when::{self, Direction, Every};
use crate::store::interactions::{self, TimelineQuery};
use crate::store::{Store, contacts, reminders, search as store_search};

/// A capture line resolved against the journal: ready to write, or to preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub capture: Capture,
    pub people: Vec<ContactId>,
    pub names: Vec<String>,
    pub summary: String,
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
pub fn resolve_capture(
    line: &str,
    now: chrono::NaiveDateTime,
    index: &NameIndex,
) -> Result<Resolved> {
    let capture = capture::parse(line, now)?;
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

/// What `log` wrote.
#[derive(Debug, Serialize)]
pub struct Logged {
    pub interaction: Interaction,
    pub follow_up: Option<Reminder>,
}

/// Writes a resolved capture — the interaction and, if asked, its follow-up — in one
/// transaction. `rolo log` and the TUI's quick note both come through here.
pub fn write_capture(
    store: &mut Store,
    resolved: &Resolved,
    happened_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Logged> {
    let draft = InteractionDraft {
        happened_at,
        kind: resolved.capture.kind.clone(),
        summary: resolved.summary.clone(),
        body: None,
        location: None,
        participants: resolved.people.clone(),
        tags: resolved.capture.tags.clone(),
    };
    let follow_up = resolved.capture.follow_up.as_ref().map(|f| ReminderDraft {
        title: if f.text.is_empty() {
            format!(
                "Follow up with {}: {}",
                join_names(&resolved.names),
                resolved.summary
            )
        } else {
            f.text.clone()
        },
        contact: resolved.people.first().copied(),
        due_date: f.due,
        due_time: None,
        recurrence: None,
        source: Source::FollowUp,
        interaction: None,
    });
    let (interaction, reminder) = store.write(|tx| -> crate::store::Result<_> {
        let id = interactions::insert(tx, &draft, None, now)?;
        let reminder = follow_up
            .map(|r| {
                reminders::insert(
                    tx,
                    &ReminderDraft {
                        interaction: Some(id),
                        ..r
                    },
                    None,
                    now,
                )
            })
            .transpose()?;
        Ok((id, reminder))
    })?;
    let conn = store.conn();
    Ok(Logged {
        interaction: interactions::get(conn, interaction)?,
        follow_up: reminder.map(|r| reminders::get(conn, r)).transpose()?,
    })
}

pub fn log(ctx: &mut Ctx, text: &str, at: Option<&str>) -> Result<()> {
    let index = NameIndex::new(contacts::name_candidates(ctx.store.conn())?);
    let resolved = resolve_capture(text, ctx.local_now(), &index)?;
    let at = match at {
        Some(_) if resolved.capture.at.is_some() => {
            bail!("say when it happened once: --at or ^, not both")
        }
        Some(phrase) => Some(to_instant(when::parse_moment(
            phrase,
            ctx.local_now(),
            Direction::Past,
        )?)?),
        None => None,
    };
    let happened_at = match (at, resolved.capture.at) {
        (Some(at), _) => at,
        (None, Some(local)) => to_instant(local)?,
        (None, None) => ctx.now,
    };
    let now = ctx.now;
    let logged = write_capture(&mut ctx.store, &resolved, happened_at, now)?;
    emit(ctx.json, &logged, || {
        let i = &logged.interaction;
        let mut out = format!(
            "Logged i{} · {} · {} · {}\n",
            i.id.0,
            local_date(i.happened_at),
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
    let index = NameIndex::new(contacts::name_candidates(ctx.store.conn())?);
    let resolved = resolve_capture(text, ctx.local_now(), &index)?;
    if resolved.capture.follow_up.is_some() || resolved.capture.at.is_some() {
        bail!("a reminder's date goes in --on, not in the text ('!' and '^' are for `rolo log`)");
    }
    let due_date = when::parse_date(on, ctx.today(), Direction::Future)?;
    let recurrence = every.map(str::parse::<Every>).transpose()?;
    let draft = ReminderDraft {
        title: resolved.summary.clone(),
        contact: resolved.people.first().copied(),
        due_date,
        due_time: None,
        recurrence,
        source: Source::Manual,
        interaction: None,
    };
    let now = ctx.now;
    let id = ctx
        .store
        .write(|tx| reminders::insert(tx, &draft, None, now))?;
    let reminder = reminders::get(ctx.store.conn(), id)?;
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
    let since = since
        .map(|s| when::parse_date(s, ctx.today(), Direction::Past))
        .transpose()?
        .map(|d| to_instant(d.and_time(chrono::NaiveTime::MIN)))
        .transpose()?;
    let rows = interactions::timeline(
        ctx.store.conn(),
        &TimelineQuery {
            contact,
            since,
            after: None,
            limit,
        },
    )?;
    emit(ctx.json, &rows, || render_timeline(&rows, contact))
}

fn render_timeline(rows: &[Interaction], contact: Option<ContactId>) -> String {
    if rows.is_empty() {
        return "No interactions.\n".to_owned();
    }
    let mut table = Table::new(&["id", "date", "kind", "with", "summary"]);
    for i in rows {
        let with = i.others(contact);
        table.row(vec![
            format!("i{}", i.id.0),
            local_date(i.happened_at).to_string(),
            i.kind.to_string(),
            truncate(&with.join(", "), 30),
            truncate(&i.summary, 60),
        ]);
    }
    table.render()
}

pub fn search(ctx: &Ctx, query: &str, limit: usize) -> Result<()> {
    if query.trim().is_empty() {
        bail!("search for what? e.g. rolo search compilers");
    }
    let hits = store_search::search(ctx.store.conn(), query, limit)?;
    emit(ctx.json, &hits, || {
        if hits.is_empty() {
            return format!("Nothing matches '{query}'.\n");
        }
        let mut table = Table::new(&["id", "date", "match"]);
        for hit in &hits {
            let (id, date) = match hit.kind {
                store_search::HitKind::Contact => (format!("c{}", hit.id), String::new()),
                store_search::HitKind::Interaction => (
                    format!("i{}", hit.id),
                    hit.happened_at
                        .map(|t| local_date(t).to_string())
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
