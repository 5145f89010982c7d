//! `add`, `edit` (of a contact), `show`, `list`, `tag`, `untag`, `archive`.

use std::fmt::Write as _;

use anyhow::{Result, bail};
use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use super::output::{Table, emit};
use super::{Ctx, UsageError};
use crate::cli::{ContactFields, SortArg};
use crate::clock::Clock;
use crate::domain::agenda::{day_heading, relative_day};
use crate::domain::contact::{
    ContactDraft, ContactId, FieldKind, NameParts, Standing, normalize_tag,
};
use crate::domain::fields as domain_fields;
use crate::domain::when::{Every, PartialDate};
use crate::journal::contacts::{self as journal_contacts, DuplicateName, Profile};
use crate::store::contacts::{ListQuery, Sort};
use crate::text::truncate;

/// Applies the flags of `add` / `edit` to a draft. Emails, phones, URLs, handles and
/// addresses given are added, or relabelled when already there; `--remove-…` takes one away;
/// an empty value clears a field. `introduced_by` is `--introduced-by`, already resolved.
fn apply(
    draft: &mut ContactDraft,
    fields: &ContactFields,
    introduced_by: Option<Option<ContactId>>,
) -> Result<()> {
    for (kind, values) in [
        (FieldKind::Email, &fields.email),
        (FieldKind::Phone, &fields.phone),
        (FieldKind::Url, &fields.url),
        (FieldKind::Handle, &fields.handle),
        (FieldKind::Address, &fields.address),
    ] {
        for text in values {
            let field = domain_fields::parse(kind, text)?;
            match draft
                .fields
                .iter_mut()
                .find(|f| f.kind == kind && domain_fields::matches(f, &field.value))
            {
                Some(existing) => *existing = field,
                None => draft.fields.push(field),
            }
        }
    }
    for (kind, values) in [
        (FieldKind::Email, &fields.remove_email),
        (FieldKind::Phone, &fields.remove_phone),
        (FieldKind::Url, &fields.remove_url),
        (FieldKind::Handle, &fields.remove_handle),
        (FieldKind::Address, &fields.remove_address),
    ] {
        for text in values {
            let before = draft.fields.len();
            draft
                .fields
                .retain(|f| f.kind != kind || !domain_fields::matches(f, text));
            if draft.fields.len() == before {
                bail!(
                    "{} has no {} '{text}' (see `rolo show`)",
                    draft.display_name,
                    kind.as_str()
                );
            }
        }
    }
    apply_text(draft, fields, introduced_by)
}

/// The one-value fields of `add` / `edit`: names, texts, tags, cadence and dates.
fn apply_text(
    draft: &mut ContactDraft,
    fields: &ContactFields,
    introduced_by: Option<Option<ContactId>>,
) -> Result<()> {
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    for (slot, value) in [
        (&mut draft.company, &fields.company),
        (&mut draft.title, &fields.title),
        (&mut draft.nickname, &fields.nickname),
        (&mut draft.met.text, &fields.met),
        (&mut draft.notes, &fields.note),
    ] {
        if value.is_some() {
            *slot = text(value);
        }
    }
    let parts = &mut draft.name;
    for (slot, value) in [
        (&mut parts.given, &fields.given),
        (&mut parts.family, &fields.family),
        (&mut parts.additional, &fields.additional),
        (&mut parts.prefix, &fields.prefix),
        (&mut parts.suffix, &fields.suffix),
    ] {
        if let Some(value) = value {
            value.trim().clone_into(slot);
        }
    }
    for tag in &fields.tag {
        let Some(tag) = normalize_tag(tag) else {
            bail!("'{tag}' is not a tag; tags are single words like mentor or rust-meetup")
        };
        if !draft.tags.contains(&tag) {
            draft.tags.push(tag);
        }
    }
    for tag in &fields.untag {
        let tag = normalize_tag(tag).unwrap_or_default();
        draft.tags.retain(|t| *t != tag);
    }
    draft.tags.sort();
    let date = |value: &str| -> Result<Option<PartialDate>> {
        Ok(Some(value.trim())
            .filter(|v| !v.is_empty())
            .map(PartialDate::parse)
            .transpose()?)
    };
    if let Some(every) = &fields.every {
        draft.cadence = text(&Some(every.clone()))
            .map(|e| e.parse::<Every>())
            .transpose()?;
    }
    if let Some(birthday) = &fields.birthday {
        draft.birthday = date(birthday)?;
    }
    if let Some(anniversary) = &fields.anniversary {
        draft.anniversary = date(anniversary)?;
    }
    if let Some(met_on) = &fields.met_on {
        draft.met.date = match date(met_on)? {
            None => None,
            Some(PartialDate {
                year: Some(year),
                month,
                day,
            }) => chrono::NaiveDate::from_ymd_opt(year, month, day),
            Some(_) => bail!("'{met_on}': the day you met needs a year, e.g. 2019-05-04"),
        };
    }
    if let Some(by) = introduced_by {
        draft.met.introduced_by = by;
    }
    Ok(())
}

