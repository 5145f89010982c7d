//! The contact card: every field, tags, cadence and health, how you met, a sparkline of
//! interactions per month over the last year, and open reminders.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Wrap};

use super::contacts::marker;
use super::{centered, popup};
use chrono::{Datelike, Months};

use crate::domain::agenda::{day_heading, relative_day};
use crate::tui::app::{App, Card};

/// The card's text: role, fields, tags, dates, cadence and health, how you met, reminders.
fn card_lines<'a>(app: &App, card: &'a Card) -> Vec<Line<'a>> {
    let c = &card.contact;
    let label = |text: &str| Span::styled(format!("{text:<14}"), app.theme.muted);
    let mut lines: Vec<Line<'_>> = Vec::new();
    if let Some(role) = c.role() {
        lines.push(Line::from(Span::styled(role, app.theme.accent)));
    }
    if let Some(nick) = &c.nickname {
        lines.push(Line::from(vec![label("nickname"), Span::raw(nick.clone())]));
    }
    for f in &c.fields {
        let name = if f.label.is_empty() {
            f.kind.as_str().to_owned()
        } else {
            format!("{} ({})", f.kind.as_str(), f.label)
        };
        lines.push(Line::from(vec![label(&name), Span::raw(f.value.clone())]));
    }
    if !c.tags.is_empty() {
        lines.push(Line::from(vec![
            label("tags"),
            Span::styled(
                c.tags
                    .iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                app.theme.tag,
            ),
        ]));
    }
    for (name, date) in [("birthday", c.birthday), ("anniversary", c.anniversary)] {
        if let Some(date) = date {
            let next = date
                .next_on_or_after(app.today)
                .map(|n| {
                    let years = date.year.map(|y| n.year() - y);
                    let turns = match (name, years) {
                        ("birthday", Some(age)) => format!(", turns {age}"),
                        (_, Some(years)) => format!(", {years} years"),
                        _ => String::new(),
                    };
                    format!("  (next {}{turns})", day_heading(n))
                })
                .unwrap_or_default();
            lines.push(Line::from(vec![
                label(name),
                Span::raw(format!("{date}{next}")),
            ]));
        }
    }
    let last = c.last_interaction_at.map_or("never".to_owned(), |t| {
        let date = app.clock.date_of(t);
        format!("{date} ({})", relative_day(date, app.today))
    });
    let mut keep = vec![
        label("keep in touch"),
        marker(card.health, &app.theme),
        Span::raw(" "),
    ];
    keep.push(Span::raw(match (c.cadence, card.due) {
        (Some(every), Some(due)) => format!(
            "every {every} · last {last} · due {due} ({})",
            card.health.as_str()
        ),
        _ => format!("no cadence · last {last}"),
    }));
    lines.push(Line::from(keep));
    let met = c.met.summary(card.introducer.as_deref());
    if !met.is_empty() {
        push_text(&mut lines, label("met"), &met);
    }
    if let Some(notes) = &c.notes {
        push_text(&mut lines, label("notes"), notes);
    }
    if !card.reminders.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Open reminders", app.theme.accent)));
        for r in &card.reminders {
            let style = if r.due_date < app.today {
                app.theme.overdue
            } else {
                app.theme.follow_up
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {} ", r.due_date), style),
                Span::raw(r.title.clone()),
            ]));
        }
    }
    lines
}

/// A labelled text of one or more lines: the label on the first, the rest indented under
/// it, blank lines kept (the paragraph wraps long ones).
fn push_text<'a>(lines: &mut Vec<Line<'a>>, label: Span<'a>, text: &str) {
    let indent = " ".repeat(label.content.chars().count());
    let mut label = Some(label);
    for line in text.lines() {
        let head = label.take().unwrap_or_else(|| Span::raw(indent.clone()));
        lines.push(Line::from(vec![
            head,
            Span::raw(crate::text::printable(line).into_owned()),
        ]));
    }
}

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App, card: &Card) {
    let c = &card.contact;
    let area = centered(
        body,
        body.width.saturating_sub(4).min(90),
        body.height.saturating_sub(2).min(30),
    );
    let inner = popup(frame, area, app, &c.display_name);
    if inner.height < 2 || inner.width < 4 {
        return;
    }
    let lines = card_lines(app, card);
    let [text, spark_label, spark] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(4),
    ])
    .areas(inner);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max = super::scroll_limit(&paragraph, text);
    frame.render_widget(paragraph.scroll((card.scroll.drawn(max), 0)), text);
    let total: u64 = card.monthly.iter().sum();
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!(
                "{} in all · {total} in the last 12 months, by month:",
                crate::text::plural(
                    usize::try_from(card.interaction_count).unwrap_or(usize::MAX),
                    "interaction"
                )
            ),
            app.theme.muted,
        ))),
        spark_label,
    );
    // One bar per month, oldest first, each under its month's initial three letters.
    let months = card.monthly.len();
    let bars: Vec<Bar<'_>> = card
        .monthly
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let back = u32::try_from(months - 1 - i).unwrap_or(0);
            let month = app
                .today
                .with_day(1)
                .and_then(|d| d.checked_sub_months(Months::new(back)))
                .map_or(String::new(), |d| d.format("%b").to_string());
            Bar::default()
                .value(n)
                .text_value(String::new())
                .label(Line::from(month))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(3)
            .bar_gap(1)
            .bar_style(app.theme.accent)
            .value_style(
                app.theme
                    .accent
                    .add_modifier(ratatui::style::Modifier::REVERSED),
            )
            .label_style(app.theme.muted),
        spark,
    );
}
