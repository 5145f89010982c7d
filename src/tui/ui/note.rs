//! One interaction in full: when, kind, who, tags, and the whole body, scrollable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{centered, popup};
use crate::tui::app::{App, NoteView};

/// The note's text with every line break the user typed kept: CommonMark joins the lines of
/// a paragraph (a soft break), so each becomes a hard break (two trailing spaces, which
/// vanish where no break can be). Fenced code keeps its lines anyway and is left alone.
fn hard_breaks(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len() + lines.len() * 2);
    let mut fenced = false;
    for (i, line) in lines.iter().enumerate() {
        let fence = line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~");
        if fence {
            fenced = !fenced;
        }
        out.push_str(line);
        let next_is_text = lines.get(i + 1).is_some_and(|n| !n.trim().is_empty());
        if !fenced && !fence && !line.trim().is_empty() && next_is_text {
            out.push_str("  ");
        }
        out.push('\n');
    }
    out
}

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App, view: &NoteView) {
    let i = &view.interaction;
    let area = centered(
        body,
        body.width.saturating_sub(4).min(100),
        body.height.saturating_sub(2),
    );
    let inner = popup(frame, area, app, "Note · E edit in $EDITOR · Esc close");
    let when = app.clock.datetime_of(i.happened_at);
    let mut lines = vec![
        Line::from(Span::styled(i.summary.clone(), app.theme.accent)),
        Line::from(vec![
            Span::styled(
                when.format("%a %-d %b %Y %H:%M").to_string(),
                app.theme.when,
            ),
            Span::raw(" · "),
            Span::raw(i.kind.to_string()),
        ]),
    ];
    if !i.participants.is_empty() {
        let names = i
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(Line::from(vec![
            Span::raw("with "),
            Span::styled(names, app.theme.person),
        ]));
    }
    if !i.tags.is_empty() {
        lines.push(Line::from(Span::styled(
            i.tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
            app.theme.tag,
        )));
    }
    if let Some(location) = &i.location {
        lines.push(Line::from(format!("at {location}")));
    }
    lines.push(Line::default());
    match &i.body {
        // A body is Markdown (CommonMark): drawn with its emphasis, lists and headings.
        Some(body) => {
            let kept = hard_breaks(body);
            lines.extend(tui_markdown::from_str(&kept).lines.into_iter().map(|l| {
                Line::from(
                    l.spans
                        .into_iter()
                        .map(|s| Span::styled(s.content.into_owned(), s.style))
                        .collect::<Vec<_>>(),
                )
                .style(l.style)
            }));
        }
        None => lines.push(Line::from(Span::styled(
            "(no body — E to write one)",
            app.theme.muted,
        ))),
    }
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max = super::scroll_limit(&paragraph, inner);
    frame.render_widget(paragraph.scroll((view.scroll.drawn(max), 0)), inner);
}