/// `--introduced-by NAME` as an id (`Some(None)`: '' for nobody).
fn introducer(ctx: &Ctx, fields: &ContactFields) -> Result<Option<Option<ContactId>>> {
    fields
        .introduced_by
        .as_deref()
        .map(|name| {
            let name = name.trim().trim_start_matches('@');
            (!name.is_empty()).then(|| ctx.resolve(name)).transpose()
        })
        .transpose()
}

/// The duplicate rule's message, with the flag that overrides it on the command line.
fn with_hint(err: anyhow::Error) -> anyhow::Error {
    match err.downcast_ref::<DuplicateName>() {
        Some(dup) => anyhow::anyhow!(
            "{dup} — `rolo edit c{}`, or pass --allow-duplicate",
            dup.existing.0
        ),
        None => err,
    }
}

pub fn add(ctx: &mut Ctx, name: &str, fields: &ContactFields, allow_duplicate: bool) -> Result<()> {
    let name = name.trim();
    if name.is_empty() {
        bail!("a contact needs a name");
    }
    let removals = [
        &fields.remove_email,
        &fields.remove_phone,
        &fields.remove_url,
        &fields.remove_handle,
        &fields.remove_address,
        &fields.untag,
    ];
    if removals.iter().any(|r| !r.is_empty()) {
        return Err(UsageError("--remove-… and --untag are for `rolo edit`".into()).into());
    }
    let mut draft = ContactDraft::named(name);
    apply(&mut draft, fields, introducer(ctx, fields)?)?;
    let contact = journal_contacts::add(&mut ctx.store, &ctx.clock, &draft, allow_duplicate)
        .map_err(with_hint)?
        .value;
    emit(ctx.json, &contact, || {
        format!(
            "Added {} (c{}) — undo with: rolo rm c{}\n",
            contact.display_name, contact.id.0, contact.id.0
        )
    })
}

/// `rolo edit NAME|c4 …`.
pub fn edit(
    ctx: &mut Ctx,
    id: ContactId,
    fields: &ContactFields,
    rename: Option<&str>,
    no_cadence: bool,
    allow_duplicate: bool,
) -> Result<()> {
    let introduced_by = introducer(ctx, fields)?;
    let before = crate::store::contacts::get(ctx.store.conn(), id).ok();
    let written =
        journal_contacts::edit(&mut ctx.store, &ctx.clock, id, allow_duplicate, |draft| {
            // The new name's parts are guessed first, so that --given/--family/--suffix win.
            if let Some(new_name) = rename.map(str::trim) {
                if new_name.is_empty() {
                    bail!("the new name is empty");
                }
                draft.name = NameParts::guess(new_name);
                new_name.clone_into(&mut draft.display_name);
            }
            apply(draft, fields, introduced_by)?;
            if no_cadence {
                draft.cadence = None;
            }
            Ok(())
        })
        .map_err(with_hint)?;
    let contact = written.value;
    let undo = before
        .and_then(|b| super::reverse::contact_edit(&b, &contact))
        .map(|cmd| format!("  undo with: {cmd}\n"))
        .unwrap_or_default();
    emit(ctx.json, &contact, || {
        if written.change.is_empty() {
            format!("No change to {} (c{})\n", contact.display_name, id.0)
        } else {
            format!("Updated {} (c{})\n{undo}", contact.display_name, id.0)
        }
    })
}

