//! iCalendar (RFC 5545) export: birthdays and anniversaries as all-day yearly events,
//! follow-ups and stay-in-touch cadences as to-dos with alarms. Dates are DATE values (no
//! time zone can shift a birthday), UIDs are stable, and SEQUENCE / LAST-MODIFIED come from
//! the record's own `updated_at`, so exporting twice gives the same file and a calendar app
//! updates an item instead of duplicating it.

use chrono::{DateTime, Days, NaiveDate, Utc};

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

fn rrule(every: Every) -> String {
    let (freq, interval) = match every.unit {
        Unit::Day => ("DAILY", every.count),
        Unit::Week => ("WEEKLY", every.count),
        Unit::Month => ("MONTHLY", every.count),
        Unit::Year => ("YEARLY", every.count),
    };
    format!("RRULE:FREQ={freq};INTERVAL={interval}")
}

fn follow_up(lines: &mut Vec<String>, r: &Reminder) {
    lines.push("BEGIN:VTODO".to_owned());
    lines.push(format!("UID:{}", r.uid));
    stamp(lines, r.updated_at);
    lines.push(format!("DUE;VALUE=DATE:{}", day(r.due_date)));
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
    if let Some(every) = r.recurrence {
        lines.push(rrule(every));
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
pub fn write(contacts: &[Contact], reminders: &[Reminder], cadences: &[Cadence<'_>]) -> String {
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
