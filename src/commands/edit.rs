//! `rolo edit TARGET …`: one verb for every record. The flags that apply depend on what
//! TARGET names; a flag that does not apply is a usage error (exit 2), never ignored.

use anyhow::Result;

use super::{Ctx, Target, UsageError, agenda, contacts, notes};
use crate::cli::{ContactFields, InteractionFields, ReminderFields};

/// Everything `edit` was given.
pub struct Edit<'a> {
    pub fields: &'a ContactFields,
    pub interaction: &'a InteractionFields,
    pub reminder: &'a ReminderFields,
    pub rename: Option<&'a str>,
    pub no_cadence: bool,
    pub allow_duplicate: bool,
}

fn given<T>(flag: &'static str, value: Option<&T>) -> Option<&'static str> {
    value.map(|_| flag)
}

fn given_list<T>(flag: &'static str, values: &[T]) -> Option<&'static str> {
    (!values.is_empty()).then_some(flag)
}

/// Flags only a contact takes (`--tag`/`--untag` also suit interactions, `--title` and
/// `--every` reminders).
fn contact_only(e: &Edit<'_>) -> Vec<&'static str> {
    let f = e.fields;
    [
        given_list("--email", &f.email),
        given_list("--phone", &f.phone),
        given_list("--url", &f.url),
        given_list("--handle", &f.handle),
        given_list("--address", &f.address),
        given_list("--remove-email", &f.remove_email),
        given_list("--remove-phone", &f.remove_phone),
        given_list("--remove-url", &f.remove_url),
        given_list("--remove-handle", &f.remove_handle),
        given_list("--remove-address", &f.remove_address),
        given("--company", f.company.as_ref()),
        given("--nickname", f.nickname.as_ref()),
        given("--given", f.given.as_ref()),
        given("--family", f.family.as_ref()),
        given("--additional", f.additional.as_ref()),
        given("--prefix", f.prefix.as_ref()),
        given("--suffix", f.suffix.as_ref()),
        given("--birthday", f.birthday.as_ref()),
        given("--anniversary", f.anniversary.as_ref()),
        given("--met", f.met.as_ref()),
        given("--met-on", f.met_on.as_ref()),
        given("--introduced-by", f.introduced_by.as_ref()),
        given("--note", f.note.as_ref()),
        given("--rename", e.rename.as_ref()),
        e.no_cadence.then_some("--no-cadence"),
        e.allow_duplicate.then_some("--allow-duplicate"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn interaction_only(e: &Edit<'_>) -> Vec<&'static str> {
    let i = e.interaction;
    [
        given("--at", i.at.as_ref()),
        given("--kind", i.kind.as_ref()),
        given_list("--with", &i.with),
        given_list("--without", &i.without),
        given("--summary", i.summary.as_ref()),
        given("--body", i.body.as_ref()),
        given("--location", i.location.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn reminder_only(e: &Edit<'_>) -> Vec<&'static str> {
    let r = e.reminder;
    [
        given("--on", r.on.as_ref()),
        r.no_repeat.then_some("--no-repeat"),
        given("--for", r.for_contact.as_ref()),
        r.reopen.then_some("--reopen"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn refuse(flags: &[&'static str], what: &str) -> Result<()> {
    match flags.first() {
        Some(flag) => Err(UsageError(format!("{flag} does not apply to {what}")).into()),
        None => Ok(()),
    }
}

pub fn edit(ctx: &mut Ctx, target: &str, e: &Edit<'_>) -> Result<()> {
    let f = e.fields;
    match ctx.target(target)? {
        Target::Contact(id) => {
            refuse(&interaction_only(e), "a contact")?;
            refuse(&reminder_only(e), "a contact")?;
            contacts::edit(ctx, id, f, e.rename, e.no_cadence, e.allow_duplicate)
        }
        Target::Interaction(id) => {
            let what = format!("an interaction (i{})", id.0);
            refuse(&contact_only(e), &what)?;
            refuse(&reminder_only(e), &what)?;
            let shared = [
                given("--title", f.title.as_ref()),
                given("--every", f.every.as_ref()),
            ];
            refuse(&shared.into_iter().flatten().collect::<Vec<_>>(), &what)?;
            notes::edit(ctx, id, e.interaction, &f.tag, &f.untag)
        }
        Target::Reminder(id) => {
            let what = format!("a reminder (r{})", id.0);
            refuse(&contact_only(e), &what)?;
            refuse(&interaction_only(e), &what)?;
            refuse(
                &[given_list("--tag", &f.tag), given_list("--untag", &f.untag)]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>(),
                &what,
            )?;
            agenda::edit(ctx, id, e.reminder, f.title.as_deref(), f.every.as_deref())
        }
    }
}
