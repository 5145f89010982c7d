//! Colours, from `assets/theme.toml` and the user's `[theme]`. `NO_COLOR` drops all colour;
//! meaning never rests on colour alone (health markers have distinct symbols).

use std::collections::BTreeMap;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

const DEFAULTS: &str = include_str!("../../assets/theme.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub accent: Style,
    pub overdue: Style,
    pub due: Style,
    pub ok: Style,
    pub muted: Style,
    pub selection: Style,
    pub person: Style,
    pub tag: Style,
    pub follow_up: Style,
    pub when: Style,
    pub error: Style,
}

impl Theme {
    /// The defaults with `overrides` applied; `no_color` wins over both.
    pub fn load(overrides: &BTreeMap<String, String>, no_color: bool) -> Result<Theme, String> {
        let mut colors: BTreeMap<String, String> =
            toml::from_str(DEFAULTS).map_err(|e| e.to_string())?;
        colors.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        let get = |name: &str| -> Result<Style, String> {
            if no_color {
                return Ok(Style::default());
            }
            let text = colors.get(name).map_or("reset", String::as_str);
            Color::from_str(text)
                .map(|c| Style::default().fg(c))
                .map_err(|_| format!("theme: '{text}' is not a colour (for {name})"))
        };
        let selection = if no_color {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            let text = colors.get("selection").map_or("blue", String::as_str);
            Style::default().bg(Color::from_str(text)
                .map_err(|_| format!("theme: '{text}' is not a colour (for selection)"))?)
        };
        Ok(Theme {
            accent: get("accent")?.add_modifier(Modifier::BOLD),
            overdue: get("overdue")?,
            due: get("due")?,
            ok: get("ok")?,
            muted: get("muted")?,
            selection,
            person: get("person")?.add_modifier(Modifier::BOLD),
            tag: get("tag")?,
            follow_up: get("follow-up")?,
            when: get("when")?,
            error: get("error")?.add_modifier(Modifier::BOLD),
        })
    }

    /// The plain theme: what tests and `NO_COLOR` see.
    pub fn plain() -> Theme {
        Theme::load(&BTreeMap::new(), true).unwrap_or_else(|_| uniform(Style::default()))
    }
}

/// Every role in one style; what `plain` falls back to if the embedded defaults were broken.
fn uniform(s: Style) -> Theme {
    Theme {
        accent: s,
        overdue: s,
        due: s,
        ok: s,
        muted: s,
        selection: s,
        person: s,
        tag: s,
        follow_up: s,
        when: s,
        error: s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides_load() {
        let theme = Theme::load(&BTreeMap::new(), false).unwrap();
        assert_eq!(theme.overdue.fg, Some(Color::Red));
        let custom = BTreeMap::from([("overdue".to_owned(), "#ff8800".to_owned())]);
        assert_eq!(
            Theme::load(&custom, false).unwrap().overdue.fg,
            Some(Color::Rgb(0xff, 0x88, 0))
        );
        let bad = BTreeMap::from([("ok".to_owned(), "plaid".to_owned())]);
        assert!(Theme::load(&bad, false).is_err());
        assert_eq!(
            Theme::load(&custom, true).unwrap().overdue,
            Style::default()
        );
    }
}
