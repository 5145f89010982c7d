//! The command-line verbs: arguments → `journal` → a table for a terminal or JSON for
//! anything else. Each verb gets a [`Ctx`]: the open journal, the clock, the output mode.

mod agenda;
mod contacts;
mod edit;
mod maintenance;
mod man;
mod notes;
pub mod output;
mod reverse;
mod sync;
mod transfer;

use std::io::IsTerminal;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::clock::Clock;
use crate::domain::contact::ContactId;
use crate::store::Store;

/// A usage mistake found after parsing (a flag that does not apply to what was named):
/// exit code 2, like clap's own.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// What `edit`, `rm` and `@` name: a contact (by name or `c4`), an interaction (`i12`) or a
/// reminder (`r3`).
pub enum Target {
    Contact(ContactId),
    Interaction(crate::domain::interaction::InteractionId),
    Reminder(crate::domain::reminder::ReminderId),
}

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

    /// `i12` and `r3` are records by id; anything else names a contact.
    pub fn target(&self, text: &str) -> Result<Target> {
        let t = text.trim();
        let numbered = |prefix: char| {
            t.strip_prefix(prefix)
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse::<i64>().ok())
        };
        if let Some(id) = numbered('i') {
            return Ok(Target::Interaction(
                crate::domain::interaction::InteractionId(id),
            ));
        }
        if let Some(id) = numbered('r') {
            return Ok(Target::Reminder(crate::domain::reminder::ReminderId(id)));
        }
        Ok(Target::Contact(self.resolve(t)?))
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
    let json = cli.json || (!cli.table && !std::io::stdout().is_terminal());
    let command = match cli.command {
        Some(Command::Demo(args)) => return transfer::demo(cli.db, &args, &clock, json),
        Some(Command::Completions { shell }) => {
            return maintenance::completions(shell).map(|()| Next::Done);
        }
        Some(Command::Man { page, dir }) => {
            return man::man(&page, dir.as_deref(), json).map(|()| Next::Done);
        }
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
            target,
            fields,
            interaction,
            reminder,
            rename,
            no_cadence,
            allow_duplicate,
        } => {
            let edit = edit::Edit {
                fields: &fields,
                interaction: &interaction,
                reminder: &reminder,
                rename: rename.as_deref(),
                no_cadence,
                allow_duplicate,
            };
            edit::edit(ctx, &target, &edit)
        }
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
        Command::Rm { target } => maintenance::remove(ctx, &target),
        Command::Log { text, at, edit } => notes::log(ctx, &text, at.as_deref(), edit),
        Command::Remind { text, on, every } => {
            notes::remind(ctx, &text.join(" "), &on, every.as_deref())
        }
        Command::Timeline {
            name,
            since,
            kind,
            tag,
            limit,
        } => {
            let filter = crate::journal::interactions::Filter {
                since: since.as_deref(),
                kind: kind.as_deref(),
                tag: tag.as_deref(),
            };
            notes::timeline(ctx, name.as_deref(), &filter, limit)
        }
        Command::Search { query, limit } => notes::search(ctx, &query.join(" "), limit),
        Command::Agenda {
            from,
            days,
            week,
            limit,
            page,
            all,
        } => {
            let page = (!all).then_some(agenda::Rows { limit, page });
            agenda::agenda(ctx, from.as_deref(), if week { 7 } else { days }, page)
        }
        Command::Done { id, undo } => agenda::done(ctx, &id, undo),
        Command::Dismiss { id } => agenda::dismiss(ctx, &id),
        Command::Snooze { id, when } => agenda::snooze(ctx, &id, &when.join(" ")),
        Command::Trash { action } => maintenance::trash(ctx, action),
        Command::Import { format } => transfer::import(ctx, format),
        Command::Export { format } => transfer::export(ctx, format),
        Command::Sync(args) => sync::sync(ctx, args),
        Command::Backup { path } => maintenance::backup(ctx, &path),
        Command::Check { repair } => maintenance::check(ctx, repair),
        Command::Demo(_) | Command::Completions { .. } | Command::Man { .. } => {
            anyhow::bail!("internal error: command dispatched twice")
        }
    }
}
