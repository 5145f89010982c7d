//! The demo read as a newcomer reads it: nobody named twice in one line, milestones rare
//! and on the card, kinds that match the words, and a review with something in it.

use std::collections::HashMap;

use chrono::{FixedOffset, TimeZone};

use super::*;
use crate::domain::agenda::ItemKind;

fn clock() -> Clock {
    Clock::fixed(
        Utc.with_ymd_and_hms(2026, 11, 18, 15, 0, 0).unwrap(),
        FixedOffset::east_opt(3600).unwrap(),
    )
}

fn demo(seed: u64, contacts: u32, interactions: u32) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    generate(&mut store, &clock(), seed, contacts, interactions).unwrap();
    store
}

/// Every interaction: (kind, summary, `happened_at`, [(contact, first name)]).
type Row = (String, String, String, Vec<(i64, String)>);

fn interactions(store: &Store) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let conn = store.conn();
    let mut stmt = conn
        .prepare(
            "SELECT i.id, i.kind, i.summary, i.happened_at, c.id, c.name_given
               FROM interactions i
               JOIN interaction_participants p ON p.interaction_id = i.id
               JOIN contacts c ON c.id = p.contact_id
              ORDER BY i.id, p.position",
        )
        .unwrap();
    let mut cursor = stmt.query([]).unwrap();
    while let Some(r) = cursor.next().unwrap() {
        let id: i64 = r.get(0).unwrap();
        let at = *index.entry(id).or_insert_with(|| {
            rows.push((
                r.get(1).unwrap(),
                r.get(2).unwrap(),
                r.get(3).unwrap(),
                Vec::new(),
            ));
            rows.len() - 1
        });
        rows[at].3.push((r.get(4).unwrap(), r.get(5).unwrap()));
    }
    rows
}

/// The words of a summary, as a person's first name would stand among them.
fn words(summary: &str) -> Vec<&str> {
    summary
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn the_same_seed_writes_the_same_journal() {
    assert_eq!(
        interactions(&demo(7, 40, 400)),
        interactions(&demo(7, 40, 400))
    );
    assert_ne!(
        interactions(&demo(7, 40, 400)),
        interactions(&demo(8, 40, 400))
    );
}

#[test]
fn no_interaction_names_anyone_twice() {
    for seed in [42, 7, 1] {
        let rows = interactions(&demo(seed, 120, 3000));
        assert_eq!(rows.len(), 3000, "every interaction has someone in it");
        let mut groups = 0;
        for (_, summary, _, people) in &rows {
            assert!((1..=3).contains(&people.len()), "{summary}: {people:?}");
            groups += usize::from(people.len() > 1);
            let words = words(summary);
            for (id, first) in people {
                assert_eq!(
                    people.iter().filter(|(_, f)| f == first).count(),
                    1,
                    "two people called {first} in '{summary}' (c{id})"
                );
                assert_eq!(
                    words.iter().filter(|w| *w == first).count(),
                    1,
                    "'{summary}' does not name {first} exactly once"
                );
            }
        }
        assert!(groups > 300, "group lunches and meetings happen ({groups})");
    }
}

#[test]
fn milestones_are_rare_one_person_each_and_nobody_twice_a_year() {
    for seed in [42, 7, 1] {
        let store = demo(seed, 200, 5000);
        let rows = interactions(&store);
        let mut seen: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
        for (kind, summary, at, people) in &rows {
            if kind != "milestone" {
                continue;
            }
            assert_eq!(people.len(), 1, "{summary}");
            let at = DateTime::parse_from_rfc3339(at)
                .unwrap()
                .with_timezone(&Utc);
            seen.entry(people[0].0).or_default().push(at);
        }
        let total: usize = seen.values().map(Vec::len).sum();
        assert!(
            (5..=40).contains(&total),
            "{total} milestones for 200 people"
        );
        for (person, mut dates) in seen {
            dates.sort();
            for pair in dates.windows(2) {
                assert!(
                    pair[1] - pair[0] >= Duration::days(365),
                    "c{person} has two milestones within a year: {pair:?}"
                );
            }
        }
    }
}

#[test]
fn a_job_change_is_on_the_card_and_is_congratulated() {
    let store = demo(42, 200, 5000);
    let conn = store.conn();
    let moves: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT i.summary, c.company, c.title FROM interactions i
               JOIN interaction_participants p ON p.interaction_id = i.id
               JOIN contacts c ON c.id = p.contact_id
              WHERE i.kind = 'milestone'",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!moves.is_empty());
    for (summary, company, title) in &moves {
        if summary.contains(" promoted to ") || summary.contains(" to join ") {
            assert!(
                summary.ends_with(&format!("{title} at {company}"))
                    || summary.ends_with(&format!("join {company} as {title}")),
                "'{summary}' but the card says {title} at {company}"
            );
        }
    }
    let congratulations: i64 = conn
        .query_row(
            "SELECT count(*) FROM interactions WHERE summary LIKE '%congratulate%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let reminders: i64 = conn
        .query_row(
            "SELECT count(*) FROM reminders WHERE title LIKE 'congratulate%' OR title LIKE 'ask % how the move%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        congratulations > 0 && reminders > 0,
        "{congratulations} {reminders}"
    );
}

#[test]
fn kinds_agree_with_what_the_summary_says() {
    for (kind, summary, _, _) in interactions(&demo(42, 60, 900)) {
        let first = summary.split_whitespace().next().unwrap();
        let first = first.trim_end_matches([',', ':', ';']);
        if let Some(said) = Kind::from_leading_word(first) {
            assert_eq!(said.as_str(), kind, "{summary}");
        }
    }
}

#[test]
fn the_review_has_something_to_show() {
    let store = demo(42, 60, 900);
    let clock = clock();
    let agenda = crate::journal::agenda::load(&store, &clock, clock.today(), 7).unwrap();
    let overdue = |f: fn(&ItemKind) -> bool| agenda.overdue.iter().filter(|i| f(&i.kind)).count();
    let follow_ups = overdue(|k| matches!(k, ItemKind::Reminder { .. }));
    let lapsed = overdue(|k| matches!(k, ItemKind::StayInTouch { .. }));
    assert!(
        (1..=10).contains(&follow_ups),
        "{follow_ups} overdue follow-ups"
    );
    assert!((1..=12).contains(&lapsed), "{lapsed} lapsed cadences");
    let birthdays = agenda
        .days
        .iter()
        .flat_map(|d| &d.items)
        .filter(|i| matches!(i.kind, ItemKind::Birthday { .. }))
        .count();
    assert!(birthdays >= 2, "birthdays this week: {birthdays}");
    // Follow-ups name whom they are for.
    for item in agenda
        .overdue
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Reminder { .. }))
    {
        let first = item.contact.as_deref().unwrap().split(' ').next().unwrap();
        assert!(item.title.contains(first), "{} ({first})", item.title);
    }
}
