//! The timeline pane: the selected contact's interactions (or everyone's), newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, pane_frame, row_style};
use crate::tui::app::{App, Focus};

/// "3d ago", "today", "in 2d": short relative days for narrow columns.
pub fn short_relative(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        d if d > 0 => format!("{d}d ago"),
        d => format!("in {}d", -d),
    }
}

/// The pane width from which rows show the relative day and the full date.
const FULL_FROM: usize = 80;
/// The pane width from which rows show the kind.
const KIND_FROM: usize = 56;

/// "20 Nov" this year, "2024" before.
fn short_date(date: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if date.year() == today.year() {
        date.format("%-d %b").to_string()
    } else {
        date.year().to_string()
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let pane = &app.timeline;
    let focused = app.focus == Focus::Timeline;
    let whose = if pane.everyone {
        "everyone".to_owned()
    } else {
        app.contacts
            .selected()
            .map_or("no one selected".to_owned(), |c| c.row.display_name.clone())
    };
    let more = if pane.exhausted { "" } else { "+" };
    let narrowed = if pane.narrowed.is_empty() {
        String::new()
    } else {
        let mut words: Vec<String> = pane.narrowed.kind.iter().cloned().collect();
        words.extend(pane.narrowed.tags.iter().map(|t| format!("#{t}")));
        format!(" · {}", words.join(" "))
    };
    let title = Line::from(vec![
        Span::styled(
            " Timeline ",
            if focused {
                app.theme.accent
            } else {
                app.theme.muted
            },
        ),
        Span::styled(
            format!("{whose}{narrowed} · {}{more} ", pane.rows.len()),
            app.theme.muted,
        ),
    ]);
    let Some(inner) = pane_frame(frame, area, app, title, focused) else {
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if pane.filter_shown() {
        lines.push(filter_line(frame, inner, app));
    }
    if pane.rows.is_empty() {
        let empty = if pane.narrowed.is_empty() {
            "Nothing logged yet — n writes a note"
        } else {
            "Nothing of that kind or tag here — esc on the filter clears it"
        };
        lines.push(Line::from(Span::styled(empty, app.theme.muted)));
    }
    let height = app.pane_height(Focus::Timeline);
    for (row, i) in pane
        .rows
        .iter()
        .enumerate()
        .skip(pane.scroll.offset)
        .take(height)
    {
        let date = app.clock.date_of(i.happened_at);
        let others = i.others(if pane.everyone { None } else { pane.contact });
        let with_others = if others.is_empty() {
            String::new()
        } else {
            format!(" · {}", others.join(", "))
        };
        // Wide: "2d ago 2026-11-20 milestone"; narrower: "20 Nov meal"; narrowest: the
        // date alone — the summary keeps at least half the row.
        let mut spans = Vec::new();
        if width >= FULL_FROM {
            let relative = short_relative((app.today - date).num_days());
            spans.push(Span::styled(format!("{relative:>8} "), app.theme.muted));
            spans.push(Span::styled(format!("{date} "), app.theme.when));
        } else {
            spans.push(Span::styled(
                format!("{:>6} ", short_date(date, app.today)),
                app.theme.when,
            ));
        }
        if width >= KIND_FROM {
            spans.push(Span::styled(
                format!("{:<9} ", i.kind.as_str()),
                app.theme.accent,
            ));
        }
        let fixed: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
        let rest = fit(
            &format!("{}{with_others}", i.summary),
            width.saturating_sub(fixed),
        );
        spans.push(Span::raw(rest));
        let style = row_style(app, row == pane.scroll.selected, focused);
        lines.push(Line::from(spans).style(style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The filter as typed, with why it cannot be read yet; the cursor in it while typing.
fn filter_line(frame: &mut Frame<'_>, inner: Rect, app: &App) -> Line<'static> {
    let pane = &app.timeline;
    let mut pieces = vec![
        ("/ ".to_owned(), app.theme.accent),
        (
            pane.filter.text().to_owned(),
            ratatui::style::Style::default(),
        ),
    ];
    if let Some(why) = &pane.filter_error {
        pieces.push((format!("  {why}"), app.theme.error));
    }
    if pane.filtering && app.focus == Focus::Timeline {
        let x = super::cursor_x(inner, 2 + pane.filter.cursor_column());
        frame.set_cursor_position((x, inner.y));
    }
    Line::from(super::fit_spans(pieces, usize::from(inner.width)))
}
