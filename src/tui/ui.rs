//! `view`: draws the state, nothing else — no SQL, no clock, no I/O. One file per pane or
//! overlay under `ui/`; this file lays them out and draws the status bar.

mod card;
mod contacts;
mod forms;
mod help;
mod import;
mod note;
mod quick_note;
mod reminders;
mod review;
mod search;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Tabs};

use super::action::Action;
use super::app::{App, Focus, Overlay};
use super::layout::{SINGLE_PANE_BELOW, pane_areas};

/// Draws the whole screen.
pub fn view(frame: &mut Frame<'_>, app: &App) {
    let area = frame.area();
    if area.width < 2 || area.height < 2 {
        return; // nothing useful fits; drawing nothing is better than panicking
    }
    let [body, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    if let Some(review) = &app.review {
        review::draw(frame, body, app, review);
    } else {
        if body.width < SINGLE_PANE_BELOW {
            draw_tabs(frame, body, app);
        }
        for (focus, pane) in pane_areas(app) {
            draw_pane(frame, pane, app, focus);
        }
    }
    draw_status(frame, status, app);
    match &app.overlay {
        None => {}
        Some(Overlay::Help(view)) => help::draw(frame, body, app, view),
        Some(Overlay::Search(view)) => search::draw(frame, body, app, view),
        Some(Overlay::QuickNote(note)) => quick_note::draw(frame, body, app, note),
        Some(Overlay::Card(card)) => card::draw(frame, body, app, card),
        Some(Overlay::Note(view)) => note::draw(frame, body, app, view),
        Some(Overlay::Snooze(prompt)) => forms::draw_snooze(frame, body, app, prompt),
        Some(Overlay::Confirm(confirm)) => forms::draw_confirm(frame, body, app, confirm),
        Some(Overlay::Form(form)) => forms::draw_form(frame, body, app, form),
        Some(Overlay::Import(view)) => import::draw(frame, body, app, view),
    }
    mark_wide_trails(frame.buffer_mut());
}

/// Marks the cells a wide grapheme covers after its first with an empty symbol, so the next
/// frame's diff sees them change when something narrower is drawn there and writes them
/// again. Without it ratatui skips them (it drew them blank and draws them blank again), but
/// a terminal that keeps each half of a flag in its own cell (tmux, xterm: 🇰 then 🇷) still
/// shows the second half: "must clear every cell it no longer uses".
fn mark_wide_trails(buf: &mut ratatui::buffer::Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let width = unicode_width::UnicodeWidthStr::width(buf[(x, y)].symbol()).max(1);
            for trail in 1..width {
                let Ok(trail) = u16::try_from(trail) else {
                    break;
                };
                if let Some(cell) = buf.cell_mut((x.saturating_add(trail), y)) {
                    cell.set_symbol("");
                }
            }
            x = x.saturating_add(u16::try_from(width).unwrap_or(1));
        }
    }
}

fn draw_tabs(frame: &mut Frame<'_>, body: Rect, app: &App) {
    let area = Rect {
        height: 1.min(body.height),
        ..body
    };
    let selected = Focus::ALL.iter().position(|f| *f == app.focus);
    let tabs = Tabs::new(Focus::ALL.iter().map(|f| f.title()))
        .select(selected)
        .highlight_style(app.theme.accent.add_modifier(Modifier::REVERSED))
        .divider("│");
    frame.render_widget(tabs, area);
}

fn draw_pane(frame: &mut Frame<'_>, area: Rect, app: &App, focus: Focus) {
    match focus {
        Focus::Contacts => contacts::draw(frame, area, app),
        Focus::Timeline => timeline::draw(frame, area, app),
        Focus::Reminders => reminders::draw(frame, area, app),
    }
}

