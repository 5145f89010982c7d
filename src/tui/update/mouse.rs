//! Clicks and the wheel: focus and select what was drawn under the pointer.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::Result;
use super::navigation::move_selection;
use crate::store::Store;
use crate::tui::app::{App, Focus};

pub(super) fn on_mouse(app: &mut App, store: &mut Store, mouse: MouseEvent) -> Result {
    if app.overlay.is_some() || app.review.is_some() {
        return Ok(());
    }
    let areas = crate::tui::layout::pane_areas(app);
    let Some((focus, area)) = areas
        .into_iter()
        .find(|(_, a)| a.contains((mouse.column, mouse.row).into()))
    else {
        return Ok(());
    };
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            app.focus = focus;
            // A click ends typing a filter elsewhere; a filter line drawn above the rows
            // (see ui/contacts.rs, ui/timeline.rs) moves them down one.
            if focus != Focus::Contacts {
                app.contacts.filtering = false;
            }
            if focus != Focus::Timeline {
                app.timeline.filtering = false;
            }
            let filter_line = match focus {
                Focus::Contacts => app.contacts.filter_shown(),
                Focus::Timeline => app.timeline.filter_shown(),
                Focus::Reminders => false,
            };
            let first_row = area.y + 1 + u16::from(filter_line);
            if mouse.row < first_row {
                return Ok(());
            }
            let row = usize::from(mouse.row - first_row);
            let height = app.list_height();
            let (scroll, len) = match focus {
                Focus::Contacts => (&mut app.contacts.scroll, app.contacts.visible.len()),
                Focus::Timeline => (&mut app.timeline.scroll, app.timeline.rows.len()),
                Focus::Reminders => (&mut app.reminders.scroll, app.reminders.items.len()),
            };
            if row + scroll.offset < len {
                let index = scroll.offset + row;
                scroll.select(index, len, height);
                if focus == Focus::Contacts && !app.timeline.everyone {
                    app.reload_timeline(store)?;
                }
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let previous = app.focus;
            app.focus = focus;
            move_selection(
                app,
                store,
                if mouse.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                },
            )?;
            app.focus = previous;
        }
        _ => {}
    }
    Ok(())
}
