//! What is due: open reminders, lapsed stay-in-touch cadences, birthdays and anniversaries,
//! grouped into overdue, today and the coming days. Pure: the store supplies the rows, the
//! caller supplies "today".

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::contact::{ContactId, stay_in_touch_due};
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
    /// Local date the contact was added: the anchor when they were never logged.
    pub created: NaiveDate,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    pub date: NaiveDate,
    #[serde(flatten)]
    pub kind: ItemKind,
    pub title: String,
    pub contact_id: Option<ContactId>,
    pub contact: Option<String>,
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

/// Builds the agenda for `from ..= from + days`, with overdue items (dated before `from`)
/// always included. Birthdays are never "overdue": a missed one simply moves to next year.
pub fn build(
    from: NaiveDate,
    days: u32,
    reminders: &[Reminder],
    cadences: &[CadenceRow],
    dates: &[DatesRow],
) -> Agenda {
    let until = from
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    let mut items: Vec<AgendaItem> = Vec::new();
    for r in reminders.iter().filter(|r| r.due_date <= until) {
        items.push(AgendaItem {
            date: r.due_date,
            kind: ItemKind::Reminder {
                id: r.id,
                source: r.source,
                recurring: r.recurrence,
            },
            title: r.title.clone(),
            contact_id: r.contact,
            contact: r.contact_name.clone(),
        });
    }
    for c in cadences {
        let Some(due) = stay_in_touch_due(Some(c.cadence), c.last_contact, c.created) else {
            continue;
        };
        if due <= until {
            items.push(AgendaItem {
                date: due,
                kind: ItemKind::StayInTouch {
                    cadence: c.cadence,
                    last_contact: c.last_contact,
                },
                title: format!("Catch up with {} (every {})", c.name, c.cadence),
                contact_id: Some(c.id),
                contact: Some(c.name.clone()),
            });
        }
    }
    for c in dates {
        let occurrences = [(c.birthday, true), (c.anniversary, false)];
        for (date, is_birthday) in occurrences {
            let Some(date) = date else { continue };
            let Some(next) = date.next_on_or_after(from) else {
                continue;
            };
            if next > until {
                continue;
            }
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
            items.push(AgendaItem {
                date: next,
                kind,
                title,
                contact_id: Some(c.id),
                contact: Some(c.name.clone()),
            });
        }
    }
    items.sort_by(|a, b| order_key(a).cmp(&order_key(b)));

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
        let agenda = build(d("2026-11-22"), 7, &reminders, &[], &[]);
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
            created: d("2026-01-01"),
        };
        let lapsed = build(d("2026-11-22"), 7, &[], &[row(Some("2026-10-01"))], &[]);
        assert_eq!(lapsed.overdue[0].date, d("2026-10-31"));
        let fresh = build(d("2026-11-22"), 7, &[], &[row(Some("2026-11-20"))], &[]);
        assert!(fresh.is_empty());
        let never = build(d("2026-11-22"), 7, &[], &[row(None)], &[]);
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
        let agenda = build(d("2027-02-25"), 7, &[], &[], &[dates("Leap", "1996-02-29")]);
        assert_eq!(
            titles(&agenda),
            [(
                "2027-02-28".to_owned(),
                "Leap's birthday (turns 31)".to_owned()
            )]
        );
        let leap_year = build(d("2028-02-25"), 7, &[], &[], &[dates("Leap", "1996-02-29")]);
        assert_eq!(leap_year.days[0].date, d("2028-02-29"));
    }

    #[test]
    fn missed_birthdays_are_not_overdue() {
        let agenda = build(d("2026-12-20"), 7, &[], &[], &[dates("Ada", "1815-12-10")]);
        assert!(agenda.is_empty());
    }

    #[test]
    fn pages_and_heads_keep_the_totals() {
        let reminders: Vec<Reminder> = (1..=12)
            .map(|n| {
                let day = if n <= 7 { "2026-11-01" } else { "2026-11-23" };
                reminder(n, &format!("r{n}"), day)
            })
            .collect();
        let agenda = build(d("2026-11-22"), 7, &reminders, &[], &[]);
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

    #[test]
    fn a_day_lists_reminders_in_the_order_they_were_made() {
        let reminders = [
            reminder(2, "b first made second", "2026-11-22"),
            reminder(1, "z made first", "2026-11-22"),
        ];
        let agenda = build(d("2026-11-22"), 0, &reminders, &[], &[]);
        assert_eq!(
            titles(&agenda),
            [
                ("2026-11-22".to_owned(), "z made first".to_owned()),
                ("2026-11-22".to_owned(), "b first made second".to_owned())
            ]
        );
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