pub fn show(ctx: &Ctx, name: &str) -> Result<()> {
    const RECENT: usize = 10;
    let id = ctx.resolve(name)?;
    let profile = journal_contacts::profile(&ctx.store, &ctx.clock, id, RECENT)?;
    emit(ctx.json, &profile, || render_card(&profile, &ctx.clock))
}

fn render_card(show: &Profile, clock: &Clock) -> String {
    let today = clock.today();
    let c = &show.contact;
    let mut out = format!(
        "{}  (c{}){}\n",
        c.display_name,
        c.id.0,
        if c.archived { "  [archived]" } else { "" }
    );
    if let Some(role) = c.role() {
        let _ = writeln!(out, "  {role}");
    }
    let mut line = |label: &str, value: String| {
        // A label as wide as the column still gets a space before its value.
        let _ = writeln!(out, "  {label:<13} {value}");
    };
    if let Some(nick) = &c.nickname {
        line("nickname", nick.clone());
    }
    for f in &c.fields {
        let label = match (f.label.is_empty(), f.preferred) {
            (true, false) => f.kind.as_str().to_owned(),
            (true, true) => format!("{} (pref)", f.kind.as_str()),
            (false, false) => format!("{} ({})", f.kind.as_str(), f.label),
            (false, true) => format!("{} ({}, pref)", f.kind.as_str(), f.label),
        };
        line(&label, f.value.clone());
    }
    if !c.tags.is_empty() {
        line(
            "tags",
            c.tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    for (label, date) in [("birthday", c.birthday), ("anniversary", c.anniversary)] {
        if let Some(date) = date {
            let next = date.next_on_or_after(today).map(|n| {
                let age = date
                    .year
                    .map(|y| match label {
                        "birthday" => format!(", turns {}", n.year() - y),
                        _ => format!(", {} years", n.year() - y),
                    })
                    .unwrap_or_default();
                format!(" (next {}{age})", day_heading(n))
            });
            line(label, format!("{date}{}", next.unwrap_or_default()));
        }
    }
    let last = show
        .standing
        .days_since_contact
        .map_or("never".to_owned(), |d| {
            relative_day(today - chrono::Days::new(d.unsigned_abs()), today)
        });
    match (c.cadence, show.standing.stay_in_touch_due) {
        (Some(every), Some(due)) => {
            line(
                "keep in touch",
                format!(
                    "every {every} · last contact {last} · due {} ({})",
                    due,
                    show.standing.health.as_str()
                ),
            );
        }
        _ => line("last contact", last),
    }
    let met = c.met.summary(show.introduced_by_name.as_deref());
    if !met.is_empty() {
        line("met", met);
    }
    if let Some(notes) = &c.notes {
        line("notes", notes.replace('\n', " / "));
    }
    if !show.reminders.is_empty() {
        out.push_str("\nOpen reminders\n");
        for r in &show.reminders {
            let _ = writeln!(out, "  r{:<5} {}  {}", r.id.0, r.due_date, r.title);
        }
    }
    render_activity(&mut out, show, clock);
    out
}

/// The card's lower half: open reminders and the recent timeline.
fn render_activity(out: &mut String, show: &Profile, clock: &Clock) {
    let c = &show.contact;
    let _ = write!(
        out,
        "\nTimeline ({})\n",
        crate::text::plural(
            usize::try_from(show.interaction_count).unwrap_or(usize::MAX),
            "interaction"
        )
    );
    for i in &show.timeline {
        let others = i.others(Some(c.id));
        let with = if others.is_empty() {
            String::new()
        } else {
            format!("  (with {})", others.join(", "))
        };
        let _ = writeln!(
            out,
            "  {:<6} {}  {:<10} {}{with}",
            format!("i{}", i.id.0),
            clock.date_of(i.happened_at),
            i.kind.as_str(),
            truncate(&i.summary, 70)
        );
    }
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: ContactId,
    name: &'a str,
    company: Option<&'a str>,
    title: Option<&'a str>,
    tags: &'a [String],
    cadence: Option<Every>,
    last_interaction_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    standing: Standing,
    archived: bool,
}

pub fn list(
    ctx: &Ctx,
    tag: Option<&str>,
    overdue_only: bool,
    include_archived: bool,
    sort: SortArg,
) -> Result<()> {
    let tag = tag
        .map(|t| normalize_tag(t).ok_or_else(|| anyhow::anyhow!("'{t}' is not a tag")))
        .transpose()?;
    let sort = match sort {
        SortArg::Name => Sort::Name,
        SortArg::Recent => Sort::Recent,
        SortArg::Overdue => Sort::Overdue,
    };
    let query = ListQuery {
        tag: tag.as_deref(),
        include_archived,
        sort,
        ..ListQuery::default()
    };
    let rows = journal_contacts::list(&ctx.store, &ctx.clock, &query, overdue_only)?;
    let listed: Vec<ListRow<'_>> = rows
        .iter()
        .map(|l| ListRow {
            id: l.row.id,
            name: &l.row.display_name,
            company: l.row.company.as_deref(),
            title: l.row.title.as_deref(),
            tags: &l.row.tags,
            cadence: l.row.cadence,
            last_interaction_at: l.row.last_interaction_at,
            standing: l.standing,
            archived: l.row.archived,
        })
        .collect();
    let today = ctx.clock.today();
    emit(ctx.json, &listed, || {
        let mut table = Table::new(&["id", "name", "company", "last contact", "health", "tags"]);
        for r in &listed {
            let last = r.last_interaction_at.map_or("never".to_owned(), |t| {
                relative_day(ctx.clock.date_of(t), today)
            });
            table.row(vec![
                format!("c{}", r.id.0),
                truncate(r.name, 30),
                truncate(r.company.unwrap_or(""), 24),
                last,
                r.standing.health.as_str().to_owned(),
                r.tags
                    .iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ]);
        }
        if table.is_empty() {
            "No contacts.\n".to_owned()
        } else {
            table.render()
        }
    })
}

pub fn tag(ctx: &mut Ctx, name: &str, tags: &[String], add: bool) -> Result<()> {
    let id = ctx.resolve(name)?;
    let tags = tags
        .iter()
        .map(|t| {
            normalize_tag(t).ok_or_else(|| {
                anyhow::anyhow!("'{t}' is not a tag; tags are single words like mentor")
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let before = crate::store::contacts::get(ctx.store.conn(), id)?.tags;
    let (changed, contact) =
        journal_contacts::tag(&mut ctx.store, &ctx.clock, id, &tags, add)?.value;
    emit(ctx.json, &contact, || {
        let verb = if add { "Tagged" } else { "Untagged" };
        let now = if contact.tags.is_empty() {
            "no tags".to_owned()
        } else {
            contact
                .tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // Only the tags this command changed are put back.
        let moved: Vec<&str> = tags
            .iter()
            .filter(|t| before.contains(t) != add)
            .map(String::as_str)
            .collect();
        let undo = if moved.is_empty() {
            String::new()
        } else {
            format!(
                " — undo with: rolo {} c{} {}",
                if add { "untag" } else { "tag" },
                id.0,
                moved.join(" ")
            )
        };
        format!(
            "{verb} {} ({}): {now}{undo}\n",
            contact.display_name,
            crate::text::plural(changed, "change")
        )
    })
}

pub fn archive(ctx: &mut Ctx, name: &str, archived: bool) -> Result<()> {
    let id = ctx.resolve(name)?;
    let contact = journal_contacts::archive(&mut ctx.store, &ctx.clock, id, archived)?.value;
    emit(ctx.json, &contact, || {
        if archived {
            format!(
                "Archived {} (bring back with: rolo archive --undo c{})\n",
                contact.display_name, id.0
            )
        } else {
            format!("Unarchived {}\n", contact.display_name)
        }
    })
}
