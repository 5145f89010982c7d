//! Where things live: the journal (`--db`, `ROLO_DB`, or the platform data directory) and
//! the user's settings file.

use std::path::PathBuf;

use anyhow::{Context, Result};

/// The journal the user means: `--db`, else `$ROLO_DB`, else e.g.
/// `~/.local/share/rolo/journal.db` on Linux.
pub fn journal(flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path);
    }
    if let Some(path) = std::env::var_os("ROLO_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dirs = directories::ProjectDirs::from("", "", "rolo")
        .context("cannot find a home directory for the journal; pass --db PATH")?;
    Ok(dirs.data_dir().join("journal.db"))
}

/// `$ROLO_CONFIG`, else e.g. `~/.config/rolo/config.toml`; `None` without a home directory.
pub fn settings() -> Option<PathBuf> {
    match std::env::var_os("ROLO_CONFIG").filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => directories::ProjectDirs::from("", "", "rolo")
            .map(|dirs| dirs.config_dir().join("config.toml")),
    }
}
