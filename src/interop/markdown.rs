//! A readable dossier: per contact, the card, open reminders and the timeline, as Markdown
//! that also reads well as plain text. Everything that came from the data is escaped for
//! CommonMark (a name with `*` or `<b>` is text, never emphasis or HTML); an interaction's
//! body is the user's own Markdown, kept, with its headings moved under their entry.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::domain::contact::Contact;
use crate::domain::interaction::Interaction;
use crate::domain::reminder::Reminder;

/// One contact's section. `date_of` turns an instant into the user's calendar date.
pub fn dossier(
    contact: &Contact,
    reminders: &[Reminder],
    timeline: &[Interaction],
    date_of: impl Fn(chrono::DateTime<chrono::Utc>) -> NaiveDate,
) -> String {
    let c = contact;
    let mut out = format!("# {}\n\n", inline(&c.display_name));
    if let Some(role) = c.role() {
        let _ = writeln!(out, "{}\n", block(&role));
    }
    let facts = facts(c, &date_of);
    for (label, value) in &facts {
        let _ = writeln!(out, "- **{}:** {}", inline(label), inline(value));
    }
    if !facts.is_empty() {
        out.push('\n');
    }
    if let Some(notes) = &c.notes {
        let _ = writeln!(out, "{}\n", block(notes));
    }
    if !reminders.is_empty() {
        out.push_str("## Open reminders\n\n");
        for r in reminders {
            let _ = writeln!(out, "- [ ] {} — {}", r.due_date, inline(&r.title));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Timeline\n");
    if timeline.is_empty() {
        out.push_str("Nothing logged yet.\n\n");
    }
    for i in timeline {
        let _ = writeln!(
            out,
            "### {} · {}\n",
            date_of(i.happened_at),
            inline(i.kind.as_str())
        );
        let _ = writeln!(out, "{}\n", block(&i.summary));
        let others = i.others(Some(c.id));
        let mut meta = Vec::new();
        if !others.is_empty() {
            meta.push(format!("with {}", others.join(", ")));
        }
        if !i.tags.is_empty() {
            meta.push(
                i.tags
                    .iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        if !meta.is_empty() {
            let _ = writeln!(out, "*{}*\n", inline(&meta.join(" · ")));
        }
        if let Some(body) = &i.body {
            let _ = writeln!(out, "{}\n", nest_headings(body.trim_end(), 3));
        }
    }
    out
}

/// The card's labelled facts, in reading order.
fn facts(
    c: &Contact,
    date_of: &impl Fn(chrono::DateTime<chrono::Utc>) -> NaiveDate,
) -> Vec<(String, String)> {
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(nick) = &c.nickname {
        facts.push(("Nickname".into(), nick.clone()));
    }
    for f in &c.fields {
        let label = if f.label.is_empty() {
            f.kind.as_str().to_owned()
        } else {
            format!("{} ({})", f.kind.as_str(), f.label)
        };
        let value = f
            .postal_address()
            .map_or_else(|| f.value.clone(), |a| a.lines().join(", "));
        facts.push((capitalise(&label), value));
    }
    if !c.tags.is_empty() {
        facts.push((
            "Tags".into(),
            c.tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        ));
    }
    if let Some(b) = c.birthday {
        facts.push(("Birthday".into(), b.to_string()));
    }
    if let Some(a) = c.anniversary {
        facts.push(("Anniversary".into(), a.to_string()));
    }
    if let Some(every) = c.cadence {
        let last = c
            .last_interaction_at
            .map_or("never".to_owned(), |t| date_of(t).to_string());
        facts.push((
            "Keep in touch".into(),
            format!("every {every} (last: {last})"),
        ));
    }
    if let Some(met) = &c.met.text {
        let on = c.met.date.map(|d| format!(" ({d})")).unwrap_or_default();
        facts.push(("How we met".into(), format!("{met}{on}")));
    }
    facts
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Text from the data, inside a line: every character CommonMark could read as markup is
/// escaped (emphasis, code, links, images, raw HTML, entities), control characters dropped.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '&' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text from the data as a paragraph: escaped like [`inline`], each line also escaped where a
/// block could start (`#`, `-`, `+`, `=`, `1.`…), indentation dropped (it would make a code
/// block), and line breaks kept (as hard breaks; a blank line stays a new paragraph).
pub fn block(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let line = inline(line.trim_start());
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let starts_block = line.starts_with(['#', '-', '+', '='])
                || (digits > 0 && line[digits..].starts_with(['.', ')']));
            if starts_block {
                if digits > 0 {
                    format!("{}\\{}", &line[..digits], &line[digits..])
                } else {
                    format!("\\{line}")
                }
            } else {
                line
            }
        })
        .collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        out.push_str(line);
        let next_blank = lines.get(n + 1).is_none_or(|l| l.trim().is_empty());
        if n + 1 < lines.len() {
            if !line.trim().is_empty() && !next_blank {
                out.push('\\'); // a hard line break
            }
            out.push('\n');
        }
    }
    out
}

/// The user's Markdown with its ATX headings moved `by` levels down (at most `######`), so
/// that a body's `## Notes` sits under its entry; fenced code is left alone.
pub fn nest_headings(markdown: &str, by: usize) -> String {
    let mut fenced = false;
    markdown
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fenced = !fenced;
                return line.to_owned();
            }
            let level = trimmed.chars().take_while(|c| *c == '#').count();
            let is_heading = !fenced
                && (1..=6).contains(&level)
                && trimmed[level..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
                && line.len() - trimmed.len() < 4;
            if is_heading {
                format!("{}{}", "#".repeat((level + by).min(6)), &trimmed[level..])
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_outside_code() {
        assert_eq!(
            nest_headings("## Notes\ntext\n```\n# not a heading\n```\n#### deep", 3),
            "##### Notes\ntext\n```\n# not a heading\n```\n###### deep"
        );
    }

    #[test]
    fn block_text_keeps_its_lines() {
        assert_eq!(
            block("# not a heading\n1. not a list\n\n    not code"),
            "\\# not a heading\\\n1\\. not a list\n\nnot code"
        );
    }
}
