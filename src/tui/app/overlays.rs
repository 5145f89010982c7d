//! What sits on top of the panes: the quick note, the search, viewers, prompts and forms.

use std::ops::Range;

use chrono::{NaiveDate, NaiveDateTime};

use super::Scroll;
use crate::domain::agenda::AgendaItem;
use crate::domain::contact::{Contact, ContactId, Health};
use crate::domain::interaction::{Interaction, InteractionId};
use crate::domain::names::NameIndex;
use crate::domain::reminder::{Reminder, ReminderId};
use crate::store::trash::Item;
use crate::tui::input::TextInput;

/// `f`: notes and people found by the engine `rolo search` uses (relevance blended with
/// recency), re-read as the query is typed; Enter opens a hit, Esc there comes back here.
#[derive(Debug, Clone, Default)]
pub struct SearchView {
    pub input: TextInput,
    /// The hits for `searched`.
    pub hits: Vec<crate::store::search::Hit>,
    /// The query the hits are for.
    pub searched: String,
    pub scroll: Scroll,
}

/// The live reading of the quick-note line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub summary: String,
    pub kind: String,
    pub people: Vec<String>,
    pub tags: Vec<String>,
    pub follow_up: Option<(NaiveDate, String)>,
    pub at: Option<NaiveDateTime>,
    /// Lines of notes below the capture line.
    pub body_lines: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompletionItem {
    /// Someone in the journal; `label` tells namesakes apart.
    Contact {
        id: ContactId,
        label: String,
    },
    Create {
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The bytes after `@` being completed.
    pub range: Range<usize>,
    pub items: Vec<CompletionItem>,
    /// Nothing is chosen until the user moves in the list (↑ ↓ Tab): Enter alone saves.
    pub selected: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct QuickNote {
    /// The capture line, then the body on the lines after it.
    pub input: TextInput,
    pub preview: Result<Preview, String>,
    pub completion: Option<Completion>,
    /// Logging from a reminder: saving the note completes it.
    pub from_reminder: Option<ReminderId>,
    /// The agenda row it was opened from (`l` on any row): a birthday's is acknowledged by
    /// the save, and the review marks the row "logged".
    pub from_item: Option<AgendaItem>,
    pub names: NameIndex,
    /// Contacts picked as "+ new contact": added when (and only if) the note is saved.
    pub new_people: Vec<String>,
    /// Typed since the draft was last saved.
    pub dirty: bool,
}

#[derive(Debug, Clone)]
pub struct Card {
    pub contact: Contact,
    /// Who introduced you, by name.
    pub introducer: Option<String>,
    pub health: Health,
    pub due: Option<NaiveDate>,
    pub monthly: Vec<u64>,
    pub reminders: Vec<Reminder>,
    pub interaction_count: u64,
    pub scroll: ViewScroll,
    /// Opened from a search: closing goes back to it.
    pub back: Option<Box<SearchView>>,
}

#[derive(Debug, Clone)]
pub struct NoteView {
    pub interaction: Interaction,
    pub scroll: ViewScroll,
    /// Opened from a search: closing goes back to it.
    pub back: Option<Box<SearchView>>,
}

/// A scrolled text whose length only drawing knows (it wraps to the width): drawing records
/// the furthest line it can start at, and keys stay within it — `j` at the end stays at
/// the end, `G` goes there. (ratatui's own stateful widgets hold their offset the same way.)
#[derive(Debug, Clone, Default)]
pub struct ViewScroll {
    pub top: u16,
    max: std::cell::Cell<u16>,
}

impl ViewScroll {
    /// Moves by `delta` lines, within the text.
    pub fn by(&mut self, delta: i32) {
        let max = i32::from(self.max.get());
        let top = i32::from(self.top).min(max) + delta;
        self.top = u16::try_from(top.clamp(0, max)).unwrap_or(0);
    }

    /// To the end, wherever that turns out to be when drawn.
    pub fn to_end(&mut self) {
        self.top = u16::MAX;
    }

    /// For drawing: records that the text can start at most at `max`, and returns the line
    /// to start at.
    pub fn drawn(&self, max: u16) -> u16 {
        self.max.set(max);
        self.top.min(max)
    }
}

/// `?`: every key, by section, scrollable, narrowed by a filter.
#[derive(Debug, Clone, Default)]
pub struct HelpView {
    pub scroll: ViewScroll,
    pub filter: TextInput,
    /// Typing goes to the filter.
    pub filtering: bool,
}

#[derive(Debug, Clone)]
pub struct SnoozePrompt {
    /// The row being put off: a reminder, a cadence, a birthday.
    pub item: AgendaItem,
    pub title: String,
    pub input: TextInput,
    /// Which of [`SNOOZE_PRESETS`] Enter takes when nothing is typed.
    pub preset: usize,
    pub error: Option<String>,
}

/// One-key snoozes, as (date phrase, label).
pub const SNOOZE_PRESETS: [(&str, &str); 3] =
    [("1d", "tomorrow"), ("3d", "in 3 days"), ("1w", "next week")];

/// What a confirmation prompt is about to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmable {
    /// Move a record to the trash.
    Trash(Item),
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub message: String,
    pub action: Confirmable,
}

/// What a form adds or edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    AddContact,
    EditContact(ContactId),
    EditInteraction(InteractionId),
    EditReminder(ReminderId),
}

/// One labelled line of a form, with what it held when the form opened: only the fields
/// the user changed are written back.
#[derive(Debug, Clone)]
pub struct FormField {
    pub label: &'static str,
    pub input: TextInput,
    pub initial: String,
}

impl FormField {
    pub fn new(label: &'static str, initial: &str) -> FormField {
        FormField {
            label,
            input: TextInput::new(initial),
            initial: initial.to_owned(),
        }
    }

    pub fn changed(&self) -> bool {
        self.input.text() != self.initial
    }
}

/// A form of one-line fields: add or edit a contact, edit an interaction or a reminder.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<FormField>,
    pub focus: usize,
    pub error: Option<String>,
    /// Esc on a changed form asks first; this is the question being asked.
    pub confirm_discard: bool,
    /// The question came from Ctrl-C: yes discards and quits.
    pub leaving: bool,
}

impl Form {
    pub fn changed(&self) -> bool {
        self.fields.iter().any(FormField::changed)
    }

    /// The field labelled `label`, if the form has one.
    pub fn field(&self, label: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.label == label)
    }
}

/// `I`: a file's path, then the import's preview (a rehearsal in a rolled-back
/// transaction), where each possible match is settled before anything is written.
#[derive(Debug, Clone)]
pub struct ImportView {
    pub input: TextInput,
    pub error: Option<String>,
    pub preview: Option<ImportPreview>,
}

#[derive(Debug, Clone)]
pub struct ImportPreview {
    pub path: std::path::PathBuf,
    pub report: crate::journal::import::Report,
    /// One per possible match, in the report's order.
    pub choices: Vec<MatchChoice>,
    /// Which possible match Space changes.
    pub selected: usize,
    /// Record the role changes found as milestones (`--apply-changes`).
    pub apply_changes: bool,
}

/// What to do with a possible match: leave it for later (not imported), merge it into one
/// of its candidates, or make a new contact of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchChoice {
    Later,
    Link(usize),
    New,
}

/// What sits on top of the panes, if anything. Only one at a time.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help(Box<HelpView>),
    Search(Box<SearchView>),
    QuickNote(Box<QuickNote>),
    Card(Box<Card>),
    Note(Box<NoteView>),
    Snooze(SnoozePrompt),
    Confirm(Confirm),
    Form(Box<Form>),
    Import(Box<ImportView>),
}
