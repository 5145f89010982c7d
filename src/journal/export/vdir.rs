//! `export vcard --dir`: one `.vcf` per contact in a directory (a vdir, as khard and vdirsyncer
//! read it), beside whatever else lives there. A manifest lists, per journal, each file rolo
//! wrote and the SHA-256 of what it wrote: a file is overwritten or removed only when this
//! journal wrote it and nobody has changed it since. Everything else is left alone, and said.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{all_contacts, write_atomically};
use crate::domain::contact::Contact;
use crate::interop::vcard::{self, Version};
use crate::store::Store;

/// The file in a vdir where rolo lists the files it wrote.
pub const VDIR_MANIFEST: &str = ".rolo-vdir";

/// The manifest's first line; each line after it is `journal id TAB file TAB sha-256`.
const MANIFEST_HEADER: &str = "# rolo vdir manifest 2: journal\tfile\tsha256 of what rolo wrote";

/// The longest UID used as a file name as it is.
const MAX_NAME: usize = 64;

/// A stable digest of a UID (64-bit FNV-1a), for UIDs that cannot be file names.
fn digest(uid: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in uid.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The digest name of a UID: `rolo-<digest>.vcf`, then `-2`, `-3`… when that is taken.
fn digest_name(uid: &str, n: usize) -> String {
    if n <= 1 {
        format!("rolo-{}.vcf", digest(uid))
    } else {
        format!("rolo-{}-{n}.vcf", digest(uid))
    }
}

/// File names for contacts in a vdir: the UID where it is a safe name (letters, digits, `-`
/// `_` `.`, not starting with `.`, at most 64 characters), else its digest name. Names are
/// unique, also on a case-insensitive file system: UIDs that would collide all get digests.
fn vdir_names(contacts: &[Contact]) -> Vec<String> {
    let safe = |uid: &str| {
        !uid.is_empty()
            && uid.len() <= MAX_NAME
            && !uid.starts_with('.')
            && uid
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    let mut names: Vec<String> = contacts
        .iter()
        .map(|c| {
            if safe(&c.uid) {
                format!("{}.vcf", c.uid)
            } else {
                digest_name(&c.uid, 1)
            }
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for name in &names {
        *seen.entry(name.to_lowercase()).or_default() += 1;
    }
    for (name, contact) in names.iter_mut().zip(contacts) {
        if seen[&name.to_lowercase()] > 1 {
            *name = digest_name(&contact.uid, 1);
        }
    }
    // Two digests alike would be a 64-bit accident; even then no file is written twice.
    let mut used = HashSet::new();
    for (name, contact) in names.iter_mut().zip(contacts) {
        let mut n = 1;
        while !used.insert(name.to_lowercase()) {
            n += 1;
            *name = digest_name(&contact.uid, n);
        }
    }
    names
}

fn sha256(bytes: &[u8]) -> String {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

/// One manifest line: a file a journal wrote, and the hash of what it wrote.
#[derive(Debug, Clone)]
struct Entry {
    journal: String,
    file: String,
    hash: String,
}

/// A bare file name rolo wrote, nothing else: no path, no hidden file, a .vcf.
fn is_card_name(file: &str) -> bool {
    let is_vcf = Path::new(file)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vcf"));
    !file.contains(['/', '\\']) && !file.starts_with('.') && is_vcf
}

/// The manifest's entries, and the lines of an earlier manifest (a bare file name: neither
/// whose the file is nor what it held — see [`adopt`]).
fn read_manifest(path: &Path) -> (Vec<Entry>, Vec<String>) {
    // Only a regular file: a link planted in its place is never followed.
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
        return (Vec::new(), Vec::new());
    }
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut entries = Vec::new();
    let mut legacy = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let cells: Vec<&str> = line.split('\t').collect();
        match cells.as_slice() {
            [journal, file, hash] if is_card_name(file) => entries.push(Entry {
                journal: (*journal).to_owned(),
                file: (*file).to_owned(),
                hash: (*hash).to_owned(),
            }),
            [file] if is_card_name(file) => legacy.push((*file).to_owned()),
            _ => {}
        }
    }
    (entries, legacy)
}

/// Files an earlier rolo listed by name only: this journal's when the card in it carries
/// the UID of one of its contacts (then it is taken as written, with its hash now). Without
/// this, an upgrade would leave each such file in place and write the card a second time
/// under another name — two cards with one UID.
fn adopt(dir: &Path, legacy: &[String], journal: &str, uids: &HashSet<&str>) -> Vec<Entry> {
    legacy
        .iter()
        .filter_map(|file| {
            let path = dir.join(file);
            if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
                return None;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            let uid = text
                .lines()
                .find_map(|l| l.trim_end_matches('\r').strip_prefix("UID:"))?;
            uids.contains(uid).then(|| Entry {
                journal: journal.to_owned(),
                file: file.clone(),
                hash: sha256(text.as_bytes()),
            })
        })
        .collect()
}

/// The manifest: other journals' lines as they were, then this journal's — the cards it
/// wrote (with the hashes of what it wrote) and any `rest` of its earlier lines.
fn manifest_text(
    others: &[Entry],
    journal: &str,
    written: &[String],
    hashes: &[String],
    rest: &[&Entry],
) -> String {
    let mut text = format!("{MANIFEST_HEADER}\n");
    for e in others.iter().chain(rest.iter().copied()) {
        let _ = writeln!(text, "{}\t{}\t{}", e.journal, e.file, e.hash);
    }
    for (name, hash) in written.iter().zip(hashes) {
        let _ = writeln!(text, "{journal}\t{name}\t{hash}");
    }
    text
}

/// What a name in the directory is to this export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// Nothing there: free.
    Missing,
    /// This journal wrote it and it is unchanged: free to overwrite or remove.
    Ours,
    /// It holds exactly what would be written: writing it changes nothing.
    Same,
    /// This journal wrote it, and someone changed it since.
    Changed,
    /// Another journal's, by its manifest.
    OtherJournal,
    /// Not written by rolo (or not a regular file).
    Foreign,
}

impl Found {
    fn free(self) -> bool {
        matches!(self, Found::Missing | Found::Ours | Found::Same)
    }

    fn why(self) -> &'static str {
        match self {
            Found::Changed => "changed since rolo wrote it",
            Found::OtherJournal => "written by another journal",
            _ => "not written by rolo",
        }
    }
}

/// The directory as this export sees it.
struct Vdir<'a> {
    dir: &'a Path,
    /// The files this journal wrote, and the hash of what it wrote.
    mine: HashMap<String, String>,
    /// Files other journals list.
    others: HashSet<String>,
    /// Every name in the directory, by its lower case (a case-insensitive file system).
    present: HashMap<String, String>,
}

