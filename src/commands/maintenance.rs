//! `trash`, `backup`, `check`, `completions`, `man`: keeping the journal and the tool in order.

use std::path::Path;

use anyhow::{Result, bail};
use clap::CommandFactory;
use serde::Serialize;

use super::Ctx;
use super::output::{Table, emit, print};
use crate::cli::{Cli, TrashAction};
use crate::store::{health, trash};

pub fn trash(ctx: &mut Ctx, action: Option<TrashAction>) -> Result<()> {
    let now = ctx.now;
    match action.unwrap_or(TrashAction::List) {
        TrashAction::List => {
            let entries = trash::list(ctx.store.conn())?;
            emit(ctx.json, &entries, || {
                if entries.is_empty() {
                    return "The trash is empty.\n".to_owned();
                }
                let mut table = Table::new(&["id", "kind", "deleted", "what"]);
                for e in &entries {
                    table.row(vec![
                        e.id.to_string(),
                        e.kind.to_owned(),
                        super::local_date(e.deleted_at).to_string(),
                        e.title.clone(),
                    ]);
                }
                table.render()
            })
        }
        TrashAction::Restore { id } => {
            let item: trash::Item = id.parse().map_err(anyhow::Error::msg)?;
            if !ctx.store.write(|tx| trash::restore(tx, item, now))? {
                bail!("{item} is not in the trash");
            }
            emit(ctx.json, &serde_json::json!({ "restored": item }), || {
                format!("Restored {item}\n")
            })
        }
        TrashAction::Empty { yes } => {
            let count = trash::list(ctx.store.conn())?.len();
            if !yes && count > 0 {
                bail!(
                    "this deletes {count} item(s) for good; run `rolo trash empty --yes` to go ahead"
                );
            }
            let removed = ctx.store.write(|tx| trash::empty(tx))?;
            emit(ctx.json, &serde_json::json!({ "deleted": removed }), || {
                format!("Deleted {removed} item(s) for good.\n")
            })
        }
    }
}

pub fn backup(ctx: &Ctx, path: &Path) -> Result<()> {
    ctx.store.backup_to(path)?;
    emit(ctx.json, &serde_json::json!({ "backup": path }), || {
        format!("Backed up to {}\n", path.display())
    })
}

#[derive(Serialize)]
struct CheckJson {
    ok: bool,
    problems: Vec<String>,
    repaired: bool,
}

pub fn check(ctx: &mut Ctx, repair: bool) -> Result<()> {
    // FTS5's integrity-check is a write statement: run the checks in a transaction that is
    // rolled back, so checking never changes the file.
    let mut problems = {
        let tx = ctx.store.conn().unchecked_transaction()?;
        let problems = health::check(&tx)?;
        tx.rollback()?;
        problems
    };
    let repaired = repair && !problems.is_empty();
    if repaired {
        ctx.store.write(|tx| health::repair(tx))?;
        let tx = ctx.store.conn().unchecked_transaction()?;
        problems = health::check(&tx)?;
        tx.rollback()?;
    }
    let result = CheckJson {
        ok: problems.is_empty(),
        problems,
        repaired,
    };
    emit(ctx.json, &result, || {
        if result.ok {
            format!(
                "The journal is healthy{}.\n",
                if repaired { " (repaired)" } else { "" }
            )
        } else {
            result
                .problems
                .iter()
                .map(|p| format!("problem: {p}"))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        }
    })?;
    if !result.ok {
        bail!("{} problem(s) found", result.problems.len());
    }
    Ok(())
}

pub fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rolo", &mut out);
    print(&String::from_utf8_lossy(&out))
}

pub fn man() -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    print(&String::from_utf8_lossy(&out))
}
