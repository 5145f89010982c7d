//! `import`, `export` and `demo`: the journal in and out of other formats.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use serde::Serialize;

use super::output::{emit, print};
use super::{Ctx, Next};
use crate::cli::{DemoArgs, ExportFormat, ImportFormat};
use crate::clock::Clock;
use crate::interop::vcard::Version;
use crate::journal::import::{self, Report};
use crate::journal::{demo as journal_demo, export as journal_export};

pub fn import(ctx: &mut Ctx, format: ImportFormat) -> Result<()> {
    let (args, read): (_, fn(&Path, bool) -> Result<_>) = match format {
        ImportFormat::Json(args) => {
            let report = import::json(&mut ctx.store, &args.path, args.dry_run)?;
            return emit(ctx.json, &report, || {
                let r = &report.restored;
                format!(
                    "{} {} contacts, {} interactions, {} reminders, {} drafts ({} already here){}\n",
                    if report.dry_run {
                        "Would restore"
                    } else {
                        "Restored"
                    },
                    r.contacts.added,
                    r.interactions.added,
                    r.reminders.added,
                    r.drafts.added,
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
        ImportFormat::Vcard(args) => (args, import::read_vcards),
        ImportFormat::Linkedin(args) => (args, |p, skip| import::read_csv(p, false, skip)),
        ImportFormat::Google(args) => (args, |p, skip| import::read_csv(p, true, skip)),
    };
    let (records, skipped) = read(&args.path, args.skip_invalid)?;
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
        args.dry_run,
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
    let mut out = format!(
        "{} {} new, merged {}, {} already up to date, skipped {}{}\n",
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
        let _ = writeln!(out, "  create  {:<18} {}", c.source, c.name);
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
            let version = match vcard_version {
                3 => Version::V3,
                4 => Version::V4,
                other => bail!("vCard version {other} is not one rolo writes; use 3 or 4"),
            };
            if dir {
                let Some(dir) = output else {
                    bail!("--dir needs -o DIRECTORY")
                };
                let written = journal_export::vcard_dir(&ctx.store, &dir, version)?;
                eprintln!("Wrote {written} cards to {}", dir.display());
                return Ok(());
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

/// What `demo --no-open` prints.
#[derive(Serialize)]
struct Written<'a> {
    path: &'a Path,
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
        "Demo journal: {} ({} contacts, {} interactions, {} reminders)",
        path.display(),
        generated.contacts,
        generated.interactions,
        generated.reminders
    );
    if !args.no_open {
        return Ok(Next::Tui(store));
    }
    emit(
        json,
        &Written {
            path: &path,
            generated,
        },
        || format!("{}\n", path.display()),
    )?;
    Ok(Next::Done)
}
