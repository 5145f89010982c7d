//! `sync`, `sync setup`, `sync status`, `sync conflicts`: the server, as tables or JSON.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};

use anyhow::Result;

use super::Ctx;
use super::output::{Table, emit};
use crate::cli::{ConflictAction, SyncAction, SyncArgs};
use crate::journal::sync::{self, Options, Progress, SetupArgs};
use crate::text::truncate;

pub fn sync(ctx: &mut Ctx, args: SyncArgs) -> Result<()> {
    match args.action {
        None => run(ctx, args.dry_run),
        Some(SyncAction::Setup {
            url,
            user,
            password_command,
        }) => setup(
            ctx,
            &SetupArgs {
                url,
                user,
                password_command,
            },
        ),
        Some(SyncAction::Status) => status(ctx),
        Some(SyncAction::Conflicts { action }) => conflicts(ctx, action.as_ref()),
    }
}

fn setup(ctx: &mut Ctx, args: &SetupArgs) -> Result<()> {
    let report = sync::setup(&mut ctx.store, &ctx.clock, args)?;
    emit(ctx.json, &report, || {
        let mut table = Table::new(&["kind", "collection", ""]);
        for c in &report.collections {
            let mut what = if c.created { "created" } else { "found" }.to_owned();
            if c.reupload > 0 {
                let _ = write!(what, " (empty: {} item(s) go up again)", c.reupload);
            }
            table.row(vec![c.kind.to_owned(), c.href.clone(), what]);
        }
        format!(
            "Sync set up with {}{}.\n{}Run `rolo sync` to sync.\n",
            report.url,
            report
                .user
                .as_deref()
                .map(|u| format!(" as {u}"))
                .unwrap_or_default(),
            table.render()
        )
    })
}

/// A progress line on stderr, rewritten in place; only for a person watching.
fn progress_line() -> impl FnMut(&Progress) {
    let tty = std::io::stderr().is_terminal();
    move |p: &Progress| {
        if !tty {
            return;
        }
        let count = if p.total > 0 {
            format!(" {}/{}", p.done, p.total)
        } else {
            String::new()
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2Ksync: {} {}{count}", p.kind, p.stage);
        let _ = err.flush();
    }
}

fn run(ctx: &mut Ctx, dry_run: bool) -> Result<()> {
    let mut progress = progress_line();
    let result = sync::sync(
        &mut ctx.store,
        &ctx.clock,
        Options { dry_run },
        &mut progress,
    );
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
    let report = result?;
    emit(ctx.json, &report, || {
        let mut table = Table::new(&[
            "",
            "pulled",
            "pushed",
            "deleted here",
            "deleted there",
            "conflicts",
        ]);
        for (kind, n) in [
            ("contacts", &report.contacts),
            ("interactions", &report.interactions),
            ("reminders", &report.reminders),
        ] {
            table.row(vec![
                kind.to_owned(),
                n.pulled.to_string(),
                n.pushed.to_string(),
                n.deleted_here.to_string(),
                n.deleted_there.to_string(),
                n.conflicts.to_string(),
            ]);
        }
        let mut out = if report.dry_run {
            "Dry run: nothing was changed here or on the server.\n".to_owned()
        } else if report.writes() == 0 {
            "In sync: nothing to pull or push.\n".to_owned()
        } else {
            String::new()
        };
        out.push_str(&table.render());
        for note in &report.notes {
            let _ = writeln!(out, "note: {}", truncate(note, 200));
        }
        if report.conflicts() > 0 {
            out.push_str("See them with `rolo sync conflicts`.\n");
        }
        out
    })
}

fn status(ctx: &Ctx) -> Result<()> {
    let status = sync::status(&ctx.store)?;
    let clock = ctx.clock;
    emit(ctx.json, &status, || {
        if !status.configured {
            return "Sync is not set up: run `rolo sync setup URL [--user NAME]`.\n".to_owned();
        }
        let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map_or("never".to_owned(), |t| {
                clock.datetime_of(t).format("%Y-%m-%d %H:%M").to_string()
            })
        };
        let mut out = format!(
            "Server     {}{}\nLast sync  {}\nPending    {} local change(s){}\nConflicts  {} open{}\n\n",
            status.url.as_deref().unwrap_or_default(),
            status
                .user
                .as_deref()
                .map(|u| format!(" (as {u})"))
                .unwrap_or_default(),
            when(status.last_sync_at),
            status.pending,
            if status.tombstones > 0 {
                format!(", {} deletion(s)", status.tombstones)
            } else {
                String::new()
            },
            status.open_conflicts,
            if status.open_conflicts > 0 {
                " (rolo sync conflicts)"
            } else {
                ""
            },
        );
        let mut table = Table::new(&["kind", "collection", "items", "pending", "synced"]);
        for c in &status.collections {
            table.row(vec![
                c.kind.to_owned(),
                c.href.clone(),
                c.items.to_string(),
                c.pending.to_string(),
                when(c.synced_at),
            ]);
        }
        out.push_str(&table.render());
        out
    })
}

fn value(v: &serde_json::Value) -> String {
    let text = match v {
        serde_json::Value::Null => "(none)".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    truncate(&text.replace('\n', " "), 40)
}

fn conflicts(ctx: &mut Ctx, action: Option<&ConflictAction>) -> Result<()> {
    match action {
        None => {
            let list = sync::conflicts(&ctx.store)?;
            emit(ctx.json, &list, || {
                if list.is_empty() {
                    return "No open conflicts.\n".to_owned();
                }
                let mut table = Table::new(&["id", "record", "field", "kept", "lost", "kept from"]);
                for c in &list {
                    table.row(vec![
                        c.id.to_string(),
                        format!(
                            "{} {}",
                            c.record.as_deref().unwrap_or("-"),
                            truncate(&c.title, 30)
                        ),
                        c.field.clone(),
                        value(&c.kept),
                        value(&c.lost),
                        if c.kept_side == "local" {
                            "here".to_owned()
                        } else {
                            "server".to_owned()
                        },
                    ]);
                }
                table.render()
                    + "Take the lost value with `rolo sync conflicts take ID`, or close with `rolo sync conflicts keep ID`.\n"
            })
        }
        Some(ConflictAction::Take { id }) => {
            let c = sync::resolve(&mut ctx.store, &ctx.clock, *id, true)?;
            emit(ctx.json, &c, || {
                format!(
                    "{}: {} is now {} (sent with the next sync).\n",
                    c.title,
                    c.field,
                    value(&c.lost)
                )
            })
        }
        Some(ConflictAction::Keep { id }) => {
            let c = sync::resolve(&mut ctx.store, &ctx.clock, *id, false)?;
            emit(ctx.json, &c, || {
                format!("{}: {} stays {}.\n", c.title, c.field, value(&c.kept))
            })
        }
    }
}
