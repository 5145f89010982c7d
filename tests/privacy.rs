//! The journal is private: the journal, its WAL and shared-memory files, drafts (in the
//! journal), the editor's temporary file, backups and exports are 0600, in 0700
//! directories where rolo makes them, whatever the umask (000, 022, 077). A symlink planted
//! at an export, a backup or the editor's temporary file is never followed into another
//! file. `$EDITOR` with arguments works.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::tmux::{ROLO, Tmux};

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// A shell that sets `umask`, with a home of its own and no `ROLO_DB`: the journal goes
/// where rolo puts it by default.
struct Shell {
    home: tempfile::TempDir,
    umask: &'static str,
}

impl Shell {
    fn new(umask: &'static str) -> Shell {
        Shell {
            home: tempfile::tempdir().unwrap(),
            umask,
        }
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    fn data(&self) -> PathBuf {
        self.home().join("data/rolo")
    }

    fn env(&self) -> Vec<(String, String)> {
        let home = self.home().display().to_string();
        vec![
            ("HOME".into(), home.clone()),
            ("XDG_DATA_HOME".into(), format!("{home}/data")),
            ("XDG_CONFIG_HOME".into(), format!("{home}/config")),
            ("TMPDIR".into(), format!("{home}/tmp")),
        ]
    }

    /// `rolo ARGS` under the umask.
    fn rolo(&self, args: &[&str]) -> Output {
        fs::create_dir_all(self.home().join("tmp")).unwrap();
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("umask {}; exec \"$0\" \"$@\"", self.umask))
            .arg(ROLO)
            .args(args)
            .env_remove("ROLO_DB")
            .env_remove("VISUAL")
            .env_remove("RUST_BACKTRACE");
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.rolo(args);
        assert!(
            out.status.success(),
            "umask {}: {args:?}: {}",
            self.umask,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }
}

#[test]
fn every_file_is_private_whatever_the_umask() {
    for umask in ["000", "022", "077"] {
        let sh = Shell::new(umask);
        let home = sh.home().to_path_buf();
        sh.ok(&["add", "Ada Lovelace"]);
        let db = sh.data().join("journal.db");
        assert_eq!(
            mode(&sh.data()),
            0o700,
            "umask {umask}: the journal's directory"
        );
        assert_eq!(mode(&db), 0o600, "umask {umask}: the journal");

        // The editor's temporary file, seen from inside the editor.
        let seen = home.join("editor-saw");
        let script = home.join("editor.sh");
        fs::write(
            &script,
            format!(
                "#!/bin/sh\nstat -c %a \"$1\" > '{}'\nprintf 'call with @ada from the editor\\n' > \"$1\"\n",
                seen.display()
            ),
        )
        .unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask}; exec \"$0\" log --edit --json"))
            .arg(ROLO)
            .envs(sh.env())
            .env("EDITOR", &script)
            .env_remove("VISUAL")
            .env_remove("ROLO_DB")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            fs::read_to_string(&seen).unwrap().trim(),
            "600",
            "umask {umask}: the editor's file"
        );

        // Backups, into a directory rolo makes.
        let backup = home.join("backups/new/journal-copy.db");
        sh.ok(&["backup", backup.to_str().unwrap()]);
        assert_eq!(mode(&backup), 0o600, "umask {umask}: a backup");
        assert_eq!(
            mode(backup.parent().unwrap()),
            0o700,
            "umask {umask}: its directory"
        );
        assert_eq!(mode(&home.join("backups")), 0o700);

        // Exports: files, and a vdir rolo makes.
        for (format, name) in [
            ("json", "out.json"),
            ("vcard", "out.vcf"),
            ("ics", "out.ics"),
            ("markdown", "out.md"),
        ] {
            let path = home.join(name);
            sh.ok(&["export", format, "-o", path.to_str().unwrap()]);
            assert_eq!(mode(&path), 0o600, "umask {umask}: {name}");
        }
        let vdir = home.join("cards/vdir");
        sh.ok(&["export", "vcard", "--dir", vdir.to_str().unwrap()]);
        assert_eq!(mode(&vdir), 0o700, "umask {umask}: the vdir rolo made");
        assert_eq!(
            mode(&home.join("cards")),
            0o700,
            "umask {umask}: its parent rolo made"
        );
        for entry in fs::read_dir(&vdir).unwrap() {
            let path = entry.unwrap().path();
            assert_eq!(mode(&path), 0o600, "umask {umask}: {}", path.display());
        }

        // A demo journal.
        let demo = sh.ok(&[
            "demo",
            "--no-open",
            "--contacts",
            "3",
            "--interactions",
            "5",
            "--table",
        ]);
        let demo = PathBuf::from(demo.trim());
        assert_eq!(mode(&demo), 0o600, "umask {umask}: {}", demo.display());
        assert_eq!(mode(demo.parent().unwrap()), 0o700);
    }
}

