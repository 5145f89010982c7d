//! `import`, `export` and `demo`: the journal in and out of other formats.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use super::output::{emit, print};
use super::{Ctx, Next, UsageError};
use crate::cli::{DemoArgs, ExportFormat, ImportFormat};
use crate::clock::Clock;
use crate::interop::sheet::Mapping;
use crate::interop::vcard::Version;
use crate::journal::import::{self, Report, SheetKind};
use crate::journal::{demo as journal_demo, export as journal_export};
use crate::text;

pub fn import(ctx: &mut Ctx, format: ImportFormat) -> Result<()> {
    let (args, sheet) = match format {
        ImportFormat::Json(args) => {
            let report = import::json(&mut ctx.store, &args.path, args.dry_run)?;
            return emit(ctx.json, &report, || {
                let r = &report.restored;
                format!(
                    "{} {}, {}, {}, {} ({} already here){}\n",
                    if report.dry_run {
                        "Would restore"
                    } else {
                        "Restored"
                    },
                    crate::text::plural(r.contacts.added, "contact"),
                    crate::text::plural(r.interactions.added, "interaction"),
                    crate::text::plural(r.reminders.added, "reminder"),
                    crate::text::plural(r.drafts.added, "draft"),
                    r.contacts.already_there
                        + r.interactions.already_there
                        + r.reminders.already_there
                        + r.drafts.already_there,
                    if report.dry_run {
                        " (dry run: nothing was written)"
                    } else {
                        ""
                    }
                )
            });
        }
        ImportFormat::Vcard(args) => (args, None),
        ImportFormat::Linkedin(args) => (args, Some(SheetKind::Linkedin)),
        ImportFormat::Google(args) => (args, Some(SheetKind::Google)),
        ImportFormat::Csv(sheet) => {
            let mapping = match (sheet.map, &sheet.map_file) {
                (Some(map), _) => Some(map),
                (None, Some(path)) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    Some(Mapping::from_toml(&text).with_context(|| path.display().to_string())?)
                }
                (None, None) => None,
            };
            (sheet.import, Some(SheetKind::Any(mapping)))
        }
    };
    // One row cannot be both someone known and someone new.
    if let Some((row, id)) = args
        .link
        .iter()
        .find(|(row, _)| args.new_rows.contains(row))
    {
        return Err(UsageError(format!(
            "--link {row}=c{} and --new {row} say different things about row {row}; give one",
            id.0
        ))
        .into());
    }
    for (i, (row, id)) in args.link.iter().enumerate() {
        if let Some((_, other)) = args.link[i + 1..].iter().find(|(r, o)| r == row && o != id) {
            return Err(UsageError(format!(
                "--link {row}=c{} and --link {row}=c{} name two contacts for row {row}; give one",
                id.0, other.0
            ))
            .into());
        }
    }
    let region = match args.region {
        Some(region) => Some(region),
        None => crate::config::load()?
            .region
            .map(|r| crate::journal::identity::parse_region(&r).map_err(anyhow::Error::msg))
            .transpose()
            .context("the settings file's region")?,
    };
    let (records, skipped) = match &sheet {
        None => import::read_vcards(&args.path, args.skip_invalid)?,
        Some(kind) => import::read_csv(&args.path, kind, args.skip_invalid, region)?,
    };
    let show_progress = records.len() >= 2000 && std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if show_progress {
            eprint!("\r{done}/{total}…");
            if done == total {
                eprintln!();
            }
        }
    };
    let report = import::run(
        &mut ctx.store,
        &ctx.clock,
        records,
        skipped,
        &import::Options {
            dry_run: args.dry_run,
            apply_changes: args.apply_changes,
            region,
            links: args.link,
            new_rows: args.new_rows,
        },
        &mut progress,
    )?;
    emit(ctx.json, &report, || render(&report))
}

