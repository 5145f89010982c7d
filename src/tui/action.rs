//! Everything the TUI can do, as data: keys map to these (see `keymap`), `update` performs
//! them. The serde names are what a user writes in their keymap file.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Leave rolo.
    Quit,
    /// Suspend rolo to the shell (`fg` brings it back).
    Suspend,
    /// Show or hide the key help.
    Help,
    /// Write a one-line note (from anywhere).
    QuickNote,
    /// Open or close the weekly review.
    WeeklyReview,
    /// Close the open view.
    Close,
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrevious,
    /// Focus the contacts pane.
    FocusContacts,
    /// Focus the timeline pane.
    FocusTimeline,
    /// Focus the reminders pane.
    FocusReminders,
    /// Move down.
    Down,
    /// Move up.
    Up,
    /// Go to the first row.
    Top,
    /// Go to the last row.
    Bottom,
    /// Move a page down.
    PageDown,
    /// Move a page up.
    PageUp,
    /// Open the selection (contact card, full note).
    Open,
    /// Filter contacts by name (fuzzy) or #tag.
    Filter,
    /// Search notes and people (the engine of `rolo search`).
    Search,
    /// Import contacts from a file, with a preview to settle possible matches.
    Import,
    /// Narrow the timeline to a kind and #tags.
    FilterTimeline,
    /// Sort contacts by name, last contact or most overdue.
    CycleSort,
    /// Add a contact.
    AddContact,
    /// Edit the selected contact.
    EditContact,
    /// Move the selected contact to the trash.
    DeleteContact,
    /// Undo the last change (any write: log, edit, add, delete, done, snooze…).
    Undo,
    /// Redo what was undone.
    Redo,
    /// Log an interaction with the selected contact.
    LogWithContact,
    /// Show everyone's timeline or the selected contact's.
    ToggleEveryone,
    /// Edit the selected note in $EDITOR.
    EditInEditor,
    /// Correct the selected interaction: people, time, kind, tags, place, text.
    EditInteraction,
    /// Move the selected interaction to the trash.
    TrashInteraction,
    /// Mark the selected reminder done.
    Done,
    /// Snooze the selected reminder.
    Snooze,
    /// Log an interaction from the selected reminder.
    LogFromReminder,
    /// Close the selected reminder without doing it.
    Dismiss,
    /// Edit the selected reminder: title, date, repeat, whom it is for.
    EditReminder,
    /// Move the selected reminder to the trash.
    TrashReminder,
    /// Review the previous week.
    PreviousWeek,
    /// Review the next week.
    NextWeek,
    /// Sync with the CardDAV/CalDAV server now (in the background).
    Sync,
}

impl Action {
    /// The one-line description the help overlay shows.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Suspend => "suspend to the shell",
            Action::Help => "help",
            Action::QuickNote => "quick note",
            Action::WeeklyReview => "weekly review",
            Action::Close => "close",
            Action::FocusNext => "next pane",
            Action::FocusPrevious => "previous pane",
            Action::FocusContacts => "contacts",
            Action::FocusTimeline => "timeline",
            Action::FocusReminders => "reminders",
            Action::Down => "down",
            Action::Up => "up",
            Action::Top => "first",
            Action::Bottom => "last",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Open => "open",
            Action::Filter | Action::FilterTimeline => "filter",
            Action::Search => "search",
            Action::Import => "import a file",
            Action::CycleSort => "sort",
            Action::AddContact => "add contact",
            Action::EditContact => "edit contact",
            Action::DeleteContact => "delete contact",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::LogWithContact => "log with them",
            Action::ToggleEveryone => "everyone / one person",
            Action::EditInEditor => "edit in $EDITOR",
            Action::EditInteraction => "edit note",
            Action::TrashInteraction => "delete note",
            Action::Done => "done",
            Action::Snooze => "snooze",
            Action::LogFromReminder => "log it",
            Action::Dismiss => "dismiss",
            Action::EditReminder => "edit reminder",
            Action::TrashReminder => "delete reminder",
            Action::PreviousWeek => "previous week",
            Action::NextWeek => "next week",
            Action::Sync => "sync now",
        }
    }
}
