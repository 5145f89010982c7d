//! `log`, `remind`, `timeline`, `search`: writing and reading the journal itself.

use std::fmt::Write as _;

use anyhow::{Result, bail};

use super::Ctx;
use super::output::{Table, emit};
use crate::cli::InteractionFields;
use crate::clock::Clock;
use crate::domain::contact::ContactId;
use crate::domain::interaction::{Interaction, InteractionId, Kind};
use crate::domain::when::{self, Direction};
use crate::journal::interactions::InteractionEdit;
use crate::journal::{capture, interactions, reminders};
use crate::store::search::HitKind;
use crate::text::truncate;

/// Below this line, the `--edit` template explains and is ignored (as in git's commit
/// template).
const SCISSORS: &str = "# ------------------------ >8 ------------------------";

/// The note `rolo log` was given: the words, standard input (`-`), or the editor — then
/// with the editor's file, kept until the note is logged.
fn note_text(words: &[String], edit: bool) -> Result<(String, Option<std::path::PathBuf>)> {
    let given = if words == ["-"] {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
            .map_err(|e| anyhow::anyhow!("cannot read the note from standard input: {e}"))?;
        if text.trim().is_empty() {
            bail!("nothing on standard input to log");
        }
        text
    } else if words.len() > 1 && words[0] == "-" {
        // `-` first means standard input, which takes no words after it; a dash inside
        // the words (`call with @ada - about jobs`) is text.
        return Err(super::UsageError(
            "'-' reads the note from standard input and takes no other words: rolo log - < notes.txt"
                .to_owned(),
        )
        .into());
    } else {
        words.join(" ")
    };
    if !edit {
        return Ok((given, None));
    }
    let template = format!(
        "{given}\n\n{SCISSORS}\n# Write the note above the line: the first line is the capture line\n# (lunch with @ada #tag talked about … !2w send the deck ^yesterday), the lines after\n# it are the notes. Everything from the line down is ignored. Save and quit to log it;\n# an empty note logs nothing.\n"
    );
    let path = crate::editor::temp_file("log", &template)?;
    let status = crate::editor::run(&path)?;
    let edited = crate::editor::take_back(&path, status, &template)?;
    let kept = match &edited {
        crate::editor::Edited::Unchanged => given.clone(),
        crate::editor::Edited::Text(text) => {
            text.split(SCISSORS).next().unwrap_or_default().to_owned()
        }
    };
    if kept.trim().is_empty() {
        crate::editor::discard(&path);
        let hint = match edited {
            crate::editor::Edited::Unchanged => format!(" ({})", crate::editor::UNCHANGED_HINT),
            crate::editor::Edited::Text(_) => String::new(),
        };
        bail!("the note was empty; nothing was logged{hint}");
    }
    Ok((kept, Some(path)))
}

pub fn log(ctx: &mut Ctx, words: &[String], at: Option<&str>, edit: bool) -> Result<()> {
    let (text, file) = note_text(words, edit)?;
    let logged = match capture::log(&mut ctx.store, &ctx.clock, text.trim_start(), at) {
        Ok(written) => written.value,
        // What was written in the editor outlives a note that could not be logged.
        Err(err) => match file {
            Some(file) => bail!("{err:#}; your note is kept in {}", file.display()),
            None => return Err(err),
        },
    };
    if let Some(file) = file {
        crate::editor::discard(&file);
    }
    emit(ctx.json, &logged, || {
        let i = &logged.interaction;
        // `describe` has said who and which tags.
        let mut out = describe(i, &ctx.clock, "Logged");
        if let Some(body) = &i.body {
            let lines = body.lines().count();
            let _ = writeln!(
                out,
                "  notes {lines} line{}",
                if lines == 1 { "" } else { "s" }
            );
        }
        if let Some(r) = &logged.follow_up {
            let _ = writeln!(
                out,
                "  follow-up r{} due {}: {}",
                r.id.0, r.due_date, r.title
            );
        }
        let _ = writeln!(out, "  undo with: rolo rm i{}", i.id.0);
        out
    })
}