fn render(report: &Report) -> String {
    let verb = |now: &str, then: &str| {
        if report.dry_run {
            then.to_owned()
        } else {
            now.to_owned()
        }
    };
    let mut roles = match report.changes.len() {
        0 => String::new(),
        1 => ", 1 new role".to_owned(),
        n => format!(", {n} new roles"),
    };
    match report.possible.len() {
        0 => {}
        1 => roles.push_str(", 1 possible match to settle"),
        n => {
            let _ = write!(roles, ", {n} possible matches to settle");
        }
    }
    let mut out = format!(
        "{} {} new, merged {}, {} already up to date, skipped {}{roles}{}\n",
        verb("Created", "Would create"),
        report.created.len(),
        report.merged.len(),
        report.unchanged.len(),
        report.skipped.len(),
        if report.dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    );
    for c in &report.created {
        let unnamed = c
            .named_from
            .map(|from| format!(" (no name: named from the {from}; tagged #unnamed)"))
            .unwrap_or_default();
        let _ = writeln!(out, "  create  {:<18} {}{unnamed}", c.source, c.name);
    }
    for m in &report.merged {
        let _ = writeln!(
            out,
            "  merge   {:<18} {} → {} (c{}): {}",
            m.source,
            m.name,
            m.into,
            m.contact_id.0,
            m.fields.join(", ")
        );
    }
    for s in &report.skipped {
        let _ = writeln!(out, "  skip    {:<18} {}", s.source, s.reason);
    }
    for p in &report.possible {
        let _ = writeln!(
            out,
            "  ?       {:<18} {} may be someone you know — held back:",
            p.source, p.name
        );
        for c in &p.candidates {
            let _ = writeln!(
                out,
                "            c{} {}: {}",
                c.contact_id.0, c.name, c.reason
            );
        }
        let first = p.candidates.first().map_or(0, |c| c.contact_id.0);
        let _ = writeln!(
            out,
            "            settle it: --link {}=c{first} (the same person) or --new {} (someone new)",
            p.row, p.row
        );
    }
    for c in &report.changes {
        let what = match (c.applied, c.follow_up) {
            (true, _) if report.dry_run => {
                "would be recorded as a milestone with a follow-up to congratulate".to_owned()
            }
            (true, Some(r)) => format!("recorded as a milestone; follow-up r{}", r.0),
            (true, None) => "recorded".to_owned(),
            (false, _) if report.dry_run => "would need --apply-changes".to_owned(),
            (false, _) => "not applied: --apply-changes records it".to_owned(),
        };
        let _ = writeln!(
            out,
            "  role    {:<18} {} (c{}): {} → {} ({what})",
            c.source, c.name, c.contact_id.0, c.from, c.to
        );
    }
    out
}

/// Writes to `-o PATH` (atomically, 0600), or prints.
fn deliver(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => journal_export::write_atomically(path, text),
        None => print(text),
    }
}

pub fn export(ctx: &Ctx, format: ExportFormat) -> Result<()> {
    match format {
        ExportFormat::Vcard {
            output,
            vcard_version,
            dir,
        } => {
            // clap allows only 3 and 4.
            let version = if vcard_version == 3 {
                Version::V3
            } else {
                Version::V4
            };
            if let Some(dir) = dir {
                let written = journal_export::vcard_dir(&ctx.store, &dir, version)?;
                return emit(ctx.json, &written, || vdir_report(&written, &dir));
            }
            deliver(
                output.as_deref(),
                &journal_export::vcards(&ctx.store, version)?,
            )
        }
        ExportFormat::Json { output } => {
            deliver(output.as_deref(), &journal_export::json(&ctx.store)?)
        }
        ExportFormat::Ics { output } => deliver(
            output.as_deref(),
            &journal_export::ics(&ctx.store, &ctx.clock)?,
        ),
        ExportFormat::Markdown { output, name } => {
            let who = name.map(|n| ctx.resolve(&n)).transpose()?;
            deliver(
                output.as_deref(),
                &journal_export::markdown(&ctx.store, &ctx.clock, who)?,
            )
        }
    }
}

/// What `export vcard --dir` says: the cards written, the files of contacts that are gone
/// removed, and every file it left alone, with why.
fn vdir_report(written: &journal_export::VdirWritten, dir: &Path) -> String {
    let mut out = format!(
        "Wrote {} to {}",
        text::plural(written.written.len(), "card"),
        dir.display()
    );
    match written.removed.len() {
        0 => {}
        1 => out.push_str("; removed 1 card of a contact who is gone"),
        n => {
            let _ = write!(out, "; removed {n} cards of contacts who are gone");
        }
    }
    out.push('\n');
    for kept in &written.left_alone {
        let _ = writeln!(
            out,
            "  left alone: {} ({})",
            text::printable(&kept.file),
            kept.reason
        );
    }
    if written.other_journals > 0 {
        let _ = writeln!(
            out,
            "  left alone: {} another journal wrote",
            text::plural(written.other_journals, "file")
        );
    }
    out
}

/// What `demo --no-open` prints.
#[derive(Serialize)]
struct Written<'a> {
    /// Lossy: a path need not be UTF-8, and JSON text must be.
    path: &'a str,
    #[serde(flatten)]
    generated: journal_demo::Generated,
}

/// `rolo demo`: a new sample journal, then the TUI on it (or its path, with `--no-open`).
pub fn demo(db: Option<PathBuf>, args: &DemoArgs, clock: &Clock, json: bool) -> Result<Next> {
    // ROLO_DB is deliberately ignored: a demo must never land in the user's real journal.
    let path = match db {
        Some(path) => crate::paths::chosen(path)?,
        None => journal_demo::fresh_path(clock),
    };
    let (store, generated) =
        journal_demo::create(&path, clock, args.seed, args.contacts, args.interactions)?;
    eprintln!(
        "Demo journal: {} ({}, {}, {})",
        path.display(),
        crate::text::plural(generated.contacts as usize, "contact"),
        crate::text::plural(generated.interactions as usize, "interaction"),
        crate::text::plural(generated.reminders as usize, "reminder")
    );
    if !args.no_open {
        return Ok(Next::Tui(store));
    }
    emit(
        json,
        &Written {
            path: &path.to_string_lossy(),
            generated,
        },
        || format!("{}\n", path.display()),
    )?;
    Ok(Next::Done)
}
