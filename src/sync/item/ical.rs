//! Reminders as VTODOs and interactions as VJOURNALs, written and read over rolo's
//! content-line reader; what another app put in an item is kept in [`Extra`] and written
//! back.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ItemError, categories, contact_uri, day, due, instant, local_uid, tags_from, utc};
use crate::clock::Clock;
use crate::domain::record::{EventRecord, InteractionRecord, ReminderRecord};
use crate::domain::when::{Every, Unit};
use crate::interop::component::{self, Component};
use crate::interop::content_line::{self, Property, escape, fold};

/// What an iCalendar item carries that rolo does not model, kept to be written back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    /// Raw content lines of the item's own unmodelled properties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<String>,
    /// Its sub-components (alarms …), as text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
    /// The calendar's other properties (CALSCALE …) and components (VTIMEZONE …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendar_props: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calendar_children: Vec<String>,
}

impl Extra {
    pub fn to_text(&self) -> Option<String> {
        (*self != Extra::default())
            .then(|| serde_json::to_string(self).ok())
            .flatten()
    }

    pub fn from_text(text: Option<&str>) -> Extra {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }
}

fn component_text(c: &Component) -> String {
    let mut out = String::new();
    c.write(&mut out);
    out
}

/// Wraps an item's own lines into a VCALENDAR with what it kept.
fn calendar(component: &str, lines: &[String], extra: &Extra) -> String {
    let written: Vec<String> = lines
        .iter()
        .filter_map(|l| content_line::parse(l).map(|p| p.name))
        .collect();
    let mut out = String::new();
    fold("BEGIN:VCALENDAR", &mut out);
    fold("VERSION:2.0", &mut out);
    fold("PRODID:-//rolo//rolo//EN", &mut out);
    for line in &extra.calendar_props {
        fold(line, &mut out);
    }
    fold(&format!("BEGIN:{component}"), &mut out);
    for line in lines {
        fold(line, &mut out);
    }
    // A kept property rolo now writes itself (an RRULE it learned to model) is not doubled.
    for line in &extra.props {
        if content_line::parse(line).is_none_or(|p| !written.contains(&p.name)) {
            fold(line, &mut out);
        }
    }
    for child in &extra.children {
        out.push_str(child);
    }
    fold(&format!("END:{component}"), &mut out);
    for child in &extra.calendar_children {
        out.push_str(child);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// The first `name` component of an iCalendar object and everything around it.
fn item_of(text: &str, name: &str) -> Result<(Component, Extra), ItemError> {
    let cals = component::read(text).map_err(|e| ItemError::Ical(e.to_string()))?;
    let cal = cals
        .into_iter()
        .find(|c| c.name == "VCALENDAR")
        .ok_or(ItemError::Missing("VCALENDAR"))?;
    let mut extra = Extra::default();
    let mut item = None;
    for child in cal.children {
        if item.is_none() && child.name == name {
            item = Some(child);
        } else {
            extra.calendar_children.push(component_text(&child));
        }
    }
    extra.calendar_props = cal
        .properties
        .iter()
        .filter(|p| !matches!(p.name.as_str(), "VERSION" | "PRODID"))
        .map(|p| p.raw.clone())
        .collect();
    let item = item.ok_or(match name {
        "VTODO" => ItemError::Missing("VTODO"),
        _ => ItemError::Missing("VJOURNAL"),
    })?;
    extra.children = item.children.iter().map(component_text).collect();
    Ok((item, extra))
}

fn stamps(lines: &mut Vec<String>, created: DateTime<Utc>, updated: DateTime<Utc>) {
    lines.push(format!("DTSTAMP:{}", utc(updated)));
    lines.push(format!("CREATED:{}", utc(created)));
    lines.push(format!("LAST-MODIFIED:{}", utc(updated)));
}

fn contact_line(uid: &str, names: &dyn Fn(&str) -> Option<String>) -> String {
    let name = names(uid).unwrap_or_else(|| uid.to_owned());
    format!("CONTACT;ALTREP=\"{}\":{}", contact_uri(uid), escape(&name))
}

/// An interaction as a VJOURNAL: no ORGANIZER or ATTENDEE, so no server sends invitations;
/// each participant is a CONTACT naming the contact's UID.
pub fn write_interaction(
    i: &InteractionRecord,
    extra: &Extra,
    names: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut lines = vec![format!("UID:{}", i.uid)];
    stamps(&mut lines, i.created_at, i.updated_at);
    lines.push(format!("DTSTART:{}", utc(i.happened_at)));
    lines.push(format!("SUMMARY:{}", escape(&i.summary)));
    if let Some(body) = &i.body {
        lines.push(format!("DESCRIPTION:{}", escape(body)));
    }
    lines.extend(categories(&i.tags));
    for p in &i.participants {
        lines.push(contact_line(p, names));
    }
    lines.push(format!("X-ROLO-KIND:{}", escape(&i.kind)));
    if let Some(location) = &i.location {
        lines.push(format!("X-ROLO-LOCATION:{}", escape(location)));
    }
    calendar("VJOURNAL", &lines, extra)
}

fn participant(p: &Property) -> Option<String> {
    p.param("ALTREP")
        .and_then(|v| v.first())
        .map(|uri| local_uid(uri))
        .filter(|u| !u.is_empty())
}

pub fn read_interaction(
    text: &str,
    existing: Option<&InteractionRecord>,
    clock: &Clock,
) -> Result<(InteractionRecord, String, Extra), ItemError> {
    let (item, mut extra) = item_of(text, "VJOURNAL")?;
    let remote_uid = item.text("UID").ok_or(ItemError::Missing("UID"))?;
    let at = |name: &str| item.property(name).and_then(|p| instant(p, clock));
    let updated = at("LAST-MODIFIED").or_else(|| at("DTSTAMP"));
    let body = item.text("DESCRIPTION").filter(|b| !b.is_empty());
    let summary = item
        .text("SUMMARY")
        .filter(|s| !s.trim().is_empty())
        .or_else(|| {
            body.as_deref()
                .and_then(|b| b.lines().next())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "(no summary)".to_owned());
    let mut participants = Vec::new();
    let mut seen_description = false;
    for p in &item.properties {
        let modelled = match p.name.as_str() {
            "UID" | "DTSTAMP" | "CREATED" | "LAST-MODIFIED" | "DTSTART" | "SUMMARY"
            | "CATEGORIES" | "X-ROLO-KIND" | "X-ROLO-LOCATION" => true,
            "DESCRIPTION" => !std::mem::replace(&mut seen_description, true),
            "CONTACT" => match participant(p) {
                Some(uid) if !participants.contains(&uid) => {
                    participants.push(uid);
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if !modelled {
            extra.props.push(p.raw.clone());
        }
    }
    let record = InteractionRecord {
        uid: local_uid(&remote_uid),
        happened_at: at("DTSTART")
            .or(existing.map(|e| e.happened_at))
            .or(updated)
            .unwrap_or(clock.now),
        kind: item
            .text("X-ROLO-KIND")
            .filter(|k| !k.trim().is_empty())
            .unwrap_or_else(|| "note".to_owned()),
        summary,
        body,
        location: item.text("X-ROLO-LOCATION").filter(|l| !l.is_empty()),
        participants,
        tags: tags_from(&item.all("CATEGORIES").collect::<Vec<_>>()),
        created_at: at("CREATED")
            .or(existing.map(|e| e.created_at))
            .or(updated)
            .unwrap_or(clock.now),
        updated_at: updated
            .or(existing.map(|e| e.updated_at))
            .unwrap_or(clock.now),
        deleted_at: None,
    };
    Ok((record, remote_uid, extra))
}

fn rrule(every: Every) -> String {
    let freq = match every.unit {
        Unit::Day => "DAILY",
        Unit::Week => "WEEKLY",
        Unit::Month => "MONTHLY",
        Unit::Year => "YEARLY",
    };
    format!("RRULE:FREQ={freq};INTERVAL={}", every.count)
}

/// `FREQ=WEEKLY;INTERVAL=2` as rolo's "2w"; a rule with more in it is not rolo's to model.
fn every_of(rule: &str) -> Option<Every> {
    let mut unit = None;
    let mut count = 1;
    for part in rule.split(';') {
        let (key, value) = part.split_once('=')?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" => {
                unit = Some(match value.to_ascii_uppercase().as_str() {
                    "DAILY" => Unit::Day,
                    "WEEKLY" => Unit::Week,
                    "MONTHLY" => Unit::Month,
                    "YEARLY" => Unit::Year,
                    _ => return None,
                });
            }
            "INTERVAL" => count = value.parse().ok().filter(|n| *n > 0)?,
            _ => return None,
        }
    }
    Some(Every { count, unit: unit? })
}

/// A reminder as a VTODO: DUE a date (or a floating date-time), the recurrence as RRULE,
/// the contact as a CONTACT naming its UID.
pub fn write_reminder(
    r: &ReminderRecord,
    extra: &Extra,
    names: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut lines = vec![format!("UID:{}", r.uid)];
    stamps(&mut lines, r.created_at, r.updated_at);
    lines.push(format!("SUMMARY:{}", escape(&r.title)));
    match &r.due_time {
        Some(t) => lines.push(format!("DUE:{}T{}00", day(r.due_date), t.replace(':', ""))),
        None => lines.push(format!("DUE;VALUE=DATE:{}", day(r.due_date))),
    }
    match r.status.as_str() {
        "done" => {
            lines.push("STATUS:COMPLETED".to_owned());
            lines.push("PERCENT-COMPLETE:100".to_owned());
        }
        "dismissed" => lines.push("STATUS:CANCELLED".to_owned()),
        _ => lines.push("STATUS:NEEDS-ACTION".to_owned()),
    }
    if let Some(at) = r.completed_at {
        lines.push(format!("COMPLETED:{}", utc(at)));
    }
    if let Some(every) = r
        .recurrence
        .as_deref()
        .and_then(|e| e.parse::<Every>().ok())
    {
        lines.push(rrule(every));
    }
    if let Some(contact) = &r.contact {
        lines.push(contact_line(contact, names));
    }
    lines.push(format!("X-ROLO-SOURCE:{}", r.source));
    if let Some(anchor) = r.anchor_date {
        lines.push(format!("X-ROLO-ANCHOR:{anchor}"));
    }
    if r.snooze_count > 0 {
        lines.push(format!("X-ROLO-SNOOZES:{}", r.snooze_count));
    }
    if let Some(i) = &r.interaction {
        lines.push(format!("X-ROLO-INTERACTION:{}", escape(i)));
    }
    let d = |d: Option<NaiveDate>| d.map_or("-".to_owned(), |d| d.to_string());
    for e in &r.events {
        lines.push(format!(
            "X-ROLO-EVENT:{} {} {} {}",
            utc(e.at),
            e.event,
            d(e.from_date),
            d(e.to_date)
        ));
    }
    calendar("VTODO", &lines, extra)
}

fn event(text: &str, clock: &Clock) -> Option<EventRecord> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [at, event, from, to] = parts.as_slice() else {
        return None;
    };
    let at = instant(&content_line::parse(&format!("X:{at}"))?, clock)?;
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    matches!(*event, "snoozed" | "done" | "dismissed" | "reopened").then(|| EventRecord {
        at,
        event: (*event).to_owned(),
        from_date: date(from),
        to_date: date(to),
    })
}

pub fn read_reminder(
    text: &str,
    existing: Option<&ReminderRecord>,
    clock: &Clock,
) -> Result<(ReminderRecord, String, Extra), ItemError> {
    let (item, mut extra) = item_of(text, "VTODO")?;
    let remote_uid = item.text("UID").ok_or(ItemError::Missing("UID"))?;
    let at = |name: &str| item.property(name).and_then(|p| instant(p, clock));
    let updated = at("LAST-MODIFIED").or_else(|| at("DTSTAMP"));
    let (due_date, due_time) = item
        .property("DUE")
        .or_else(|| item.property("DTSTART"))
        .and_then(|p| due(p, clock))
        .or_else(|| existing.map(|e| (e.due_date, e.due_time.clone())))
        .unwrap_or((clock.today(), None));
    let recurrence = item
        .property("RRULE")
        .and_then(|p| every_of(&p.value))
        .map(|e| e.to_string());
    let mut contact = None;
    let mut events = Vec::new();
    for p in &item.properties {
        let modelled = match p.name.as_str() {
            "UID" | "DTSTAMP" | "CREATED" | "LAST-MODIFIED" | "SUMMARY" | "DUE" | "STATUS"
            | "PERCENT-COMPLETE" | "COMPLETED" | "X-ROLO-SOURCE" | "X-ROLO-SNOOZES"
            | "X-ROLO-INTERACTION" | "X-ROLO-ANCHOR" => true,
            "RRULE" => recurrence.is_some(),
            "CONTACT" if contact.is_none() => {
                contact = participant(p);
                contact.is_some()
            }
            "X-ROLO-EVENT" => match event(&p.value, clock) {
                Some(e) => {
                    events.push(e);
                    true
                }
                None => false,
            },
            _ => false,
        };
        if !modelled {
            extra.props.push(p.raw.clone());
        }
    }
    let status = match item
        .text("STATUS")
        .unwrap_or_default()
        .to_ascii_uppercase()
        .as_str()
    {
        "COMPLETED" => "done",
        "CANCELLED" => "dismissed",
        _ => "open",
    };
    let source = item
        .text("X-ROLO-SOURCE")
        .filter(|s| matches!(s.as_str(), "manual" | "follow-up" | "import"))
        .unwrap_or_else(|| "import".to_owned());
    let record = ReminderRecord {
        uid: local_uid(&remote_uid),
        title: item
            .text("SUMMARY")
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "(untitled)".to_owned()),
        contact,
        due_date,
        due_time,
        recurrence,
        status: status.to_owned(),
        snooze_count: item
            .text("X-ROLO-SNOOZES")
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0),
        source,
        interaction: item.text("X-ROLO-INTERACTION").filter(|i| !i.is_empty()),
        anchor_date: item
            .text("X-ROLO-ANCHOR")
            .and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()),
        completed_at: at("COMPLETED"),
        created_at: at("CREATED")
            .or(existing.map(|e| e.created_at))
            .or(updated)
            .unwrap_or(clock.now),
        updated_at: updated
            .or(existing.map(|e| e.updated_at))
            .unwrap_or(clock.now),
        deleted_at: None,
        events,
    };
    Ok((record, remote_uid, extra))
}
