//! A readable dossier: per contact, the card, open reminders and the timeline, as Markdown
//! that also reads well as plain text.

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
    let mut out = format!("# {}\n\n", c.display_name);
    if let Some(role) = c.role() {
        let _ = writeln!(out, "{role}\n");
    }
    let facts = facts(c, &date_of);
    for (label, value) in &facts {
        let _ = writeln!(out, "- **{label}:** {value}");
    }
    if !facts.is_empty() {
        out.push('\n');
    }
    if let Some(notes) = &c.notes {
        let _ = writeln!(out, "{notes}\n");
    }
    if !reminders.is_empty() {
        out.push_str("## Open reminders\n\n");
        for r in reminders {
            let _ = writeln!(out, "- [ ] {} — {}", r.due_date, r.title);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Timeline\n");
    if timeline.is_empty() {
        out.push_str("Nothing logged yet.\n\n");
    }
    for i in timeline {
        let _ = writeln!(out, "### {} · {}\n", date_of(i.happened_at), i.kind);
        let _ = writeln!(out, "{}\n", i.summary);
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
            let _ = writeln!(out, "*{}*\n", meta.join(" · "));
        }
        if let Some(body) = &i.body {
            let _ = writeln!(out, "{}\n", body.trim_end());
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
        facts.push((capitalise(&label), f.value.clone()));
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
