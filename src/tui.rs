//! The terminal UI: The Elm Architecture, synchronously. The loop waits for an event (or a
//! tick), `update` turns it into new state, `ui::view` draws that state. ratatui owns the
//! terminal and restores it on exit and on panic.

pub mod action;
pub mod app;
pub mod burst;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod theme;
pub mod ui;
pub mod update;

use std::io;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, KeyCode,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};

use self::app::App;
use self::keymap::Keymap;
use self::theme::Theme;
use self::update::{Msg, update};
use crate::clock::Clock;
use crate::domain::interaction::InteractionId;
use crate::editor::{self, Edited};
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

/// Mouse reporting and bracketed paste, which ratatui's own init and restore leave alone.
fn enable_extras() {
    let _ = crossterm::execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
}

fn disable_extras() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
}

/// Gives the terminal back as it was: cooked mode, the normal screen, no mouse reporting,
/// no bracketed paste. Safe to call more than once.
fn restore_terminal() {
    disable_extras();
    ratatui::restore();
}

/// Takes the terminal again after a suspend: raw mode, the alternate screen, the extras.
fn resume_terminal(terminal: &mut DefaultTerminal) -> Result<()> {
    enable_raw_mode()?;
    crossterm::execute!(io::stdout(), EnterAlternateScreen)?;
    enable_extras();
    terminal.clear()?;
    Ok(())
}

/// Signals from outside, read on a thread and handed to the event loop: TERM, INT, HUP and
/// QUIT end rolo cleanly; TSTP suspends it; CONT resumes it.
fn signals() -> Result<Receiver<i32>> {
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT])?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if tx.send(signal).is_err() {
                break;
            }
            if ![SIGTSTP, SIGCONT].contains(&signal) {
                // The event loop ends the session cleanly within a moment. If it cannot (a
                // terminal that vanished can wedge a read), end it from here: the draft was
                // kept on the last word or tick, and the terminal is restored either way.
                std::thread::sleep(Duration::from_secs(2));
                restore_terminal();
                let _ = signal_hook::low_level::emulate_default_handler(signal);
            }
        }
    });
    Ok(rx)
}

/// Runs the TUI on `store` until the user quits. `clock` is read again on every tick.
pub fn run(mut store: Store, clock: Clock) -> Result<()> {
    let (keymap, theme, warning) = settings();
    let signals = signals()?;
    let mut terminal =
        ratatui::try_init().context("cannot start the terminal UI (is this a terminal?)")?;
    // ratatui's hook restores raw mode and the screen on panic; give back the rest too.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        disable_extras();
        previous(info);
    }));
    enable_extras();
    let mut ended_by = None;
    let result = (|| {
        let size = terminal.size()?;
        let mut app = App::new(keymap, theme, clock, (size.width, size.height));
        app.journal = store.path().map(crate::paths::shown).unwrap_or_default();
        app.reload_first_frame(&store)?;
        if store.is_read_only() {
            app.error("This journal is read-only here: you can look, but nothing can be changed");
        } else {
            update::restore_draft(&mut app, &mut store)?;
        }
        if let Some(warning) = warning {
            app.error(warning);
        }
        ended_by = event_loop(&mut terminal, &mut app, &mut store, &signals)?;
        Ok((
            app.saved_elsewhere.take(),
            app.unsaved_text.take(),
            std::mem::take(&mut app.kept_files),
        ))
    })();
    restore_terminal();
    // Leave the journal one self-contained file (the WAL folded in), if no one else reads.
    let _ = store.checkpoint();
    match &result {
        Ok((Some(path), _, _)) => eprintln!(
            "rolo: the journal could not take your unsaved note; it is in {}",
            path.display()
        ),
        // No file could take it either (a disk full everywhere): the terminal is the last
        // place left, so the note is printed whole.
        Ok((None, Some(text), _)) => eprintln!(
            "rolo: neither the journal nor a file could take your unsaved note; here it is:\n{text}"
        ),
        _ => {}
    }
    if let Ok((_, _, kept)) = &result {
        for path in kept {
            eprintln!(
                "rolo: your text from the editor is kept in {}",
                path.display()
            );
        }
    }
    if let Some(signal) = ended_by {
        // Ended from outside: now that the terminal is back and the draft kept, end the way
        // that signal ends a program, as the shell expects.
        let _ = signal_hook::low_level::emulate_default_handler(signal);
    }
    result.map(|_| ())
}

