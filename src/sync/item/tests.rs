use chrono::TimeZone;

use super::*;
use crate::domain::contact::{ContactField, FieldKind};
use crate::domain::contact::{NameParts, PostalAddress};
use crate::domain::record::EventRecord;

fn clock() -> Clock {
    Clock::fixed(
        Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap(),
        chrono::FixedOffset::east_opt(3600).unwrap(),
    )
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, day, 9, 30, 0).unwrap()
}

fn ada() -> ContactRecord {
    ContactRecord {
        uid: "0194c2a0-0000-7000-8000-00000000000a".into(),
        display_name: "Ada Lovelace".into(),
        name: NameParts::guess("Ada Lovelace"),
        nickname: Some("Countess".into()),
        company: Some("Engines, Ltd.".into()),
        title: Some("Poet; mathematician".into()),
        fields: vec![
            ContactField::new(FieldKind::Url, "https://example.com"),
            ContactField {
                preferred: true,
                ..ContactField::new(FieldKind::Email, "ada@example.com").labelled("work")
            },
            ContactField::postal(PostalAddress {
                street: "1 Main St".into(),
                locality: "London".into(),
                ..PostalAddress::default()
            }),
        ],
        birthday: Some("--12-10".into()),
        anniversary: Some("1835-07-08".into()),
        met_text: Some("at a ball, with friends".into()),
        met_date: chrono::NaiveDate::from_ymd_opt(1833, 6, 5),
        introduced_by: Some("babbage@rolo.example".into()),
        notes: Some("one, two; three\nfour \\ five".into()),
        tags: vec!["a,b".into(), "math".into()],
        cadence: Some("30d".into()),
        archived: true,
        vcard_extra: Some("X-PHONETIC-FIRST-NAME:Ay-da".into()),
        created_at: at(1),
        updated_at: at(2),
        deleted_at: None,
        marks: vec![
            crate::domain::record::MarkRecord {
                occasion: crate::domain::agenda::Occasion::KeepInTouch,
                occurrence: chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                until: chrono::NaiveDate::from_ymd_opt(2026, 11, 9),
            },
            crate::domain::record::MarkRecord {
                occasion: crate::domain::agenda::Occasion::Birthday,
                occurrence: chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                until: None,
            },
        ],
    }
}

#[test]
fn a_contact_comes_back_exactly() {
    let c = ada();
    let remote_uid = remote_uid_for(Table::Contacts, &c.uid);
    assert_eq!(remote_uid, format!("urn:uuid:{}", c.uid));
    let text = write_contact(&c, &remote_uid);
    assert!(text.contains("UID:urn:uuid:"), "{text}");
    assert!(text.contains("CATEGORIES:a\\,b,math"), "{text}");
    assert!(text.contains("RELATED;TYPE=x-introduced-by;VALUE=uri:babbage@rolo.example"));
    let (back, uid) = read_contact(&text, "x", None, &clock()).unwrap();
    assert_eq!(uid, remote_uid);
    assert_eq!(back, c);
}

#[test]
fn fields_keep_their_order_when_a_server_sorts_properties() {
    let c = ada();
    let text = write_contact(&c, &c.uid);
    let mut lines: Vec<String> = content_line::unfold(&text)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    let end = lines.len() - 1;
    lines[2..end].sort_unstable(); // what Radicale does, roughly
    let sorted = lines.join("\r\n");
    let (back, _) = read_contact(&sorted, "x", None, &clock()).unwrap();
    assert_eq!(back.fields, c.fields);
}

#[test]
fn a_foreign_card_takes_defaults_from_the_record_rolo_has() {
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:abc@phone\r\nFN:Kay\r\nEND:VCARD\r\n";
    let (first, uid) = read_contact(card, "x", None, &clock()).unwrap();
    assert_eq!(
        (first.uid.as_str(), uid.as_str()),
        ("abc@phone", "abc@phone")
    );
    assert_eq!(first.updated_at, clock().now);
    let later = clock().at(clock().now + chrono::Duration::hours(1));
    let (again, _) = read_contact(card, "x", Some(&first), &later).unwrap();
    assert_eq!(
        again, first,
        "reading the same card twice gives the same record"
    );
}

#[allow(clippy::unnecessary_wraps)] // the shape item::write asks for
fn names(uid: &str) -> Option<String> {
    Some(format!("Name of {uid}"))
}

