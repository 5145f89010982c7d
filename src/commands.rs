//! The command-line verbs: arguments → `journal` → a table for a terminal or JSON for
//! anything else. Each verb gets a [`Ctx`]: the open journal, the clock, the output mode.

mod agenda;
mod contacts;
mod maintenance;
mod notes;
pub mod output;
mod transfer;

use std::io::IsTerminal;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::clock::Clock;
use crate::domain::contact::ContactId;
use crate::store::Store;

/// What every command needs: the journal, the time (read once), and how to print.
pub struct Ctx {
    pub store: Store,
    pub clock: Clock,
    pub json: bool,
}

impl Ctx {
    /// Resolves a NAME argument (a name, or an id like `c12`) to one live contact.
    pub fn resolve(&self, name: &str) -> Result<ContactId> {
        crate::journal::contacts::resolve(&self.store, name)
    }
}

/// What the command line leaves to do once it has run.
pub enum Next {
    Done,
    /// No command (or `demo`): open this journal in the terminal UI.
    Tui(Store),
}

/// Runs the command line.
pub fn run(cli: Cli, clock: Clock) -> Result<Next> {
    let json = cli.json || !std::io::stdout().is_terminal();
    let command = match cli.command {
        Some(Command::Demo(args)) => return transfer::demo(cli.db, &args, &clock, json),
        Some(Command::Completions { shell }) => {
            return maintenance::completions(shell).map(|()| Next::Done);
        }
        Some(Command::Man) => return maintenance::man().map(|()| Next::Done),
        other => other,
    };
    let store = Store::open(&crate::paths::journal(cli.db)?)?;
    let Some(command) = command else {
        return Ok(Next::Tui(store));
    };
    let mut ctx = Ctx { store, clock, json };
    dispatch(&mut ctx, command)?;
    Ok(Next::Done)
}

fn dispatch(ctx: &mut Ctx, command: Command) -> Result<()> {
    match command {
        Command::Add {
            name,
            fields,
            allow_duplicate,
        } => contacts::add(ctx, &name, &fields, allow_duplicate),
        Command::Edit {
            name,
            fields,
            rename,
            no_cadence,
        } => contacts::edit(ctx, &name, &fields, rename.as_deref(), no_cadence),
        Command::Show { name } => contacts::show(ctx, &name),
        Command::List {
            tag,
            overdue,
            archived,
            sort,
        } => contacts::list(ctx, tag.as_deref(), overdue, archived, sort),
        Command::Tag { name, tags } => contacts::tag(ctx, &name, &tags, true),
        Command::Untag { name, tags } => contacts::tag(ctx, &name, &tags, false),
        Command::Archive { name, undo } => contacts::archive(ctx, &name, !undo),
        Command::Rm { name } => contacts::remove(ctx, &name),
        Command::Log { text, at } => notes::log(ctx, &text.join(" "), at.as_deref()),
        Command::Remind { text, on, every } => {
            notes::remind(ctx, &text.join(" "), &on, every.as_deref())
        }
        Command::Timeline { name, since, limit } => {
            notes::timeline(ctx, name.as_deref(), since.as_deref(), limit)
        }
        Command::Search { query, limit } => notes::search(ctx, &query.join(" "), limit),
        Command::Agenda { from, days, week } => {
            agenda::agenda(ctx, from.as_deref(), if week { 7 } else { days })
        }
        Command::Done { id } => agenda::done(ctx, &id),
        Command::Snooze { id, when } => agenda::snooze(ctx, &id, &when.join(" ")),
        Command::Trash { action } => maintenance::trash(ctx, action),
        Command::Import { format } => transfer::import(ctx, format),
        Command::Export { format } => transfer::export(ctx, format),
        Command::Backup { path } => maintenance::backup(ctx, &path),
        Command::Check { repair } => maintenance::check(ctx, repair),
        Command::Demo(_) | Command::Completions { .. } | Command::Man => {
            anyhow::bail!("internal error: command dispatched twice")
        }
    }
}
