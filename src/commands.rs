//! The command-line verbs. Each takes a [`Ctx`] (the open store, the clock read once, the
//! output mode) and prints a table to a terminal or JSON to anything else.

mod agenda;
mod contacts;
pub mod demo;
pub mod export;
pub mod import;
pub mod journal;
mod maintenance;
pub mod output;

pub use agenda::load as agenda_for;

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, Utc};

use crate::cli::{Cli, Command, ExportFormat, ImportFormat};
use crate::domain::contact::ContactId;
use crate::domain::names;
use crate::store::{self, Store};

/// What every command needs: the journal, the time (read once), and how to print.
pub struct Ctx {
    pub store: Store,
    pub json: bool,
    pub now: DateTime<Utc>,
}

impl Ctx {
    pub fn new(store: Store, json: bool) -> Ctx {
        Ctx {
            store,
            json,
            now: Utc::now(),
        }
    }

    /// The user's local wall-clock time.
    pub fn local_now(&self) -> NaiveDateTime {
        self.now.with_timezone(&Local).naive_local()
    }

    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// Resolves a NAME argument (a name, or an id like `c12`) to one live contact, or a
    /// one-line error naming the candidates.
    pub fn resolve(&self, name: &str) -> Result<ContactId> {
        let candidates = store::contacts::name_candidates(self.store.conn())?;
        let by_id = name
            .strip_prefix('c')
            .and_then(|n| n.parse().ok())
            .map(ContactId);
        if let Some(id) = by_id.filter(|id| candidates.iter().any(|c| c.id == *id)) {
            return Ok(id);
        }
        Ok(names::resolve(name, &candidates)?)
    }
}

/// The calendar date of an instant where the user is.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Local).date_naive()
}

/// A local wall-clock time as an instant; in a DST gap or overlap, the earliest valid reading.
pub fn to_instant(local: NaiveDateTime) -> Result<DateTime<Utc>> {
    local
        .and_local_timezone(Local)
        .earliest()
        .or_else(|| {
            (local + chrono::Duration::hours(1))
                .and_local_timezone(Local)
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .with_context(|| format!("{local} does not exist in the local time zone"))
}

/// Runs the command line. `None` means the TUI.
pub fn run(cli: Cli) -> Result<()> {
    let json = cli.json || !std::io::stdout().is_terminal();
    let command = match cli.command {
        Some(Command::Demo(args)) => return demo::run(cli.db, &args, json),
        Some(Command::Completions { shell }) => return maintenance::completions(shell),
        Some(Command::Man) => return maintenance::man(),
        other => other,
    };
    let path = crate::config::journal_path(cli.db)?;
    let store = open(&path)?;
    let Some(command) = command else {
        return crate::tui::run(store);
    };
    let mut ctx = Ctx::new(store, json);
    match command {
        Command::Add {
            name,
            fields,
            allow_duplicate,
        } => contacts::add(&mut ctx, &name, &fields, allow_duplicate),
        Command::Edit {
            name,
            fields,
            rename,
            no_cadence,
        } => contacts::edit(&mut ctx, &name, &fields, rename.as_deref(), no_cadence),
        Command::Show { name } => contacts::show(&ctx, &name),
        Command::List {
            tag,
            overdue,
            archived,
            sort,
        } => contacts::list(&ctx, tag.as_deref(), overdue, archived, sort),
        Command::Tag { name, tags } => contacts::tag(&mut ctx, &name, &tags, true),
        Command::Untag { name, tags } => contacts::tag(&mut ctx, &name, &tags, false),
        Command::Archive { name, undo } => contacts::archive(&mut ctx, &name, !undo),
        Command::Rm { name } => contacts::remove(&mut ctx, &name),
        Command::Log { text, at } => journal::log(&mut ctx, &text.join(" "), at.as_deref()),
        Command::Remind { text, on, every } => {
            journal::remind(&mut ctx, &text.join(" "), &on, every.as_deref())
        }
        Command::Timeline { name, since, limit } => {
            journal::timeline(&ctx, name.as_deref(), since.as_deref(), limit)
        }
        Command::Search { query, limit } => journal::search(&ctx, &query.join(" "), limit),
        Command::Agenda { from, days, week } => {
            agenda::agenda(&ctx, from.as_deref(), if week { 7 } else { days })
        }
        Command::Done { id } => agenda::done(&mut ctx, &id),
        Command::Snooze { id, when } => agenda::snooze(&mut ctx, &id, &when.join(" ")),
        Command::Trash { action } => maintenance::trash(&mut ctx, action),
        Command::Import { format } => import_format(&mut ctx, format),
        Command::Export { format } => export_format(&ctx, format),
        Command::Backup { path } => maintenance::backup(&ctx, &path),
        Command::Check { repair } => maintenance::check(&mut ctx, repair),
        Command::Demo(_) | Command::Completions { .. } | Command::Man => unreachable_command(),
    }
}

fn import_format(ctx: &mut Ctx, format: ImportFormat) -> Result<()> {
    match format {
        ImportFormat::Vcard(args) => {
            let (records, skipped) = import::read_vcards(&args.path, args.skip_invalid)?;
            import::run(ctx, records, skipped, args.dry_run)
        }
        ImportFormat::Json(args) => import::json(ctx, &args.path, args.dry_run),
        ImportFormat::Linkedin(args) => {
            let (records, skipped) = import::read_csv(&args.path, false, args.skip_invalid)?;
            import::run(ctx, records, skipped, args.dry_run)
        }
        ImportFormat::Google(args) => {
            let (records, skipped) = import::read_csv(&args.path, true, args.skip_invalid)?;
            import::run(ctx, records, skipped, args.dry_run)
        }
    }
}

fn export_format(ctx: &Ctx, format: ExportFormat) -> Result<()> {
    match format {
        ExportFormat::Vcard {
            output,
            vcard_version,
            dir,
        } => export::vcard(ctx, output.as_deref(), vcard_version, dir),
        ExportFormat::Json { output } => export::json(ctx, output.as_deref()),
        ExportFormat::Ics { output } => export::ics(ctx, output.as_deref()),
        ExportFormat::Markdown { output, name } => {
            export::markdown(ctx, output.as_deref(), name.as_deref())
        }
    }
}

/// Demo, completions and man are answered before a journal is opened, above.
fn unreachable_command() -> Result<()> {
    bail!("internal error: command dispatched twice")
}

/// Opens the journal, saying which file when that fails.
pub fn open(path: &Path) -> Result<Store> {
    Ok(Store::open(path)?)
}
