//! `I`: import a file from the TUI. A path, then the preview — the import rehearsed in a
//! transaction that is rolled back, as `rolo import --dry-run` does — where each possible
//! match is settled (merge into a candidate, a new contact, or later) and role changes are
//! taken or not; Enter imports with those answers, in one transaction.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};

use super::Result;
use crate::journal::import::{self, Options, Report, SheetKind};
use crate::store::Store;
use crate::tui::app::{App, ImportPreview, ImportView, MatchChoice, Overlay};
use crate::tui::input::TextInput;

pub(super) fn open(app: &mut App) {
    app.overlay = Some(Overlay::Import(Box::new(ImportView {
        input: TextInput::new(""),
        error: None,
        preview: None,
    })));
}

/// `~/x.vcf` as the shell would read it.
fn expand(text: &str) -> PathBuf {
    match text.trim().strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME").map_or_else(
            || PathBuf::from(text.trim()),
            |home| PathBuf::from(home).join(rest),
        ),
        None => PathBuf::from(text.trim()),
    }
}

/// Reads `path` and imports it with `options`: a vCard file or directory, else a sheet whose
/// layout its header says (Google, LinkedIn, Outlook), as `rolo import vcard|csv` would.
fn run(store: &mut Store, app: &App, path: &Path, options: &Options) -> anyhow::Result<Report> {
    let vcard = path.is_dir()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard"));
    let (records, skipped) = if vcard {
        import::read_vcards(path, false)?
    } else {
        import::read_csv(path, &SheetKind::Any(None), false, options.region)?
    };
    import::run(store, &app.clock, records, skipped, options, &mut |_, _| {})
}

fn region() -> Option<phonenumber::country::Id> {
    crate::config::load()
        .ok()?
        .region
        .and_then(|r| crate::journal::identity::parse_region(&r).ok())
}

pub(super) fn on_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Import(view)) = &mut app.overlay else {
        return Ok(());
    };
    if view.preview.is_some() {
        return preview_key(app, store, key);
    }
    match key.code {
        KeyCode::Esc => app.overlay = None,
        KeyCode::Enter => {
            let path = expand(view.input.text());
            let options = Options {
                dry_run: true,
                region: region(),
                ..Options::default()
            };
            let rehearsed = run(store, app, &path, &options);
            let Some(Overlay::Import(view)) = &mut app.overlay else {
                return Ok(());
            };
            match rehearsed {
                Ok(report) => {
                    view.preview = Some(ImportPreview {
                        path,
                        choices: vec![MatchChoice::Later; report.possible.len()],
                        report,
                        selected: 0,
                        apply_changes: false,
                    });
                    view.error = None;
                }
                Err(err) => view.error = Some(format!("{err:#}")),
            }
        }
        _ => {
            view.input.handle(&key);
            view.error = None;
        }
    }
    Ok(())
}

/// The next answer for a possible match with `candidates` candidates: later, each
/// candidate in turn, a new contact, later again (`back` goes the other way).
fn cycle(choice: MatchChoice, candidates: usize, back: bool) -> MatchChoice {
    let order: Vec<MatchChoice> = std::iter::once(MatchChoice::Later)
        .chain((0..candidates).map(MatchChoice::Link))
        .chain(std::iter::once(MatchChoice::New))
        .collect();
    let at = order.iter().position(|c| *c == choice).unwrap_or(0);
    let next = if back {
        (at + order.len() - 1) % order.len()
    } else {
        (at + 1) % order.len()
    };
    order[next]
}

fn preview_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Import(view)) = &mut app.overlay else {
        return Ok(());
    };
    let Some(preview) = &mut view.preview else {
        return Ok(());
    };
    let rows = preview.choices.len();
    match key.code {
        KeyCode::Esc => view.preview = None,
        KeyCode::Char('j') | KeyCode::Down if rows > 0 => {
            preview.selected = (preview.selected + 1).min(rows - 1);
        }
        KeyCode::Char('k') | KeyCode::Up => preview.selected = preview.selected.saturating_sub(1),
        KeyCode::Char(' ') | KeyCode::Right | KeyCode::Left | KeyCode::Tab if rows > 0 => {
            let i = preview.selected;
            let candidates = preview.report.possible[i].candidates.len();
            preview.choices[i] = cycle(preview.choices[i], candidates, key.code == KeyCode::Left);
        }
        KeyCode::Char('a') => preview.apply_changes = !preview.apply_changes,
        KeyCode::Enter => return import_now(app, store),
        _ => {}
    }
    Ok(())
}

/// Enter in the preview: the import, with the answers given, in one transaction.
fn import_now(app: &mut App, store: &mut Store) -> Result {
    let Some(Overlay::Import(view)) = &app.overlay else {
        return Ok(());
    };
    let Some(preview) = &view.preview else {
        return Ok(());
    };
    let mut options = Options {
        region: region(),
        apply_changes: preview.apply_changes,
        ..Options::default()
    };
    for (possible, choice) in preview.report.possible.iter().zip(&preview.choices) {
        match choice {
            MatchChoice::Later => {}
            MatchChoice::New => options.new_rows.push(possible.row.clone()),
            MatchChoice::Link(i) => {
                if let Some(c) = possible.candidates.get(*i) {
                    options.links.push((possible.row.clone(), c.contact_id));
                }
            }
        }
    }
    let path = preview.path.clone();
    match run(store, app, &path, &options) {
        Ok(report) => {
            app.overlay = None;
            app.reload(store)?;
            app.info(format!("Imported {}: {}", path.display(), summary(&report)));
        }
        Err(err) => {
            if let Some(Overlay::Import(view)) = &mut app.overlay {
                view.error = Some(format!("{err:#}; nothing was imported"));
            }
        }
    }
    Ok(())
}

/// "3 new, 2 merged, 1 up to date, 1 skipped, 1 possible match left for later".
pub fn summary(report: &Report) -> String {
    use crate::text::plural;
    let mut parts = vec![
        format!("{} new", report.created.len()),
        format!("{} merged", report.merged.len()),
        format!("{} up to date", report.unchanged.len()),
    ];
    if !report.skipped.is_empty() {
        parts.push(format!("{} skipped", report.skipped.len()));
    }
    if !report.changes.is_empty() {
        parts.push(plural(report.changes.len(), "role change"));
    }
    if !report.possible.is_empty() {
        parts.push(format!(
            "{} left for later",
            plural(report.possible.len(), "possible match")
        ));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_cycle_through_every_candidate_and_back() {
        let mut c = MatchChoice::Later;
        let mut seen = Vec::new();
        for _ in 0..4 {
            c = cycle(c, 2, false);
            seen.push(c);
        }
        assert_eq!(
            seen,
            [
                MatchChoice::Link(0),
                MatchChoice::Link(1),
                MatchChoice::New,
                MatchChoice::Later
            ]
        );
        assert_eq!(cycle(MatchChoice::Later, 2, true), MatchChoice::New);
    }
}
