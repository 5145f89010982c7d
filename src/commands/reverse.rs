//! The command that reverses an edit, printed after it ("undo with: …"): the parts that
//! changed, set back to what they were. The TUI undoes exactly from the records; a shell
//! user gets a line to paste.

use std::collections::BTreeSet;

use crate::clock::Clock;
use crate::domain::contact::{Contact, ContactField};
use crate::domain::fields;
use crate::domain::interaction::Interaction;
use crate::domain::reminder::Reminder;

/// `text` as one shell word: bare when it is made of safe characters, else single-quoted
/// (POSIX: inside single quotes nothing is special; a quote is closed, escaped, reopened).
pub fn shell_word(text: &str) -> String {
    // `#` and `~` are safe inside a word, not at its start (a comment, a home directory).
    let safe = !text.is_empty()
        && !text.starts_with(['#', '~'])
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "@%+=:,./-_#".contains(c));
    if safe {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `rolo edit iN …` putting back what an edit of an interaction changed; `None` when it
/// changed nothing.
pub fn interaction_edit(
    before: &Interaction,
    after: &Interaction,
    clock: &Clock,
) -> Option<String> {
    let mut flags = Vec::new();
    if before.happened_at != after.happened_at {
        let at = clock
            .datetime_of(before.happened_at)
            .format("%Y-%m-%d %H:%M");
        flags.push(format!("--at={}", shell_word(&at.to_string())));
    }
    if before.kind != after.kind {
        flags.push(format!("--kind={}", shell_word(before.kind.as_str())));
    }
    if before.summary != after.summary {
        flags.push(format!("--summary={}", shell_word(&before.summary)));
    }
    for (flag, was, now) in [
        ("--body", &before.body, &after.body),
        ("--location", &before.location, &after.location),
    ] {
        if was != now {
            flags.push(format!(
                "{flag}={}",
                shell_word(was.as_deref().unwrap_or_default())
            ));
        }
    }
    let ids = |i: &Interaction| {
        i.participants
            .iter()
            .map(|p| p.id.0)
            .collect::<BTreeSet<_>>()
    };
    let (was, now) = (ids(before), ids(after));
    flags.extend(was.difference(&now).map(|id| format!("--with @c{id}")));
    flags.extend(now.difference(&was).map(|id| format!("--without @c{id}")));
    tag_flags(&mut flags, &before.tags, &after.tags);
    (!flags.is_empty()).then(|| format!("rolo edit i{} {}", after.id.0, flags.join(" ")))
}

/// `rolo edit rN …` putting back what an edit of a reminder changed; `None` when it changed
/// nothing a flag can set back (reopening is undone with `rolo dismiss` or `rolo done`).
pub fn reminder_edit(before: &Reminder, after: &Reminder) -> Option<String> {
    let mut flags = Vec::new();
    if before.title != after.title {
        flags.push(format!("--title={}", shell_word(&before.title)));
    }
    if before.due_date != after.due_date {
        flags.push(format!("--on {}", before.due_date));
    }
    if before.recurrence != after.recurrence {
        flags.push(match before.recurrence {
            Some(every) => format!("--every {every}"),
            None => "--no-repeat".to_owned(),
        });
    }
    if before.contact != after.contact
        && let Some(id) = before.contact
    {
        flags.push(format!("--for @c{}", id.0));
    }
    (!flags.is_empty()).then(|| format!("rolo edit r{} {}", after.id.0, flags.join(" ")))
}

/// `--flag=VALUE` putting back an optional text (`''` clears it).
fn put_back(flags: &mut Vec<String>, flag: &str, was: Option<&str>, now: Option<&str>) {
    if was != now {
        flags.push(format!("{flag}={}", shell_word(was.unwrap_or_default())));
    }
}

/// `rolo edit cN …` putting back what an edit of a contact changed: names, texts, dates,
/// cadence, introducer, tags, and each labelled field (re-added where it was removed, removed
/// where it was added, relabelled back). `None` when nothing changed. (A re-added field comes
/// back at the end of its kind's list.)
pub fn contact_edit(before: &Contact, after: &Contact) -> Option<String> {
    let mut flags = Vec::new();
    if before.display_name != after.display_name {
        flags.push(format!("--rename={}", shell_word(&before.display_name)));
    }
    if before.name != after.name || before.display_name != after.display_name {
        let (b, a) = (&before.name, &after.name);
        for (flag, was, now) in [
            ("--given", &b.given, &a.given),
            ("--family", &b.family, &a.family),
            ("--additional", &b.additional, &a.additional),
            ("--prefix", &b.prefix, &a.prefix),
            ("--suffix", &b.suffix, &a.suffix),
        ] {
            // After a rename every part is guessed again: state them all.
            if was != now || before.display_name != after.display_name {
                flags.push(format!("{flag}={}", shell_word(was)));
            }
        }
    }
    for (flag, was, now) in [
        ("--nickname", &before.nickname, &after.nickname),
        ("--company", &before.company, &after.company),
        ("--title", &before.title, &after.title),
        ("--met", &before.met.text, &after.met.text),
        ("--note", &before.notes, &after.notes),
    ] {
        put_back(&mut flags, flag, was.as_deref(), now.as_deref());
    }
    for (flag, was, now) in [
        ("--birthday", before.birthday, after.birthday),
        ("--anniversary", before.anniversary, after.anniversary),
    ] {
        let text = |d: Option<crate::domain::when::PartialDate>| d.map(|d| d.to_string());
        put_back(&mut flags, flag, text(was).as_deref(), text(now).as_deref());
    }
    let met_on = |c: &Contact| c.met.date.map(|d| d.to_string());
    put_back(
        &mut flags,
        "--met-on",
        met_on(before).as_deref(),
        met_on(after).as_deref(),
    );
    let by = |c: &Contact| c.met.introduced_by.map(|id| format!("@c{}", id.0));
    put_back(
        &mut flags,
        "--introduced-by",
        by(before).as_deref(),
        by(after).as_deref(),
    );
    if before.cadence != after.cadence {
        flags.push(match before.cadence {
            Some(every) => format!("--every={every}"),
            None => "--no-cadence".to_owned(),
        });
    }
    field_flags(&mut flags, &before.fields, &after.fields);
    tag_flags(&mut flags, &before.tags, &after.tags);
    (!flags.is_empty()).then(|| format!("rolo edit c{} {}", after.id.0, flags.join(" ")))
}

/// `--tag` for each tag the edit took away, `--untag` for each it added.
fn tag_flags(flags: &mut Vec<String>, before: &[String], after: &[String]) {
    let (was, now): (BTreeSet<&String>, BTreeSet<&String>) =
        (before.iter().collect(), after.iter().collect());
    flags.extend(
        was.difference(&now)
            .map(|t| format!("--tag={}", shell_word(t))),
    );
    flags.extend(
        now.difference(&was)
            .map(|t| format!("--untag={}", shell_word(t))),
    );
}

/// The labelled fields' part of [`contact_edit`].
fn field_flags(flags: &mut Vec<String>, before: &[ContactField], after: &[ContactField]) {
    let name = |f: &ContactField| f.kind.as_str().to_owned();
    let same =
        |a: &ContactField, b: &ContactField| a.kind == b.kind && fields::matches(a, &b.value);
    for b in before {
        match after.iter().find(|a| same(a, b)) {
            // Gone, or relabelled: the field as it was (it replaces a relabelled one).
            None => flags.push(format!("--{}={}", name(b), shell_word(&fields::format(b)))),
            Some(a) if a.label != b.label || a.preferred != b.preferred => {
                flags.push(format!("--{}={}", name(b), shell_word(&fields::format(b))));
            }
            Some(_) => {}
        }
    }
    for a in after.iter().filter(|a| !before.iter().any(|b| same(a, b))) {
        flags.push(format!("--remove-{}={}", name(a), shell_word(&a.value)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_only_what_needs_it() {
        assert_eq!(shell_word("2026-11-30"), "2026-11-30");
        assert_eq!(shell_word("@c4"), "@c4");
        assert_eq!(shell_word("lunch with Ada"), "'lunch with Ada'");
        assert_eq!(shell_word("Ada's $HOME"), r"'Ada'\''s $HOME'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(shell_word("#1"), "'#1'");
        assert_eq!(shell_word("C#"), "C#");
    }
}