impl Vdir<'_> {
    fn examine(&self, name: &str, content: Option<&str>) -> Found {
        let taken_by_case = self
            .present
            .get(&name.to_lowercase())
            .is_some_and(|actual| actual != name);
        if taken_by_case {
            return Found::Foreign;
        }
        let path = self.dir.join(name);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            return if self.others.contains(name) {
                Found::OtherJournal
            } else {
                Found::Missing
            };
        };
        if !meta.is_file() {
            return Found::Foreign;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            return Found::Foreign;
        };
        if self.mine.get(name) == Some(&sha256(&bytes)) {
            Found::Ours
        } else if self.others.contains(name) {
            Found::OtherJournal
        } else if content.is_some_and(|c| c.as_bytes() == bytes) {
            Found::Same
        } else if self.mine.contains_key(name) {
            Found::Changed
        } else {
            Found::Foreign
        }
    }
}

/// Removes this journal's files that no card went to this time (their contacts are gone),
/// where they are as it wrote them; says which it left alone. A name a card could not take
/// has been said already.
fn remove_gone(
    vdir: &Vdir<'_>,
    mine: &[Entry],
    used: &HashSet<String>,
    left_alone: &mut Vec<LeftAlone>,
) -> Result<Vec<String>> {
    let said: HashSet<String> = left_alone.iter().map(|l| l.file.clone()).collect();
    let mut removed = Vec::new();
    for old in mine
        .iter()
        .filter(|e| !used.contains(&e.file.to_lowercase()) && !said.contains(&e.file))
    {
        let path = vdir.dir.join(&old.file);
        match vdir.examine(&old.file, None) {
            Found::Ours => match std::fs::remove_file(&path) {
                Ok(()) => removed.push(old.file.clone()),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => {
                    return Err(err).with_context(|| format!("cannot remove {}", path.display()));
                }
            },
            Found::Missing => {}
            found => left_alone.push(LeftAlone {
                file: old.file.clone(),
                reason: format!("{}; its contact is gone", found.why()),
            }),
        }
    }
    Ok(removed)
}

