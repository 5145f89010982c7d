//! The weekly review: everything overdue and the coming week, grouped by day with counts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::reminders::kind_marker;
use super::{fit, pane_frame, row_style};
use crate::domain::agenda::day_heading;
use crate::tui::app::{App, Review};

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, review: &Review) {
    let agenda = &review.agenda;
    let this_week: usize = agenda.days.iter().map(|d| d.items.len()).sum();
    let title = Line::from(vec![
        Span::styled(" Weekly review ", app.theme.accent),
        Span::styled(
            format!(
                "{} – {} · ",
                day_heading(agenda.from),
                day_heading(agenda.until)
            ),
            app.theme.muted,
        ),
        Span::styled(
            format!("{} overdue", agenda.overdue.len()),
            if agenda.overdue.is_empty() {
                app.theme.muted
            } else {
                app.theme.overdue
            },
        ),
        Span::styled(format!(" · {this_week} this week "), app.theme.muted),
    ]);
    let Some(inner) = pane_frame(frame, area, app, title, true) else {
        return;
    };
    // Group labels ("Overdue (3)", "Mon 23 Nov (2)") mark the first row of each group.
    let mut rows: Vec<(String, &crate::domain::agenda::AgendaItem)> = Vec::new();
    for (i, item) in agenda.overdue.iter().enumerate() {
        rows.push((
            if i == 0 {
                format!("Overdue ({})", agenda.overdue.len())
            } else {
                String::new()
            },
            item,
        ));
    }
    for day in &agenda.days {
        for (i, item) in day.items.iter().enumerate() {
            rows.push((
                if i == 0 {
                    format!("{} ({})", day_heading(day.date), day.items.len())
                } else {
                    String::new()
                },
                item,
            ));
        }
    }
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "A clear week: nothing overdue, nothing due",
            app.theme.muted,
        )));
    }
    let height = usize::from(inner.height);
    for (row, (label, item)) in rows
        .iter()
        .enumerate()
        .skip(review.scroll.offset)
        .take(height)
    {
        let label_style = if item.date < agenda.from {
            app.theme.overdue
        } else {
            app.theme.accent
        };
        let text = fit(
            &format!(
                "{}: {}",
                item.kind.label(),
                super::reminders::item_text(item)
            ),
            width.saturating_sub(19),
        );
        lines.push(
            Line::from(vec![
                Span::styled(format!("{label:<16}"), label_style),
                kind_marker(item, &app.theme),
                Span::raw(" "),
                Span::raw(text),
            ])
            .style(row_style(app, row == review.scroll.selected, true)),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
