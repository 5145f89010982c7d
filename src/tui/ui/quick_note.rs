//! The quick note: the capture line, highlighted as typed, and the notes below it; a live
//! preview of what it will create (or why it cannot) and `@` completion.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, fit, popup};
use crate::domain::agenda::day_heading;
use crate::domain::capture::{self, TokenClass};
use crate::tui::app::{App, CompletionItem, QuickNote};

fn class_style(app: &App, class: TokenClass) -> Style {
    match class {
        TokenClass::Word => Style::default(),
        TokenClass::Person => app.theme.person,
        TokenClass::Tag => app.theme.tag,
        TokenClass::Kind => app.theme.accent,
        TokenClass::When => app.theme.when,
        TokenClass::FollowUp => app.theme.follow_up,
    }
}

/// The line with each token in its colour.
fn highlighted<'a>(app: &App, text: &'a str) -> Line<'a> {
    let mut spans = Vec::new();
    let mut at = 0;
    for (range, class) in capture::highlight(text) {
        if range.start > at {
            spans.push(Span::raw(&text[at..range.start]));
        }
        spans.push(Span::styled(&text[range.clone()], class_style(app, class)));
        at = range.end;
    }
    if at < text.len() {
        spans.push(Span::raw(&text[at..]));
    }
    Line::from(spans)
}

/// The first byte to show so that the text up to `cursor` fits in `width` columns.
fn scroll_start(text: &str, cursor: usize, width: usize) -> usize {
    let mut start = 0;
    while unicode_width::UnicodeWidthStr::width(&text[start..cursor]) > width {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    start
}

/// Most lines of the note shown at once; more scroll.
const MOST_LINES: usize = 10;

/// What the note will create (or why it cannot), under the text.
fn push_preview(app: &App, note: &QuickNote, width: usize, lines: &mut Vec<Line<'_>>) {
    let text = note.input.text();
    match &note.preview {
        Ok(p) => {
            let mut spans = vec![
                Span::styled("→ ", app.theme.accent),
                Span::styled(p.kind.clone(), app.theme.accent),
            ];
            if !p.people.is_empty() {
                spans.push(Span::raw(" with "));
                spans.push(Span::styled(p.people.join(", "), app.theme.person));
            }
            for tag in &p.tags {
                spans.push(Span::styled(format!(" #{tag}"), app.theme.tag));
            }
            if let Some(at) = p.at {
                spans.push(Span::styled(
                    format!(" · {}", at.format("%a %-d %b %H:%M")),
                    app.theme.when,
                ));
            }
            if p.body_lines > 0 {
                let noun = if p.body_lines == 1 { "line" } else { "lines" };
                spans.push(Span::styled(
                    format!(" · {} {noun} of notes", p.body_lines),
                    app.theme.muted,
                ));
            }
            lines.push(Line::from(spans));
            lines.push(Line::from(Span::styled(
                fit(&format!("  “{}”", p.summary), width),
                app.theme.muted,
            )));
            if let Some((due, what)) = &p.follow_up {
                let what = if what.is_empty() {
                    "follow up".to_owned()
                } else {
                    what.clone()
                };
                lines.push(Line::from(Span::styled(
                    format!("! follow-up {}: {what}", day_heading(*due)),
                    app.theme.follow_up,
                )));
            }
        }
        Err(message) if message.is_empty() || text.trim().is_empty() => {
            lines.push(Line::from(Span::styled(
                "lunch with @ada #tag talked about … !2w follow-up ^yesterday",
                app.theme.muted,
            )));
        }
        Err(message) => lines.push(Line::from(Span::styled(
            format!("✗ {message}"),
            app.theme.error,
        ))),
    }
}

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App, note: &QuickNote) {
    let (text_lines, (row, _)) = note.input.lines();
    let preview_lines: u16 = 4;
    let room = usize::from(body.height.saturating_sub(preview_lines + 4)).max(1);
    let shown = text_lines.len().clamp(1, MOST_LINES.min(room));
    let height = u16::try_from(shown).unwrap_or(1) + preview_lines + 2;
    let width = body.width.saturating_sub(4).min(100);
    let area = centered(body, width, height);
    let title = if note.from_reminder.is_some() {
        "Log it · Enter saves and completes the reminder · alt-enter new line · Esc keeps it"
    } else {
        "Quick note · Enter saves · alt-enter / ctrl-j new line · Esc keeps it"
    };
    let inner = popup(frame, area, app, title);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    // The lines around the cursor's line, each scrolled so the cursor stays in view.
    let first = row.saturating_sub(shown - 1);
    let text_width = usize::from(inner.width.saturating_sub(1));
    let cursor_byte_in_line = {
        let before = &note.input.text()[..note.input.cursor()];
        before.len() - before.rfind('\n').map_or(0, |i| i + 1)
    };
    let mut lines = Vec::new();
    let mut cursor_x = 0;
    for (n, line) in text_lines.iter().enumerate().skip(first).take(shown) {
        let start = if n == row {
            scroll_start(line, cursor_byte_in_line, text_width)
        } else {
            0
        };
        if n == row {
            cursor_x = unicode_width::UnicodeWidthStr::width(&line[start..cursor_byte_in_line]);
        }
        lines.push(if n == 0 {
            highlighted(app, &line[start..])
        } else {
            Line::from(Span::raw(fit(&line[start..], usize::from(inner.width))))
        });
    }
    lines.push(Line::default());
    push_preview(app, note, usize::from(inner.width), &mut lines);
    frame.render_widget(Paragraph::new(lines), inner);
    let x = super::cursor_x(inner, cursor_x);
    let y = inner.y + u16::try_from(row - first).unwrap_or(0);
    frame.set_cursor_position((x, y));

    if let Some(completion) = note.completion.as_ref().filter(|c| !c.items.is_empty()) {
        let height = u16::try_from(completion.items.len()).unwrap_or(6) + 2;
        let popup_area = Rect {
            x: x.min(body.right().saturating_sub(32)),
            y: y + 1,
            width: 32,
            height,
        }
        .intersection(body);
        frame.render_widget(Clear, popup_area);
        let title = if completion.selected.is_some() {
            "@ · Enter/Tab take it"
        } else {
            "@ · ↓ or Tab to choose"
        };
        let inner = popup(frame, popup_area, app, title);
        let items: Vec<Line<'_>> = completion
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let text = match item {
                    CompletionItem::Contact { label, .. } => label.clone(),
                    CompletionItem::Create { name } => format!("+ new contact “{name}”"),
                };
                let style = if Some(i) == completion.selected {
                    app.theme.selection
                } else {
                    Style::default()
                };
                Line::from(Span::styled(fit(&text, usize::from(inner.width)), style))
            })
            .collect();
        frame.render_widget(Paragraph::new(items), inner);
    }
}
