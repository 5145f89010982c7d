//! The terminal UI: The Elm Architecture, synchronously. The loop waits for an event (or a
//! tick), `update` turns it into new state, `ui::view` draws that state. ratatui owns the
//! terminal and restores it on exit and on panic.

pub mod action;
pub mod app;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod theme;
pub mod ui;
pub mod update;

use std::io;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;

use self::app::App;
use self::keymap::Keymap;
use self::theme::Theme;
use self::update::{Msg, update};
use crate::clock::Clock;
use crate::domain::interaction::InteractionId;
use crate::journal::interactions as journal_interactions;
use crate::store::{Store, interactions};

/// How often the clock, outside writes and the draft are looked at.
const TICK: Duration = Duration::from_millis(250);

/// Builds the keymap and theme from the defaults and the user's config file. A bad config
/// is reported, not fatal: rolo starts with the defaults.
pub fn settings() -> (Keymap, Theme, Option<String>) {
    let mut keymap = Keymap::defaults();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut warning = None;
    let user = match crate::config::load() {
        Ok(user) => user,
        Err(err) => {
            warning = Some(format!("{err:#}; using the default keys and colours"));
            crate::config::Settings::default()
        }
    };
    if let Err(err) = keymap.apply_table(&user.keymap) {
        warning = Some(format!("config: {err}; using the default keys"));
        keymap = Keymap::defaults();
    }
    let theme = Theme::load(&user.theme, no_color).unwrap_or_else(|err| {
        warning = Some(format!("config: {err}; using the default colours"));
        Theme::load(&std::collections::BTreeMap::new(), no_color).unwrap_or_else(|_| Theme::plain())
    });
    (keymap, theme, warning)
}

/// Runs the TUI on `store` until the user quits. `clock` is read again on every tick.
pub fn run(mut store: Store, clock: Clock) -> Result<()> {
    let (keymap, theme, warning) = settings();
    let mut terminal =
        ratatui::try_init().context("cannot start the terminal UI (is this a terminal?)")?;
    // ratatui's hook restores raw mode and the screen on panic; also give the mouse back.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let _ = crossterm::execute!(io::stdout(), EnableMouseCapture);
    let result = (|| {
        let size = terminal.size()?;
        let mut app = App::new(keymap, theme, clock, (size.width, size.height));
        app.reload(&store)?;
        if let Some(warning) = warning {
            app.error(warning);
        }
        update::restore_draft(&mut app, &mut store)?;
        event_loop(&mut terminal, &mut app, &mut store)
    })();
    let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, store: &mut Store) -> Result<()> {
    let mut last_tick = Instant::now();
    loop {
        terminal.draw(|frame| ui::view(frame, app))?;
        if event::poll(TICK.saturating_sub(last_tick.elapsed()))? {
            match event::read()? {
                Event::Key(key) => update(app, store, Msg::Key(key)),
                Event::Mouse(mouse) => update(app, store, Msg::Mouse(mouse)),
                Event::Resize(width, height) => update(app, store, Msg::Resize(width, height)),
                _ => {}
            }
        }
        if last_tick.elapsed() >= TICK {
            update(app, store, Msg::Tick(Clock::system().now));
            last_tick = Instant::now();
        }
        if let Some(id) = app.edit_externally.take()
            && let Err(err) = edit_in_editor(terminal, app, store, id)
        {
            app.error(format!("{err:#}"));
        }
        if app.quit {
            return Ok(());
        }
    }
}

/// Leaves the TUI's screen for another program, runs `f`, and comes back (gitui's
/// external-editor hand-off): the terminal session itself stays the one `try_init` began.
fn suspended<T>(terminal: &mut DefaultTerminal, f: impl FnOnce() -> T) -> Result<T> {
    crossterm::execute!(io::stdout(), DisableMouseCapture, LeaveAlternateScreen)?;
    disable_raw_mode()?;
    let value = f();
    enable_raw_mode()?;
    crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    terminal.clear()?;
    Ok(value)
}

/// Suspends the TUI, opens the interaction in `$VISUAL`/`$EDITOR` (summary on the first
/// line, the body after a blank line), and stores what comes back.
fn edit_in_editor(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &mut Store,
    id: InteractionId,
) -> Result<()> {
    let interaction = interactions::get(store.conn(), id)?;
    let path = std::env::temp_dir().join(format!("rolo-note-{}-{}.md", std::process::id(), id.0));
    write_private(
        &path,
        &format!(
            "{}\n\n{}",
            interaction.summary,
            interaction.body.as_deref().unwrap_or_default()
        ),
    )?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_owned());
    // Through the shell, so EDITOR="code --wait" works as it does for git.
    let status = suspended(terminal, || {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("{editor} \"$1\""))
            .arg("sh")
            .arg(&path)
            .status()
    })?;
    let status = status.with_context(|| format!("cannot run the editor '{editor}'"))?;
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    if !status.success() {
        anyhow::bail!("the editor exited with {status}; the note is unchanged");
    }
    let written = journal_interactions::rewrite_text(store, &app.clock, id, &text?)?;
    app.reload(store)?;
    if let Some(app::Overlay::Note(view)) = &mut app.overlay {
        view.interaction = written.value;
    }
    if written.change.is_empty() {
        app.info("No changes");
    } else {
        app.info("Note saved (u to undo)");
        app.record(written.change);
    }
    Ok(())
}

fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    Ok(())
}