/// Reads every event already waiting after `first`: a burst that arrived in one read. (A
/// zero timeout would not look at what crossterm has parsed but not yet handed out; a
/// millisecond does, and no one types two keys within one.)
fn drain(first: Event) -> Result<Vec<Event>> {
    let mut batch = vec![first];
    while batch.len() < 100_000 && event::poll(BURST_GAP)? {
        batch.push(event::read()?);
    }
    Ok(batch)
}

/// Events closer together than this are one burst.
const BURST_GAP: Duration = Duration::from_millis(1);

/// Runs until the user quits (`None`) or a signal ends the session (`Some(signal)`).
fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &mut Store,
    signals: &Receiver<i32>,
) -> Result<Option<i32>> {
    let mut last_tick = Instant::now();
    let mut sync: Option<std::sync::mpsc::Receiver<Msg>> = None;
    // Debug builds only: ROLO_TEST_PANIC=SECONDS panics in the loop then, so the tests can
    // prove the terminal and the draft survive a bug.
    #[cfg(debug_assertions)]
    let panic_at = std::env::var("ROLO_TEST_PANIC")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(|s| Instant::now() + Duration::from_secs(s));
    loop {
        #[cfg(debug_assertions)]
        assert!(
            panic_at.is_none_or(|at| Instant::now() < at),
            "ROLO_TEST_PANIC: a bug, on purpose"
        );
        terminal.draw(|frame| ui::view(frame, app))?;
        // The first frame showed what fits; everyone else is loaded now, before any key.
        app.finish_loading(store)?;
        // Wake at least every tick, and soon enough to answer a signal promptly.
        let wait = TICK.saturating_sub(last_tick.elapsed()).min(SIGNAL_POLL);
        if event::poll(wait)? {
            let batch = drain(event::read()?)?;
            dispatch(app, store, burst::classify(batch));
        }
        if last_tick.elapsed() >= TICK {
            update(app, store, Msg::Tick(Clock::system().now));
            last_tick = Instant::now();
        }
        loop {
            match signals.try_recv() {
                Ok(SIGTSTP) => suspend(terminal, app, store)?,
                // Stopped by someone else (SIGSTOP, a debugger) the shell took the terminal
                // back to cooked mode behind crossterm's back, which still thinks it is raw
                // and would skip enabling it: forget that, take the terminal again and
                // redraw. After our own suspend this only redraws once more.
                Ok(SIGCONT) => {
                    let _ = disable_raw_mode();
                    resume_terminal(terminal)?;
                }
                Ok(signal) => {
                    update(app, store, Msg::Action(action::Action::Quit));
                    return Ok(Some(signal));
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        if std::mem::take(&mut app.suspend) {
            suspend(terminal, app, store)?;
        }
        if app.sync == app::SyncState::Requested {
            app.sync = app::SyncState::Running;
            sync = Some(start_sync(store, app.clock));
        }
        if let Some(msg) = sync.as_ref().and_then(|rx| rx.try_recv().ok()) {
            sync = None;
            update(app, store, msg);
        }
        if let Some(id) = app.edit_externally.take()
            && let Err(err) = edit_in_editor(terminal, app, store, id)
        {
            app.error(format!("{err:#}"));
        }
        if app.quit {
            return Ok(None);
        }
    }
}

/// Runs one sync of the journal's file on a thread with its own connection; the loop keeps
/// drawing and answering keys, and the result comes back as a message. (Quitting meanwhile
/// ends the process and the sync with it: nothing is lost, as after a kill — each item is
/// its own transaction, and the next sync carries on.)
fn start_sync(store: &Store, clock: Clock) -> std::sync::mpsc::Receiver<Msg> {
    let (tx, rx) = std::sync::mpsc::channel();
    let path = store.path().map(std::path::Path::to_path_buf);
    std::thread::spawn(move || {
        let outcome = match path {
            Some(path) => {
                crate::journal::sync::sync_file(&path, &clock).map_err(|e| format!("{e:#}"))
            }
            None => Err("sync needs a journal file".to_owned()),
        };
        let _ = tx.send(Msg::Synced(outcome));
    });
    rx
}

/// How often the loop looks for a signal while nothing else happens.
const SIGNAL_POLL: Duration = Duration::from_millis(50);

/// Hands one batch of messages to `update`. Keys that came in the same burst as the Enter
/// that saved a note are not run as commands: they become a new note.
fn dispatch(app: &mut App, store: &mut Store, msgs: Vec<Msg>) {
    let mut msgs = msgs.into_iter();
    while let Some(msg) = msgs.next() {
        let note_open = matches!(app.overlay, Some(app::Overlay::QuickNote(_)));
        let enter = matches!(&msg, Msg::Key(k) if k.code == KeyCode::Enter);
        update(app, store, msg);
        let saved = note_open && enter && !matches!(app.overlay, Some(app::Overlay::QuickNote(_)));
        if saved {
            let rest: Vec<Msg> = msgs.collect();
            let text = burst::text_of(&rest);
            if !text.trim().is_empty() {
                let logged = app.status.clone().map(|s| s.text).unwrap_or_default();
                update(app, store, Msg::Paste(text));
                app.info(format!(
                    "{logged} · keys that came with that Enter became a new note, not commands"
                ));
            }
            return;
        }
    }
}

/// Ctrl-Z or SIGTSTP: keeps the draft, gives the terminal back and stops; on resume, takes
/// the terminal again and redraws everything.
fn suspend(terminal: &mut DefaultTerminal, app: &mut App, store: &mut Store) -> Result<()> {
    update(app, store, Msg::Tick(Clock::system().now));
    restore_terminal();
    let _ = signal_hook::low_level::emulate_default_handler(SIGTSTP);
    resume_terminal(terminal)
}

/// Leaves the TUI's screen for another program, runs `f`, and comes back (gitui's
/// external-editor hand-off): the terminal session itself stays the one `try_init` began.
fn suspended<T>(terminal: &mut DefaultTerminal, f: impl FnOnce() -> T) -> Result<T> {
    disable_extras();
    crossterm::execute!(io::stdout(), LeaveAlternateScreen)?;
    disable_raw_mode()?;
    let value = f();
    resume_terminal(terminal)?;
    Ok(value)
}

/// Suspends the TUI, opens the interaction in the user's editor (summary on the first line,
/// the body after a blank line), and stores what comes back.
fn edit_in_editor(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &mut Store,
    id: InteractionId,
) -> Result<()> {
    let interaction = interactions::get(store.conn(), id)?;
    let given = format!(
        "{}\n\n{}",
        interaction.summary,
        interaction.body.as_deref().unwrap_or_default()
    );
    let path = editor::temp_file(&format!("note-{}", id.0), &given)?;
    let status = suspended(terminal, || editor::run(&path))??;
    let edited = editor::take_back(&path, status, &given);
    if edited.is_err() {
        // Named again on exit: the status line may be too narrow for the path.
        app.kept_files.push(path.clone());
    }
    let text = match edited? {
        Edited::Unchanged => {
            editor::discard(&path);
            app.info(format!("Note: {}", editor::UNCHANGED_HINT));
            return Ok(());
        }
        Edited::Text(text) => text,
    };
    let written = match journal_interactions::rewrite_text(store, &app.clock, id, &text) {
        Ok(written) => written,
        Err(err) => {
            app.kept_files.push(path.clone());
            return Err(anyhow::anyhow!(
                "your text is kept in {} ({err:#})",
                path.display()
            ));
        }
    };
    editor::discard(&path);
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
