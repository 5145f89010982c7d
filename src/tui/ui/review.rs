//! The weekly review: what is overdue and what the week holds, each row with its person
//! first and the reason it is there (days overdue, the promise and where it was made, the
//! last conversation), rows dealt with kept in place and counted.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::reminders::kind_marker;
use super::{fit_spans, pane_frame, row_style};
use crate::domain::agenda::{AgendaItem, ItemKind, day_heading};
use crate::journal::review::{Row, Said};
use crate::text::plural;
use crate::tui::app::{App, Review, ReviewRow};

/// The group column shows from this width; below it the `when` column says it all.
const GROUP_COLUMN_FROM: usize = 60;
const GROUP_WIDTH: usize = 11;
/// The company shows beside the name from this width.
const COMPANY_FROM: usize = 100;

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App, review: &Review) {
    let agenda = &review.agenda;
    let (handled, total) = review.progress();
    let overdue = review
        .rows
        .iter()
        .filter(|r| r.handled.is_none() && is_overdue(&r.row.item, app.today))
        .count();
    // Narrow, the progress goes before the dates it would otherwise be cut after.
    let dates = (area.width >= 60).then(|| {
        Span::styled(
            format!(
                "{} – {} · ",
                day_heading(agenda.from),
                day_heading(agenda.until)
            ),
            app.theme.muted,
        )
    });
    let mut title = vec![Span::styled(" Weekly review ", app.theme.accent)];
    title.extend(dates);
    title.push(Span::styled(
        format!("{handled} of {total} handled"),
        app.theme.ok,
    ));
    if overdue > 0 {
        title.push(Span::styled(
            format!(" · {overdue} overdue"),
            app.theme.overdue,
        ));
    }
    title.push(Span::raw(" "));
    let Some(inner) = pane_frame(frame, area, app, Line::from(title), true) else {
        return;
    };
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    let mut lines = Vec::new();
    if review.rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "Everyone is in touch: nothing overdue, nothing due this week.",
            app.theme.ok,
        )));
        lines.push(Line::from(Span::styled(
            "[ and ] look at the weeks before and after.",
            app.theme.muted,
        )));
    }
    let mut previous_group = review
        .scroll
        .offset
        .checked_sub(1)
        .and_then(|i| review.rows.get(i))
        .map(|r| group_of(&r.row.item, app.today));
    for (i, row) in review
        .rows
        .iter()
        .enumerate()
        .skip(review.scroll.offset)
        .take(height)
    {
        let item = &row.row.item;
        let group = group_of(item, app.today);
        let label = if previous_group.as_ref() == Some(&group) {
            String::new()
        } else {
            group.clone()
        };
        previous_group = Some(group);
        let line = review_line(app, row, &label, width);
        lines.push(line.style(row_style(app, i == review.scroll.selected, true)));
    }
    if total > 0 && handled == total && lines.len() < height {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!(
                "All {} handled — everyone is in touch.",
                plural(total, "row")
            ),
            app.theme.ok,
        )));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One row: its group label (when there is room), marker, who · what — why, and on the
/// right how late it is, its day, or what was done about it.
fn review_line(app: &App, row: &ReviewRow, label: &str, width: usize) -> Line<'static> {
    let item = &row.row.item;
    let mut spans = Vec::new();
    let mut room = width;
    if width >= GROUP_COLUMN_FROM {
        let style = if is_overdue(item, app.today) {
            app.theme.overdue
        } else {
            app.theme.accent
        };
        spans.push(Span::styled(
            format!(
                "{:<GROUP_WIDTH$}",
                crate::text::truncate(label, GROUP_WIDTH - 1)
            ),
            style,
        ));
        room -= GROUP_WIDTH;
    }
    let (when, when_style) = match &row.handled {
        Some(what) => (format!("✓ {what}"), app.theme.ok),
        None => when_text(item, app),
    };
    let when_width = crate::text::width(&when).min(room / 3);
    let marker = match row.handled {
        Some(_) => Span::styled("✓", app.theme.ok),
        None => kind_marker(item, &app.theme),
    };
    spans.push(marker);
    spans.push(Span::raw(" "));
    let text_room = room.saturating_sub(2 + 1 + when_width);
    let mut body = fit_spans(pieces(&row.row, app, width), text_room);
    if row.handled.is_some() {
        for span in &mut body {
            span.style = span.style.add_modifier(Modifier::CROSSED_OUT);
        }
    }
    let used: usize = body.iter().map(|s| crate::text::width(&s.content)).sum();
    spans.extend(body);
    spans.push(Span::raw(" ".repeat(text_room - used + 1)));
    spans.extend(fit_spans(vec![(when, when_style)], when_width));
    Line::from(spans)
}

/// Whether a row is late: due before today (whichever week the review shows). A birthday
/// or anniversary is never late: it is simply past.
fn is_overdue(item: &AgendaItem, today: chrono::NaiveDate) -> bool {
    item.date < today
        && matches!(
            item.kind,
            ItemKind::Reminder { .. } | ItemKind::StayInTouch { .. }
        )
}

/// The group a row is listed under: "Overdue", or its day.
fn group_of(item: &AgendaItem, today: chrono::NaiveDate) -> String {
    if is_overdue(item, today) {
        "Overdue".to_owned()
    } else {
        day_heading(item.date)
    }
}

/// The right-hand column: how late, or which day.
fn when_text(item: &AgendaItem, app: &App) -> (String, Style) {
    let days = (app.today - item.date).num_days();
    match days {
        1.. if is_overdue(item, app.today) => (format!("{days}d late"), app.theme.overdue),
        0 => ("today".to_owned(), app.theme.due),
        _ => (item.date.format("%a %-d").to_string(), app.theme.muted),
    }
}

/// "12 Nov: lunch in Lisbon" (the year only when it is not this one's).
fn quote(said: &Said, prefix: &str, app: &App) -> String {
    let on = if said.on.year() == app.today.year() {
        said.on.format("%-d %b")
    } else {
        said.on.format("%-d %b %Y")
    };
    format!("{prefix}{on}: {}", said.summary)
}

/// Who, what, and why, most important first (the name survives the narrowest pane).
fn pieces(row: &Row, app: &App, width: usize) -> Vec<(String, Style)> {
    let item = &row.item;
    let reason = &row.reason;
    let mut pieces = Vec::new();
    let who = item.contact.clone();
    if let Some(name) = &who {
        pieces.push((name.clone(), app.theme.person));
        if width >= COMPANY_FROM
            && let Some(company) = &reason.company
        {
            pieces.push((format!(" ({company})"), app.theme.muted));
        }
    }
    let what = super::reminders::item_what(item);
    let separator = if who.is_some() { " · " } else { "" };
    pieces.push((format!("{separator}{what}"), Style::default()));
    if let Some(was) = item.was_due {
        pieces.push((
            format!(" (put off from {})", day_heading(was)),
            app.theme.muted,
        ));
    }
    let why = match (&item.kind, &reason.promised, &reason.last) {
        (ItemKind::Reminder { .. }, Some(promised), _) => Some(quote(promised, "promised ", app)),
        (_, _, Some(last)) => Some(quote(last, "last ", app)),
        (ItemKind::StayInTouch { .. }, _, None) => Some("never logged".to_owned()),
        _ => None,
    };
    if let Some(why) = why {
        pieces.push((format!(" — {why}"), app.theme.muted));
    }
    pieces
}
