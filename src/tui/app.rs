//! The TUI's state: plain data that `update` changes and `ui` draws. Loading from the store
//! happens here too, always through `&Store` and always a page at a time.

use std::ops::Range;

use chrono::{NaiveDate, NaiveDateTime};

use super::input::TextInput;
use super::keymap::{Keymap, Section};
use super::theme::Theme;
use crate::clock::Clock;
use crate::domain::agenda::{Agenda, AgendaItem, ItemKey};
use crate::domain::contact::{Contact, ContactId, Health, Standing};
use crate::domain::interaction::{Interaction, InteractionId};
use crate::domain::names::NameIndex;
use crate::domain::reminder::{Reminder, ReminderId};
use crate::journal;
use crate::journal::agenda as journal_agenda;
use crate::journal::drafts::Session;
use crate::journal::undo::Change;
use crate::store::contacts::{self, ContactRow, ListQuery, Sort};
use crate::store::interactions::{self, Cursor, TimelineQuery};
use crate::store::trash::Item;
use crate::store::{self, Store, marks};

/// How many timeline rows one load brings; more come as the selection nears the end.
pub const TIMELINE_PAGE: usize = 50;
/// How many hits a search in the TUI reads: more than a screen holds.
pub const SEARCH_HITS: usize = 50;
/// How far ahead the reminders pane looks ("Later").
pub const REMINDER_HORIZON_DAYS: u32 = 60;
/// How many agenda rows the reminders pane loads at first, and how many more each time the
/// selection nears the end of them: a pane shows a screenful, not thousands of follow-ups.
pub const REMINDERS_PAGE: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Contacts,
    Timeline,
    Reminders,
}

impl Focus {
    pub const ALL: [Focus; 3] = [Focus::Contacts, Focus::Timeline, Focus::Reminders];

    pub fn title(self) -> &'static str {
        match self {
            Focus::Contacts => "Contacts",
            Focus::Timeline => "Timeline",
            Focus::Reminders => "Reminders",
        }
    }

    pub fn section(self) -> Section {
        match self {
            Focus::Contacts => Section::Contacts,
            Focus::Timeline => Section::Timeline,
            Focus::Reminders => Section::Reminders,
        }
    }
}

/// A scrolling list position: the selected row and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub selected: usize,
    pub offset: usize,
}

impl Scroll {
    /// Moves by `delta` within `len` rows, keeping the selection inside a `height`-row window.
    pub fn step(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = Scroll::default();
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(len - 1);
        self.follow(len, height);
    }

    pub fn select(&mut self, index: usize, len: usize, height: usize) {
        self.selected = index.min(len.saturating_sub(1));
        self.follow(len, height);
    }

    /// Adjusts the offset so the selection is visible.
    pub fn follow(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height.min(len)));
    }
}

/// One contact row with its health, computed for today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactLine {
    pub row: ContactRow,
    pub due: Option<NaiveDate>,
    pub health: Health,
    pub days_since: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactsPane {
    /// Everyone in the list (or, before the first frame, only its first rows).
    pub all: Vec<ContactLine>,
    /// How many the list has: `all.len()` once everyone is loaded.
    pub total: usize,
    /// Only the first rows are loaded (for the first frame); the rest come right after it.
    pub partial: bool,
    /// Indexes into `all` that pass the filter, in display order.
    pub visible: Vec<usize>,
    pub scroll: Scroll,
    pub sort: Sort,
    pub filter: TextInput,
    pub filtering: bool,
}

impl ContactsPane {
    /// The filter line shows while typing and while a filter is in force.
    pub fn filter_shown(&self) -> bool {
        self.filtering || !self.filter.text().is_empty()
    }

    pub fn selected(&self) -> Option<&ContactLine> {
        self.visible
            .get(self.scroll.selected)
            .map(|&i| &self.all[i])
    }
}

