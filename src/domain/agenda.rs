//! What is due: open reminders, lapsed stay-in-touch cadences, birthdays and anniversaries,
//! grouped into overdue, today and the coming days. Pure: the store supplies the rows, the
//! caller supplies "today".

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Serialize, Serializer};

use super::contact::ContactId;
use super::reminder::{Reminder, ReminderId, Source};
use super::when::{Every, PartialDate};

/// A contact with a stay-in-touch cadence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CadenceRow {
    pub id: ContactId,
    pub name: String,
    pub cadence: Every,
    /// Local date of the last interaction.
    pub last_contact: Option<NaiveDate>,
    /// Local date the cadence counts from: the last interaction, else the day the contact
    /// was added.
    pub anchor: NaiveDate,
}

/// A contact with a birthday or anniversary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatesRow {
    pub id: ContactId,
    pub name: String,
    pub birthday: Option<PartialDate>,
    pub anniversary: Option<PartialDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ItemKind {
    Reminder {
        id: ReminderId,
        source: Source,
        recurring: Option<Every>,
    },
    StayInTouch {
        cadence: Every,
        last_contact: Option<NaiveDate>,
    },
    /// `age` is the age they turn, when the birth year is known.
    Birthday {
        age: Option<i32>,
    },
    Anniversary {
        years: Option<i32>,
    },
}

impl ItemKind {
    /// The occasion a contact's row is about (`None` for reminders).
    pub fn occasion(&self) -> Option<Occasion> {
        match self {
            ItemKind::Reminder { .. } => None,
            ItemKind::StayInTouch { .. } => Some(Occasion::KeepInTouch),
            ItemKind::Birthday { .. } => Some(Occasion::Birthday),
            ItemKind::Anniversary { .. } => Some(Occasion::Anniversary),
        }
    }

    fn order(&self) -> u8 {
        match self {
            ItemKind::Reminder { .. } => 0,
            ItemKind::StayInTouch { .. } => 1,
            ItemKind::Birthday { .. } => 2,
            ItemKind::Anniversary { .. } => 3,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            ItemKind::Reminder {
                source: Source::FollowUp,
                ..
            } => "follow-up",
            ItemKind::Reminder { .. } => "reminder",
            ItemKind::StayInTouch { .. } => "keep in touch",
            ItemKind::Birthday { .. } => "birthday",
            ItemKind::Anniversary { .. } => "anniversary",
        }
    }
}

/// The occasions of a contact that come back on their own: the stay-in-touch cadence and
/// the yearly dates. What a [`Mark`] is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Occasion {
    KeepInTouch,
    Birthday,
    Anniversary,
}

impl Occasion {
    pub const ALL: [Occasion; 3] = [
        Occasion::KeepInTouch,
        Occasion::Birthday,
        Occasion::Anniversary,
    ];

    /// The word in keys (`c4:birthday`) and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Occasion::KeepInTouch => "keep-in-touch",
            Occasion::Birthday => "birthday",
            Occasion::Anniversary => "anniversary",
        }
    }

    pub fn parse(text: &str) -> Option<Occasion> {
        Occasion::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// What the user did about one occurrence of an [`Occasion`]: acknowledged it (a birthday
/// wished) or put it off to `until` (a lapsed cadence snoozed). It holds only while the
/// occasion still falls on `occurrence`: logging with the person moves their stay-in-touch
/// date, and the mark then no longer applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub occurrence: NaiveDate,
    /// `None`: acknowledged, gone until the next occurrence.
    pub until: Option<NaiveDate>,
}

impl Mark {
    /// Where an occasion that falls on `due` lands once `mark` (if any) is applied:
    /// `Some((date, was_due))` — put off to `date` from `was_due`, or `(due, None)` unmoved —
    /// or `None` when this occurrence was acknowledged. A mark about another occurrence (they
    /// were logged since, a year went by) no longer applies. The one rule the agenda, the
    /// review and a contact's standing share.
    pub fn apply(mark: Option<&Mark>, due: NaiveDate) -> Option<(NaiveDate, Option<NaiveDate>)> {
        match mark {
            Some(mark) if mark.occurrence == due => mark.until.map(|until| (until, Some(due))),
            _ => Some((due, None)),
        }
    }
}

