//! Forms: add or edit a contact, correct an interaction or a reminder — and the yes/no
//! question before something goes to the trash. A form writes back only the fields the user
//! changed, onto the record as it is when saved: what it does not show, what the user did
//! not touch, and what someone else changed meanwhile all stay exactly as they are.

use anyhow::{Context, bail};
use crossterm::event::{KeyCode, KeyEvent};

use super::Result;
use crate::domain::contact::{
    Contact, ContactDraft, ContactId, FieldKind, NameParts, normalize_tag,
};
use crate::domain::fields as domain_fields;
use crate::domain::interaction::{Interaction, InteractionId, Kind};
use crate::domain::reminder::Reminder;
use crate::domain::when::{self, Direction, Every, PartialDate};
use crate::journal::interactions::InteractionEdit;
use crate::journal::reminders::ReminderEdit;
use crate::journal::undo::Change;
use crate::journal::{
    contacts as journal_contacts, interactions as journal_interactions, maintenance,
    reminders as journal_reminders,
};
use crate::store::trash::Item;
use crate::store::{Store, contacts, interactions};
use crate::tui::app::{App, Confirm, Confirmable, Form, FormField, FormKind, Overlay};

/// How a newline shows in a one-line field (a note or a body may have several lines).
const NEWLINE: char = '⏎';

fn one_line(text: &str) -> String {
    text.replace('\n', &NEWLINE.to_string())
}

fn lines(text: &str) -> String {
    text.replace(NEWLINE, "\n")
}

fn form(kind: FormKind, fields: Vec<FormField>) -> Overlay {
    Overlay::Form(Box::new(Form {
        kind,
        fields,
        focus: 0,
        error: None,
        confirm_discard: false,
        leaving: false,
    }))
}

// --- contacts -----------------------------------------------------------------------------