/// What a vdir export did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VdirWritten {
    /// The files written, one per contact.
    pub written: Vec<String>,
    /// Files this journal wrote for contacts that are gone.
    pub removed: Vec<String>,
    /// Files in the way of a card, or of contacts that are gone, that were not touched.
    pub left_alone: Vec<LeftAlone>,
    /// Files another journal wrote into the directory (not touched).
    pub other_journals: usize,
}

/// A file the export did not touch, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LeftAlone {
    pub file: String,
    pub reason: String,
}

/// Writes one `.vcf` per live contact into `dir` (a vdir), each atomically; then removes the
/// files this journal wrote earlier for contacts that are gone. A name taken by a file this
/// journal did not write (or that was changed since) goes to the contact's digest name instead.
pub fn vcard_dir(store: &Store, dir: &Path, version: Version) -> Result<VdirWritten> {
    if let Ok(meta) = std::fs::metadata(dir)
        && !meta.is_dir()
    {
        if meta.is_file() {
            bail!("{} is a file, not a directory", dir.display());
        }
        bail!("{} is not a directory", dir.display());
    }
    let contacts = all_contacts(store)?;
    let journal = crate::store::identity::journal_id(store.conn())?;
    // A directory rolo makes for cards is as private as the journal's.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest = dir.join(VDIR_MANIFEST);
    let (entries, legacy) = read_manifest(&manifest);
    let (mut mine, others): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| e.journal == journal);
    let uids: HashSet<&str> = contacts.iter().map(|c| c.uid.as_str()).collect();
    mine.extend(adopt(dir, &legacy, &journal, &uids));
    let present = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .map(|name| (name.to_lowercase(), name))
        .collect();
    let vdir = Vdir {
        dir,
        mine: mine
            .iter()
            .map(|e| (e.file.clone(), e.hash.clone()))
            .collect(),
        others: others.iter().map(|e| e.file.clone()).collect(),
        present,
    };
    let preferred = vdir_names(&contacts);
    let reserved: HashSet<String> = preferred.iter().map(|n| n.to_lowercase()).collect();
    let mut used = HashSet::new();
    let mut written = Vec::new();
    let mut hashes = Vec::new();
    let mut left_alone = Vec::new();
    // The manifest says what is there even when the export stops midway (a full disk):
    // the cards written so far with their new hashes, the rest of this journal's as before.
    let stopped = |written: &[String], hashes: &[String], err: anyhow::Error| {
        let rest: Vec<&Entry> = mine.iter().filter(|e| !written.contains(&e.file)).collect();
        let text = manifest_text(&others, &journal, written, hashes, &rest);
        let _ = write_atomically(&manifest, &text);
        err
    };
    for (contact, wanted) in contacts.iter().zip(&preferred) {
        let card = vcard::write(contact, version);
        let found = vdir.examine(wanted, Some(&card));
        let name = if found.free() {
            wanted.clone()
        } else {
            // Another free name: the digest ones, none that another contact wants.
            let name = (1..1000)
                .map(|n| digest_name(&contact.uid, n))
                .find(|name| {
                    !reserved.contains(&name.to_lowercase())
                        && !used.contains(&name.to_lowercase())
                        && vdir.examine(name, Some(&card)).free()
                })
                .with_context(|| {
                    format!(
                        "no free file name in {} for {}",
                        dir.display(),
                        contact.display_name
                    )
                })?;
            left_alone.push(LeftAlone {
                file: wanted.clone(),
                reason: format!(
                    "{}; {}'s card went to {name}",
                    found.why(),
                    contact.display_name
                ),
            });
            name
        };
        used.insert(name.to_lowercase());
        if let Err(err) = write_atomically(&dir.join(&name), &card) {
            return Err(stopped(&written, &hashes, err));
        }
        hashes.push(sha256(card.as_bytes()));
        written.push(name);
    }
    let removed = match remove_gone(&vdir, &mine, &used, &mut left_alone) {
        Ok(removed) => removed,
        Err(err) => return Err(stopped(&written, &hashes, err)),
    };
    write_atomically(
        &manifest,
        &manifest_text(&others, &journal, &written, &hashes, &[]),
    )?;
    Ok(VdirWritten {
        written,
        removed,
        left_alone,
        other_journals: others.len(),
    })
}
