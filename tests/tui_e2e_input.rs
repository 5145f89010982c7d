//! The real binary in tmux, as a person uses it: pastes are text (bracketed or not), a fast
//! typist is still typing, signals and ctrl-z leave the terminal as it was, a read-only or
//! full journal never traps you or loses your note, two windows keep their own drafts,
//! `$EDITOR` mishaps lose nothing.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::tmux::*;

/// The seeded journal plus the two reminders the paste must not touch.
fn journal(dir: &Path) -> std::path::PathBuf {
    let db = seeded_journal(dir);
    rolo(&db, &["remind", "@ada call back", "--on", "in 2 days"]);
    rolo(&db, &["remind", "@grace send slides", "--on", "in 5 days"]);
    db
}

fn open_reminders(db: &Path) -> usize {
    let agenda: serde_json::Value =
        serde_json::from_str(&rolo(db, &["agenda", "--days", "30"])).unwrap();
    let mut n = agenda["overdue"].as_array().unwrap().len();
    for day in agenda["days"].as_array().unwrap() {
        n += day["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["type"] == "reminder")
            .count();
    }
    n
}

const MEETING: &str = "coffee with @ada re: hiring\n3. dig into options\ny\nd D s q 1 2 3\n";

#[test]
fn pasted_notes_are_text_bracketed_or_not() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    let reminders = open_reminders(&db);
    let s = "main";
    tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (100, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["3"]); // the reminders pane, where d would complete a reminder

    // 1. Bracketed, into an open note: one interaction with the rest as its body.
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "Quick note");
    tmux.paste(s, MEETING, true);
    tmux.wait_for(s, "3 lines of notes");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Logged: coffee with Ada re: hiring");
    let timeline = rolo(&db, &["timeline", "ada"]);
    assert!(
        timeline.contains("3. dig into options\\ny\\nd D s q 1 2 3"),
        "{timeline}"
    );

    // 2. Bracketed, with no note open: it starts one.
    tmux.paste(s, "tea with @grace\nabout COBOL", true);
    tmux.wait_for(s, "Pasted into a quick note");
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "Kept as a draft");

    // 3. Without bracketed paste (a burst of plain keys), with no note open: still text,
    // never commands — it joins the kept draft.
    tmux.paste(s, MEETING, false);
    tmux.wait_for(s, "3. dig into options");

    assert_eq!(
        open_reminders(&db),
        reminders,
        "no reminder was done or snoozed"
    );
    let contacts: serde_json::Value = serde_json::from_str(&rolo(&db, &["list"])).unwrap();
    assert_eq!(contacts.as_array().unwrap().len(), 2, "nobody was trashed");
    let screen = tmux.screen(s);
    assert!(!screen.contains("EXIT="), "a pasted q quit:\n{screen}");
    tmux.keys(s, &["C-c"]);
    tmux.wait_for(s, "EXIT=0");
}

