//! The reminders pane: Overdue / Today / This week / Later, follow-ups, cadences and dates.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, pane_frame, row_style};
use crate::domain::agenda::{AgendaItem, Bucket, ItemKind};
use crate::tui::app::{App, Focus};
use crate::tui::theme::Theme;

/// The symbol and style of an agenda item's kind.
pub fn kind_marker(item: &AgendaItem, theme: &Theme) -> Span<'static> {
    match item.kind {
        ItemKind::Reminder { .. } => Span::styled("!", theme.follow_up),
        ItemKind::StayInTouch { .. } => Span::styled("↻", theme.person),
        ItemKind::Birthday { .. } => Span::styled("✱", theme.tag),
        ItemKind::Anniversary { .. } => Span::styled("♥", theme.tag),
    }
}

/// What a row is about, without who: "send the deck", "keep in touch, every 14d",
/// "birthday, turns 58".
pub fn item_what(item: &AgendaItem) -> String {
    match &item.kind {
        ItemKind::Reminder { .. } => item.title.clone(),
        ItemKind::StayInTouch { cadence, .. } => format!("keep in touch, every {cadence}"),
        ItemKind::Birthday { age: Some(age) } => format!("birthday, turns {age}"),
        ItemKind::Birthday { age: None } => "birthday".to_owned(),
        ItemKind::Anniversary { years: Some(n) } => format!(
            "anniversary, {}",
            crate::text::plural(usize::try_from(*n).unwrap_or(0), "year")
        ),
        ItemKind::Anniversary { years: None } => "anniversary".to_owned(),
    }
}

/// Who first (the name survives a narrow pane), then what; a reminder for no one is its
/// title.
pub fn item_text(item: &AgendaItem) -> String {
    match item.contact.as_deref() {
        Some(name) => format!("{name} · {}", item_what(item)),
        None => item.title.clone(),
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, app: &App) {
    let pane = &app.reminders;
    let focused = app.focus == Focus::Reminders;
    // Counts of the whole agenda: only its first rows are loaded.
    let overdue = pane.overdue;
    let title = Line::from(vec![
        Span::styled(
            " Reminders ",
            if focused {
                app.theme.accent
            } else {
                app.theme.muted
            },
        ),
        Span::styled(format!("{} · ", pane.total), app.theme.muted),
        Span::styled(
            format!("{overdue} overdue "),
            if overdue > 0 {
                app.theme.overdue
            } else {
                app.theme.muted
            },
        ),
    ]);
    let Some(inner) = pane_frame(frame, area, app, title, focused) else {
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    if pane.items.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nothing due — enjoy the quiet",
            app.theme.muted,
        )));
    }
    let height = app.pane_height(Focus::Reminders);
    let mut previous = pane
        .scroll
        .offset
        .checked_sub(1)
        .and_then(|i| pane.items.get(i))
        .map(|i| Bucket::of(i.date, app.today));
    for (row, item) in pane
        .items
        .iter()
        .enumerate()
        .skip(pane.scroll.offset)
        .take(height)
    {
        let bucket = Bucket::of(item.date, app.today);
        // The bucket name labels the first row of its group; one row per item keeps
        // selection and scrolling simple.
        let label = if previous == Some(bucket) {
            String::new()
        } else {
            bucket.title().to_owned()
        };
        previous = Some(bucket);
        let label_style = if bucket == Bucket::Overdue {
            app.theme.overdue
        } else {
            app.theme.accent
        };
        let settled = pane.is_settled(row);
        let when = match settled {
            Some(s) => s.what.clone(),
            None => super::contacts::due_text((item.date - app.today).num_days()),
        };
        let text = fit(&item_text(item), width.saturating_sub(10 + 2 + 9));
        let pad = width.saturating_sub(
            10 + 2 + unicode_width::UnicodeWidthStr::width(text.as_str()) + when.len(),
        );
        let mut style = row_style(app, row == pane.scroll.selected, focused);
        if settled.is_some() {
            style = style.add_modifier(ratatui::style::Modifier::CROSSED_OUT);
        }
        lines.push(
            Line::from(vec![
                Span::styled(format!("{label:<10}"), label_style),
                kind_marker(item, &app.theme),
                Span::raw(" "),
                Span::raw(text),
                Span::raw(" ".repeat(pad)),
                Span::styled(when, app.theme.muted),
            ])
            .style(style),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
