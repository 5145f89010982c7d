//! The user's settings file: `[keymap.<section>]` bindings and `[theme]` colours, each
//! overriding the defaults in `assets/`. Read here, interpreted by the TUI.

use anyhow::{Context, Result};

/// What a user may set in the settings file (see [`crate::paths::settings`]).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `[keymap.<section>] "key" = "action"`, checked by the TUI's keymap.
    #[serde(default)]
    pub keymap: toml::Table,
    #[serde(default)]
    pub theme: std::collections::BTreeMap<String, String>,
    /// Where phone numbers written without a country code are (`GB`, `US` …): imports read
    /// them as numbers there when deciding who is who.
    #[serde(default)]
    pub region: Option<String>,
}

/// The user's settings; a missing file is the defaults, a broken one an error naming it.
pub fn load() -> Result<Settings> {
    let Some(path) = crate::paths::settings() else {
        return Ok(Settings::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
}
