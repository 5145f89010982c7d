//! Small dialogs: snooze, confirm, and the add/edit contact form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, fit, popup};
use crate::tui::app::{App, Confirm, ContactForm, SNOOZE_PRESETS, SnoozePrompt};

pub fn draw_snooze(frame: &mut Frame<'_>, body: Rect, app: &App, prompt: &SnoozePrompt) {
    let area = centered(body, 64, 7);
    let inner = popup(frame, area, app, "Snooze");
    let mut presets = vec![Span::styled("↑↓ ", app.theme.muted)];
    for (i, (_, label)) in SNOOZE_PRESETS.iter().enumerate() {
        let chosen = i == prompt.preset && prompt.input.text().is_empty();
        presets.push(Span::styled(
            *label,
            if chosen {
                app.theme.selection
            } else {
                app.theme.muted
            },
        ));
        presets.push(Span::raw("  "));
    }
    presets.push(Span::styled("or type a date", app.theme.muted));
    let mut lines = vec![
        Line::from(fit(&prompt.title, usize::from(inner.width))),
        Line::from(presets),
        Line::from(vec![
            Span::styled("until: ", app.theme.accent),
            Span::raw(prompt.input.text().to_owned()),
        ]),
    ];
    if let Some(error) = &prompt.error {
        lines.push(Line::from(Span::styled(error.clone(), app.theme.error)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + 7 + u16::try_from(prompt.input.cursor_column()).unwrap_or(0);
    if inner.height > 2 {
        frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), inner.y + 2));
    }
}

pub fn draw_confirm(frame: &mut Frame<'_>, body: Rect, app: &App, confirm: &Confirm) {
    let area = centered(body, 60, 3);
    let inner = popup(frame, area, app, "Confirm");
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            confirm.message.clone(),
            app.theme.due,
        ))),
        inner,
    );
}

pub fn draw_contact_form(frame: &mut Frame<'_>, body: Rect, app: &App, form: &ContactForm) {
    let height = u16::try_from(form.fields.len()).unwrap_or(9) + 5;
    let area = centered(body, 72, height);
    let title = if form.editing.is_some() {
        "Edit contact · Tab next · Enter save · Esc cancel"
    } else {
        "Add contact · Tab next · Enter save · Esc cancel"
    };
    let inner = popup(frame, area, app, title);
    let mut lines = Vec::new();
    for (i, (label, input)) in form.fields.iter().enumerate() {
        let style = if i == form.focus {
            app.theme.accent
        } else {
            app.theme.muted
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{label:>14} "), style),
            Span::raw(input.text().to_owned()),
        ]));
    }
    lines.push(Line::default());
    lines.push(match &form.error {
        Some(error) => Line::from(Span::styled(error.clone(), app.theme.error)),
        None => Line::from(Span::styled("Emails and phones: comma-separated · Keep in touch: 30d, 2w, 3m · Birthday: 1990-04-15 or 04-15", app.theme.muted)),
    });
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((_, input)) = form.fields.get(form.focus) {
        let y = inner.y + u16::try_from(form.focus).unwrap_or(0);
        let x = inner.x + 15 + u16::try_from(input.cursor_column()).unwrap_or(0);
        if y < inner.bottom() {
            frame.set_cursor_position((x.min(inner.right().saturating_sub(1)), y));
        }
    }
}
