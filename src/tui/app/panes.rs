//! The three panes' state: contacts, timeline (and its filter), reminders; and the
//! scrolling position they share.

use chrono::NaiveDate;

use crate::domain::agenda::AgendaItem;
use crate::domain::contact::{ContactId, Health};
use crate::domain::interaction::Interaction;
use crate::store::contacts::{ContactRow, Sort};
use crate::tui::input::TextInput;
use crate::tui::keymap::Section;

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
    /// Name and nickname folded as name resolution folds them: what the filter matches,
    /// made once per load rather than on every keystroke.
    pub folded: String,
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
    /// writes them. `in_use(kind)` says whether some note has a kind of the user's own.
    pub fn parse(text: &str, in_use: &dyn Fn(&str) -> bool) -> Result<TimelineFilter, String> {
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
                filter.kind = Some(kind_named(word, in_use));
            }
        }
        Ok(filter)
    }

    pub fn is_empty(&self) -> bool {
        self.kind.is_none() && self.tags.is_empty()
    }
}

/// The kind a filter word names, as stored: a kind's name or a word for it (`lunch` is a
/// meal); a kind of the user's own that some note has (`in_use`); else the start of exactly
/// one kind's name (`mile`: the filter follows typing); else the word itself.
fn kind_named(word: &str, in_use: &dyn Fn(&str) -> bool) -> String {
    use crate::domain::interaction::Kind;
    match Kind::parse(word) {
        Kind::Other(other) if in_use(&other) => other,
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