#[derive(Debug, Clone, Default)]
pub struct TimelinePane {
    pub everyone: bool,
    /// Whose timeline is loaded (`None`: everyone's).
    pub contact: Option<ContactId>,
    pub rows: Vec<Interaction>,
    pub exhausted: bool,
    pub scroll: Scroll,
    /// `/` in the timeline: a kind and #tags narrow it ("milestone #mentoring").
    pub filter: TextInput,
    pub filtering: bool,
    /// The filter as last read whole (what the rows are narrowed by).
    pub narrowed: TimelineFilter,
    /// Why the filter as typed cannot be read; the rows keep the last good filter.
    pub filter_error: Option<String>,
}

impl TimelinePane {
    /// The filter line shows while typing and while a filter is in force.
    pub fn filter_shown(&self) -> bool {
        self.filtering || !self.filter.text().is_empty()
    }
}

/// What the timeline is narrowed to: one kind, and tags every row must have.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    /// A kind as stored (`milestone`, `meal`, …).
    pub kind: Option<String>,
    pub tags: Vec<String>,
}

impl TimelineFilter {
    /// Reads `milestone #mentoring`: at most one kind (any word that is not a #tag, as
    /// `rolo timeline --kind` reads it) and any number of #tags, as the capture line
    /// writes them.
    pub fn parse(text: &str) -> Result<TimelineFilter, String> {
        let mut filter = TimelineFilter::default();
        for word in text.split_whitespace() {
            if let Some(tag) = word.strip_prefix('#') {
                let tag = crate::domain::contact::normalize_tag(tag)
                    .ok_or_else(|| format!("'{word}' is not a tag: #word"))?;
                if !filter.tags.contains(&tag) {
                    filter.tags.push(tag);
                }
            } else if filter.kind.is_some() {
                return Err(format!(
                    "one kind at a time ('{word}'): a kind and #tags, e.g. milestone #mentoring"
                ));
            } else {
                filter.kind = Some(kind_named(word));
            }
        }
        Ok(filter)
    }

    pub fn is_empty(&self) -> bool {
        self.kind.is_none() && self.tags.is_empty()
    }
}

/// The kind a filter word names, as stored: a kind's name or a word for it (`lunch` is a
/// meal), else the start of exactly one kind's name (`mile`: the filter follows typing),
/// else the word itself (a kind of the user's own).
fn kind_named(word: &str) -> String {
    use crate::domain::interaction::Kind;
    match Kind::parse(word) {
        Kind::Other(other) => {
            let mut starting = Kind::KNOWN
                .iter()
                .filter(|k| k.as_str().starts_with(other.as_str()));
            match (starting.next(), starting.next()) {
                (Some(kind), None) => kind.as_str().to_owned(),
                _ => other,
            }
        }
        kind => kind.as_str().to_owned(),
    }
}

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

#[derive(Debug, Clone, Default)]
pub struct RemindersPane {
    /// The first rows of the agenda (more are loaded as the selection moves down).
    pub items: Vec<AgendaItem>,
    /// How many rows the agenda has in all, and how many of them are overdue.
    pub total: usize,
    pub overdue: usize,
    pub scroll: Scroll,
    /// A row just dealt with (done, dismissed, snoozed), kept in its place and marked until
    /// the cursor moves: a repeated key lands on it, not on the row that moved up — one
    /// press, one record.
    pub settled: Option<Settled>,
}

/// A row dealt with: where it sits, what it was, and what was done to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub row: usize,
    pub item: AgendaItem,
    pub what: String,
}

impl RemindersPane {
    /// Whether row `row` is the settled one.
    pub fn is_settled(&self, row: usize) -> Option<&Settled> {
        self.settled.as_ref().filter(|s| s.row == row)
    }

    /// Marks the selected row as dealt with (it stays where it is until the cursor moves).
    pub fn settle(&mut self, what: String) {
        if let Some(item) = self.items.get(self.scroll.selected).cloned() {
            self.settled = Some(Settled {
                row: self.scroll.selected,
                item,
                what,
            });
        }
    }