#[test]
fn a_fast_typist_is_typing_not_pasting() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    let s = "main";
    tmux.new_session(s, &tui_command(&db, ""), (100, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    // Keys 40 ms apart — faster than anyone types — are still keys: j moves, 3 focuses.
    for key in ["j", "3", "j", "1", "k"] {
        tmux.keys(s, &[key]);
        std::thread::sleep(Duration::from_millis(40));
    }
    tmux.wait_for(s, "Timeline Ada Lovelace");
    let screen = tmux.screen(s);
    assert!(
        !screen.contains("Quick note"),
        "typing became a paste:\n{screen}"
    );
    // A held-down key repeats fast, but is one key: ddd done once, no note opened.
    let before = open_reminders(&db);
    tmux.keys(s, &["3", "g"]);
    tmux.type_text(s, "ddd");
    tmux.wait_for(s, "Already done");
    assert_eq!(open_reminders(&db), before - 1, "one press, one record");
    tmux.keys(s, &["q"]);
}

/// TERM, INT, HUP and QUIT with a note open: the draft is kept, the terminal restored.
#[test]
fn signals_leave_the_terminal_as_it_was() {
    let Some(tmux) = Tmux::start() else { return };
    for sig in ["TERM", "INT", "HUP", "QUIT"] {
        let dir = tempfile::tempdir().unwrap();
        let db = journal(dir.path());
        let s = &format!("sig-{sig}");
        tmux.new_session(
            s,
            &tui_command(&db, "; echo EXIT=$?; stty -a; echo STTY-READ; sleep 60"),
            (100, 30),
        );
        tmux.wait_for(s, "Timeline Ada Lovelace");
        tmux.keys(s, &["n"]);
        tmux.type_text(s, &format!("note before {sig}"));
        tmux.wait_for(s, &format!("note before {sig}"));
        assert_eq!(tmux.pane_format(s, "#{alternate_on}"), "1");
        signal(&db, sig);
        // The whole of stty's report, not only the exit line before it (a loaded machine
        // shows the one before the other).
        let after = tmux.wait_for(s, "STTY-READ");
        assert_eq!(
            tmux.pane_format(s, "#{alternate_on}"),
            "0",
            "{sig}: alternate screen"
        );
        assert_eq!(
            tmux.pane_format(s, "#{mouse_any_flag}"),
            "0",
            "{sig}: mouse"
        );
        assert!(
            after.contains(" icanon") && after.contains(" echo"),
            "{sig}: raw mode left on:\n{after}"
        );
        // The note is there for the next start.
        let next = &format!("{s}-next");
        tmux.new_session(next, &tui_command(&db, ""), (100, 30));
        tmux.wait_for(next, "n to continue it");
        tmux.keys(next, &["n"]);
        tmux.wait_for(next, &format!("note before {sig}"));
        tmux.keys(next, &["Escape", "q"]);
    }
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    let s = "main";
    tmux.new_session(s, "env PS1='$ ' bash --norc --noprofile", (100, 30));
    tmux.type_text(s, &format!("{}\n", tui_command(&db, "")));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["n"]);
    tmux.type_text(s, "half a thought");
    tmux.keys(s, &["C-z"]);
    tmux.wait_for(s, "Stopped");
    assert_eq!(tmux.pane_format(s, "#{alternate_on}"), "0");
    assert_eq!(tmux.pane_format(s, "#{mouse_any_flag}"), "0");
    tmux.type_text(s, "fg\n");
    tmux.wait_for(s, "half a thought");
    assert_eq!(tmux.pane_format(s, "#{alternate_on}"), "1");
    // Raw mode is back: Enter saves instead of being a newline of a cooked line.
    tmux.type_text(s, " about looms");
    tmux.wait_for(s, "about looms");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Logged: half a thought about looms");
    // Stopped by someone else (SIGSTOP: no TSTP first), the shell takes the terminal back;
    // on fg rolo takes it again.
    tmux.keys(s, &["n"]);
    tmux.type_text(s, "stopped from outside");
    tmux.wait_for(s, "stopped from outside");
    signal(&db, "STOP");
    tmux.wait_for(s, "Stopped");
    tmux.type_text(s, "fg\n");
    // The stop left rolo's screen up (no TSTP, so no clean hand-back) with the shell's
    // lines over it; they go when rolo has taken the terminal back and redrawn.
    tmux.wait_gone(s, "Stopped");
    tmux.wait_for(s, "stopped from outside");
    tmux.type_text(s, " then resumed");
    tmux.wait_for(s, "then resumed");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Logged: stopped from outside then resumed");
    tmux.keys(s, &["q"]);
}

/// Mounts a small tmpfs at `dir` (root only); `None` with a message where that is not allowed.
fn tmpfs(dir: &Path, size: &str) -> Option<()> {
    std::fs::create_dir_all(dir).unwrap();
    let ok = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "SKIPPED: cannot mount a tmpfs here (needs root); the read-only and full-disk tests did not run"
        );
    }
    ok.then_some(())
}