/// Every contact's marks.
pub type Marks = HashMap<(ContactId, Occasion), Mark>;

/// What an agenda row is, the same in the TUI, the CLI (`rolo done c4:birthday`) and JSON:
/// `r12` for a reminder, `c4:keep-in-touch`, `c4:birthday`, `c4:anniversary` for a
/// contact's occasions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKey {
    Reminder(ReminderId),
    Occasion(ContactId, Occasion),
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ItemKey::Reminder(id) => write!(f, "r{}", id.0),
            ItemKey::Occasion(c, o) => write!(f, "c{}:{}", c.0, o.as_str()),
        }
    }
}

impl Serialize for ItemKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An agenda key as typed: `r12`, `12`, `c4:birthday`, or `c4` alone (which occasion is
/// then for the caller to find).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRef {
    Exact(ItemKey),
    Contact(ContactId),
}

impl FromStr for KeyRef {
    type Err = String;

    fn from_str(text: &str) -> Result<KeyRef, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "'{text}' is not an agenda id; use one that agenda shows: r12, c4:keep-in-touch, c4:birthday"
            )
        };
        if let Some(rest) = text.strip_prefix('c') {
            let (id, occasion) = match rest.split_once(':') {
                Some((id, o)) => (id, Some(Occasion::parse(o).ok_or_else(bad)?)),
                None => (rest, None),
            };
            let id = ContactId(id.parse().map_err(|_| bad())?);
            return Ok(match occasion {
                Some(o) => KeyRef::Exact(ItemKey::Occasion(id, o)),
                None => KeyRef::Contact(id),
            });
        }
        let id = text.strip_prefix('r').unwrap_or(text);
        Ok(KeyRef::Exact(ItemKey::Reminder(ReminderId(
            id.parse().map_err(|_| bad())?,
        ))))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    pub key: ItemKey,
    pub date: NaiveDate,
    /// The date it fell on before the user put it off (a snoozed cadence or birthday).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was_due: Option<NaiveDate>,
    #[serde(flatten)]
    pub kind: ItemKind,
    pub title: String,
    pub contact_id: Option<ContactId>,
    pub contact: Option<String>,
}

impl AgendaItem {
    /// An open reminder as its agenda row, due on its due date.
    pub fn of_reminder(r: &Reminder) -> AgendaItem {
        AgendaItem {
            key: ItemKey::Reminder(r.id),
            date: r.due_date,
            was_due: None,
            kind: ItemKind::Reminder {
                id: r.id,
                source: r.source,
                recurring: r.recurrence,
            },
            title: r.title.clone(),
            contact_id: r.contact,
            contact: r.contact_name.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    pub date: NaiveDate,
    /// The day's items, or the page of them asked for.
    pub items: Vec<AgendaItem>,
    /// How many items the day has in all.
    pub total: usize,
}

/// The agenda as seen from `from`: everything overdue before it, then each day of the window.
/// A large agenda is read a page at a time: each section holds the items asked for, and
/// says how many it has in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agenda {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub overdue: Vec<AgendaItem>,
    /// How many items are overdue in all.
    pub overdue_total: usize,
    /// Only days with something on them.
    pub days: Vec<Day>,
}

impl Agenda {
    pub fn is_empty(&self) -> bool {
        self.overdue_total == 0 && self.days.iter().all(|d| d.total == 0)
    }

    pub fn items(&self) -> impl Iterator<Item = &AgendaItem> {
        self.overdue
            .iter()
            .chain(self.days.iter().flat_map(|d| &d.items))
    }

    /// How many items the whole agenda has.
    pub fn total(&self) -> usize {
        self.overdue_total + self.days.iter().map(|d| d.total).sum::<usize>()
    }

    /// Keeps, in each section, the `limit` items after the first `offset` (sections and
    /// their totals stay, even with nothing on that page).
    #[must_use]
    pub fn page(mut self, offset: usize, limit: usize) -> Agenda {
        let slice = |items: &mut Vec<AgendaItem>| {
            items.drain(..offset.min(items.len()));
            items.truncate(limit);
        };
        slice(&mut self.overdue);
        for day in &mut self.days {
            slice(&mut day.items);
        }
        self
    }

