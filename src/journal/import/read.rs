//! Reading what people bring: vCard files and vdirs, contact sheets (LinkedIn, Google,
//! Outlook, any CSV with a mapping) and rolo's own JSON, into records for the pipeline.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rusqlite::Transaction;
use serde::Serialize;

use phonenumber::country::Id as Region;

use super::{Incoming, Skipped};
use crate::domain::when::DayOrder;
use crate::interop::vcard;
use crate::store::Store;

/// The `.vcf` files to read: the file itself, or every `.vcf` in a directory (a vdir).
fn vcard_files(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("vcf")))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{} has no .vcf files", path.display());
    }
    Ok(files)
}

/// A file's text, whatever encoding it came in (UTF-8, UTF-16 with a byte-order mark, or
/// Windows-1252); a file that is not text is one clear error.
fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let (text, _) = crate::interop::encoding::decode(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", path.display()))?;
    Ok(text)
}

/// A vCard file's text, decoded line by line by the character sets its cards declare (one
/// file may mix UTF-8 cards with a legacy one); a file that is not text is one clear error.
fn read_vcard_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    vcard::decode(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", path.display()))
}

/// Reads vCards from a file or a directory. Without `skip_invalid`, the first bad card is
/// the error (and nothing is imported); a card that identifies no one is skipped either way.
pub fn read_vcards(path: &Path, skip_invalid: bool) -> Result<(Vec<Incoming>, Vec<Skipped>)> {
    let files = vcard_files(path)?;
    let many = files.len() > 1;
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for file in files {
        let text = read_vcard_text(&file)?;
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let prefix = if many {
            format!("{name} ")
        } else {
            String::new()
        };
        let row = |card: usize| {
            if many {
                format!("{name}:{card}")
            } else {
                card.to_string()
            }
        };
        for result in vcard::read_each(&text) {
            match result {
                Ok(card) => records.push(Incoming {
                    source: format!("{prefix}card {}", card.number),
                    row: row(card.number),
                    uid: card.uid,
                    draft: card.draft,
                    named_from: card.named_from,
                    dated: card.rev,
                }),
                Err(err) if skip_invalid || err.identifies_no_one => skipped.push(Skipped {
                    source: format!("{prefix}card {}", err.card),
                    reason: format!("line {}: {}", err.line, err.message),
                }),
                Err(err) => {
                    bail!("{prefix}{err}; nothing was imported (--skip-invalid imports the rest)")
                }
            }
        }
    }
    Ok((records, skipped))
}

/// What a JSON import did (or would do).
#[derive(Serialize)]
pub struct JsonReport {
    pub dry_run: bool,
    #[serde(flatten)]
    pub restored: crate::store::records::Restored,
}

/// Restores a rolo JSON export: every record whose UID the journal lacks, exactly as it was.
pub fn json(store: &mut Store, path: &Path, dry_run: bool) -> Result<JsonReport> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let document =
        crate::interop::json::from_str(&text).with_context(|| path.display().to_string())?;
    let restore = |tx: &Transaction<'_>| crate::store::records::restore(tx, &document.records);
    let restored = if dry_run {
        store.rehearse(restore)?
    } else {
        store.write(restore)?
    };
    Ok(JsonReport { dry_run, restored })
}

/// Which sheet reader a CSV import uses.
#[derive(Debug, Clone)]
pub enum SheetKind {
    Linkedin,
    Google,
    /// `rolo import csv`: a layout known by its headers, or the user's mapping.
    Any(Option<crate::interop::sheet::Mapping>),
}

/// Reads a contact sheet. Row errors are the error (naming the line) unless `skip_invalid`,
/// which lists them as skipped; a row that identifies no one is skipped either way.
/// `region` (from `--region` or the settings) says how slashed dates such as `4/5/1981` read.
pub fn read_csv(
    path: &Path,
    kind: &SheetKind,
    skip_invalid: bool,
    region: Option<Region>,
) -> Result<(Vec<Incoming>, Vec<Skipped>)> {
    let text = read_text(path)?;
    let order = region.and_then(|r| DayOrder::of_region(r.as_ref()));
    let rows = match kind {
        SheetKind::Linkedin => crate::interop::csv::read_linkedin(&text),
        SheetKind::Google => crate::interop::csv::read_google(&text, order),
        SheetKind::Any(mapping) => {
            crate::interop::sheet::read(&text, mapping.as_ref(), order).map(|(_, rows)| rows)
        }
    }
    .map_err(|e| anyhow::anyhow!("{}: {e}; nothing was imported", path.display()))?;
    let (mut records, mut skipped) = (Vec::new(), Vec::new());
    for row in rows {
        let source = format!("line {}", row.line);
        match row.contact {
            Ok(draft) => records.push(Incoming {
                source,
                row: row.line.to_string(),
                uid: None,
                draft,
                named_from: row.named_from,
                dated: None,
            }),
            Err(reason) if skip_invalid || row.identifies_no_one => {
                skipped.push(Skipped { source, reason });
            }
            Err(reason) => bail!(
                "{}: {source}: {reason}; nothing was imported (--skip-invalid imports the rest)",
                path.display()
            ),
        }
    }
    Ok((records, skipped))
}
