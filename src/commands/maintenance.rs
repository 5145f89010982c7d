//! `trash`, `backup`, `check`, `completions`: keeping the journal and the tool in order.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, bail};
use clap::CommandFactory;
use serde::Serialize;

use super::output::{Table, emit, print};
use super::{Ctx, Target};
use crate::cli::{Cli, TrashAction};
use crate::journal::maintenance;
use crate::store::trash;

pub fn trash(ctx: &mut Ctx, action: Option<TrashAction>) -> Result<()> {
    match action.unwrap_or(TrashAction::List) {
        TrashAction::List => {
            let entries = maintenance::trash_list(&ctx.store)?;
            emit(ctx.json, &entries, || {
                if entries.is_empty() {
                    return "The trash is empty.\n".to_owned();
                }
                let mut table = Table::new(&["id", "kind", "deleted", "what"]);
                for e in &entries {
                    table.row(vec![
                        e.id.to_string(),
                        e.kind.to_owned(),
                        ctx.clock.date_of(e.deleted_at).to_string(),
                        e.title.clone(),
                    ]);
                }
                table.render()
            })
        }
        TrashAction::Restore { id } => {
            let item: trash::Item = id.parse().map_err(anyhow::Error::msg)?;
            maintenance::restore(&mut ctx.store, &ctx.clock, item)?;
            emit(ctx.json, &serde_json::json!({ "restored": item }), || {
                format!("Restored {item}\n")
            })
        }
        TrashAction::Empty { yes } => {
            let count = maintenance::trash_list(&ctx.store)?.len();
            if !yes && count > 0 {
                bail!(
                    "this deletes {count} item(s) for good; run `rolo trash empty --yes` to go ahead"
                );
            }
            let removed = maintenance::empty_trash(&mut ctx.store)?;
            emit(ctx.json, &serde_json::json!({ "deleted": removed }), || {
                format!("Deleted {removed} item(s) for good.\n")
            })
        }
    }
}

/// `rolo rm TARGET`: a contact, an interaction or a reminder to the trash.
pub fn remove(ctx: &mut Ctx, target: &str) -> Result<()> {
    #[derive(Serialize)]
    struct Trashed<'a> {
        trashed: trash::Item,
        name: &'a str,
    }
    let item = match ctx.target(target)? {
        Target::Contact(id) => trash::Item::Contact(id.0),
        Target::Interaction(id) => trash::Item::Interaction(id.0),
        Target::Reminder(id) => trash::Item::Reminder(id.0),
    };
    let name = maintenance::trash(&mut ctx.store, &ctx.clock, item)?.value;
    emit(
        ctx.json,
        &Trashed {
            trashed: item,
            name: &name,
        },
        || {
            format!(
                "Moved '{name}' ({item}) to the trash — restore with: rolo trash restore {item}\n"
            )
        },
    )
}

pub fn backup(ctx: &Ctx, path: &Path) -> Result<()> {
    maintenance::backup(&ctx.store, path)?;
    // Lossy: a path need not be UTF-8, and JSON text must be.
    emit(
        ctx.json,
        &serde_json::json!({ "backup": path.to_string_lossy() }),
        || format!("Backed up to {}\n", path.display()),
    )
}

pub fn check(ctx: &mut Ctx, repair: bool) -> Result<()> {
    let result = maintenance::check(&mut ctx.store, repair)?;
    emit(ctx.json, &result, || {
        let mut out = String::new();
        for f in &result.fixed {
            let _ = writeln!(out, "repaired: {f}");
        }
        if result.ok {
            out.push_str("The journal is healthy.\n");
        } else {
            for p in &result.problems {
                let _ = writeln!(out, "problem: {p}");
            }
        }
        out
    })?;
    if !result.ok {
        if result.repaired || repair {
            bail!(
                "{} problem(s) remain that a repair cannot fix; restore the journal from a backup",
                result.problems.len()
            );
        }
        bail!("{} problem(s) found", result.problems.len());
    }
    Ok(())
}

pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rolo", &mut out);
    print(&String::from_utf8_lossy(&out))
}
