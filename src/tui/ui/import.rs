//! `I`: the file to import, then its preview — what would be created, merged, left as it
//! is or skipped, the role changes found, and each possible match with the answer chosen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, fit, popup};
use crate::tui::app::{App, ImportPreview, ImportView, MatchChoice};
use crate::tui::update::import_summary;

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App, view: &ImportView) {
    let area = centered(
        body,
        body.width.saturating_sub(4).min(100),
        body.height.saturating_sub(2),
    );
    let inner = popup(frame, area, app, "Import contacts");
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let width = usize::from(inner.width);
    let mut selected_line = 0;
    let mut lines = match &view.preview {
        None => {
            let x = super::cursor_x(inner, 6 + view.input.cursor_column());
            frame.set_cursor_position((x, inner.y));
            vec![
                Line::from(vec![
                    Span::styled("file: ", app.theme.accent),
                    Span::raw(view.input.text().to_owned()),
                ]),
                Line::from(Span::styled(
                    fit(
                        "a vCard file or folder (.vcf), or a CSV from Google, LinkedIn, Outlook or any sheet",
                        width,
                    ),
                    app.theme.muted,
                )),
            ]
        }
        Some(preview) => {
            let (lines, at) = preview_lines(app, preview, width);
            selected_line = at;
            lines
        }
    };
    if let Some(error) = &view.error {
        lines.push(Line::from(Span::styled(
            fit(&crate::text::printable(error), width),
            app.theme.error,
        )));
    }
    // The chosen match stays in view, with its candidates below it.
    let scroll = selected_line.saturating_sub(usize::from(inner.height).saturating_sub(4));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// The preview's lines, and which of them is the selected possible match.
fn preview_lines(app: &App, preview: &ImportPreview, width: usize) -> (Vec<Line<'static>>, usize) {
    let mut selected_line = 0;
    let report = &preview.report;
    let shown = |text: &str| fit(&crate::text::printable(text), width);
    let mut lines = vec![
        Line::from(Span::styled(
            shown(&preview.path.display().to_string()),
            app.theme.muted,
        )),
        Line::from(shown(&format!("Would import: {}", import_summary(report)))),
    ];
    if !report.possible.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            shown("Possible matches — the same person? (space: merge / new / later)"),
            app.theme.accent,
        )));
    }
    for (i, (possible, choice)) in report.possible.iter().zip(&preview.choices).enumerate() {
        let answer = match choice {
            MatchChoice::Later => "later: not imported now".to_owned(),
            MatchChoice::New => "a new contact".to_owned(),
            MatchChoice::Link(c) => possible.candidates.get(*c).map_or_else(String::new, |c| {
                format!("merge into {} (c{})", c.name, c.contact_id.0)
            }),
        };
        let style = if i == preview.selected {
            selected_line = lines.len();
            app.theme.selection
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(Span::styled(
            shown(&format!("{} {} → {answer}", possible.row, possible.name)),
            style,
        )));
        for c in &possible.candidates {
            lines.push(Line::from(Span::styled(
                shown(&format!("    c{} {}: {}", c.contact_id.0, c.name, c.reason)),
                app.theme.muted,
            )));
        }
    }
    if !report.changes.is_empty() {
        lines.push(Line::raw(""));
        let take = if preview.apply_changes {
            "recorded as milestones"
        } else {
            "listed only"
        };
        lines.push(Line::from(Span::styled(
            shown(&format!("New roles ({take}; a switches)")),
            app.theme.accent,
        )));
        for change in &report.changes {
            lines.push(Line::from(shown(&format!(
                "{}: {} → {}",
                change.name, change.from, change.to
            ))));
        }
    }
    if !report.skipped.is_empty() {
        lines.push(Line::raw(""));
        for skipped in &report.skipped {
            lines.push(Line::from(Span::styled(
                shown(&format!("skipped {}: {}", skipped.source, skipped.reason)),
                app.theme.muted,
            )));
        }
    }
    (lines, selected_line)
}
