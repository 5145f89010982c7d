//! `?`: every binding of the live keymap, by section — generated, so it cannot drift.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, popup};
use crate::tui::app::App;
use crate::tui::keymap::Section;

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App) {
    let area = centered(body, 92, body.height);
    let inner = popup(frame, area, app, "Keys · Esc closes");
    let sections = [
        Section::Global,
        Section::List,
        Section::Contacts,
        Section::Timeline,
        Section::Reminders,
        Section::Review,
    ];
    // Two columns of sections when there is room.
    let columns = if inner.width >= 80 { 2 } else { 1 };
    let column_width = inner.width / columns;
    let mut column_lines: Vec<Vec<Line<'_>>> = vec![Vec::new(); usize::from(columns)];
    for (i, section) in sections.iter().enumerate() {
        let lines = &mut column_lines[usize::from(columns == 2 && i >= 3)];
        lines.push(Line::from(Span::styled(section.title(), app.theme.accent)));
        for (action, keys) in app.keymap.section(*section) {
            let keys = keys
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<16}"), app.theme.follow_up),
                Span::raw(action.describe()),
            ]));
        }
        lines.push(Line::default());
    }
    column_lines[0].push(Line::from(Span::styled(
        "Quick note: @name #tag ^when !date follow-up · Tab completes",
        app.theme.muted,
    )));
    for (i, lines) in column_lines.into_iter().enumerate() {
        let x = inner.x + column_width * u16::try_from(i).unwrap_or(0);
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                x,
                width: column_width,
                ..inner
            },
        );
    }
}
