//! iCalendar (RFC 5545) export: birthdays and anniversaries as all-day yearly events,
//! follow-ups and stay-in-touch cadences as to-dos with alarms. Dates are DATE values (no
//! time zone can shift a birthday), UIDs are stable, and SEQUENCE / LAST-MODIFIED come from
//! the record's own `updated_at`, so exporting twice gives the same file and a calendar app
//! updates an item instead of duplicating it.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::content_line::{escape, fold};
use crate::domain::contact::Contact;
use crate::domain::reminder::{Reminder, Status};
use crate::domain::when::{Every, PartialDate, Unit};

/// A stay-in-touch to-do: who, how often, when due, and the last time you spoke.
pub struct Cadence<'a> {
    pub contact: &'a Contact,
    pub every: Every,
    pub due: NaiveDate,
    pub last: Option<NaiveDate>,
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn day(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// A sequence number that grows whenever the item changes: minutes since 2020 of its last
/// change. (rolo keeps no revision counter; `updated_at` only ever moves forward.)
fn sequence(changed: DateTime<Utc>) -> i64 {
    (changed.timestamp() - 1_577_836_800).max(0) / 60
}

fn stamp(lines: &mut Vec<String>, changed: DateTime<Utc>) {
    lines.push(format!("DTSTAMP:{}", utc(changed)));
    lines.push(format!("LAST-MODIFIED:{}", utc(changed)));
    lines.push(format!("SEQUENCE:{}", sequence(changed)));
}

fn alarm(lines: &mut Vec<String>, trigger: &str, description: &str) {
    lines.push("BEGIN:VALARM".to_owned());
    lines.push("ACTION:DISPLAY".to_owned());
    lines.push(format!("DESCRIPTION:{}", escape(description)));
    lines.push(format!("TRIGGER{trigger}"));
    lines.push("END:VALARM".to_owned());
}

/// A yearly all-day event. Feb 29 recurs on the last day of February, so it shows on the
/// 28th in common years; a year-less date starts in 2000 and names no age.
fn yearly(lines: &mut Vec<String>, uid: &str, contact: &Contact, date: PartialDate, what: &str) {
    let leap_day = date.month == 2 && date.day == 29;
    let start = NaiveDate::from_ymd_opt(date.year.unwrap_or(2000), date.month, date.day)
        .or_else(|| NaiveDate::from_ymd_opt(2000, date.month, date.day))
        .unwrap_or_default();
    lines.push("BEGIN:VEVENT".to_owned());
    lines.push(format!("UID:{uid}"));
    stamp(lines, contact.updated_at);
    lines.push(format!("DTSTART;VALUE=DATE:{}", day(start)));
    lines.push(format!("DTEND;VALUE=DATE:{}", day(start + Days::new(1))));
    let month_day = if leap_day {
        "-1".to_owned()
    } else {
        date.day.to_string()
    };
    lines.push(format!(
        "RRULE:FREQ=YEARLY;BYMONTH={};BYMONTHDAY={month_day}",
        date.month
    ));
    lines.push(format!(
        "SUMMARY:{}",
        escape(&format!("{} — {what}", contact.display_name))
    ));
    lines.push(format!("CATEGORIES:{}", what.to_uppercase()));
    lines.push("TRANSP:TRANSPARENT".to_owned());
    alarm(
        lines,
        ":-P7D",
        &format!("{}'s {what} in a week", contact.display_name),
    );
    lines.push("END:VEVENT".to_owned());
}

/// A recurring reminder as calendars must see it: the occurrence it is at, and the anchor
/// its series is counted from.
pub struct Todo<'a> {
    pub reminder: &'a Reminder,
    pub anchor: NaiveDate,
}

/// How far ahead the February dates of a 29th/30th series are listed as RDATEs.
const RDATE_YEARS: u32 = 10;

/// The DTSTART, RRULE and RDATE lines that make every reader produce the dates rolo's own
/// `done` gives (see `Every::nth`: a series keeps its anchor day, the month's last day where
/// the day does not exist). RFC 5545 skips months that lack the day, so the rule is chosen per
/// case, in the forms measured to agree in dateutil (recurring-ical-events, vobject), ical.js
/// and libical:
/// - days, weeks, and months from a day up to the 28th: the plain rule;
/// - months from the 31st: `BYMONTHDAY=-1` (the last day of every month);
/// - yearly from Feb 29: `BYMONTH=2;BYMONTHDAY=-1` (Feb 28, and Feb 29 in leap years);
/// - months from the 29th or 30th whose cycle reaches February: the plain rule, plus an RDATE
///   for each February date for ten years (`BYSETPOS`, the exact form, is ignored by ical.js).
fn recurrence(lines: &mut Vec<String>, start: NaiveDate, anchor: NaiveDate, every: Every) {
    let interval = every.count;
    let anchor_day = anchor.day();
    lines.push(format!("DTSTART;VALUE=DATE:{}", day(start)));
    let rule = match every.unit {
        Unit::Day => format!("FREQ=DAILY;INTERVAL={interval}"),
        Unit::Week => format!("FREQ=WEEKLY;INTERVAL={interval}"),
        Unit::Year if anchor.month() == 2 && anchor_day == 29 => {
            format!("FREQ=YEARLY;INTERVAL={interval};BYMONTH=2;BYMONTHDAY=-1")
        }
        Unit::Year => format!("FREQ=YEARLY;INTERVAL={interval}"),
        Unit::Month if anchor_day == 31 => {
            format!("FREQ=MONTHLY;INTERVAL={interval};BYMONTHDAY=-1")
        }
        Unit::Month if anchor_day >= 29 && start.day() != anchor_day => {
            // Starting on a clamped February date: the rule names the anchor day.
            format!("FREQ=MONTHLY;INTERVAL={interval};BYMONTHDAY={anchor_day}")
        }
        Unit::Month => format!("FREQ=MONTHLY;INTERVAL={interval}"),
    };
    lines.push(format!("RRULE:{rule}"));
    if every.unit == Unit::Month && (29..=30).contains(&anchor_day) {
        let horizon = start
            .checked_add_months(chrono::Months::new(12 * RDATE_YEARS))
            .unwrap_or(NaiveDate::MAX);
        let first = every.index_after(anchor, start.pred_opt().unwrap_or(start));
        let clamped: Vec<String> = (first..=first.saturating_add(12 * RDATE_YEARS))
            .map(|n| every.nth(anchor, n))
            .take_while(|d| *d <= horizon)
            .filter(|d| d.day() != anchor_day)
            .map(day)
            .collect();
        if !clamped.is_empty() {
            lines.push(format!("RDATE;VALUE=DATE:{}", clamped.join(",")));
        }
    }
}

