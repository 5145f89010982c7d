//! The contacts pane: health marker, name, days since last contact; live filter.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, pane_frame, row_style};
use crate::domain::contact::Health;
use crate::tui::app::{App, ContactLine, Focus};
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

const COMPANY_WIDTH: usize = 16;
const TAGS_WIDTH: usize = 16;
const NEXT_WIDTH: usize = 8;
const SINCE_WIDTH: usize = 5;

/// Which optional columns a pane this wide shows: company first, then next due, then tags
/// (from about 160 terminal columns, the contacts pane has room for them).
struct Columns {
    company: bool,
    next: bool,
    tags: bool,
}

impl Columns {
    fn for_width(width: usize) -> Columns {
        Columns {
            company: width >= 50,
            next: width >= 58,
            tags: width >= 72,
        }
    }
}

/// When something is due: "today", "in 4d", "6d late" — the one wording of the contacts,
/// reminders and review panes (and, spelled out, of `rolo agenda`).
pub fn due_text(days_until: i64) -> String {
    match days_until {
        0 => "today".to_owned(),
        d if d > 0 => format!("in {d}d"),
        d => format!("{}d late", -d),
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let pane = &app.contacts;
    let focused = app.focus == Focus::Contacts;
    let sort = pane.sort.label();
    let count = if pane.visible.len() == pane.all.len() {
        pane.total.to_string()
    } else {
        format!("{}/{}", pane.visible.len(), pane.total)
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
            let x = super::cursor_x(inner, 2 + pane.filter.cursor_column());
            frame.set_cursor_position((x, inner.y));
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
    let columns = Columns::for_width(width);
    for (row, &index) in pane
        .visible
        .iter()
        .enumerate()
        .skip(pane.scroll.offset)
        .take(height)
    {
        let selected = row == pane.scroll.selected;
        lines.push(
            contact_line(app, &pane.all[index], width, &columns)
                .style(row_style(app, selected, focused)),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One contact's row: marker and name, then the columns that fit, then days since.
fn contact_line(app: &App, c: &ContactLine, width: usize, columns: &Columns) -> Line<'static> {
    let since = c.days_since.map_or("never".to_owned(), |d| format!("{d}d"));
    // Fixed columns on the right, in this order: company, tags, next due, since.
    let mut right: Vec<(String, usize, ratatui::style::Style)> = Vec::new();
    if columns.company {
        let company = c.row.company.clone().unwrap_or_default();
        right.push((company, COMPANY_WIDTH, app.theme.muted));
    }
    if columns.tags {
        let tags = c
            .row
            .tags
            .iter()
            .map(|t| format!("#{t}"))
            .collect::<Vec<_>>()
            .join(" ");
        right.push((tags, TAGS_WIDTH, app.theme.tag));
    }
    if columns.next {
        let next = c
            .due
            .map(|d| due_text((d - app.today).num_days()))
            .unwrap_or_default();
        let style = if c.health == Health::Overdue {
            app.theme.overdue
        } else {
            app.theme.muted
        };
        right.push((next, NEXT_WIDTH, style));
    }
    let fixed: usize = right.iter().map(|(_, w, _)| w + 1).sum::<usize>() + SINCE_WIDTH;
    let name_width = width.saturating_sub(fixed + 3);
    let name = fit(&c.row.display_name, name_width);
    let pad = name_width.saturating_sub(crate::text::width(&name));
    let mut spans = vec![
        marker(c.health, &app.theme),
        Span::raw(" "),
        Span::raw(name),
        Span::raw(" ".repeat(pad + 1)),
    ];
    for (text, column, style) in right {
        let shown = fit(&text, column);
        let pad = column - crate::text::width(&shown);
        spans.push(Span::styled(shown, style));
        spans.push(Span::raw(" ".repeat(pad + 1)));
    }
    spans.push(Span::styled(
        format!("{since:>SINCE_WIDTH$}"),
        app.theme.muted,
    ));
    Line::from(spans)
}
