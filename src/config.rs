//! Where things live: the journal path (`--db`, `ROLO_DB`, or the platform data directory).

use std::path::PathBuf;

use anyhow::{Context, Result};

/// The journal the user means: `--db`, else `$ROLO_DB`, else e.g.
/// `~/.local/share/rolo/journal.db` on Linux.
pub fn journal_path(flag: Option<PathBuf>) -> Result<PathBuf> {
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

/// What a user may set in `$XDG_CONFIG_HOME/rolo/config.toml` (or `$ROLO_CONFIG`):
/// `[keymap.<section>]` bindings and `[theme]` colours, each overriding the defaults.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub keymap: crate::tui::keymap::KeymapToml,
    #[serde(default)]
    pub theme: std::collections::BTreeMap<String, String>,
}

/// The user's settings; a missing file is the defaults, a broken one an error naming it.
pub fn load_settings() -> Result<Settings> {
    let path = match std::env::var_os("ROLO_CONFIG") {
        Some(path) => PathBuf::from(path),
        None => match directories::ProjectDirs::from("", "", "rolo") {
            Some(dirs) => dirs.config_dir().join("config.toml"),
            None => return Ok(Settings::default()),
        },
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
}
