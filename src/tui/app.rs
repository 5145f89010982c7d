//! The TUI's state: plain data that `update` changes and `ui` draws. Loading from the store
//! happens here too, always through `&Store` and always a page at a time.

use chrono::NaiveDate;

use super::keymap::{Keymap, Section};
use super::theme::Theme;
use crate::clock::Clock;
use crate::domain::agenda::AgendaItem;
use crate::domain::contact::{ContactId, Standing};
use crate::domain::interaction::{Interaction, InteractionId};
use crate::journal;
use crate::journal::agenda as journal_agenda;
use crate::journal::drafts::Session;
use crate::journal::undo::Change;
use crate::store::contacts::{self, ListQuery, Sort};
use crate::store::interactions::{self, Cursor, TimelineQuery};
use crate::store::{self, Store, marks};

mod overlays;
mod panes;
mod review;

pub use overlays::*;
pub use panes::*;
pub use review::*;

/// How many timeline rows one load brings; more come as the selection nears the end.
pub const TIMELINE_PAGE: usize = 50;
/// How many hits a search in the TUI reads: more than a screen holds.
pub const SEARCH_HITS: usize = 50;
/// How far ahead the reminders pane looks ("Later").
pub const REMINDER_HORIZON_DAYS: u32 = 60;
/// How many agenda rows the reminders pane loads at first, and how many more each time the
/// selection nears the end of them: a pane shows a screenful, not thousands of follow-ups.
pub const REMINDERS_PAGE: usize = 100;

/// A sync started from the TUI: asked for by `update`, started by the event loop (which owns
/// the threads), running until its result comes back as a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncState {
    #[default]
    Idle,
    Requested,
    Running,
}

/// The last day of the review that starts on `start` (the agenda's window).
fn week_end(start: NaiveDate) -> NaiveDate {
    start
        .checked_add_days(chrono::Days::new(u64::from(journal_agenda::WINDOW_DAYS)))
        .unwrap_or(NaiveDate::MAX)
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
    /// Typed text no file could take either (a disk full everywhere): printed on exit.
    pub unsaved_text: Option<String>,
    /// Editor files kept because the editor failed or the journal refused their text.
    pub kept_files: Vec<std::path::PathBuf>,
    /// A note put away while the journal could not take it as a draft (read-only, disk
    /// full): held in this window, `n` brings it back, quitting writes it to a file.
    pub held_note: Option<crate::store::drafts::Draft>,
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
            unsaved_text: None,
            kept_files: Vec::new(),
            held_note: None,
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
                let folded = crate::domain::names::fold_letters(&match &row.nickname {
                    Some(nick) => format!("{} {nick}", row.display_name),
                    None => row.display_name.clone(),
                });
                ContactLine {
                    folded,
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
            use crate::domain::names::fold_letters;
            use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
            use nucleo_matcher::{Config, Matcher, Utf32Str};
            let mut matcher = Matcher::new(Config::DEFAULT);
            // Both sides folded as name resolution folds them (Łukasz, Σοφία, Weiß, Nguyễn
            // are found as the CLI finds them), so nucleo's own Latin-only folding is off.
            let pattern = Pattern::parse(
                &fold_letters(&query),
                CaseMatching::Ignore,
                Normalization::Never,
            );
            let mut buf = Vec::new();
            let mut scored: Vec<(u32, usize)> = all
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    pattern
                        .score(Utf32Str::new(&c.folded, &mut buf), &mut matcher)
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

    /// Closes the review, putting its week aside with what was handled in it (weeks that
    /// ended before today are let go).
    pub fn close_review(&mut self) {
        if let Some(review) = self.review.take() {
            let today = self.today;
            self.reviewed
                .retain(|r| r.week_start != review.week_start && today <= week_end(r.week_start));
            self.reviewed.push(review);
        }
    }

    /// Opens the review of the week from today — or, when a week reviewed earlier in this
    /// session still covers today (it was begun before midnight), that one, with its
    /// progress.
    pub fn open_current_review(&mut self, store: &Store) -> store::Result<()> {
        let today = self.today;
        let start = self
            .reviewed
            .iter()
            .rev()
            .map(|r| r.week_start)
            .find(|start| *start <= today && today <= week_end(*start))
            .unwrap_or(today);
        self.open_review(store, start)
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
