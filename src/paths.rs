//! Where things live: the journal (`--db`, `ROLO_DB`, or the platform data directory) and
//! the user's settings file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The journal the user means: `--db`, else `$ROLO_DB`, else e.g.
/// `~/.local/share/rolo/journal.db` on Linux. A path the user chose must be in a directory
/// that exists (a typo must not silently start an empty journal somewhere); the default
/// one's directory is created on first use.
pub fn journal(flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = flag {
        return chosen(path);
    }
    if let Some(path) = std::env::var_os("ROLO_DB").filter(|p| !p.is_empty()) {
        return chosen(PathBuf::from(path));
    }
    let dirs = directories::ProjectDirs::from("", "", "rolo")
        .context("cannot find a home directory for the journal; pass --db PATH")?;
    Ok(dirs.data_dir().join("journal.db"))
}

/// `path` as a person reads it: the home directory as `~`.
pub fn shown(path: &Path) -> String {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    match home.as_deref().and_then(|h| path.strip_prefix(h).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

/// `$ROLO_CONFIG`, else e.g. `~/.config/rolo/config.toml`; `None` without a home directory.
pub fn settings() -> Option<PathBuf> {
    match std::env::var_os("ROLO_CONFIG").filter(|p| !p.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => directories::ProjectDirs::from("", "", "rolo")
            .map(|dirs| dirs.config_dir().join("config.toml")),
    }
}

/// A journal path the user gave: its directory must exist already.
pub fn chosen(path: PathBuf) -> Result<PathBuf> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        anyhow::bail!(
            "{} does not exist; create it first (mkdir -p {}) or choose another journal path",
            dir.display(),
            dir.display()
        );
    }
    Ok(path)
}