#[test]
fn an_interaction_comes_back_exactly() {
    let i = InteractionRecord {
        uid: "0194c2a0-0000-7000-8000-0000000000a1".into(),
        happened_at: at(5),
        kind: "hackathon".into(),
        summary: "lunch, loops; and more".into(),
        body: Some("line\nline, two".into()),
        location: Some("The Ivy; London".into()),
        participants: vec![
            "b-uid".into(),
            "0194c2a0-0000-7000-8000-00000000000a".into(),
        ],
        tags: vec!["x,y".into(), "z".into()],
        created_at: at(5),
        updated_at: at(6),
        deleted_at: None,
    };
    let text = write_interaction(&i, &Extra::default(), &names);
    assert!(!text.contains("ORGANIZER") && !text.contains("ATTENDEE"));
    assert!(text.contains("CONTACT;ALTREP=\"urn:uuid:0194c2a0-0000-7000-8000-00000000000a\""));
    let (back, uid, extra) = read_interaction(&text, None, &clock()).unwrap();
    assert_eq!(uid, i.uid);
    assert_eq!(back, i);
    assert_eq!(extra, Extra::default());
}

fn reminder() -> ReminderRecord {
    ReminderRecord {
        uid: "0194c2a0-0000-7000-8000-0000000000b1".into(),
        title: "send the deck, with notes".into(),
        contact: Some("0194c2a0-0000-7000-8000-00000000000a".into()),
        due_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        due_time: Some("14:30".into()),
        recurrence: Some("2w".into()),
        anchor_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 31),
        status: "done".into(),
        snooze_count: 2,
        source: "follow-up".into(),
        interaction: Some("0194c2a0-0000-7000-8000-0000000000a1".into()),
        completed_at: Some(at(9)),
        created_at: at(1),
        updated_at: at(9),
        deleted_at: None,
        events: vec![
            EventRecord {
                at: at(3),
                event: "snoozed".into(),
                from_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
                to_date: chrono::NaiveDate::from_ymd_opt(2026, 12, 1),
            },
            EventRecord {
                at: at(9),
                event: "done".into(),
                from_date: None,
                to_date: None,
            },
        ],
    }
}

#[test]
fn a_reminder_comes_back_exactly() {
    let r = reminder();
    let text = write_reminder(&r, &Extra::default(), &names);
    assert!(text.contains("DUE:20261201T143000"), "{text}");
    assert!(text.contains("RRULE:FREQ=WEEKLY;INTERVAL=2"));
    assert!(text.contains("STATUS:COMPLETED"));
    let (back, _, _) = read_reminder(&text, None, &clock()).unwrap();
    assert_eq!(back, r);
    let open = ReminderRecord {
        due_time: None,
        status: "open".into(),
        completed_at: None,
        recurrence: None,
        ..r
    };
    let text = write_reminder(&open, &Extra::default(), &names);
    assert!(
        text.contains("DUE;VALUE=DATE:20261201"),
        "date only: {text}"
    );
    assert_eq!(read_reminder(&text, None, &clock()).unwrap().0, open);
}

#[test]
fn what_another_app_wrote_is_kept_and_written_back_once() {
    let todo = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\nCALSCALE:GREGORIAN\r\nBEGIN:VTODO\r\nUID:t1@other\r\nDTSTAMP:20261001T000000Z\r\nSUMMARY:water the plants\r\nDUE;VALUE=DATE:20261203\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\nPRIORITY:1\r\nX-OTHER:keep\\, me\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:x\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let (r, uid, extra) = read_reminder(todo, None, &clock()).unwrap();
    assert_eq!(uid, "t1@other");
    assert_eq!(
        r.recurrence, None,
        "a rule rolo cannot model is not half-read"
    );
    assert_eq!(r.source, "import");
    assert_eq!(r.status, "open");
    assert!(extra.props.iter().any(|p| p.starts_with("RRULE")));
    let edited = ReminderRecord {
        title: "water the plants!".into(),
        ..r
    };
    let text = write_reminder(&edited, &extra, &names);
    for kept in [
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
        "PRIORITY:1",
        "X-OTHER:keep\\, me",
        "CALSCALE:GREGORIAN",
        "TRIGGER:-PT15M",
    ] {
        assert_eq!(text.matches(kept).count(), 1, "{kept} once in:\n{text}");
    }
    let with_rule = ReminderRecord {
        recurrence: Some("1m".into()),
        ..edited
    };
    let text = write_reminder(&with_rule, &extra, &names);
    assert_eq!(
        text.matches("RRULE").count(),
        1,
        "rolo's rule replaces the kept one: {text}"
    );
}

#[test]
fn uids_as_servers_spell_them() {
    assert_eq!(local_uid("urn:uuid:abc"), "abc");
    assert_eq!(local_uid("URN:UUID:abc"), "abc");
    assert_eq!(local_uid("abc@x"), "abc@x");
    assert_eq!(remote_uid_for(Table::Contacts, "abc@x"), "abc@x");
    assert_eq!(
        remote_uid_for(Table::Reminders, "0194c2a0-0000-7000-8000-0000000000b1"),
        "0194c2a0-0000-7000-8000-0000000000b1"
    );
    assert_eq!(file_name(Table::Contacts, "a b/c@d"), "a_b_c@d.vcf");
}