    /// Keeps the first `n` items, overdue first then day by day (totals stay).
    #[must_use]
    pub fn head(mut self, n: usize) -> Agenda {
        let mut left = n;
        self.overdue.truncate(left);
        left -= self.overdue.len();
        for day in &mut self.days {
            day.items.truncate(left);
            left -= day.items.len();
        }
        self
    }
}

/// Where a contact's occasion falls once its mark is applied: `Some((date, was_due))`, or
/// `None` when it was acknowledged. A mark for another occurrence no longer applies.
fn marked(
    marks: &Marks,
    key: (ContactId, Occasion),
    due: NaiveDate,
) -> Option<(NaiveDate, Option<NaiveDate>)> {
    Mark::apply(marks.get(&key), due)
}

/// Builds the agenda for `from ..= from + days`, with overdue items (dated before `from`)
/// always included. Birthdays are never "overdue": a missed one simply moves to next year.
/// `marks` say which occasions were acknowledged or put off.
pub fn build(
    from: NaiveDate,
    days: u32,
    reminders: &[Reminder],
    cadences: &[CadenceRow],
    dates: &[DatesRow],
    marks: &Marks,
) -> Agenda {
    let until = until_of(from, days);
    let rows = Rows {
        reminders,
        cadences,
        dates,
    };
    let mut items: Vec<AgendaItem> = slots(from, until, &rows, marks)
        .iter()
        .map(|slot| rows.item(slot))
        .collect();
    items.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    group(from, until, items)
}

/// The first open reminders in due-date-then-made order, and how many open reminders fall on
/// each date in all: what [`head`] needs of them. The first `n` are enough for a head of `n`
/// (no later one can be among the first `n` items).
#[derive(Debug, Clone, Copy)]
pub struct OpenReminders<'a> {
    pub first: &'a [Reminder],
    pub per_date: &'a [(NaiveDate, usize)],
}

/// The first `n` items of the agenda [`build`] makes, overdue first then day by day, with
/// every section's total — made without making the rest.
///
/// Thousands of lapsed cadences and birthdays can fall in a window the reminders pane looks
/// at; each is placed and counted from its date alone, and only those that can be among the
/// first `n` get a title.
pub fn head(
    from: NaiveDate,
    days: u32,
    open: OpenReminders<'_>,
    cadences: &[CadenceRow],
    dates: &[DatesRow],
    marks: &Marks,
    n: usize,
) -> Agenda {
    let until = until_of(from, days);
    let rows = Rows {
        reminders: open.first,
        cadences,
        dates,
    };
    let mut slots = slots(from, until, &rows, marks);
    // Every section's total: its contacts' occasions, counted here, and its reminders,
    // counted in the store (only the first of them were read).
    let mut totals: HashMap<NaiveDate, usize> = HashMap::new();
    for slot in slots.iter().filter(|s| s.order != REMINDER) {
        *totals.entry(slot.date).or_default() += 1;
    }
    for (date, count) in open.per_date.iter().filter(|(d, _)| *d <= until) {
        *totals.entry(*date).or_default() += count;
    }
    // The first `n` by date, kind and making; among slots equal in those, the title
    // decides, so all of the last one's equals are made and sorted with it.
    slots.sort_unstable_by_key(Slot::rank);
    let kept = match n.checked_sub(1).map(|i| slots.get(i)) {
        None => 0,
        Some(None) => slots.len(),
        Some(Some(last)) => {
            let last = last.rank();
            slots.partition_point(|s| s.rank() <= last)
        }
    };
    let mut items: Vec<AgendaItem> = slots[..kept].iter().map(|s| rows.item(s)).collect();
    items.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    items.truncate(n);
    let mut agenda = group(from, until, items);
    agenda.overdue_total = totals
        .iter()
        .filter(|(d, _)| **d < from)
        .map(|(_, n)| n)
        .sum();
    // A day none of whose items made the head still has its total.
    for date in totals.keys().filter(|d| **d >= from) {
        if let Err(at) = agenda.days.binary_search_by_key(date, |d| d.date) {
            agenda.days.insert(
                at,
                Day {
                    date: *date,
                    items: Vec::new(),
                    total: 0,
                },
            );
        }
    }
    for day in &mut agenda.days {
        day.total = totals.get(&day.date).copied().unwrap_or(0);
    }
    agenda
}

