//! `f`: the search box and its hits, best first — each hit two lines: what it is (a note's
//! date and summary and whom it was with, a person and their company), then the passage
//! that matched, the matched words highlighted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, fit_spans, popup};
use crate::store::search::{Hit, HitKind};
use crate::tui::app::{App, SEARCH_HITS, SearchView};

/// Width of the first column: a note's date, or "person".
const WHEN: usize = 12;

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App, view: &SearchView) {
    let area = centered(
        body,
        body.width.saturating_sub(4).min(110),
        body.height.saturating_sub(2),
    );
    let inner = popup(frame, area, app, "Search notes and people");
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let width = usize::from(inner.width);
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", app.theme.accent),
        Span::raw(view.input.text().to_owned()),
    ])];
    let x = super::cursor_x(inner, 2 + view.input.cursor_column());
    frame.set_cursor_position((x, inner.y));
    let said = if view.searched.is_empty() {
        "Type words from a note, a #tag, a name or a company".to_owned()
    } else if view.hits.is_empty() {
        format!("Nothing matches '{}'", view.searched)
    } else if view.hits.len() == SEARCH_HITS {
        // The search reads the best SEARCH_HITS: there may be more.
        format!("The best {SEARCH_HITS} matches, the recent ahead · enter opens")
    } else {
        format!(
            "{} · best first, the recent ahead · enter opens",
            crate::text::plural(view.hits.len(), "match")
        )
    };
    lines.push(Line::from(Span::styled(
        crate::text::truncate(&said, width),
        app.theme.muted,
    )));
    // Two lines a hit; the selected one always in view.
    let rows = usize::from(inner.height.saturating_sub(2)) / 2;
    let offset = (view.scroll.selected + 1).saturating_sub(rows.max(1));
    for (n, hit) in view.hits.iter().enumerate().skip(offset).take(rows) {
        let selected = n == view.scroll.selected;
        let style = if selected {
            app.theme.selection
        } else {
            Style::default()
        };
        lines.push(Line::from(fit_spans(head(app, hit), width)).style(style));
        lines.push(Line::from(fit_spans(snippet(app, hit), width)).style(style));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The hit's first line: when (or "person"), then what and who.
fn head(app: &App, hit: &Hit) -> Vec<(String, Style)> {
    match hit.kind {
        HitKind::Interaction => {
            let when = hit
                .happened_at
                .map(|t| app.clock.date_of(t).format("%-d %b %Y").to_string())
                .unwrap_or_default();
            let mut pieces = vec![
                (format!("{when:<WHEN$}"), app.theme.when),
                (hit.title.clone(), Style::default()),
            ];
            if !hit.with.is_empty() {
                pieces.push((format!(" · {}", hit.with.join(", ")), app.theme.accent));
            }
            pieces
        }
        HitKind::Contact => {
            let mut pieces = vec![
                (format!("{:<WHEN$}", "person"), app.theme.muted),
                (hit.title.clone(), app.theme.accent),
            ];
            if let Some(company) = &hit.company {
                pieces.push((format!(" · {company}"), Style::default()));
            }
            pieces
        }
    }
}

/// The matching passage, indented under the title, the matched words (between the `[` `]`
/// the search marks them with) highlighted; a line break shows as a space.
fn snippet(app: &App, hit: &Hit) -> Vec<(String, Style)> {
    let mut pieces = vec![(" ".repeat(WHEN), Style::default())];
    let text = hit.snippet.replace(['\n', '\r', '\t'], " ");
    let mut rest = text.as_str();
    while let Some(start) = rest.find('[') {
        let Some(len) = rest[start..].find(']') else {
            break;
        };
        if start > 0 {
            pieces.push((rest[..start].to_owned(), app.theme.muted));
        }
        pieces.push((rest[start + 1..start + len].to_owned(), app.theme.when));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        pieces.push((rest.to_owned(), app.theme.muted));
    }
    pieces
}
