//! The add/edit contact form, and the confirmation before a contact goes to the trash.

use crossterm::event::{KeyCode, KeyEvent};

use super::Result;
use crate::domain::contact::{
    Contact, ContactDraft, ContactField, FieldKind, NameParts, normalize_tag,
};
use crate::domain::when::{Every, PartialDate};
use crate::journal::contacts as journal_contacts;
use crate::store::Store;
use crate::store::trash::Item;
use crate::tui::app::{App, Confirm, Confirmable, ContactForm, FORM_FIELDS, Overlay, Undo};
use crate::tui::input::LineInput;

/// `a`: an empty form.
pub(super) fn open_add(app: &mut App) {
    app.overlay = Some(Overlay::Form(Box::new(empty_form())));
}

/// `e`: the selected contact in the form.
pub(super) fn open_edit(app: &mut App, store: &Store) -> Result {
    if let Some(id) = app.selected_contact() {
        let contact = crate::store::contacts::get(store.conn(), id)?;
        app.overlay = Some(Overlay::Form(Box::new(form_for(&contact))));
    }
    Ok(())
}

/// `D`: asks before the selected contact goes to the trash.
pub(super) fn confirm_trash(app: &mut App) {
    if let Some(c) = app.contacts.selected() {
        let message = format!("Move {} to the trash? (y/n)", c.row.display_name);
        app.overlay = Some(Overlay::Confirm(Confirm {
            message,
            action: Confirmable::TrashContact(c.row.id),
        }));
    }
}

fn empty_form() -> ContactForm {
    ContactForm {
        editing: None,
        fields: FORM_FIELDS
            .iter()
            .map(|l| (*l, LineInput::default()))
            .collect(),
        focus: 0,
        error: None,
    }
}

fn form_for(contact: &Contact) -> ContactForm {
    let list = |kind: FieldKind| {
        contact
            .fields
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let values = [
        contact.display_name.clone(),
        contact.company.clone().unwrap_or_default(),
        contact.title.clone().unwrap_or_default(),
        list(FieldKind::Email),
        list(FieldKind::Phone),
        contact.tags.join(" "),
        contact.cadence.map(|c| c.to_string()).unwrap_or_default(),
        contact.birthday.map(|b| b.to_string()).unwrap_or_default(),
        contact.notes.clone().unwrap_or_default(),
    ];
    ContactForm {
        editing: Some(contact.id),
        fields: FORM_FIELDS
            .iter()
            .zip(values)
            .map(|(l, v)| (*l, LineInput::new(&v)))
            .collect(),
        focus: 0,
        error: None,
    }
}

pub(super) fn form_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Form(form)) = &mut app.overlay else {
        return Ok(());
    };
    let len = form.fields.len();
    match key.code {
        KeyCode::Esc => app.overlay = None,
        KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % len,
        KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + len - 1) % len,
        KeyCode::Enter => {
            let form = form.as_ref().clone();
            let saved = if let Some(id) = form.editing {
                journal_contacts::edit(store, &app.clock, id, false, |draft| {
                    apply_form(&form, draft)
                })
            } else {
                let mut draft = ContactDraft::default();
                apply_form(&form, &mut draft)
                    .and_then(|()| journal_contacts::add(store, &app.clock, &draft, false))
            };
            match saved {
                Ok(contact) => {
                    app.overlay = None;
                    app.reload(store)?;
                    app.select_contact(contact.id);
                    app.reload_timeline(store)?;
                    app.info(format!("Saved {}", contact.display_name));
                }
                Err(err) => {
                    if let Some(Overlay::Form(form)) = &mut app.overlay {
                        form.error = Some(format!("{err:#}"));
                    }
                }
            }
        }
        _ => {
            let focus = form.focus;
            form.fields[focus].1.handle(&key);
            form.error = None;
        }
    }
    Ok(())
}

/// Writes what the form holds into `draft`, leaving what the form does not show alone.
fn apply_form(form: &ContactForm, draft: &mut ContactDraft) -> Result {
    let value = |i: usize| form.fields[i].1.text().trim().to_owned();
    let optional = |i: usize| Some(value(i)).filter(|v| !v.is_empty());
    let name = value(0);
    if name.is_empty() {
        anyhow::bail!("a contact needs a name");
    }
    if draft.display_name != name {
        draft.name = NameParts::guess(&name);
        draft.display_name = name;
    }
    draft.company = optional(1);
    draft.title = optional(2);
    let split = |text: String| {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let emails = split(value(3));
    if let Some(bad) = emails.iter().find(|e| !e.contains('@')) {
        anyhow::bail!("'{bad}' is not an email address");
    }
    draft
        .fields
        .retain(|f| !matches!(f.kind, FieldKind::Email | FieldKind::Phone));
    draft.fields.extend(
        emails
            .into_iter()
            .map(|e| ContactField::new(FieldKind::Email, e)),
    );
    draft.fields.extend(
        split(value(4))
            .into_iter()
            .map(|p| ContactField::new(FieldKind::Phone, p)),
    );
    draft.tags = value(5)
        .split([' ', ','])
        .filter(|t| !t.is_empty())
        .map(|t| normalize_tag(t).ok_or_else(|| anyhow::anyhow!("'{t}' is not a tag")))
        .collect::<Result<_>>()?;
    draft.tags.sort();
    draft.tags.dedup();
    draft.cadence = optional(6).map(|e| e.parse::<Every>()).transpose()?;
    draft.birthday = optional(7).map(|b| PartialDate::parse(&b)).transpose()?;
    draft.notes = optional(8);
    Ok(())
}

pub(super) fn confirm_key(app: &mut App, store: &mut Store, key: KeyEvent) -> Result {
    let Some(Overlay::Confirm(confirm)) = &app.overlay else {
        return Ok(());
    };
    let action = confirm.action;
    match key.code {
        KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
            app.overlay = None;
            match action {
                Confirmable::TrashContact(id) => {
                    journal_contacts::trash(store, &app.clock, id)?;
                    app.undo.push(Undo::Trashed(Item::Contact(id.0)));
                    app.reload(store)?;
                    app.info("Moved to the trash (u to undo)");
                }
            }
        }
        KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => app.overlay = None,
        _ => {}
    }
    Ok(())
}