fn until_of(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// The rows an agenda is made from.
struct Rows<'a> {
    reminders: &'a [Reminder],
    cadences: &'a [CadenceRow],
    dates: &'a [DatesRow],
}

/// [`ItemKind::order`] of a reminder.
const REMINDER: u8 = 0;

/// One agenda row before it is made: where it falls and which row it comes from, enough to
/// place and count it.
#[derive(Debug, Clone, Copy)]
struct Slot {
    date: NaiveDate,
    /// [`ItemKind::order`].
    order: u8,
    /// A reminder's id (the order they were made in); 0 for the others.
    made: i64,
    was_due: Option<NaiveDate>,
    origin: Origin,
}

#[derive(Debug, Clone, Copy)]
enum Origin {
    Reminder(usize),
    Cadence(usize),
    /// A birthday or anniversary: the occurrence `next` of `date`.
    Dated {
        row: usize,
        date: PartialDate,
        occasion: Occasion,
        next: NaiveDate,
    },
}

impl Slot {
    /// [`order_key`] less the title.
    fn rank(&self) -> (NaiveDate, u8, i64) {
        (self.date, self.order, self.made)
    }
}

/// Every row of the agenda from `from` to `until` (and everything overdue), unmade.
fn slots(from: NaiveDate, until: NaiveDate, rows: &Rows<'_>, marks: &Marks) -> Vec<Slot> {
    let mut slots = Vec::new();
    for (i, r) in rows.reminders.iter().enumerate() {
        if r.due_date <= until {
            slots.push(Slot {
                date: r.due_date,
                order: REMINDER,
                made: r.id.0,
                was_due: None,
                origin: Origin::Reminder(i),
            });
        }
    }
    for (i, c) in rows.cadences.iter().enumerate() {
        let due = c.cadence.after(c.anchor);
        let Some((date, was_due)) = marked(marks, (c.id, Occasion::KeepInTouch), due) else {
            continue;
        };
        if date <= until {
            slots.push(Slot {
                date,
                order: 1,
                made: 0,
                was_due,
                origin: Origin::Cadence(i),
            });
        }
    }
    for (i, c) in rows.dates.iter().enumerate() {
        let occurrences = [
            (c.birthday, Occasion::Birthday, 2),
            (c.anniversary, Occasion::Anniversary, 3),
        ];
        for (date, occasion, order) in occurrences {
            let Some(date) = date else { continue };
            let key = (c.id, occasion);
            // The next occurrence, or an earlier one put off into the window.
            let put_off = marks
                .get(&key)
                .filter(|m| m.until.is_some_and(|u| u >= from))
                .map(|m| m.occurrence)
                .filter(|&o| date.in_year(o.year()) == Some(o));
            let mut shown = Vec::new();
            shown.extend(put_off);
            shown.extend(date.next_on_or_after(from).filter(|n| Some(*n) != put_off));
            for next in shown {
                let Some((on, was_due)) = marked(marks, key, next) else {
                    continue;
                };
                if on < from || on > until {
                    continue;
                }
                slots.push(Slot {
                    date: on,
                    order,
                    made: 0,
                    was_due,
                    origin: Origin::Dated {
                        row: i,
                        date,
                        occasion,
                        next,
                    },
                });
            }
        }
    }
    slots
}

impl Rows<'_> {
    /// The agenda row `slot` stands for.
    fn item(&self, slot: &Slot) -> AgendaItem {
        match slot.origin {
            Origin::Reminder(i) => AgendaItem::of_reminder(&self.reminders[i]),
            Origin::Cadence(i) => {
                let c = &self.cadences[i];
                AgendaItem {
                    key: ItemKey::Occasion(c.id, Occasion::KeepInTouch),
                    date: slot.date,
                    was_due: slot.was_due,
                    kind: ItemKind::StayInTouch {
                        cadence: c.cadence,
                        last_contact: c.last_contact,
                    },
                    title: format!("Catch up with {} (every {})", c.name, c.cadence),
                    contact_id: Some(c.id),
                    contact: Some(c.name.clone()),
                }
            }
            Origin::Dated {
                row,
                date,
                occasion,
                next,
            } => dated_item(
                &self.dates[row],
                date,
                occasion,
                next,
                slot.date,
                slot.was_due,
            ),
        }
    }
}