/// A reminder as one VTODO, or, for a recurring one a snooze moved, two: the series, whose
/// DTSTART and DUE are the occurrence the snooze moved (so every later occurrence keeps the
/// series' own dates), and that occurrence alone, with the same UID and a RECURRENCE-ID
/// naming it, due on the day it was moved to (RFC 5545 §3.8.4.4, §3.8.5.3).
fn follow_up(lines: &mut Vec<String>, todo: &Todo<'_>) {
    let r = todo.reminder;
    let Some(every) = r.recurrence else {
        todo_component(lines, r, r.due_date, |_| {});
        return;
    };
    // The series' last occurrence on or before the due date is the one the snooze moved
    // (a snooze past later occurrences skips them, as `rolo done` does: it continues after
    // the due date). Unsnoozed, it is the due date itself.
    let occurrence = every.last_on_or_before(todo.anchor, r.due_date);
    todo_component(lines, r, occurrence, |lines| {
        // RFC 5545 requires DTSTART with an RRULE: the series starts on this occurrence.
        recurrence(lines, occurrence, todo.anchor, every);
    });
    if occurrence != r.due_date {
        todo_component(lines, r, r.due_date, |lines| {
            lines.push(format!("RECURRENCE-ID;VALUE=DATE:{}", day(occurrence)));
            lines.push(format!("DTSTART;VALUE=DATE:{}", day(r.due_date)));
        });
    }
}

/// One VTODO due on `due`; `dates` adds the lines that place it in a series.
fn todo_component(
    lines: &mut Vec<String>,
    r: &Reminder,
    due: NaiveDate,
    dates: impl FnOnce(&mut Vec<String>),
) {
    lines.push("BEGIN:VTODO".to_owned());
    lines.push(format!("UID:{}", r.uid));
    stamp(lines, r.updated_at);
    dates(lines);
    lines.push(format!("DUE;VALUE=DATE:{}", day(due)));
    let summary = match &r.contact_name {
        Some(name) if !r.title.contains(name.as_str()) => format!("{} ({name})", r.title),
        _ => r.title.clone(),
    };
    lines.push(format!("SUMMARY:{}", escape(&summary)));
    match r.status {
        Status::Open => lines.push("STATUS:NEEDS-ACTION".to_owned()),
        Status::Done => {
            lines.push("STATUS:COMPLETED".to_owned());
            lines.push("PERCENT-COMPLETE:100".to_owned());
            if let Some(at) = r.completed_at {
                lines.push(format!("COMPLETED:{}", utc(at)));
            }
        }
        Status::Dismissed => lines.push("STATUS:CANCELLED".to_owned()),
    }
    lines.push(format!("CATEGORIES:{}", r.source.as_str().to_uppercase()));
    if r.status == Status::Open {
        alarm(lines, ";RELATED=END:PT9H", &r.title);
    }
    lines.push("END:VTODO".to_owned());
}

fn cadence(lines: &mut Vec<String>, c: &Cadence<'_>) {
    let contact = c.contact;
    // The to-do changes when the contact does or when they are contacted again.
    let changed = contact
        .updated_at
        .max(contact.last_interaction_at.unwrap_or(contact.updated_at));
    lines.push("BEGIN:VTODO".to_owned());
    lines.push(format!("UID:cadence-{}@rolo", contact.uid));
    stamp(lines, changed);
    lines.push(format!("DUE;VALUE=DATE:{}", day(c.due)));
    let last = c.last.map_or("never".to_owned(), |d| d.to_string());
    lines.push(format!(
        "SUMMARY:{}",
        escape(&format!(
            "Catch up with {} (every {}; last: {last})",
            contact.display_name, c.every
        ))
    ));
    lines.push("STATUS:NEEDS-ACTION".to_owned());
    lines.push("CATEGORIES:STAY-IN-TOUCH".to_owned());
    alarm(
        lines,
        ";RELATED=END:PT9H",
        &format!("Catch up with {}", contact.display_name),
    );
    lines.push("END:VTODO".to_owned());
}

/// The whole calendar.
pub fn write(contacts: &[Contact], reminders: &[Todo<'_>], cadences: &[Cadence<'_>]) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//rolo//rolo//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "X-WR-CALNAME:rolo".to_owned(),
    ];
    for c in contacts {
        if let Some(date) = c.birthday {
            yearly(
                &mut lines,
                &format!("bday-{}@rolo", c.uid),
                c,
                date,
                "birthday",
            );
        }
        if let Some(date) = c.anniversary {
            yearly(
                &mut lines,
                &format!("anniversary-{}@rolo", c.uid),
                c,
                date,
                "anniversary",
            );
        }
    }
    for r in reminders {
        follow_up(&mut lines, r);
    }
    for c in cadences {
        cadence(&mut lines, c);
    }
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for line in &lines {
        fold(line, &mut out);
    }
    out
}