    /// Takes the settled row out (the cursor moved on), keeping the selection on the row
    /// it was on.
    pub fn unsettle(&mut self) {
        if let Some(settled) = self.settled.take()
            && settled.row < self.items.len()
        {
            self.items.remove(settled.row);
            if self.scroll.selected > settled.row {
                self.scroll.selected -= 1;
            }
        }
    }
}

/// A sync started from the TUI: asked for by `update`, started by the event loop (which owns
/// the threads), running until its result comes back as a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncState {
    #[default]
    Idle,
    Requested,
    Running,
}

/// "synced 5m ago · 1 conflict", "not synced yet"; empty when sync is not set up (or its
/// state cannot be read: the status bar is no place for that error).
fn sync_label(store: &Store, clock: &Clock) -> String {
    let Ok(brief) = journal::sync::brief(store) else {
        return String::new();
    };
    if !brief.configured {
        return String::new();
    }
    let mut label = match brief.last_sync_at {
        Some(at) => {
            let minutes = (clock.now - at).num_minutes().max(0);
            match minutes {
                0 => "synced just now".to_owned(),
                1..60 => format!("synced {minutes}m ago"),
                60..1440 => format!("synced {}h ago", minutes / 60),
                _ => format!("synced {}d ago", minutes / 1440),
            }
        }
        None => "not synced yet".to_owned(),
    };
    if brief.open_conflicts > 0 {
        label = format!(
            "{label} · {}",
            crate::text::plural(brief.open_conflicts, "conflict")
        );
    }
    label
}

/// The weekly review: the week's rows in the order first shown. A row dealt with (here or
/// elsewhere) stays in its place, marked, so the review shows progress ("3 of 9 handled")
/// and a repeated key never lands on the next row.
#[derive(Debug, Clone)]
pub struct Review {
    pub week_start: NaiveDate,
    pub agenda: Agenda,
    pub rows: Vec<ReviewRow>,
    pub scroll: Scroll,
}

#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub row: journal::review::Row,
    /// What was done about it ("done", "snoozed to Fri 4 Dec"); `None` while it is open.
    pub handled: Option<String>,
}

impl Review {
    /// The selected row, if it is still open.
    pub fn selected_open(&self) -> Option<&AgendaItem> {
        self.rows
            .get(self.scroll.selected)
            .filter(|r| r.handled.is_none())
            .map(|r| &r.row.item)
    }

    /// Rows dealt with, and all rows.
    pub fn progress(&self) -> (usize, usize) {
        let handled = self.rows.iter().filter(|r| r.handled.is_some()).count();
        (handled, self.rows.len())
    }

    /// Notes what was done about the row with `key`, before the reload that shows it.
    pub fn handle(&mut self, key: ItemKey, what: String) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.row.item.key == key) {
            row.handled = Some(what);
        }
    }

    /// Takes in a fresh reading of the week: open rows are updated in place, rows gone
    /// from it are handled ("handled elsewhere" unless this window did it), new rows join
    /// at the end; an undone row opens again.
    fn refresh(&mut self, fresh: journal::review::Review) {
        let mut fresh_rows = fresh.rows;
        for row in &mut self.rows {
            match fresh_rows
                .iter()
                .position(|f| f.item.key == row.row.item.key)
            {
                // Still open this week (maybe moved by a snooze, or undone).
                Some(i) => {
                    row.row = fresh_rows.remove(i);
                    row.handled = None;
                }
                None => {
                    row.handled.get_or_insert_with(|| "handled".to_owned());
                }
            }
        }
        self.rows.extend(
            fresh_rows
                .into_iter()
                .map(|row| ReviewRow { row, handled: None }),
        );
        self.agenda = fresh.agenda;
    }
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Now and the user's zone, moved on by every tick.
    pub clock: Clock,
    /// The clock's calendar date at the last load.
    pub today: NaiveDate,
    /// Terminal size, for layout and page sizes.
    pub size: (u16, u16),
    pub focus: Focus,
    pub contacts: ContactsPane,
    pub timeline: TimelinePane,
    pub reminders: RemindersPane,
    pub review: Option<Review>,
    /// Weeks reviewed earlier in this session, put aside with what was handled in them: going
    /// back to one (or reopening the review) shows its progress, not a fresh list.
    pub reviewed: Vec<Review>,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    /// What `u` takes back, newest last.
    pub undo: Vec<Change>,
    /// What `U` does again, newest last; emptied by any new change.
    pub redo: Vec<Change>,
    pub quit: bool,
    /// Set by `update` (ctrl-z), performed by the event loop.
    pub suspend: bool,
    /// `PRAGMA data_version` at the last load: a change means another process wrote.
    pub data_version: i64,
    /// Set by `update`, performed by the event loop (which owns the terminal).
    pub edit_externally: Option<InteractionId>,
    /// This window's claim on its quick-note draft.
    pub session: Session,
    /// A draft left by a session that is gone, offered (not forced) on start: `n` opens it.
    pub draft_offered: bool,
    /// Set when a write failed and typed text was kept in a file instead: said on exit.
    pub saved_elsewhere: Option<std::path::PathBuf>,
    /// The journal file, as the help and the status bar show it (`~/…`); empty in memory.
    pub journal: String,
    /// Where a sync started with `S` is.
    pub sync: SyncState,
    /// Sync's state for the status bar ("synced 5m ago · 1 conflict"); empty when sync is
    /// not set up.
    pub sync_label: String,
}