/// The agenda's order: by date; on a date, reminders (in the order they were made), then
/// stay-in-touch, birthdays and anniversaries (by title). Reminders in the order the store
/// indexes them, so the first rows of a day can be read without reading the whole day.
fn order_key(item: &AgendaItem) -> (NaiveDate, u8, i64, &str) {
    let made = match item.kind {
        ItemKind::Reminder { id, .. } => id.0,
        _ => 0,
    };
    (item.date, item.kind.order(), made, &item.title)
}

/// A birthday or anniversary row: `next` the occurrence, shown `on` (later when put off).
fn dated_item(
    c: &DatesRow,
    date: PartialDate,
    occasion: Occasion,
    next: NaiveDate,
    on: NaiveDate,
    was_due: Option<NaiveDate>,
) -> AgendaItem {
    let is_birthday = occasion == Occasion::Birthday;
    let years = date.year.map(|y| next.year() - y).filter(|&n| n > 0);
    let (kind, title) = if is_birthday {
        let title = match years {
            Some(age) => format!("{}'s birthday (turns {age})", c.name),
            None => format!("{}'s birthday", c.name),
        };
        (ItemKind::Birthday { age: years }, title)
    } else {
        let title = match years {
            Some(n) => format!("{}'s anniversary ({n} years)", c.name),
            None => format!("{}'s anniversary", c.name),
        };
        (ItemKind::Anniversary { years }, title)
    };
    AgendaItem {
        key: ItemKey::Occasion(c.id, occasion),
        date: on,
        was_due,
        kind,
        title,
        contact_id: Some(c.id),
        contact: Some(c.name.clone()),
    }
}

/// Sorted items into overdue (before `from`) and days.
fn group(from: NaiveDate, until: NaiveDate, items: Vec<AgendaItem>) -> Agenda {
    let mut agenda = Agenda {
        from,
        until,
        overdue: Vec::new(),
        overdue_total: 0,
        days: Vec::new(),
    };
    for item in items {
        if item.date < from {
            agenda.overdue.push(item);
            agenda.overdue_total += 1;
        } else if let Some(day) = agenda.days.last_mut().filter(|d| d.date == item.date) {
            day.items.push(item);
            day.total += 1;
        } else {
            agenda.days.push(Day {
                date: item.date,
                items: vec![item],
                total: 1,
            });
        }
    }
    agenda
}

/// The buckets of the TUI's reminders pane, relative to `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Bucket {
    Overdue,
    Today,
    ThisWeek,
    Later,
}

impl Bucket {
    pub fn of(date: NaiveDate, today: NaiveDate) -> Bucket {
        let days = (date - today).num_days();
        match days {
            ..0 => Bucket::Overdue,
            0 => Bucket::Today,
            1..=7 => Bucket::ThisWeek,
            _ => Bucket::Later,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Bucket::Overdue => "Overdue",
            Bucket::Today => "Today",
            Bucket::ThisWeek => "This week",
            Bucket::Later => "Later",
        }
    }
}

