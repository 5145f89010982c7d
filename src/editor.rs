//! Handing text to the user's editor (`$VISUAL`, else `$EDITOR`, else `vi`) and taking it
//! back: `rolo log --edit` and the TUI's `E`. An empty variable counts as unset, as git
//! treats it; the command goes through the shell so `EDITOR="code --wait"` works.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

use anyhow::{Context, Result, bail};

/// The editor command the user chose.
pub fn command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// A private file holding `text`, named so editors pick Markdown. The name is fresh
/// (process id and a random part) and the file is made with `O_EXCL`: whatever someone
/// planted in the shared temporary directory, a link included, is never opened or followed.
pub fn temp_file(stem: &str, text: &str) -> Result<PathBuf> {
    temp_file_in(&std::env::temp_dir(), stem, text)
}

fn temp_file_in(dir: &Path, stem: &str, text: &str) -> Result<PathBuf> {
    let mut tries = 0;
    loop {
        let path = dir.join(format!(
            "rolo-{stem}-{}-{:08x}.md",
            std::process::id(),
            fastrand::u32(..)
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))?;
                return Ok(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && tries < 16 => {
                tries += 1;
            }
            Err(err) => {
                return Err(err).with_context(|| format!("cannot write {}", path.display()));
            }
        }
    }
}

/// Runs the editor on `path` and waits for it.
pub fn run(path: &Path) -> Result<ExitStatus> {
    let editor = command();
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(path)
        .status()
        .with_context(|| format!("cannot run the editor '{editor}'"))
}

/// What came back from the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edited {
    /// The text as saved (the temporary file is gone).
    Text(String),
    /// The file is as it was given: nothing to do.
    Unchanged,
}

/// Reads the file back after the editor ran with `status`. The file stays until the caller
/// has stored what it holds ([`discard`]), so nothing typed is lost to a failing editor or
/// a failing save; a failing editor's error names it.
pub fn take_back(path: &Path, status: ExitStatus, given: &str) -> Result<Edited> {
    if !status.success() {
        bail!(
            "your text is kept in {} (the editor exited with {status}; nothing was saved)",
            path.display()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} back", path.display()))?;
    Ok(if text == given {
        Edited::Unchanged
    } else {
        Edited::Text(text)
    })
}

/// Removes the editor's file once what it held is stored (or there was nothing in it).
pub fn discard(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// What to say when an editor returned with nothing changed: a window editor that does not
/// wait looks exactly like that.
pub const UNCHANGED_HINT: &str =
    "no changes — if your editor opens a window, make it wait (EDITOR='code --wait', 'subl -w')";

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A link planted under the very name the file is about to take (the random part drawn
    /// again from the same seed), to a file or dangling: never opened or followed. The file
    /// takes the next name, the link's target is untouched, nothing appears where a dangling
    /// link points.
    #[test]
    fn a_link_under_the_very_next_name_is_never_followed() {
        for dangling in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let victim = dir.path().join("victim.txt");
            let nowhere = dir.path().join("must-not-appear");
            std::fs::write(&victim, "precious\n").unwrap();
            fastrand::seed(13);
            let planted = dir.path().join(format!(
                "rolo-log-{}-{:08x}.md",
                std::process::id(),
                fastrand::u32(..)
            ));
            let target = if dangling { &nowhere } else { &victim };
            std::os::unix::fs::symlink(target, &planted).unwrap();
            fastrand::seed(13);
            let path = temp_file_in(dir.path(), "log", "the note\n").unwrap();
            assert_ne!(path, planted);
            assert!(std::fs::symlink_metadata(&planted).unwrap().is_symlink());
            assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
            assert!(!nowhere.exists(), "a dangling link was followed");
            assert_eq!(std::fs::read_to_string(&path).unwrap(), "the note\n");
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
