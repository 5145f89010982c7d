//! Keys to actions, as data. Defaults come from `assets/keymap.toml`; a user's config file
//! overrides single bindings. Status-bar hints and the help overlay are read back from the
//! live keymap, so they can never drift from what the keys really do.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::action::Action;

const DEFAULTS: &str = include_str!("../../assets/keymap.toml");

/// Where a binding applies; lookups go from the focused pane to `List` to `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    Global,
    List,
    Contacts,
    Timeline,
    Reminders,
    Review,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Global => "Anywhere",
            Section::List => "Lists",
            Section::Contacts => "Contacts",
            Section::Timeline => "Timeline",
            Section::Reminders => "Reminders",
            Section::Review => "Weekly review",
        }
    }
}

/// A key with its modifiers, normalised so that `D` and shift-`d` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
}

/// `KeyCode` without the variants a keymap cannot name, ordered for stable help output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    Named(&'static str),
}

const NAMED: [(&str, KeyCode); 14] = [
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
];

impl Key {
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let code = match event.code {
            KeyCode::Char(' ') => KeyCodeOrd::Named("space"),
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            other => KeyCodeOrd::Named(NAMED.iter().find(|(_, k)| *k == other)?.0),
        };
        Some(Key {
            code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        })
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCodeOrd::Char(c),
            _ if rest == "space" => KeyCodeOrd::Named("space"),
            _ => KeyCodeOrd::Named(
                NAMED
                    .iter()
                    .find(|(n, _)| *n == rest)
                    .ok_or_else(|| format!("unknown key '{text}'"))?
                    .0,
            ),
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::Named("backtab") => f.write_str("shift-tab"),
            KeyCodeOrd::Named(name) => f.write_str(name),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    bindings: BTreeMap<Section, BTreeMap<Key, Action>>,
}

/// The TOML shape: `[section] "key" = "action"`.
pub type KeymapToml = BTreeMap<Section, BTreeMap<String, Action>>;

impl Keymap {
    /// The embedded defaults.
    pub fn defaults() -> Keymap {
        let table: KeymapToml = toml::from_str(DEFAULTS).unwrap_or_default();
        let mut keymap = Keymap::default();
        // The defaults are tested to parse; a bad one would show up as a missing key.
        let _ = keymap.apply(&table);
        keymap
    }

    /// Applies the `[keymap]` table of the user's settings file.
    pub fn apply_table(&mut self, table: &toml::Table) -> Result<(), String> {
        let table: KeymapToml = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| e.message().to_owned())?;
        self.apply(&table)
    }

    /// Adds or replaces bindings; returns the first bad key name, if any.
    pub fn apply(&mut self, table: &KeymapToml) -> Result<(), String> {
        for (section, keys) in table {
            for (key, action) in keys {
                let key = Key::parse(key)?;
                self.bindings
                    .entry(*section)
                    .or_default()
                    .insert(key, *action);
            }
        }
        Ok(())
    }

    /// The action for `key`, trying `sections` in order.
    pub fn action(&self, sections: &[Section], key: Key) -> Option<Action> {
        sections
            .iter()
            .find_map(|s| self.bindings.get(s)?.get(&key).copied())
    }

    /// The shortest key bound to `action` in `sections`, for hints.
    pub fn key_for(&self, sections: &[Section], action: Action) -> Option<Key> {
        sections
            .iter()
            .filter_map(|s| self.bindings.get(s))
            .flat_map(|keys| keys.iter().filter(|(_, a)| **a == action).map(|(k, _)| *k))
            .min_by_key(|k| (k.to_string().len(), *k))
    }

    /// Every binding of a section, grouped by action, for the help overlay.
    pub fn section(&self, section: Section) -> Vec<(Action, Vec<Key>)> {
        let mut grouped: Vec<(Action, Vec<Key>)> = Vec::new();
        for (key, action) in self.bindings.get(&section).into_iter().flatten() {
            match grouped.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(*key),
                None => grouped.push((*action, vec![*key])),
            }
        }
        grouped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_completely() {
        let table: KeymapToml = toml::from_str(DEFAULTS).unwrap();
        let mut keymap = Keymap::default();
        keymap.apply(&table).unwrap();
        assert_eq!(
            keymap.action(&[Section::Global], Key::parse("q").unwrap()),
            Some(Action::Quit)
        );
        assert_eq!(
            keymap.action(
                &[Section::Reminders, Section::List, Section::Global],
                Key::parse("d").unwrap()
            ),
            Some(Action::Done)
        );
        assert_eq!(
            keymap
                .key_for(&[Section::List], Action::Down)
                .unwrap()
                .to_string(),
            "j"
        );
    }

    #[test]
    fn overrides_replace_single_bindings() {
        let mut keymap = Keymap::defaults();
        let user: KeymapToml =
            toml::from_str("[reminders]\n\"x\" = \"done\"\n\"d\" = \"snooze\"").unwrap();
        keymap.apply(&user).unwrap();
        let sections = [Section::Reminders, Section::Global];
        assert_eq!(
            keymap.action(&sections, Key::parse("x").unwrap()),
            Some(Action::Done)
        );
        assert_eq!(
            keymap.action(&sections, Key::parse("d").unwrap()),
            Some(Action::Snooze)
        );
        assert_eq!(
            keymap.action(&sections, Key::parse("q").unwrap()),
            Some(Action::Quit)
        );
    }

    #[test]
    fn keys_parse_and_print() {
        for text in ["q", "D", "ctrl-c", "alt-x", "enter", "space", "pagedown"] {
            assert_eq!(Key::parse(text).unwrap().to_string(), text);
        }
        assert!(Key::parse("hyper-q").is_err());
        let shift_d = KeyEvent::new(KeyCode::Char('D'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shift_d), Some(Key::parse("D").unwrap()));
    }
}