/// Fills the filesystem at `dir` behind rolo's back (a file `filler`, as big as fits).
fn fill(dir: &Path) {
    let _ = std::process::Command::new("dd")
        .args(["if=/dev/zero", "bs=64k"])
        .arg(format!("of={}", dir.join("filler").display()))
        .stderr(std::process::Stdio::null())
        .status();
}

fn umount(dir: &Path) {
    let _ = std::process::Command::new("umount")
        .arg("-l")
        .arg(dir)
        .status();
}

#[test]
fn a_read_only_journal_can_be_read_and_left() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("ro");
    if tmpfs(&mount, "8m").is_none() {
        return;
    }
    let db = journal(&mount);
    let remount = std::process::Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&mount)
        .status()
        .unwrap();
    assert!(remount.success());
    let s = "main";
    tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (100, 30));
    tmux.wait_for(s, "read-only");
    tmux.wait_for(s, "Ada Lovelace");
    tmux.keys(s, &["3", "d"]);
    tmux.wait_for(s, "read-only");
    tmux.keys(s, &["n"]);
    tmux.type_text(s, "a thought worth keeping");
    // Esc still closes the box: the window holds the note, n brings it back.
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "held in this window");
    let closed = tmux.screen(s);
    assert!(
        !closed.contains("Quick note"),
        "Esc left the box open:\n{closed}"
    );
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "a thought worth keeping");
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "held in this window");
    tmux.keys(s, &["q"]);
    tmux.wait_for(s, "EXIT=");
    // Joined: the file's path may wrap at the pane's edge.
    let after = tmux.joined(s);
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(
        after.contains("it is in"),
        "the note's file is named:\n{after}"
    );
    let file = after
        .split("it is in ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "a thought worth keeping"
    );
    std::fs::remove_file(file).unwrap();
    umount(&mount);
}

#[test]
fn a_full_disk_never_traps_or_loses_the_note() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("full");
    if tmpfs(&mount, "4m").is_none() {
        return;
    }
    let db = journal(&mount);
    let s = "main";
    tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (100, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    // Fill the disk behind rolo's back.
    fill(&mount);
    tmux.keys(s, &["n"]);
    let long = "x".repeat(300);
    tmux.type_text(s, &format!("call with @ada {long}"));
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "full");
    tmux.keys(s, &["C-c"]);
    let after = tmux.wait_for(s, "EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
    assert!(after.contains("it is in"), "{after}");
    std::fs::remove_file(mount.join("filler")).unwrap();
    umount(&mount);
}

/// One disk for everything, and it is full: the journal, the state directory and the temp
/// directory all refuse the note, so it is printed on exit — never an empty file.
#[test]
fn a_note_no_disk_takes_is_printed_on_exit() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("full");
    if tmpfs(&mount, "4m").is_none() {
        return;
    }
    let db = journal(&mount);
    let s = "main";
    let home = mount.join("home");
    let state = mount.join("state");
    let tmp = mount.join("tmp");
    for d in [&home, &state, &tmp] {
        std::fs::create_dir_all(d).unwrap();
    }
    let command = format!(
        "env HOME='{}' XDG_STATE_HOME='{}' TMPDIR='{}' {}",
        home.display(),
        state.display(),
        tmp.display(),
        tui_command(&db, " 2>&1; echo EXIT=$?; sleep 60")
    );
    tmux.new_session(s, &command, (100, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    fill(&mount);
    tmux.keys(s, &["n"]);
    let long = "y".repeat(300);
    tmux.type_text(s, &format!("call with @ada {long}"));
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "full");
    tmux.keys(s, &["C-c"]);
    tmux.wait_for(s, "EXIT=");
    let after = tmux.joined(s);
    assert!(after.contains("here it is"), "{after}");
    assert!(after.contains(&long), "the note was not printed:\n{after}");
    for d in [&state, &tmp] {
        let empty: Vec<_> = walk(d)
            .into_iter()
            .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.len() == 0))
            .collect();
        assert!(empty.is_empty(), "empty files left behind: {empty:?}");
    }
    std::fs::remove_file(mount.join("filler")).unwrap();
    umount(&mount);
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn two_windows_keep_their_own_drafts() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    tmux.new_session("one", &tui_command(&db, ""), (100, 30));
    tmux.wait_for("one", "Timeline Ada Lovelace");
    tmux.keys("one", &["n"]);
    tmux.type_text("one", "only in window one");
    tmux.keys("one", &["Escape"]);
    tmux.wait_for("one", "Kept as a draft");
    tmux.new_session("two", &tui_command(&db, ""), (100, 30));
    tmux.wait_for("two", "Timeline Ada Lovelace");
    tmux.keys("two", &["n"]);
    let two = tmux.wait_for("two", "Quick note");
    assert!(
        !two.contains("only in window one"),
        "a live window's draft was taken:\n{two}"
    );
    tmux.keys("two", &["Escape", "q"]);
    // Window one quits: its note waits for the next start.
    tmux.keys("one", &["q"]);
    wait_exit(&db);
    tmux.new_session("three", &tui_command(&db, ""), (100, 30));
    tmux.wait_for("three", "n to continue it");
    tmux.keys("three", &["n"]);
    tmux.wait_for("three", "only in window one");
    tmux.keys("three", &["Escape", "q"]);
}

