//! Small dialogs: snooze, confirm, and the forms.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, fit, popup};
use crate::tui::app::{App, Confirm, Form, FormKind, SNOOZE_PRESETS, SnoozePrompt};

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
    let x = super::cursor_x(inner, 7 + prompt.input.cursor_column());
    if inner.height > 2 {
        frame.set_cursor_position((x, inner.y + 2));
    }
}

pub fn draw_confirm(frame: &mut Frame<'_>, body: Rect, app: &App, confirm: &Confirm) {
    let width = u16::try_from(unicode_width::UnicodeWidthStr::width(
        confirm.message.as_str(),
    ))
    .unwrap_or(u16::MAX)
    .saturating_add(2)
    .clamp(30, 72);
    let area = centered(body, width, 4);
    let inner = popup(frame, area, app, "Confirm");
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(confirm.message.clone(), app.theme.due)),
            Line::from(Span::styled("y: yes · anything else: no", app.theme.muted)),
        ])
        .wrap(ratatui::widgets::Wrap { trim: true }),
        inner,
    );
}

/// Draws a form: its fields (scrolled to keep the focused one in view), then its error or
/// a hint for the focused field, or the discard question.
pub fn draw_form(frame: &mut Frame<'_>, body: Rect, app: &App, form: &Form) {
    let rows = u16::try_from(form.fields.len()).unwrap_or(u16::MAX);
    let area = centered(body, 84, rows.saturating_add(5));
    let what = match form.kind {
        FormKind::AddContact => "Add contact",
        FormKind::EditContact(_) => "Edit contact",
        FormKind::EditInteraction(_) => "Edit interaction",
        FormKind::EditReminder(_) => "Edit reminder",
    };
    let title = format!("{what} · Tab next · Enter save · Esc close");
    let inner = popup(frame, area, app, &title);
    // Room for the fields, a blank line and the message.
    let visible = usize::from(inner.height.saturating_sub(2)).max(1);
    let first = form.focus.saturating_sub(visible - 1);
    let label_width = 14;
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate().skip(first).take(visible) {
        let style = if i == form.focus {
            app.theme.accent
        } else {
            app.theme.muted
        };
        let marker = if field.changed() { "•" } else { " " };
        lines.push(Line::from(vec![
            Span::styled(format!("{:>label_width$}{marker}", field.label), style),
            Span::raw(field.input.text().to_owned()),
        ]));
    }
    lines.push(Line::default());
    lines.push(if form.confirm_discard {
        let question = if form.leaving {
            "Discard your changes and quit? (y/N)"
        } else {
            "Discard your changes? (y/N)"
        };
        Line::from(Span::styled(question, app.theme.due))
    } else if let Some(error) = &form.error {
        Line::from(Span::styled(error.clone(), app.theme.error))
    } else {
        let label = form.fields.get(form.focus).map_or("", |f| f.label);
        Line::from(Span::styled(hint(label), app.theme.muted))
    });
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(field) = form.fields.get(form.focus)
        && !form.confirm_discard
    {
        let row = u16::try_from(form.focus - first).unwrap_or(0);
        let y = inner.y + row;
        let x = super::cursor_x(inner, label_width + 1 + field.input.cursor_column());
        if y < inner.bottom() {
            frame.set_cursor_position((x, y));
        }
    }
}

/// What a field takes, shown under the form while it has the focus.
fn hint(label: &str) -> &'static str {
    match label {
        "Emails" | "Phones" | "URLs" | "Handles" => {
            "LABEL=value, pref for the preferred one; several joined by ' | ' (work,pref=ada@example.com)"
        }
        "Addresses" => {
            "LABEL=street; locality; region; postal code; country — several joined by ' | '"
        }
        "Tags" | "Tags " => "#mentor #rust — spaces between",
        "Keep in touch" | "Repeat" => "30d, 2w, 3m, 1y — empty for none",
        "Birthday" | "Anniversary" => "1990-04-15, or 04-15 without the year",
        "Met on" => "2019-05-04",
        "Introduced by" | "For" => "a name or an id (c12); empty for nobody",
        "With" => "names or ids, ';' between: Ada Lovelace; c12",
        "When" => "2026-11-20 14:00, yesterday, mon 9:30",
        "Due" => "fri, 2w, dec 1, 2026-12-01",
        "Notes" | "Body" | "How we met" => "⏎ marks a line break",
        _ => "Tab or ↓ next field · ↑ previous · Enter save · Esc close",
    }
}