/// The contact form's fields, in order. Lists use the `LABEL=value | …` form of
/// `domain::fields`.
fn contact_fields(c: Option<&Contact>, introducer: Option<String>) -> Vec<FormField> {
    let text = |f: &dyn Fn(&Contact) -> Option<String>| c.and_then(f).unwrap_or_default();
    let list = |kind: FieldKind| {
        c.map(|c| {
            let of_kind: Vec<_> = c.fields.iter().filter(|f| f.kind == kind).collect();
            domain_fields::format_list(&of_kind)
        })
        .unwrap_or_default()
    };
    vec![
        FormField::new("Name", &text(&|c| Some(c.display_name.clone()))),
        FormField::new("Nickname", &text(&|c| c.nickname.clone())),
        FormField::new("Company", &text(&|c| c.company.clone())),
        FormField::new("Title", &text(&|c| c.title.clone())),
        FormField::new("Emails", &list(FieldKind::Email)),
        FormField::new("Phones", &list(FieldKind::Phone)),
        FormField::new("URLs", &list(FieldKind::Url)),
        FormField::new("Handles", &list(FieldKind::Handle)),
        FormField::new("Addresses", &list(FieldKind::Address)),
        FormField::new(
            "Tags",
            &text(&|c| {
                Some(
                    c.tags
                        .iter()
                        .map(|t| format!("#{t}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }),
        ),
        FormField::new(
            "Keep in touch",
            &text(&|c| c.cadence.map(|e| e.to_string())),
        ),
        FormField::new("Birthday", &text(&|c| c.birthday.map(|d| d.to_string()))),
        FormField::new(
            "Anniversary",
            &text(&|c| c.anniversary.map(|d| d.to_string())),
        ),
        FormField::new(
            "How we met",
            &text(&|c| c.met.text.as_deref().map(one_line)),
        ),
        FormField::new("Met on", &text(&|c| c.met.date.map(|d| d.to_string()))),
        FormField::new("Introduced by", &introducer.unwrap_or_default()),
        FormField::new("Notes", &text(&|c| c.notes.as_deref().map(one_line))),
    ]
}

/// `a`: an empty contact form.
pub(super) fn open_add(app: &mut App) {
    app.overlay = Some(form(FormKind::AddContact, contact_fields(None, None)));
}

/// `e` on a contact.
pub(super) fn open_edit_contact(app: &mut App, store: &Store) -> Result {
    match app.selected_contact() {
        Some(id) => edit_contact(app, store, id),
        None => Ok(()),
    }
}

/// The form of contact `id`.
pub(super) fn edit_contact(app: &mut App, store: &Store, id: ContactId) -> Result {
    {
        let contact = contacts::get(store.conn(), id)?;
        let introducer = contact
            .met
            .introduced_by
            .and_then(|by| contacts::get(store.conn(), by).ok())
            .map(|c| format!("{} (c{})", c.display_name, c.id.0));
        app.overlay = Some(form(
            FormKind::EditContact(id),
            contact_fields(Some(&contact), introducer),
        ));
    }
    Ok(())
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn partial_date(text: &str) -> Result<Option<PartialDate>> {
    Ok(optional(text).map(|t| PartialDate::parse(&t)).transpose()?)
}

/// Writes the changed fields of a contact form into `draft`; `introducer` resolves a name.
fn apply_contact(
    form: &Form,
    draft: &mut ContactDraft,
    introducer: &dyn Fn(&str) -> Result<crate::domain::contact::ContactId>,
) -> Result {
    for field in form.fields.iter().filter(|f| f.changed()) {
        let value = field.input.text().trim();
        match field.label {
            "Name" => {
                if value.is_empty() {
                    bail!("a contact needs a name");
                }
                draft.name = NameParts::guess(value);
                value.clone_into(&mut draft.display_name);
            }
            "Nickname" => draft.nickname = optional(value),
            "Company" => draft.company = optional(value),
            "Title" => draft.title = optional(value),
            "Emails" | "Phones" | "URLs" | "Handles" | "Addresses" => {
                let kind = match field.label {
                    "Emails" => FieldKind::Email,
                    "Phones" => FieldKind::Phone,
                    "URLs" => FieldKind::Url,
                    "Handles" => FieldKind::Handle,
                    _ => FieldKind::Address,
                };
                let new = domain_fields::parse_list(kind, value)?;
                // The new list takes the place of the old one, other kinds keep theirs.
                let at = draft
                    .fields
                    .iter()
                    .position(|f| f.kind == kind)
                    .unwrap_or(draft.fields.len());
                draft.fields.retain(|f| f.kind != kind);
                let at = at.min(draft.fields.len());
                draft.fields.splice(at..at, new);
            }
            "Tags" => {
                let mut tags = value
                    .split([' ', ','])
                    .filter(|t| !t.is_empty())
                    .map(|t| normalize_tag(t).with_context(|| format!("'{t}' is not a tag")))
                    .collect::<Result<Vec<_>>>()?;
                tags.sort();
                tags.dedup();
                draft.tags = tags;
            }
            "Keep in touch" => {
                draft.cadence = optional(value).map(|e| e.parse::<Every>()).transpose()?;
            }
            "Birthday" => draft.birthday = partial_date(value)?,
            "Anniversary" => draft.anniversary = partial_date(value)?,
            "How we met" => draft.met.text = optional(&lines(value)),
            "Met on" => {
                draft.met.date = match partial_date(value)? {
                    None => None,
                    Some(PartialDate {
                        year: Some(y),
                        month,
                        day,
                    }) => chrono::NaiveDate::from_ymd_opt(y, month, day),
                    Some(_) => bail!("the day you met needs a year, e.g. 2019-05-04"),
                };
            }
            "Introduced by" => {
                // "Ada Lovelace (c4)" as the form showed it, or a name or id typed.
                let name = value
                    .rsplit_once(" (c")
                    .and_then(|(_, id)| id.strip_suffix(')'))
                    .map_or_else(|| value.to_owned(), |id| format!("c{id}"));
                draft.met.introduced_by = optional(&name).map(|n| introducer(&n)).transpose()?;
            }
            "Notes" => draft.notes = optional(&lines(value)),
            _ => {}
        }
    }
    Ok(())
}

fn save_contact(app: &mut App, store: &mut Store, form: &Form) -> Result<Option<Change>> {
    let names = crate::store::contacts::name_candidates(store.conn())?;
    let introducer = |n: &str| journal_contacts::resolve_among(&names, n);
    let written = if let FormKind::EditContact(id) = form.kind {
        journal_contacts::edit(store, &app.clock, id, false, |draft| {
            apply_contact(form, draft, &introducer)
        })?
    } else {
        let mut draft = ContactDraft::default();
        apply_contact(form, &mut draft, &introducer)?;
        journal_contacts::add(store, &app.clock, &draft, false)?
    };
    app.reload(store)?;
    app.select_contact(written.value.id);
    app.reload_timeline(store)?;
    Ok(Some(written.change))
}

// --- interactions -------------------------------------------------------------------------

/// `e` on a timeline row.
pub(super) fn open_edit_interaction(app: &mut App, store: &Store) -> Result {
    match app.timeline.rows.get(app.timeline.scroll.selected) {
        Some(row) => edit_interaction(app, store, row.id),
        None => Ok(()),
    }
}

/// The form of interaction `id`.
pub(super) fn edit_interaction(app: &mut App, store: &Store, id: InteractionId) -> Result {
    let i = interactions::get(store.conn(), id)?;
    let when = app
        .clock
        .datetime_of(i.happened_at)
        .format("%Y-%m-%d %H:%M");
    let fields = vec![
        FormField::new("When", &when.to_string()),
        FormField::new("Kind", i.kind.as_str()),
        FormField::new("With", &people_text(&i)),
        FormField::new(
            "Tags",
            &i.tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        FormField::new("Location", i.location.as_deref().unwrap_or_default()),
        FormField::new("Summary", &i.summary),
        FormField::new("Body", &one_line(i.body.as_deref().unwrap_or_default())),
    ];
    app.overlay = Some(form(FormKind::EditInteraction(i.id), fields));
    Ok(())
}

/// Participants as the form shows them: names with ids, `;`-separated.
fn people_text(i: &Interaction) -> String {
    i.participants
        .iter()
        .map(|p| format!("{} (c{})", p.name, p.id.0))
        .collect::<Vec<_>>()
        .join("; ")
}

fn save_interaction(app: &mut App, store: &mut Store, form: &Form) -> Result<Option<Change>> {
    let FormKind::EditInteraction(id) = form.kind else {
        return Ok(None);
    };
    let current = interactions::get(store.conn(), id)?;
    let mut edit = InteractionEdit::default();
    let names = crate::store::contacts::name_candidates(store.conn())?;
    for field in form.fields.iter().filter(|f| f.changed()) {
        let value = field.input.text().trim();
        match field.label {
            "When" => {
                let local = when::parse_moment(value, app.clock.local_now(), Direction::Past)?;
                edit.happened_at = Some(app.clock.instant_of(local)?);
            }
            "Kind" => edit.kind = Some(Kind::parse(value)),
            "With" => {
                let wanted = value
                    .split(';')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(|n| {
                        let n = n
                            .rsplit_once(" (c")
                            .and_then(|(_, id)| id.strip_suffix(')'))
                            .map_or_else(
                                || n.trim_start_matches('@').to_owned(),
                                |id| format!("c{id}"),
                            );
                        journal_contacts::resolve_among(&names, &n)
                    })
                    .collect::<Result<Vec<_>>>()?;
                let had: Vec<_> = current.participants.iter().map(|p| p.id).collect();
                edit.with = wanted
                    .iter()
                    .filter(|w| !had.contains(w))
                    .copied()
                    .collect();
                edit.without = had
                    .iter()
                    .filter(|h| !wanted.contains(h))
                    .copied()
                    .collect();
            }
            "Tags" => {
                let wanted: Vec<String> = value
                    .split([' ', ','])
                    .filter(|t| !t.is_empty())
                    .map(|t| normalize_tag(t).with_context(|| format!("'{t}' is not a tag")))
                    .collect::<Result<_>>()?;
                edit.tag.clone_from(&wanted);
                edit.untag = current
                    .tags
                    .iter()
                    .filter(|t| !wanted.contains(t))
                    .cloned()
                    .collect();
            }
            "Location" => edit.location = Some(optional(value)),
            "Summary" => edit.summary = Some(value.to_owned()),
            "Body" => edit.body = Some(optional(&lines(value))),
            _ => {}
        }
    }
    let written = journal_interactions::edit(store, &app.clock, id, &edit)?;
    app.reload(store)?;
    Ok(Some(written.change))
}

// --- reminders ----------------------------------------------------------------------------

/// `e` on a reminder row (stay-in-touch and dates are edited on the contact).
pub(super) fn open_edit_reminder(app: &mut App, r: &Reminder) {
    let fields = vec![
        FormField::new("Title", &r.title),
        FormField::new("Due", &r.due_date.to_string()),
        FormField::new(
            "Repeat",
            &r.recurrence.map(|e| e.to_string()).unwrap_or_default(),
        ),
        FormField::new(
            "For",
            &r.contact
                .zip(r.contact_name.as_deref())
                .map(|(id, n)| format!("{n} (c{})", id.0))
                .unwrap_or_default(),
        ),
    ];
    app.overlay = Some(form(FormKind::EditReminder(r.id), fields));
}

fn save_reminder(app: &mut App, store: &mut Store, form: &Form) -> Result<Option<Change>> {
    let FormKind::EditReminder(id) = form.kind else {
        return Ok(None);
    };
    let names = crate::store::contacts::name_candidates(store.conn())?;
    let mut edit = ReminderEdit::default();
    for field in form.fields.iter().filter(|f| f.changed()) {
        let value = field.input.text().trim();
        match field.label {
            "Title" => edit.title = Some(value.to_owned()),
            "Due" => {
                edit.due_date = Some(when::parse_date(value, app.today, Direction::Future)?);
            }
            "Repeat" => {
                edit.recurrence = Some(optional(value).map(|e| e.parse::<Every>()).transpose()?);
            }
            "For" => {
                let name = value
                    .rsplit_once(" (c")
                    .and_then(|(_, id)| id.strip_suffix(')'))
                    .map_or_else(
                        || value.trim_start_matches('@').to_owned(),
                        |id| format!("c{id}"),
                    );
                edit.contact = Some(
                    optional(&name)
                        .map(|n| journal_contacts::resolve_among(&names, &n))
                        .transpose()?,
                );
            }
            _ => {}
        }
    }
    let written = journal_reminders::edit(store, &app.clock, id, &edit)?;
    app.reload(store)?;
    Ok(Some(written.change))
}

// --- keys ---------------------------------------------------------------------------------

/// Pasted text goes into the focused field (line breaks kept as ⏎ where a field can hold
/// several lines, spaces elsewhere); it never saves the form.
pub(super) fn paste(app: &mut App, text: &str) {
    if let Some(Overlay::Form(form)) = &mut app.overlay
        && let Some(field) = form.fields.get_mut(form.focus)
    {
        let text = if matches!(field.label, "Notes" | "Body" | "How we met") {
            one_line(&text.replace("\r\n", "\n"))
        } else {
            text.to_owned()
        };
        field.input.insert_str(&text);
        form.error = None;
        form.confirm_discard = false;
    }
}

pub(super) fn form_key(app: &mut App, store: &mut Store, key: KeyEvent) {
    let Some(Overlay::Form(form)) = &mut app.overlay else {
        return;
    };
    if form.confirm_discard {
        if let KeyCode::Char('y' | 'Y') = key.code {
            if form.leaving {
                app.quit = true;
            }
            app.overlay = None;
        } else {
            form.confirm_discard = false;
            form.leaving = false;
        }
        return;
    }
    let len = form.fields.len();
    match key.code {
        KeyCode::Esc if form.changed() => form.confirm_discard = true,
        KeyCode::Esc => app.overlay = None,
        KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % len,
        KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + len - 1) % len,
        KeyCode::Enter => {
            let form = form.as_ref().clone();
            if !form.changed() {
                app.overlay = None;
                app.info("No changes");
                return;
            }
            let saved = match form.kind {
                FormKind::AddContact | FormKind::EditContact(_) => save_contact(app, store, &form),
                FormKind::EditInteraction(_) => save_interaction(app, store, &form),
                FormKind::EditReminder(_) => save_reminder(app, store, &form),
            };
            match saved {
                Ok(change) => {
                    app.overlay = None;
                    if let Some(change) = change {
                        app.info(format!("Saved: {} (u to undo)", change.what));
                        app.record(change);
                    }
                }
                Err(err) => {
                    if let Some(Overlay::Form(open)) = &mut app.overlay {
                        open.error = Some(format!("{err:#}"));
                    }
                }
            }
        }
        _ => {
            let focus = form.focus;
            form.fields[focus].input.handle(&key);
            form.error = None;
        }
    }
}

// --- trash --------------------------------------------------------------------------------

/// Asks before `item` (named `name`) goes to the trash. Enter means no.
pub(super) fn confirm_trash(app: &mut App, item: Item, name: &str) {
    app.overlay = Some(Overlay::Confirm(Confirm {
        message: format!(
            "Move '{}' to the trash? (y/N)",
            crate::text::truncate(name, 40)
        ),
        action: Confirmable::Trash(item),
    }));
}

pub(super) fn confirm_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        return Ok(());
    };
    let action = confirm.action;
    app.overlay = None;
    if let KeyCode::Char('y' | 'Y') = key.code {
        match action {
            Confirmable::Trash(item) => {
                let written = maintenance::trash(store, &app.clock, item)?;
                app.reload(store)?;
                app.info(format!("{} (u to undo)", capitalised(&written.change.what)));
                app.record(written.change);
            }
        }
    } else {
        app.info("Nothing was deleted");
    }
    Ok(())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}
