//! The contacts pane: health marker, name, days since last contact; live filter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, pane_frame, row_style};
use crate::domain::contact::Health;
use crate::store::contacts::Sort;
use crate::tui::app::{App, Focus};
use crate::tui::theme::Theme;

/// A marker per health, distinct in shape so it reads without colour.
pub fn marker(health: Health, theme: &Theme) -> Span<'static> {
    match health {
        Health::Overdue => Span::styled("▲", theme.overdue),
        Health::Due => Span::styled("◆", theme.due),
        Health::Ok => Span::styled("●", theme.ok),
        Health::None => Span::styled("·", theme.muted),
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let pane = &app.contacts;
    let focused = app.focus == Focus::Contacts;
    let sort = match pane.sort {
        Sort::Name => "name",
        Sort::Recent => "recent",
        Sort::Overdue => "overdue",
    };
    let count = if pane.visible.len() == pane.all.len() {
        pane.all.len().to_string()
    } else {
        format!("{}/{}", pane.visible.len(), pane.all.len())
    };
    let title = Line::from(vec![
        Span::styled(
            " Contacts ",
            if focused {
                app.theme.accent
            } else {
                app.theme.muted
            },
        ),
        Span::styled(format!("{count} · by {sort} "), app.theme.muted),
    ]);
    let Some(inner) = pane_frame(frame, area, app, title, focused) else {
        return;
    };
    let mut lines = Vec::new();
    if pane.filter_shown() {
        lines.push(Line::from(vec![
            Span::styled("/ ", app.theme.accent),
            Span::raw(pane.filter.text().to_owned()),
        ]));
        if pane.filtering && focused {
            let x = inner.x + 2 + u16::try_from(pane.filter.cursor_column()).unwrap_or(0);
            frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), inner.y));
        }
    }
    let width = usize::from(inner.width);
    let height = app.pane_height(Focus::Contacts);
    if pane.visible.is_empty() {
        let empty = if pane.all.is_empty() {
            "No contacts yet — a adds one"
        } else {
            "No one matches"
        };
        lines.push(Line::from(Span::styled(empty, app.theme.muted)));
    }
    for (row, &index) in pane
        .visible
        .iter()
        .enumerate()
        .skip(pane.scroll.offset)
        .take(height)
    {
        let c = &pane.all[index];
        let since = c.days_since.map_or("never".to_owned(), |d| format!("{d}d"));
        let name_width = width.saturating_sub(since.len() + 3);
        let name = fit(&c.row.display_name, name_width);
        let pad = name_width.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
        let style = row_style(app, row == pane.scroll.selected, focused);
        lines.push(
            Line::from(vec![
                marker(c.health, &app.theme),
                Span::raw(" "),
                Span::raw(name),
                Span::raw(" ".repeat(pad + 1)),
                Span::styled(since, app.theme.muted),
            ])
            .style(style),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