#[test]
fn editor_mishaps_lose_nothing() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    let failing = dir.path().join("fails.sh");
    std::fs::write(&failing, "#!/bin/sh\necho edited >> \"$1\"; exit 4\n").unwrap();
    let unchanged = dir.path().join("waits-not.sh");
    std::fs::write(&unchanged, "#!/bin/sh\ntrue\n").unwrap();
    for script in [&failing, &unchanged] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let s = "fail";
    let command = format!(
        "env VISUAL= EDITOR='{}' {}",
        failing.display(),
        tui_command(&db, " 2>&1; echo EXIT=$?; sleep 60")
    );
    tmux.new_session(s, &command, (120, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["2", "E"]);
    let screen = tmux.wait_for(s, "your text is kept in");
    assert!(screen.contains("exited"), "{screen}");
    tmux.keys(s, &["q"]);
    // The status line may be too narrow for the path: quitting names the file again.
    tmux.wait_for(s, "EXIT=");
    let after = tmux.joined(s);
    let kept = after
        .split("editor is kept in ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("the kept file is not named on exit:\n{after}"));
    assert!(std::fs::read_to_string(kept).unwrap().contains("edited"));
    std::fs::remove_file(kept).unwrap();
    let s = "same";
    let command = format!(
        "env VISUAL= EDITOR='{}' {}",
        unchanged.display(),
        tui_command(&db, "")
    );
    tmux.new_session(s, &command, (120, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["2", "E"]);
    tmux.wait_for(s, "--wait");
    tmux.keys(s, &["q"]);
}

/// The reminder under the cursor is the one acted on, whatever another shell added.
#[test]
fn the_selection_follows_its_record_and_enter_never_deletes() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    let s = "main";
    tmux.new_session(s, &tui_command(&db, ""), (110, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["3", "g"]);
    let screen = tmux.wait_for(s, "call back");
    assert!(screen.contains("call back"), "{screen}");
    // Select "call back" (the first row: due in two days, before the others).
    rolo(&db, &["remind", "aaa sorts first", "--on", "yesterday"]);
    tmux.wait_for(s, "aaa sorts first");
    tmux.keys(s, &["d"]);
    tmux.wait_for(s, "Done: Ada call back");
    // Enter on the trash question means no, for a contact and for a note.
    tmux.keys(s, &["1", "D"]);
    tmux.wait_for(s, "(y/N)");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Nothing was deleted");
    tmux.keys(s, &["2", "D"]);
    tmux.wait_for(s, "(y/N)");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Nothing was deleted");
    let trash = rolo(&db, &["trash"]);
    assert_eq!(trash.trim(), "[]", "{trash}");
    tmux.keys(s, &["q"]);
}

/// The form writes back what the user changed; what another shell changed meanwhile stays.
/// Ctrl-C in a changed form asks first.
#[test]
fn forms_keep_others_changes_and_ask_before_ctrl_c() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    let s = "main";
    tmux.new_session(s, &tui_command(&db, "; echo EXIT=$?; sleep 60"), (110, 34));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["e"]);
    tmux.wait_for(s, "Edit contact");
    tmux.keys(s, &["Tab", "Tab", "Tab"]);
    tmux.type_text(s, "Countess");
    tmux.wait_for(s, "Countess");
    rolo(
        &db,
        &[
            "edit",
            "ada",
            "--tag",
            "poet",
            "--email",
            "ada@example.com",
            "--company",
            "Babbage & Co",
            "--every",
            "2w",
        ],
    );
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Saved: edited Ada Lovelace");
    let ada = rolo(&db, &["show", "ada"]);
    for kept in [
        "Countess",
        "poet",
        "ada@example.com",
        "Babbage & Co",
        "\"2w\"",
    ] {
        assert!(ada.contains(kept), "{kept} was lost:\n{ada}");
    }
    // Ctrl-C with a half-filled form: a question, not the end.
    tmux.keys(s, &["a"]);
    tmux.wait_for(s, "Add contact");
    tmux.type_text(s, "Hedy Lamarr");
    tmux.wait_for(s, "Hedy Lamarr");
    tmux.keys(s, &["C-c"]);
    tmux.wait_for(s, "Discard your changes and quit? (y/N)");
    tmux.keys(s, &["Enter"]);
    tmux.wait_gone(s, "Discard your changes");
    let screen = tmux.screen(s);
    assert!(
        screen.contains("Hedy Lamarr") && !screen.contains("EXIT="),
        "{screen}"
    );
    tmux.keys(s, &["C-c", "y"]);
    tmux.wait_for(s, "EXIT=0");
}