/// "in 3 days", "2 days ago", "today" — for agenda rows.
pub fn relative_day(date: NaiveDate, today: NaiveDate) -> String {
    match (date - today).num_days() {
        0 => "today".to_owned(),
        1 => "tomorrow".to_owned(),
        -1 => "yesterday".to_owned(),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// The weekday and date, as agenda day headings show them: "Fri 27 Nov".
pub fn day_heading(date: NaiveDate) -> String {
    date.format("%a %-d %b").to_string()
}

/// Whether `date`'s day of year is within the Mon–Sun week of `today`.
pub fn same_week(date: NaiveDate, today: NaiveDate) -> bool {
    date.iso_week() == today.iso_week()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reminder::Status;
    use chrono::{TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn reminder(id: i64, title: &str, due: &str) -> Reminder {
        let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Reminder {
            id: ReminderId(id),
            uid: format!("r{id}"),
            title: title.into(),
            contact: None,
            contact_name: None,
            due_date: d(due),
            due_time: None,
            recurrence: None,
            status: Status::Open,
            snooze_count: 0,
            source: Source::Manual,
            interaction: None,
            completed_at: None,
            created_at: t,
            updated_at: t,
        }
    }

    fn dates(name: &str, birthday: &str) -> DatesRow {
        DatesRow {
            id: ContactId(1),
            name: name.into(),
            birthday: Some(PartialDate::parse(birthday).unwrap()),
            anniversary: None,
        }
    }

    fn titles(agenda: &Agenda) -> Vec<(String, String)> {
        agenda
            .items()
            .map(|i| (i.date.to_string(), i.title.clone()))
            .collect()
    }

    #[test]
    fn groups_overdue_today_and_coming_days() {
        let reminders = [
            reminder(1, "late", "2026-11-01"),
            reminder(2, "now", "2026-11-22"),
            reminder(3, "soon", "2026-11-29"),
            reminder(4, "too far", "2026-11-30"),
        ];
        let agenda = build(d("2026-11-22"), 7, &reminders, &[], &[], &Marks::default());
        assert_eq!(agenda.overdue.len(), 1);
        assert_eq!(
            agenda
                .days
                .iter()
                .map(|d| d.date.to_string())
                .collect::<Vec<_>>(),
            ["2026-11-22", "2026-11-29"]
        );
        assert!(!titles(&agenda).iter().any(|(_, t)| t == "too far"));
    }

    #[test]
    fn stay_in_touch_is_due_a_cadence_after_the_last_interaction() {
        let row = |last: Option<&str>| CadenceRow {
            id: ContactId(1),
            name: "Ada".into(),
            cadence: Every::days(30),
            last_contact: last.map(d),
            anchor: d(last.unwrap_or("2026-01-01")),
        };
        let lapsed = build(
            d("2026-11-22"),
            7,
            &[],
            &[row(Some("2026-10-01"))],
            &[],
            &Marks::default(),
        );
        assert_eq!(lapsed.overdue[0].date, d("2026-10-31"));
        let fresh = build(
            d("2026-11-22"),
            7,
            &[],
            &[row(Some("2026-11-20"))],
            &[],
            &Marks::default(),
        );
        assert!(fresh.is_empty());
        let never = build(
            d("2026-11-22"),
            7,
            &[],
            &[row(None)],
            &[],
            &Marks::default(),
        );
        assert_eq!(never.overdue[0].date, d("2026-01-31"));
    }

    #[test]
    fn birthdays_show_the_age_they_turn() {
        let agenda = build(
            d("2026-12-05"),
            7,
            &[],
            &[],
            &[dates("Ada", "1815-12-10"), dates("Grace", "--12-09")],
            &Marks::default(),
        );
        assert_eq!(
            titles(&agenda),
            [
                ("2026-12-09".to_owned(), "Grace's birthday".to_owned()),
                (
                    "2026-12-10".to_owned(),
                    "Ada's birthday (turns 211)".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn leap_day_birthdays_land_on_feb_28_in_common_years() {
        let agenda = build(
            d("2027-02-25"),
            7,
            &[],
            &[],
            &[dates("Leap", "1996-02-29")],
            &Marks::default(),
        );
        assert_eq!(
            titles(&agenda),
            [(
                "2027-02-28".to_owned(),
                "Leap's birthday (turns 31)".to_owned()
            )]
        );
        let leap_year = build(
            d("2028-02-25"),
            7,
            &[],
            &[],
            &[dates("Leap", "1996-02-29")],
            &Marks::default(),
        );
        assert_eq!(leap_year.days[0].date, d("2028-02-29"));
    }

    #[test]
    fn missed_birthdays_are_not_overdue() {
        let agenda = build(
            d("2026-12-20"),
            7,
            &[],
            &[],
            &[dates("Ada", "1815-12-10")],
            &Marks::default(),
        );
        assert!(agenda.is_empty());
    }

    fn marks(occasion: Occasion, occurrence: &str, until: Option<&str>) -> Marks {
        Marks::from([(
            (ContactId(1), occasion),
            Mark {
                occurrence: d(occurrence),
                until: until.map(d),
            },
        )])
    }

    #[test]
    fn a_snoozed_cadence_moves_until_they_are_logged() {
        let row = |last: &str| CadenceRow {
            id: ContactId(1),
            name: "Ada".into(),
            cadence: Every::days(30),
            last_contact: Some(d(last)),
            anchor: d(last),
        };
        let snoozed = marks(Occasion::KeepInTouch, "2026-10-31", Some("2026-11-25"));
        let agenda = build(d("2026-11-22"), 7, &[], &[row("2026-10-01")], &[], &snoozed);
        let item = agenda.items().next().unwrap();
        assert_eq!(
            (item.date, item.was_due),
            (d("2026-11-25"), Some(d("2026-10-31")))
        );
        assert_eq!(item.key.to_string(), "c1:keep-in-touch");
        // Logged since: the cadence runs from the new date, the snooze no longer applies.
        let later = build(d("2026-12-20"), 7, &[], &[row("2026-11-20")], &[], &snoozed);
        assert_eq!(later.days[0].date, d("2026-12-20"));
        assert_eq!(later.days[0].items[0].was_due, None);
    }

    #[test]
    fn pages_and_heads_keep_the_totals() {
        let reminders: Vec<Reminder> = (1..=12)
            .map(|n| {
                let day = if n <= 7 { "2026-11-01" } else { "2026-11-23" };
                reminder(n, &format!("r{n}"), day)
            })
            .collect();
        let agenda = build(d("2026-11-22"), 7, &reminders, &[], &[], &Marks::default());
        assert_eq!((agenda.overdue_total, agenda.total()), (7, 12));
        let ids = |a: &Agenda| a.items().map(|i| i.title.clone()).collect::<Vec<_>>();
        let page = agenda.clone().page(3, 3);
        assert_eq!(ids(&page), ["r4", "r5", "r6", "r11", "r12"]);
        assert_eq!((page.overdue_total, page.total()), (7, 12));
        let head = agenda.clone().head(9);
        assert_eq!(ids(&head).len(), 9);
        assert_eq!(head.days[0].items.len(), 2);
        assert_eq!(head.days[0].total, 5);
        let beyond = agenda.clone().page(100, 3);
        assert_eq!(beyond.items().count(), 0);
        assert_eq!(beyond.total(), 12, "totals remain");
    }

    /// The pane's head, made without making the rest, is the whole agenda's head: the same
    /// rows in the same order (titles breaking ties at the cut), the same totals.
    #[test]
    fn a_head_is_the_head_of_the_whole_agenda() {
        let from = d("2026-11-22");
        let mut reminders: Vec<Reminder> = (1..=9)
            .map(|n| {
                let day = ["2026-11-01", "2026-11-22", "2026-11-25"][(n % 3) as usize];
                reminder(n, &format!("r{n}"), day)
            })
            .collect();
        reminders.sort_by_key(|r| (r.due_date, r.id));
        let cadence = |id: i64, name: &str, last: &str| CadenceRow {
            id: ContactId(id),
            name: name.into(),
            cadence: Every::days(30),
            last_contact: Some(d(last)),
            anchor: d(last),
        };
        // Three lapsed on one day (their titles order them), one on a day of its own, one
        // due in the window, one beyond it.
        let cadences = [
            cadence(1, "Cleo", "2026-10-01"),
            cadence(2, "Ada", "2026-10-01"),
            cadence(3, "Bo", "2026-10-01"),
            cadence(4, "Dee", "2026-09-01"),
            cadence(5, "Eve", "2026-10-24"),
            cadence(6, "Fay", "2026-11-20"),
        ];
        let birthday = |id: i64, name: &str, on: &str| DatesRow {
            id: ContactId(id),
            ..dates(name, on)
        };
        let dated = [
            birthday(7, "Gus", "1990-11-22"),
            birthday(8, "Hal", "11-25"),
            birthday(9, "Ivy", "1985-11-25"),
            birthday(10, "Jo", "1980-06-01"),
        ];
        let mut marks = Marks::default();
        marks.insert(
            (ContactId(4), Occasion::KeepInTouch),
            Mark {
                occurrence: d("2026-10-01"),
                until: Some(d("2026-11-24")),
            },
        );
        let whole = build(from, 7, &reminders, &cadences, &dated, &marks);
        let mut per_date: Vec<(NaiveDate, usize)> = Vec::new();
        for r in &reminders {
            match per_date.last_mut() {
                Some((date, count)) if *date == r.due_date => *count += 1,
                _ => per_date.push((r.due_date, 1)),
            }
        }
        for n in 0..=whole.total() + 1 {
            let open = OpenReminders {
                first: &reminders[..n.min(reminders.len())],
                per_date: &per_date,
            };
            let head = head(from, 7, open, &cadences, &dated, &marks, n);
            assert_eq!(head, whole.clone().head(n), "the first {n}");
        }
        assert_eq!(whole.total(), 9 + 5 + 3);
    }

    #[test]
    fn a_day_lists_reminders_in_the_order_they_were_made() {
        let reminders = [
            reminder(2, "b first made second", "2026-11-22"),
            reminder(1, "z made first", "2026-11-22"),
        ];
        let agenda = build(d("2026-11-22"), 0, &reminders, &[], &[], &Marks::default());
        assert_eq!(
            titles(&agenda),
            [
                ("2026-11-22".to_owned(), "z made first".to_owned()),
                ("2026-11-22".to_owned(), "b first made second".to_owned())
            ]
        );
    }

    #[test]
    fn an_acknowledged_birthday_is_gone_until_next_year() {
        let ada = [dates("Ada", "1815-12-10")];
        let wished = marks(Occasion::Birthday, "2026-12-10", None);
        assert!(build(d("2026-12-05"), 7, &[], &[], &ada, &wished).is_empty());
        let next_year = build(d("2027-12-05"), 7, &[], &[], &ada, &wished);
        assert_eq!(next_year.days[0].date, d("2027-12-10"));
    }

    #[test]
    fn a_snoozed_birthday_shows_on_its_new_day_even_after_the_date() {
        let grace = [dates("Grace", "--12-09")];
        let snoozed = marks(Occasion::Birthday, "2026-12-09", Some("2026-12-11"));
        // Seen from the day after the birthday: still there, on the 11th.
        let agenda = build(d("2026-12-10"), 7, &[], &[], &grace, &snoozed);
        assert_eq!(
            titles(&agenda),
            [("2026-12-11".to_owned(), "Grace's birthday".to_owned())]
        );
        // Seen from before it: once, on the 11th (not also on the 9th).
        let before = build(d("2026-12-01"), 14, &[], &[], &grace, &snoozed);
        assert_eq!(before.items().count(), 1);
        assert_eq!(before.days[0].date, d("2026-12-11"));
    }

    #[test]
    fn keys_read_back() {
        for text in ["r12", "c4:keep-in-touch", "c4:birthday", "c4:anniversary"] {
            let KeyRef::Exact(key) = text.parse::<KeyRef>().unwrap() else {
                panic!("{text}");
            };
            assert_eq!(key.to_string(), text);
        }
        assert_eq!(
            "12".parse::<KeyRef>().unwrap(),
            KeyRef::Exact(ItemKey::Reminder(ReminderId(12)))
        );
        assert_eq!(
            "c4".parse::<KeyRef>().unwrap(),
            KeyRef::Contact(ContactId(4))
        );
        assert!("c4:lunch".parse::<KeyRef>().is_err());
        assert!("x".parse::<KeyRef>().is_err());
    }

    #[test]
    fn buckets() {
        let today = d("2026-11-22");
        assert_eq!(Bucket::of(d("2026-11-21"), today), Bucket::Overdue);
        assert_eq!(Bucket::of(today, today), Bucket::Today);
        assert_eq!(Bucket::of(d("2026-11-29"), today), Bucket::ThisWeek);
        assert_eq!(Bucket::of(d("2026-11-30"), today), Bucket::Later);
        assert_eq!(relative_day(d("2026-11-19"), today), "3 days ago");
    }
}