/// The write-ahead log and shared memory exist while rolo runs: the TUI, open in tmux, with a
/// note being typed (its draft in the journal).
#[test]
fn the_wal_and_shared_memory_are_private_while_rolo_runs() {
    let Some(tmux) = Tmux::start() else { return };
    for umask in ["000", "077"] {
        let sh = Shell::new(umask);
        sh.ok(&["add", "Ada Lovelace"]);
        let env = sh
            .env()
            .iter()
            .map(|(k, v)| format!("{k}='{v}'"))
            .collect::<Vec<_>>()
            .join(" ");
        let s = &format!("umask-{umask}");
        tmux.new_session(
            s,
            &format!("umask {umask}; env -u ROLO_DB {env} ROLO_CONFIG=/nonexistent '{ROLO}'"),
            (100, 30),
        );
        tmux.wait_for(s, "Ada Lovelace");
        tmux.keys(s, &["n"]);
        tmux.type_text(s, "a draft to keep ");
        tmux.wait_for(s, "a draft to keep");
        let db = sh.data().join("journal.db");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let draft = loop {
            let text: Option<String> = rusqlite::Connection::open(&db)
                .unwrap()
                .query_row("SELECT text FROM drafts", [], |r| r.get(0))
                .ok();
            if text.is_some() || std::time::Instant::now() > deadline {
                break text;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        };
        assert_eq!(draft.as_deref().map(str::trim), Some("a draft to keep"));
        for suffix in ["", "-wal", "-shm"] {
            let path = PathBuf::from(format!("{}{suffix}", db.display()));
            assert_eq!(mode(&path), 0o600, "umask {umask}: {}", path.display());
        }
        tmux.keys(s, &["Escape", "q"]);
    }
}

/// What an attacker (or an accident) plants at a target: a link to a file that must not
/// change, and a link to a place where nothing must appear.
struct Planted {
    dir: tempfile::TempDir,
}

impl Planted {
    fn new() -> Planted {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("victim.txt"), "precious\n").unwrap();
        Planted { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Plants `name` → victim.txt, or → nowhere (a file that must never appear).
    fn link(&self, name: &str, dangling: bool) -> PathBuf {
        let link = self.path(name);
        let target = if dangling {
            self.path("must-not-appear")
        } else {
            self.path("victim.txt")
        };
        std::os::unix::fs::symlink(target, &link).unwrap();
        link
    }

    fn assert_untouched(&self, what: &str) {
        assert_eq!(
            fs::read_to_string(self.path("victim.txt")).unwrap(),
            "precious\n",
            "{what} wrote through a link"
        );
        assert!(
            !self.path("must-not-appear").exists(),
            "{what} followed a dangling link"
        );
    }
}

fn rolo(db: &Path, args: &[&str]) -> Output {
    Command::new(ROLO)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

#[test]
fn a_planted_symlink_is_never_followed() {
    let journal = tempfile::tempdir().unwrap();
    let db = journal.path().join("journal.db");
    assert!(
        rolo(&db, &["add", "Ada Lovelace", "--email", "ada@example.org"])
            .status
            .success()
    );

    for dangling in [false, true] {
        // Exports replace the link with the file; the link's target is never written.
        for (format, name) in [
            ("json", "a.json"),
            ("vcard", "a.vcf"),
            ("ics", "a.ics"),
            ("markdown", "a.md"),
        ] {
            let p = Planted::new();
            let link = p.link(name, dangling);
            let out = rolo(&db, &["export", format, "-o", link.to_str().unwrap()]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            p.assert_untouched(&format!("export {format}"));
            assert!(
                fs::symlink_metadata(&link).unwrap().is_file(),
                "the link was replaced"
            );
            assert_eq!(mode(&link), 0o600);
        }

        // A backup onto a link is refused, whole stop.
        let p = Planted::new();
        let link = p.link("copy.db", dangling);
        let out = rolo(&db, &["backup", link.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("exists"), "{stderr}");
        p.assert_untouched("backup");
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());

        // In a vdir: a card's file and the manifest planted as links.
        let p = Planted::new();
        let vdir = p.path("vdir");
        assert!(
            rolo(&db, &["export", "vcard", "--dir", vdir.to_str().unwrap()])
                .status
                .success()
        );
        let card = fs::read_dir(&vdir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "vcf"))
            .unwrap();
        for planted in [card, vdir.join(".rolo-vdir")] {
            fs::remove_file(&planted).unwrap();
            std::os::unix::fs::symlink(
                if dangling {
                    p.path("must-not-appear")
                } else {
                    p.path("victim.txt")
                },
                &planted,
            )
            .unwrap();
        }
        assert!(
            rolo(&db, &["export", "vcard", "--dir", vdir.to_str().unwrap()])
                .status
                .success()
        );
        p.assert_untouched("export vcard --dir");
    }
}

/// The editor's file has a name anyone can guess (`rolo-log-PID.md` in the temporary
/// directory): a link planted under every name it could take is never followed.
#[test]
fn the_editors_file_is_never_a_planted_link() {
    let p = Planted::new();
    let tmp = p.path("tmp");
    fs::create_dir(&tmp).unwrap();
    let pid_max: u32 =
        fs::read_to_string("/proc/sys/kernel/pid_max").map_or(32768, |s| s.trim().parse().unwrap());
    if pid_max > 100_000 {
        eprintln!("SKIPPED: pid_max is {pid_max}; too many names to plant a link under each");
        return;
    }
    for pid in 1..=pid_max {
        std::os::unix::fs::symlink(p.path("victim.txt"), tmp.join(format!("rolo-log-{pid}.md")))
            .unwrap();
    }
    let db = p.path("journal.db");
    assert!(rolo(&db, &["add", "Ada Lovelace"]).status.success());
    let script = p.path("editor.sh");
    fs::write(
        &script,
        "#!/bin/sh\nprintf 'call with @ada from the editor\\n' > \"$1\"\n",
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(ROLO)
        .arg("--db")
        .arg(&db)
        .args(["log", "--edit", "--json"])
        .env("TMPDIR", &tmp)
        .env("EDITOR", &script)
        .env_remove("VISUAL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    p.assert_untouched("log --edit");
    let logged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        logged["interaction"]["summary"],
        "call with Ada from the editor"
    );
}

/// `EDITOR="editor --flag"` and an editor in a directory with a space: the command is the
/// user's, run by the shell.
#[test]
fn an_editor_with_arguments_works() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("my tools");
    fs::create_dir(&bin).unwrap();
    let script = bin.join("ed.sh");
    let args_seen = dir.path().join("args");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$#:$1:$2\" > '{}'\nfile=\"$3\"\nprintf 'lunch with @ada #edited\\nthe body\\n' > \"$file\"\n",
            args_seen.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    let db = dir.path().join("journal.db");
    assert!(rolo(&db, &["add", "Ada Lovelace"]).status.success());
    let out = Command::new(ROLO)
        .arg("--db")
        .arg(&db)
        .args(["log", "--edit", "--json"])
        .env("EDITOR", format!("'{}' --wait -n", script.display()))
        .env_remove("VISUAL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(&args_seen).unwrap().trim(),
        "3:--wait:-n"
    );
    let logged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(logged["interaction"]["summary"], "lunch with Ada");
    assert_eq!(logged["interaction"]["body"], "the body");
}