/// `@a` then Enter saves (and is refused as ambiguous); "+ new contact" is made only with
/// the note.
#[test]
fn the_completion_popup_never_guesses() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    rolo(&db, &["add", "Alan Turing"]);
    let s = "main";
    tmux.new_session(s, &tui_command(&db, ""), (110, 30));
    tmux.wait_for(s, "Timeline Ada Lovelace");
    tmux.keys(s, &["n"]);
    tmux.type_text(s, "call @a");
    tmux.wait_for(s, "↓ or Tab to choose");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "'a' matches");
    tmux.keys(s, &["C-u"]);
    tmux.type_text(s, "met @adaa");
    tmux.wait_for(s, "+ new contact");
    tmux.keys(s, &["Tab", "Tab"]);
    tmux.wait_for(s, "met @Adaa");
    tmux.keys(s, &["Escape"]);
    tmux.wait_for(s, "Kept as a draft");
    let listed = rolo(&db, &["list"]);
    assert!(
        !listed.contains("Adaa"),
        "created before the note was saved"
    );
    tmux.keys(s, &["n"]);
    tmux.wait_for(s, "met @Adaa");
    tmux.keys(s, &["Enter"]);
    tmux.wait_for(s, "Logged: met Adaa");
    assert!(rolo(&db, &["list"]).contains("Adaa"));
    tmux.keys(s, &["q"]);
}

/// Closing the terminal (the window, the ssh session) ends rolo: no process left spinning,
/// and the note typed so far is there on the next start.
#[test]
fn closing_the_terminal_ends_rolo_and_keeps_the_note() {
    let Some(tmux) = Tmux::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = journal(dir.path());
    tmux.new_session("closing", &tui_command(&db, ""), (100, 30));
    tmux.wait_for("closing", "Timeline Ada Lovelace");
    tmux.keys("closing", &["n"]);
    tmux.type_text("closing", "said before the window closed");
    tmux.wait_for("closing", "window closed");
    tmux.tmux(&["kill-session", "-t", "closing"]);
    wait_exit(&db);
    tmux.new_session("again", &tui_command(&db, ""), (100, 30));
    tmux.wait_for("again", "n to continue it");
    tmux.keys("again", &["n"]);
    tmux.wait_for("again", "said before the window closed");
    tmux.keys("again", &["Escape", "q"]);
}
