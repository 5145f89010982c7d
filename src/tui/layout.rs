//! Where the panes go at a given terminal size. Drawing uses it to lay the panes out and
//! `update` to map mouse clicks, so what is clicked is what was drawn.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::{App, Focus};

/// Narrower than this, one pane at a time with a tab bar.
pub const SINGLE_PANE_BELOW: u16 = 80;

/// Where each visible pane goes at the current size.
pub fn pane_areas(app: &App) -> Vec<(Focus, Rect)> {
    let (width, height) = app.size;
    let body = Rect::new(0, 0, width, height.saturating_sub(1));
    if width < SINGLE_PANE_BELOW {
        let [_, pane] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        return vec![(app.focus, pane)];
    }
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(body);
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(right);
    vec![
        (Focus::Contacts, left),
        (Focus::Timeline, top),
        (Focus::Reminders, bottom),
    ]
}