/// `Logged i12 · 2026-11-22 · meal · lunch with Ada`, then who and which tags.
fn describe(i: &Interaction, clock: &Clock, verb: &str) -> String {
    let mut out = format!(
        "{verb} i{} · {} · {} · {}\n",
        i.id.0,
        clock.date_of(i.happened_at),
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
    out
}

/// `rolo edit i12 …`: who was there, when, what kind, tags, text, place.
pub fn edit(
    ctx: &mut Ctx,
    id: InteractionId,
    fields: &InteractionFields,
    tag: &[String],
    untag: &[String],
) -> Result<()> {
    let people = |names: &[String]| -> Result<Vec<ContactId>> {
        names
            .iter()
            .map(|n| ctx.resolve(n.trim().trim_start_matches('@')))
            .collect()
    };
    let happened_at = fields
        .at
        .as_deref()
        .map(|phrase| -> Result<_> {
            Ok(ctx.clock.instant_of(when::parse_moment(
                phrase,
                ctx.clock.local_now(),
                Direction::Past,
            )?)?)
        })
        .transpose()?;
    let optional = |text: &Option<String>| {
        text.as_ref()
            .map(|t| Some(t.trim().to_owned()).filter(|t| !t.is_empty()))
    };
    let edit = InteractionEdit {
        happened_at,
        kind: fields.kind.as_deref().map(Kind::parse),
        summary: fields.summary.clone(),
        body: optional(&fields.body),
        location: optional(&fields.location),
        with: people(&fields.with)?,
        without: people(&fields.without)?,
        tag: tag.to_vec(),
        untag: untag.to_vec(),
    };
    let before = crate::store::interactions::get(ctx.store.conn(), id).ok();
    let written = interactions::edit(&mut ctx.store, &ctx.clock, id, &edit)?;
    let i = written.value;
    emit(ctx.json, &i, || {
        let verb = if written.change.is_empty() {
            "No change to"
        } else {
            "Updated"
        };
        let mut out = describe(&i, &ctx.clock, verb);
        if let Some(undo) =
            before.and_then(|b| super::reverse::interaction_edit(&b, &i, &ctx.clock))
        {
            let _ = writeln!(out, "  undo with: {undo}");
        }
        out
    })
}

pub fn remind(ctx: &mut Ctx, text: &str, on: &str, every: Option<&str>) -> Result<()> {
    let reminder = reminders::remind(&mut ctx.store, &ctx.clock, text, on, every)?.value;
    let id = reminder.id;
    emit(ctx.json, &reminder, || {
        let repeat = reminder
            .recurrence
            .map(|e| format!(", every {e}"))
            .unwrap_or_default();
        format!(
            "Reminder r{} due {}{repeat}: {} — undo with: rolo rm r{}\n",
            id.0, reminder.due_date, reminder.title, id.0
        )
    })
}

pub fn timeline(
    ctx: &Ctx,
    name: Option<&str>,
    filter: &interactions::Filter<'_>,
    limit: usize,
) -> Result<()> {
    let contact = name.map(|n| ctx.resolve(n)).transpose()?;
    let rows = interactions::timeline(&ctx.store, &ctx.clock, contact, filter, limit)?;
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
    let hits = interactions::search(&ctx.store, &ctx.clock, query, limit)?;
    emit(ctx.json, &hits, || {
        if hits.is_empty() {
            return format!("Nothing matches '{query}'.\n");
        }
        let mut table = Table::new(&["id", "date", "who", "match"]);
        for hit in &hits {
            let (id, date, who) = match hit.kind {
                HitKind::Contact => (
                    format!("c{}", hit.id),
                    String::new(),
                    match &hit.company {
                        Some(company) => format!("{} ({company})", hit.title),
                        None => hit.title.clone(),
                    },
                ),
                HitKind::Interaction => (
                    format!("i{}", hit.id),
                    hit.happened_at
                        .map(|t| ctx.clock.date_of(t).to_string())
                        .unwrap_or_default(),
                    hit.with.join(", "),
                ),
            };
            table.row(vec![
                id,
                date,
                truncate(&who, 30),
                truncate(&hit.snippet.replace('\n', " "), 70),
            ]);
        }
        table.render()
    })
}