/// Draws a pane's bordered block (accented when it has the focus) and returns the inside,
/// or `None` when nothing fits in it.
pub fn pane_frame(
    frame: &mut Frame<'_>,
    area: Rect,
    app: &App,
    title: Line<'_>,
    focused: bool,
) -> Option<Rect> {
    let border = if focused {
        app.theme.accent
    } else {
        app.theme.muted
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    (inner.height > 0 && inner.width > 0).then_some(inner)
}

/// The fixed keys of a mode that is not in the keymap, as status-bar hints.
fn mode_hints(app: &App) -> Option<Vec<(String, &'static str)>> {
    let fixed: &[(&str, &'static str)] = match &app.overlay {
        Some(Overlay::QuickNote(note))
            if note
                .completion
                .as_ref()
                .is_some_and(|c| !c.items.is_empty()) =>
        {
            &[
                ("↑↓ tab", "choose"),
                ("enter", "take the choice / save"),
                ("esc", "close the list"),
            ]
        }
        Some(Overlay::QuickNote(_)) => &[
            ("enter", "save"),
            ("alt-enter", "new line"),
            ("@", "name someone"),
            ("esc", "keep as draft"),
        ],
        Some(Overlay::Help(help)) if help.filtering => {
            &[("enter", "keep filter"), ("esc", "clear")]
        }
        Some(Overlay::Help(_)) => &[("/", "filter"), ("j k", "scroll"), ("esc", "close")],
        Some(Overlay::Search(_)) => &[
            ("type", "search"),
            ("↑↓", "choose"),
            ("enter", "open"),
            ("esc", "close"),
        ],
        Some(Overlay::Card(_)) => &[
            ("j k", "scroll"),
            ("e", "edit"),
            ("l", "log with them"),
            ("esc", "close"),
        ],
        Some(Overlay::Note(_)) => &[
            ("j k G", "scroll"),
            ("e", "edit"),
            ("E", "$EDITOR"),
            ("esc", "close"),
        ],
        Some(Overlay::Snooze(_)) => &[
            ("↑↓", "preset"),
            ("type", "a date"),
            ("enter", "snooze"),
            ("esc", "cancel"),
        ],
        Some(Overlay::Import(view)) if view.preview.is_some() => &[
            ("j k", "choose a match"),
            ("space", "merge / new / later"),
            ("a", "role changes"),
            ("enter", "import"),
            ("esc", "back"),
        ],
        Some(Overlay::Import(_)) => &[("enter", "preview"), ("esc", "cancel")],
        Some(Overlay::Confirm(_)) => &[("y", "yes"), ("n enter esc", "no")],
        Some(Overlay::Form(_)) => &[("tab", "next field"), ("enter", "save"), ("esc", "close")],
        None if app.timeline.filtering => &[
            ("type", "a kind"),
            ("#tag", "by tag"),
            ("enter", "keep"),
            ("esc", "clear"),
        ],
        None if app.contacts.filtering => &[
            ("type", "narrow"),
            ("#tag", "by tag"),
            ("enter", "keep"),
            ("esc", "clear"),
        ],
        None => return None,
    };
    Some(fixed.iter().map(|(k, w)| ((*k).to_owned(), *w)).collect())
}

/// The key hints for the current context, read from the live keymap.
fn hints(app: &App) -> Vec<(String, &'static str)> {
    if let Some(hints) = mode_hints(app) {
        return hints;
    }
    let actions: &[Action] = if app.review.is_some() {
        &[
            Action::Done,
            Action::Snooze,
            Action::LogFromReminder,
            Action::PreviousWeek,
            Action::NextWeek,
            Action::Close,
        ]
    } else {
        match app.focus {
            Focus::Contacts => &[
                Action::QuickNote,
                Action::Filter,
                Action::CycleSort,
                Action::Open,
                Action::AddContact,
                Action::Search,
                Action::WeeklyReview,
            ],
            Focus::Timeline => &[
                Action::QuickNote,
                Action::FilterTimeline,
                Action::Open,
                Action::ToggleEveryone,
                Action::Search,
                Action::EditInEditor,
                Action::WeeklyReview,
            ],
            Focus::Reminders => &[
                Action::Done,
                Action::Snooze,
                Action::LogFromReminder,
                Action::QuickNote,
                Action::Search,
                Action::WeeklyReview,
            ],
        }
    };
    let sections = app.sections();
    actions
        .iter()
        .chain(&[Action::Help, Action::Quit])
        .filter_map(|a| Some((app.keymap.key_for(&sections, *a)?.to_string(), a.describe())))
        .collect()
}

fn draw_status(frame: &mut Frame<'_>, area: Rect, app: &App) {
    // A message longer than the bar ends in "…", so a cut one never reads as whole.
    let width = usize::from(area.width).saturating_sub(1);
    let line = match &app.status {
        Some(status) if status.error => Line::from(Span::styled(
            format!(" {}", fit(&status.text, width)),
            app.theme.error,
        )),
        Some(status) => Line::from(format!(" {}", fit(&status.text, width))),
        None => hint_line(app, usize::from(area.width)),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The key hints that fit in `width`, whole (never a cut hint): `? help` always stays (the
/// others give way to it), `q quit` follows when there is room, and the journal's file
/// shows on the right when there is room left.
fn hint_line(app: &App, width: usize) -> Line<'static> {
    let (help, quit) = (Action::Help.describe(), Action::Quit.describe());
    let hints = hints(app);
    let hint_width = |(key, what): &(String, &str)| crate::text::width(key) + what.len() + 3;
    let find = |what: &str| hints.iter().find(|h| h.1 == what);
    let help_width = find(help).map_or(0, hint_width);
    let sync = if app.sync == super::app::SyncState::Idle {
        app.sync_label.clone()
    } else {
        "syncing…".to_owned()
    };
    // Sync's state (its conflicts above all) keeps its room; hints give way to it.
    let sync_width = if sync.is_empty() {
        0
    } else {
        crate::text::width(&sync) + 1
    };
    let mut shown: Vec<&(String, &str)> = Vec::new();
    let mut used = 1;
    for hint in hints.iter().filter(|h| h.1 != help && h.1 != quit) {
        if used + hint_width(hint) + help_width + sync_width <= width {
            used += hint_width(hint);
            shown.push(hint);
        }
    }
    for (hint, room) in [(find(help), 0), (find(quit), sync_width)] {
        let Some(hint) = hint else { continue };
        if used + hint_width(hint) + room <= width {
            used += hint_width(hint);
            shown.push(hint);
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (key, what) in shown {
        spans.push(Span::styled(key.clone(), app.theme.accent));
        spans.push(Span::styled(format!(" {what}  "), app.theme.muted));
    }
    // On the right: sync's state, then the journal's file, as room allows.
    let mut right = String::new();
    for piece in [sync, app.journal.clone()] {
        if piece.is_empty() {
            continue;
        }
        let joined = if right.is_empty() {
            piece
        } else {
            format!("{right} · {piece}")
        };
        if used + crate::text::width(&joined) < width {
            right = joined;
        }
    }
    if !right.is_empty() {
        spans.push(Span::raw(
            " ".repeat(width - used - crate::text::width(&right) - 1),
        ));
        spans.push(Span::styled(right, app.theme.muted));
    }
    Line::from(spans)
}

/// A box of at most `width` × `height` centred in `area` (smaller when `area` is).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// Clears `area` and draws a titled box in it; returns the inside.
pub fn popup(frame: &mut Frame<'_>, area: Rect, app: &App, title: &str) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.accent)
        .title(Span::styled(format!(" {title} "), app.theme.accent));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The furthest line a wrapped paragraph can be scrolled to in `area` (its last line at the
/// bottom).
pub fn scroll_limit(paragraph: &Paragraph<'_>, area: Rect) -> u16 {
    let lines = paragraph.line_count(area.width);
    u16::try_from(lines.saturating_sub(usize::from(area.height))).unwrap_or(u16::MAX)
}

/// The screen column of a text cursor `column` cells into `area`, kept inside it (a line
/// longer than the screen puts the cursor at its right edge, never past it or overflowing).
pub fn cursor_x(area: Rect, column: usize) -> u16 {
    let x = usize::from(area.x).saturating_add(column);
    u16::try_from(x)
        .unwrap_or(u16::MAX)
        .min(area.right().saturating_sub(1))
}

/// Cuts `text` to `width` columns with an ellipsis.
pub fn fit(text: &str, width: usize) -> String {
    crate::text::truncate(text, width)
}

/// Styled pieces of one line cut to `width` columns in all: later pieces give way first, and
/// a piece is cut by grapheme with an ellipsis.
pub fn fit_spans(pieces: Vec<(String, Style)>, width: usize) -> Vec<Span<'static>> {
    let mut left = width;
    let mut spans = Vec::with_capacity(pieces.len());
    for (text, style) in pieces {
        if left == 0 {
            break;
        }
        let shown = crate::text::truncate(&text, left);
        left = left.saturating_sub(crate::text::width(&shown));
        spans.push(Span::styled(shown, style));
    }
    spans
}

/// The style of a selected row: highlighted in the focused pane, just bold elsewhere.
pub fn row_style(app: &App, selected: bool, focused: bool) -> Style {
    match (selected, focused) {
        (true, true) => app.theme.selection.add_modifier(Modifier::BOLD),
        (true, false) => Style::default().add_modifier(Modifier::BOLD),
        _ => Style::default(),
    }
}
