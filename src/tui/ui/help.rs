//! `?`: every key — the live keymap by section (generated, so it cannot drift), then the
//! fixed keys of each mode — scrollable, and narrowed by `/`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{centered, fit, popup};
use crate::tui::action::Action;
use crate::tui::app::{App, HelpView};
use crate::tui::keymap::Section;

/// The modes a key of the keymap opens, and that key's section: their titles name the key
/// as the user has bound it.
const OPENED_BY: [(&str, Section, Action); 3] = [
    ("Contacts filter", Section::Contacts, Action::Filter),
    ("Search", Section::Global, Action::Search),
    ("Timeline filter", Section::Timeline, Action::FilterTimeline),
];

/// The keys of modes that are not in the keymap (text boxes and viewers take keys as
/// text), as (mode, [(keys, what)]).
pub const MODES: [(&str, &[(&str, &str)]); 8] = [
    (
        "Quick note",
        &[
            ("enter", "save (or take the chosen @ name)"),
            ("alt-enter ctrl-j", "new line: notes below the capture line"),
            ("@name", "someone; ↑ ↓ tab choose, enter takes the choice"),
            ("#tag ^when !date", "tags, when it happened, a follow-up"),
            ("esc", "put it away as a draft (n brings it back)"),
            (
                "ctrl-a ctrl-e ctrl-w",
                "line start, line end, delete a word",
            ),
        ],
    ),
    (
        "Contacts filter",
        &[
            ("type", "narrow by name; #tag by tag"),
            ("↑ ↓", "move"),
            ("enter", "keep the filter"),
            ("esc", "clear it (the selected person stays selected)"),
        ],
    ),
    (
        "Search",
        &[
            ("type", "words from a note, a #tag, a name, a company"),
            ("↑ ↓ ctrl-n ctrl-p", "choose a hit"),
            ("enter", "open it (esc there comes back to the search)"),
            ("esc", "close"),
        ],
    ),
    (
        "Timeline filter",
        &[
            ("type", "a kind (milestone, meal, call…) and #tags"),
            ("↑ ↓", "move"),
            ("enter", "keep the filter"),
            ("esc", "clear it"),
        ],
    ),
    (
        "Card and note",
        &[
            ("j k ↓ ↑", "scroll"),
            ("space pgdn pgup", "a page"),
            ("g G home end", "top, end"),
            ("e E l", "edit, edit in $EDITOR (note), log with them"),
            ("esc q enter", "close"),
        ],
    ),
    (
        "Snooze",
        &[
            ("↑ ↓", "choose a preset"),
            ("type", "a date: fri, 3d, next month, 2026-12-24"),
            ("enter esc", "snooze, cancel"),
        ],
    ),
    (
        "Forms",
        &[
            ("tab shift-tab ↓ ↑", "next, previous field"),
            ("enter", "save the fields you changed"),
            ("esc", "close (asks first when something changed)"),
        ],
    ),
    (
        "Help",
        &[
            ("/", "filter these keys"),
            ("j k g G", "scroll"),
            ("esc q ?", "close"),
        ],
    ),
];

/// Every line of help, narrowed to the entries containing `filter` (in a key, its
/// description or its section's title).
fn lines<'a>(app: &'a App, filter: &str) -> Vec<Line<'a>> {
    let filter = filter.trim().to_lowercase();
    let keep = |section: &str, keys: &str, what: &str| {
        filter.is_empty()
            || [section, keys, what]
                .iter()
                .any(|t| t.to_lowercase().contains(&filter))
    };
    let mut sections: Vec<(String, Vec<(String, String)>)> = [
        Section::Global,
        Section::List,
        Section::Contacts,
        Section::Timeline,
        Section::Reminders,
        Section::Review,
    ]
    .iter()
    .map(|section| {
        let entries = app
            .keymap
            .section(*section)
            .into_iter()
            .map(|(action, keys)| {
                let keys = keys
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ");
                (keys, action.describe().to_owned())
            })
            .collect();
        (section.title().to_owned(), entries)
    })
    .collect();
    sections.extend(MODES.iter().map(|(mode, entries)| {
        let key = OPENED_BY
            .iter()
            .find(|(m, ..)| m == mode)
            .and_then(|(_, section, action)| {
                app.keymap.key_for(&[*section, Section::Global], *action)
            });
        (
            match key {
                Some(key) => format!("{mode} ({key})"),
                None => (*mode).to_owned(),
            },
            entries
                .iter()
                .map(|(k, w)| ((*k).to_owned(), (*w).to_owned()))
                .collect(),
        )
    }));
    let mut out = Vec::new();
    if !app.journal.is_empty() && filter.is_empty() {
        out.push(Line::from(vec![
            Span::styled("journal  ", app.theme.muted),
            Span::raw(app.journal.clone()),
        ]));
        out.push(Line::default());
    }
    for (title, entries) in sections {
        let shown: Vec<_> = entries
            .into_iter()
            .filter(|(keys, what)| keep(&title, keys, what))
            .collect();
        if shown.is_empty() {
            continue;
        }
        out.push(Line::from(Span::styled(title, app.theme.accent)));
        for (keys, what) in shown {
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<20} "), app.theme.follow_up),
                Span::raw(what),
            ]));
        }
        out.push(Line::default());
    }
    if out.is_empty() {
        out.push(Line::from(Span::styled(
            format!("No key does '{filter}'"),
            app.theme.muted,
        )));
    }
    out
}

pub fn draw(frame: &mut Frame<'_>, body: Rect, app: &App, view: &HelpView) {
    let area = centered(body, 76, body.height);
    let title = if view.filtering || !view.filter.text().is_empty() {
        "Keys · enter keeps the filter · esc clears it"
    } else {
        "Keys · / filters · j k scroll · esc closes"
    };
    let inner = popup(frame, area, app, title);
    if inner.height == 0 {
        return;
    }
    let filtering = view.filtering || !view.filter.text().is_empty();
    let list = Rect {
        height: inner.height - u16::from(filtering && inner.height > 1),
        ..inner
    };
    let paragraph = Paragraph::new(lines(app, view.filter.text()));
    let max = super::scroll_limit(&paragraph, list);
    frame.render_widget(paragraph.scroll((view.scroll.drawn(max), 0)), list);
    if filtering && inner.height > 1 {
        let line = Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        };
        let text = format!("/{}", view.filter.text());
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit(&text, usize::from(line.width)),
                app.theme.accent,
            )),
            line,
        );
        if view.filtering {
            let x = super::cursor_x(line, 1 + view.filter.cursor_column());
            frame.set_cursor_position((x, line.y));
        }
    }
}