impl App {
    pub fn new(keymap: Keymap, theme: Theme, clock: Clock, size: (u16, u16)) -> App {
        App {
            keymap,
            theme,
            clock,
            today: clock.today(),
            size,
            focus: Focus::Contacts,
            contacts: ContactsPane::default(),
            timeline: TimelinePane::default(),
            reminders: RemindersPane::default(),
            review: None,
            reviewed: Vec::new(),
            overlay: None,
            status: None,
            undo: Vec::new(),
            redo: Vec::new(),
            quit: false,
            suspend: false,
            data_version: 0,
            edit_externally: None,
            session: Session::new(&clock),
            draft_offered: false,
            saved_elsewhere: None,
            journal: String::new(),
            sync: SyncState::Idle,
            sync_label: String::new(),
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl std::fmt::Display) {
        self.status = Some(Status {
            text: text.to_string(),
            error: true,
        });
    }

    /// Remembers a change for undo (a change that changed nothing is not one).
    pub fn record(&mut self, change: Change) {
        if !change.is_empty() {
            self.undo.push(change);
            self.redo.clear();
        }
    }

    /// The keymap sections in force, most specific first.
    pub fn sections(&self) -> Vec<Section> {
        if self.review.is_some() {
            return vec![Section::Review, Section::List, Section::Global];
        }
        vec![self.focus.section(), Section::List, Section::Global]
    }

    pub fn selected_contact(&self) -> Option<ContactId> {
        self.contacts.selected().map(|c| c.row.id)
    }

    /// Moves the contacts selection to `id`, if they are listed.
    pub fn select_contact(&mut self, id: ContactId) {
        let Some(i) = self
            .contacts
            .visible
            .iter()
            .position(|&i| self.contacts.all[i].row.id == id)
        else {
            return;
        };
        let height = self.list_height();
        let len = self.contacts.visible.len();
        self.contacts.scroll.select(i, len, height);
    }

    /// Reloads everything shown from the store, keeping selections where they were.
    pub fn reload(&mut self, store: &Store) -> store::Result<()> {
        // Read before loading: a write committed while the panes load is then seen as new on
        // the next tick, not taken for loaded.
        let version = store.data_version()?;
        store.snapshot(|| {
            self.reload_contacts(store)?;
            self.reload_timeline(store)?;
            self.reload_reminders(store)?;
            self.sync_label = sync_label(store, &self.clock);
            if let Some(review) = &self.review {
                let start = review.week_start;
                self.open_review(store, start)?;
            }
            Ok::<_, store::StoreError>(())
        })?;
        self.data_version = version;
        Ok(())
    }

    /// Loads what the first frame shows, and no more: the first screenful of contacts (by
    /// name) with their count, the timeline, the reminders' first rows with their counts and
    /// sync's state for the status bar, all from one snapshot. The rest of the
    /// contacts come right after the frame is drawn ([`App::finish_loading`]).
    pub fn reload_first_frame(&mut self, store: &Store) -> store::Result<()> {
        let version = store.data_version()?;
        store.snapshot(|| {
            if self.contacts.sort == Sort::Name && self.contacts.filter.text().is_empty() {
                let rows = usize::from(self.size.1).max(1) * 2;
                self.load_contacts(store, Some(rows))?;
            } else {
                self.reload_contacts(store)?;
            }
            self.reload_timeline(store)?;
            self.reload_reminders(store)?;
            self.sync_label = sync_label(store, &self.clock);
            Ok::<_, store::StoreError>(())
        })?;
        self.data_version = version;
        Ok(())
    }

    /// Loads the contacts the first frame left out, if it did.
    pub fn finish_loading(&mut self, store: &Store) -> store::Result<()> {
        if self.contacts.partial {
            self.reload_contacts(store)?;
        }
        Ok(())
    }

    pub fn reload_contacts(&mut self, store: &Store) -> store::Result<()> {
        self.load_contacts(store, None)
    }

    fn load_contacts(&mut self, store: &Store, head: Option<usize>) -> store::Result<()> {
        let keep = self.selected_contact();
        let sort = self.contacts.sort;
        let query = ListQuery {
            sort,
            limit: head,
            ..ListQuery::default()
        };
        let rows = contacts::list(store.conn(), &query)?;
        self.contacts.partial = head.is_some();
        self.contacts.total = if head.is_some() {
            contacts::count(store.conn(), &query)?
        } else {
            rows.len()
        };
        let clock = self.clock;
        let kept = marks::kept(store.conn())?;
        self.contacts.all = rows
            .into_iter()
            .map(|row| {
                let standing = Standing::of(
                    row.cadence,
                    row.last_interaction_at,
                    row.created_at,
                    kept.get(&row.id),
                    &clock,
                );
                ContactLine {
                    health: standing.health,
                    due: standing.stay_in_touch_due,
                    days_since: standing.days_since_contact,
                    row,
                }
            })
            .collect();
        if sort == Sort::Overdue {
            self.contacts.all.sort_by_key(|c| (c.due.is_none(), c.due));
        }
        self.apply_filter();
        if let Some(i) = keep.and_then(|id| {
            self.contacts
                .visible
                .iter()
                .position(|&i| self.contacts.all[i].row.id == id)
        }) {
            self.contacts.scroll.selected = i;
        }
        let height = self.list_height();
        self.contacts
            .scroll
            .follow(self.contacts.visible.len(), height);
        Ok(())
    }

    /// Recomputes which contacts pass the filter: `#tag` by tag prefix, anything else fuzzy
    /// on the name (nucleo, the matcher of helix and television), best match first.
    pub fn apply_filter(&mut self) {
        let query = crate::text::clean(self.contacts.filter.text().trim());
        let all = &self.contacts.all;
        self.contacts.visible = if query.is_empty() {
            (0..all.len()).collect()
        } else if let Some(tag) = query.strip_prefix('#') {
            let tag = tag.to_lowercase();
            (0..all.len())
                .filter(|&i| all[i].row.tags.iter().any(|t| t.starts_with(&tag)))
                .collect()
        } else {
            use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
            use nucleo_matcher::{Config, Matcher, Utf32Str};
            let mut matcher = Matcher::new(Config::DEFAULT);
            let pattern = Pattern::parse(&query, CaseMatching::Ignore, Normalization::Smart);
            let mut buf = Vec::new();
            let mut scored: Vec<(u32, usize)> = all
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let haystack = match &c.row.nickname {
                        Some(nick) => format!("{} {nick}", c.row.display_name),
                        None => c.row.display_name.clone(),
                    };
                    pattern
                        .score(Utf32Str::new(&haystack, &mut buf), &mut matcher)
                        .map(|s| (s, i))
                })
                .collect();
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            scored.into_iter().map(|(_, i)| i).collect()
        };
        let len = self.contacts.visible.len();
        let height = self.list_height();
        self.contacts.scroll.follow(len, height);
    }

    /// Loads the first page of the timeline for the selected contact (or everyone).
    pub fn reload_timeline(&mut self, store: &Store) -> store::Result<()> {
        let contact = if self.timeline.everyone {
            None
        } else {
            self.selected_contact()
        };
        let keep = self
            .timeline
            .rows
            .get(self.timeline.scroll.selected)
            .map(|i| i.id);
        let same_person = contact == self.timeline.contact;
        self.timeline.contact = contact;
        if contact.is_none() && !self.timeline.everyone {
            self.timeline.rows.clear();
            self.timeline.exhausted = true;
            self.timeline.scroll = Scroll::default();
            return Ok(());
        }
        let wanted = if same_person {
            self.timeline.rows.len().max(TIMELINE_PAGE)
        } else {
            TIMELINE_PAGE
        };
        let rows = self.timeline_page(store, contact, None, wanted)?;
        self.timeline.exhausted = rows.len() < wanted;
        self.timeline.rows = rows;
        if same_person {
            if let Some(i) = keep.and_then(|id| self.timeline.rows.iter().position(|r| r.id == id))
            {
                self.timeline.scroll.selected = i;
            }
        } else {
            self.timeline.scroll = Scroll::default();
        }
        let height = self.list_height();
        self.timeline
            .scroll
            .follow(self.timeline.rows.len(), height);
        Ok(())
    }

    /// Brings the next page when the selection is near the end of what is loaded.
    pub fn load_more_timeline(&mut self, store: &Store) -> store::Result<()> {
        let near_end = self.timeline.scroll.selected + 10 >= self.timeline.rows.len();
        if self.timeline.exhausted || !near_end {
            return Ok(());
        }
        let after = self.timeline.rows.last().map(Cursor::after);
        let page = self.timeline_page(store, self.timeline.contact, after, TIMELINE_PAGE)?;
        self.timeline.exhausted = page.len() < TIMELINE_PAGE;
        self.timeline.rows.extend(page);
        Ok(())
    }

    /// Up to `limit` rows of `contact`'s timeline (everyone's for `None`) after `after`, as
    /// the timeline filter narrows it. The store narrows by the kind and the first tag (its
    /// indexes); further tags are checked here, reading on until the page is full.
    fn timeline_page(
        &self,
        store: &Store,
        contact: Option<ContactId>,
        mut after: Option<Cursor>,
        limit: usize,
    ) -> store::Result<Vec<Interaction>> {
        let narrowed = &self.timeline.narrowed;
        // Rows checked here for further tags come in larger pages: fewer round trips when
        // few of them have every tag.
        let read = if narrowed.tags.len() > 1 {
            limit.max(1000)
        } else {
            limit
        };
        let mut rows = Vec::new();
        loop {
            let page = interactions::timeline(
                store.conn(),
                &TimelineQuery {
                    contact,
                    kind: narrowed.kind.clone(),
                    tag: narrowed.tags.first().cloned(),
                    after,
                    limit: read,
                    ..TimelineQuery::default()
                },
            )?;
            let full = page.len() == read;
            after = page.last().map(Cursor::after);
            rows.extend(
                page.into_iter()
                    .filter(|i| narrowed.tags.iter().all(|t| i.tags.contains(t))),
            );
            if !full || rows.len() >= limit {
                rows.truncate(limit);
                return Ok(rows);
            }
        }
    }

    /// Reloads the reminders pane: as many rows as it had (a page at least) and the counts.
    /// The selection stays on the same record (not the same row number) whatever others
    /// wrote meanwhile; a settled row stays where it was.
    pub fn reload_reminders(&mut self, store: &Store) -> store::Result<()> {
        let loaded = self.reminders.items.len() - usize::from(self.reminders.settled.is_some());
        self.load_reminders(store, loaded.max(REMINDERS_PAGE))
    }

    /// Loads the next page of reminders when the selection is near the end of those loaded.
    pub fn load_more_reminders(&mut self, store: &Store) -> store::Result<()> {
        let shown = self.reminders.items.len();
        let loaded = shown - usize::from(self.reminders.settled.is_some());
        if self.reminders.scroll.selected + 10 < shown || loaded >= self.reminders.total {
            return Ok(());
        }
        self.load_reminders(store, loaded + REMINDERS_PAGE)
    }

    fn load_reminders(&mut self, store: &Store, rows: usize) -> store::Result<()> {
        let agenda =
            journal_agenda::load_head(store, &self.clock, self.today, REMINDER_HORIZON_DAYS, rows)?;
        self.reminders.total = agenda.total();
        self.reminders.overdue = agenda.overdue_total;
        let keep = self
            .reminders
            .items
            .get(self.reminders.scroll.selected)
            .map(|i| i.key);
        let mut items: Vec<AgendaItem> = agenda.items().cloned().collect();
        if let Some(settled) = &mut self.reminders.settled {
            settled.row = settled.row.min(items.len());
            items.insert(settled.row, settled.item.clone());
            self.reminders.scroll.selected = settled.row;
        } else if let Some(i) = keep.and_then(|k| items.iter().position(|i| i.key == k)) {
            self.reminders.scroll.selected = i;
        }
        self.reminders.items = items;
        let height = self.list_height();
        self.reminders
            .scroll
            .follow(self.reminders.items.len(), height);
        Ok(())
    }

    /// Opens the review of the week from `week_start`, or refreshes the one open for it
    /// (rows keep their places, so the selection stays on its row).
    pub fn open_review(&mut self, store: &Store, week_start: NaiveDate) -> store::Result<()> {
        let fresh = journal::review::load(store, &self.clock, week_start)?;
        if self
            .review
            .as_ref()
            .is_some_and(|r| r.week_start != week_start)
        {
            self.close_review();
        }
        if self.review.is_none()
            && let Some(i) = self
                .reviewed
                .iter()
                .position(|r| r.week_start == week_start)
        {
            self.review = Some(self.reviewed.swap_remove(i));
        }
        match self.review.as_mut().filter(|r| r.week_start == week_start) {
            Some(review) => review.refresh(fresh),
            None => {
                self.review = Some(Review {
                    week_start,
                    agenda: fresh.agenda,
                    rows: fresh
                        .rows
                        .into_iter()
                        .map(|row| ReviewRow { row, handled: None })
                        .collect(),
                    scroll: Scroll::default(),
                });
            }
        }
        let height = self.list_height();
        if let Some(review) = &mut self.review {
            review.scroll.follow(review.rows.len(), height);
        }
        Ok(())
    }

    /// Closes the review, putting its week aside with what was handled in it.
    pub fn close_review(&mut self) {
        if let Some(review) = self.review.take() {
            self.reviewed.retain(|r| r.week_start != review.week_start);
            self.reviewed.push(review);
        }
    }

    /// Rows the focused list can show at the current size.
    pub fn list_height(&self) -> usize {
        self.pane_height(self.focus)
    }

    /// Rows a pane's list can show: its area less borders (and the contacts filter line).
    pub fn pane_height(&self, focus: Focus) -> usize {
        if self.review.is_some() {
            // The screen less the status line and the review's frame.
            return usize::from(self.size.1.saturating_sub(3)).max(1);
        }
        let areas = super::layout::pane_areas(self);
        let height = areas
            .iter()
            .find(|(f, _)| *f == focus)
            .map_or(3, |(_, a)| a.height);
        let filter_line = u16::from(
            (focus == Focus::Contacts && self.contacts.filter_shown())
                || (focus == Focus::Timeline && self.timeline.filter_shown()),
        );
        usize::from(height.saturating_sub(2 + filter_line)).max(1)
    }
}
