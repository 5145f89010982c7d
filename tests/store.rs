//! The store on real SQLite (in memory and on a temp file): triggers keep derived data exact,
//! search finds what was written, pages walk indexes, the trash gives back what it took.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rolo::domain::contact::{ContactDraft, ContactId};
use rolo::domain::interaction::{InteractionDraft, InteractionId, Kind};
use rolo::domain::reminder::{ReminderDraft, Source};
use rolo::store::interactions::{self, Cursor, TimelineQuery};
use rolo::store::reminders::{self, Done};
use rolo::store::trash::{self, Item};
use rolo::store::{Store, StoreError, contacts, drafts, integrity, search};

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn add(store: &mut Store, name: &str) -> ContactId {
    store
        .write(|tx| contacts::insert(tx, &ContactDraft::named(name), None, t(1, 9)))
        .unwrap()
}

fn log(store: &mut Store, at: DateTime<Utc>, summary: &str, people: &[ContactId]) -> InteractionId {
    let draft = InteractionDraft {
        happened_at: at,
        kind: Kind::Meal,
        summary: summary.into(),
        body: None,
        location: None,
        participants: people.to_vec(),
        tags: vec!["mentoring".into()],
    };
    store
        .write(|tx| interactions::insert(tx, &draft, None, at))
        .unwrap()
}

fn last(store: &Store, id: ContactId) -> Option<DateTime<Utc>> {
    contacts::get(store.conn(), id).unwrap().last_interaction_at
}

#[test]
fn last_interaction_time_follows_every_change() {
    let mut store = Store::open_in_memory().unwrap();
    let ada = add(&mut store, "Ada Lovelace");
    let grace = add(&mut store, "Grace Hopper");
    assert_eq!(last(&store, ada), None);

    let lunch = log(&mut store, t(10, 12), "lunch", &[ada, grace]);
    let _older = log(&mut store, t(5, 12), "older call", &[ada]);
    assert_eq!(
        last(&store, ada),
        Some(t(10, 12)),
        "an older interaction does not move it back"
    );
    assert_eq!(last(&store, grace), Some(t(10, 12)));

    store
        .write(|tx| trash::trash(tx, Item::Interaction(lunch.0), t(11, 0)))
        .unwrap();
    assert_eq!(last(&store, ada), Some(t(5, 12)), "trashing recomputes");
    assert_eq!(last(&store, grace), None);

    store
        .write(|tx| trash::restore(tx, Item::Interaction(lunch.0), t(11, 0)))
        .unwrap();
    assert_eq!(last(&store, grace), Some(t(10, 12)), "restoring recomputes");

    store
        .write(|tx| {
            tx.execute(
                "UPDATE interactions SET happened_at = '2026-11-20T08:00:00Z' WHERE id = ?1",
                [lunch.0],
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    assert_eq!(
        last(&store, ada),
        Some(t(20, 8)),
        "moving an interaction moves it"
    );

    store
        .write(|tx| {
            tx.execute("DELETE FROM interaction_participants WHERE contact_id = ?1 AND interaction_id = ?2", [grace.0, lunch.0])
                .map_err(StoreError::from)
        })
        .unwrap();
    assert_eq!(
        last(&store, grace),
        None,
        "removing a participant recomputes"
    );

    store
        .write(|tx| trash::trash(tx, Item::Interaction(lunch.0), t(21, 0)))
        .unwrap();
    store.write(|tx| trash::empty(tx)).unwrap();
    assert_eq!(last(&store, ada), Some(t(5, 12)));
    assert!(integrity::check(store.conn()).unwrap().is_empty());
}

#[test]
fn search_finds_interactions_and_contacts_but_not_trash() {
    let mut store = Store::open_in_memory().unwrap();
    let ada = add(&mut store, "Ada Lovelace");
    let lunch = log(
        &mut store,
        t(10, 12),
        "talked about compilers and the Analytical Engine",
        &[ada],
    );
    let hits = search::search(store.conn(), "compil", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, lunch.0);
    assert!(
        hits[0].snippet.contains("[compilers]"),
        "{}",
        hits[0].snippet
    );
    assert_eq!(
        search::search(store.conn(), "lovelace", 10).unwrap()[0].kind,
        search::HitKind::Contact
    );

    interactions::update_text(store.conn(), lunch, "talked about looms", None, t(11, 0)).unwrap();
    assert!(
        search::search(store.conn(), "compilers", 10)
            .unwrap()
            .is_empty(),
        "updates reindex"
    );
    assert_eq!(search::search(store.conn(), "looms", 10).unwrap().len(), 1);

    store
        .write(|tx| trash::trash(tx, Item::Interaction(lunch.0), t(12, 0)))
        .unwrap();
    assert!(
        search::search(store.conn(), "looms", 10)
            .unwrap()
            .is_empty()
    );
    assert!(
        search::search(store.conn(), "\"AND OR NEAR(", 10)
            .unwrap()
            .is_empty(),
        "operators are literal"
    );
}

#[test]
fn timeline_pages_do_not_overlap_or_skip() {
    let mut store = Store::open_in_memory().unwrap();
    let ada = add(&mut store, "Ada Lovelace");
    let grace = add(&mut store, "Grace Hopper");
    for i in 0..25u32 {
        // Several interactions share a timestamp: the id breaks the tie.
        let at = t(1 + i / 3, 12);
        let people = if i % 2 == 0 {
            vec![ada]
        } else {
            vec![ada, grace]
        };
        log(&mut store, at, &format!("n{i}"), &people);
    }
    for contact in [Some(ada), Some(grace), None] {
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = interactions::timeline(
                store.conn(),
                &TimelineQuery {
                    contact,
                    since: None,
                    after,
                    limit: 4,
                },
            )
            .unwrap();
            let Some(last) = page.last() else { break };
            after = Some(Cursor::after(last));
            seen.extend(page.iter().map(|i| (i.happened_at, i.id)));
        }
        let mut sorted = seen.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        sorted.dedup();
        assert_eq!(seen, sorted, "newest first, no duplicates");
        assert_eq!(seen.len(), if contact == Some(grace) { 12 } else { 25 });
    }
    let page = interactions::timeline(
        store.conn(),
        &TimelineQuery {
            contact: Some(grace),
            limit: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        page[0]
            .participants
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["Ada Lovelace", "Grace Hopper"]
    );
    assert_eq!(page[0].tags, ["mentoring"]);
}

#[test]
fn recurring_reminders_roll_forward_and_snoozes_are_counted() {
    let mut store = Store::open_in_memory().unwrap();
    let draft = ReminderDraft {
        title: "water the plants".into(),
        contact: None,
        due_date: d("2026-11-20"),
        due_time: None,
        recurrence: Some("1w".parse().unwrap()),
        source: Source::Manual,
        interaction: None,
    };
    let id = store
        .write(|tx| reminders::insert(tx, &draft, None, t(1, 0)))
        .unwrap();
    let outcome = store
        .write(|tx| reminders::done(tx, id, d("2026-11-22"), t(22, 0)))
        .unwrap();
    assert_eq!(outcome, Done::Rescheduled(d("2026-11-27")));
    let snoozed = store
        .write(|tx| reminders::snooze(tx, id, d("2026-12-01"), t(22, 1)))
        .unwrap();
    assert_eq!(
        (snoozed.due_date, snoozed.snooze_count),
        (d("2026-12-01"), 1)
    );
    let history: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM reminder_events WHERE reminder_id = ?1",
            [id.0],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(history, 2);

    let once = ReminderDraft {
        recurrence: None,
        ..draft
    };
    let once = store
        .write(|tx| reminders::insert(tx, &once, None, t(1, 0)))
        .unwrap();
    assert_eq!(
        store
            .write(|tx| reminders::done(tx, once, d("2026-11-22"), t(22, 0)))
            .unwrap(),
        Done::Completed
    );
    assert!(
        reminders::open(store.conn(), None)
            .unwrap()
            .iter()
            .all(|r| r.id != once)
    );
    assert!(matches!(
        store.write(|tx| reminders::done(tx, once, d("2026-11-22"), t(22, 0))),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn trashing_a_contact_hides_it_and_its_reminders_until_restored() {
    let mut store = Store::open_in_memory().unwrap();
    let ada = add(&mut store, "Ada Lovelace");
    let draft = ReminderDraft {
        title: "send the paper".into(),
        contact: Some(ada),
        due_date: d("2026-11-25"),
        due_time: None,
        recurrence: None,
        source: Source::FollowUp,
        interaction: None,
    };
    store
        .write(|tx| reminders::insert(tx, &draft, None, t(1, 0)))
        .unwrap();
    store
        .write(|tx| trash::trash(tx, Item::Contact(ada.0), t(2, 0)))
        .unwrap();
    assert!(contacts::name_candidates(store.conn()).unwrap().is_empty());
    assert!(reminders::open(store.conn(), None).unwrap().is_empty());
    assert_eq!(
        trash::list(store.conn()).unwrap()[0].id,
        Item::Contact(ada.0)
    );
    store
        .write(|tx| trash::restore(tx, Item::Contact(ada.0), t(3, 0)))
        .unwrap();
    assert_eq!(reminders::open(store.conn(), None).unwrap().len(), 1);
    assert!(trash::list(store.conn()).unwrap().is_empty());
}

#[test]
fn drafts_survive_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.db");
    let mut store = Store::open(&path).unwrap();
    let draft = drafts::Draft {
        text: "lunch with @ada talked\n- about looms".into(),
        cursor: 22,
        reminder: None,
        new_people: vec!["Hedy Lamarr".into()],
    };
    store
        .write(|tx| drafts::save(tx, drafts::QUICK_NOTE, &draft, Some(7), t(1, 0)))
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        drafts::load(store.conn(), drafts::QUICK_NOTE).unwrap(),
        Some(draft)
    );
}

#[test]
fn monthly_counts_feed_the_sparkline() {
    let mut store = Store::open_in_memory().unwrap();
    let ada = add(&mut store, "Ada Lovelace");
    log(&mut store, t(3, 12), "a", &[ada]);
    log(&mut store, t(4, 12), "b", &[ada]);
    log(
        &mut store,
        Utc.with_ymd_and_hms(2026, 9, 1, 12, 0, 0).unwrap(),
        "c",
        &[ada],
    );
    log(
        &mut store,
        t(4, 12) - Duration::days(400),
        "too old",
        &[ada],
    );
    let counts = contacts::monthly_interactions(store.conn(), ada, d("2026-11-22"), 12).unwrap();
    assert_eq!(counts.len(), 12);
    assert_eq!(&counts[9..], &[1, 0, 2]);
    assert_eq!(counts.iter().sum::<u64>(), 3);
}

/// Every query a pane or command runs on a large table must use an index, not a scan.
#[test]
fn hot_queries_use_indexes() {
    let store = Store::open_in_memory().unwrap();
    let plan = |sql: &str| -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join(" | ")
    };
    let cases = [
        (
            "SELECT i.id FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
              WHERE p.contact_id = 1 AND i.deleted_at IS NULL AND (p.happened_at, p.interaction_id) < ('x', 5)
              ORDER BY p.happened_at DESC, p.interaction_id DESC LIMIT 50",
            "participants_by_contact",
        ),
        (
            "SELECT id FROM interactions i WHERE i.deleted_at IS NULL AND (i.happened_at, i.id) < ('x', 5)
              ORDER BY i.happened_at DESC, i.id DESC LIMIT 50",
            "interactions_by_time",
        ),
        ("SELECT id FROM reminders r WHERE r.status = 'open' AND r.deleted_at IS NULL AND r.due_date <= '2026-12-01' ORDER BY r.due_date, r.id", "reminders_open_by_due"),
        ("SELECT id FROM reminders r WHERE r.contact_id = 1 AND r.status = 'open' AND r.deleted_at IS NULL ORDER BY r.due_date", "reminders_open_by_contact"),
        ("SELECT id FROM contacts WHERE cadence IS NOT NULL AND deleted_at IS NULL AND archived = 0", "contacts_with_cadence"),
        (
            "SELECT id FROM contacts WHERE (birthday IS NOT NULL OR anniversary IS NOT NULL) AND deleted_at IS NULL AND archived = 0",
            "contacts_with_dates",
        ),
        ("SELECT c.id FROM contacts c WHERE c.deleted_at IS NULL ORDER BY c.display_name COLLATE NOCASE, c.id", "contacts_by_name"),
        ("SELECT contact_id FROM contact_fields WHERE kind = 'email' AND value = 'a@b.c' COLLATE NOCASE", "contact_fields_by_value"),
        ("SELECT contact_id FROM contact_tags WHERE tag = 'mentor'", "contact_tags_by_tag"),
        (
            "SELECT p.happened_at FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id
              WHERE p.contact_id = 1 AND i.deleted_at IS NULL ORDER BY p.happened_at DESC LIMIT 1",
            "participants_by_contact",
        ),
    ];
    for (sql, index) in cases {
        let plan = plan(sql);
        assert!(
            plan.contains(index),
            "expected {index} in: {plan}\n  for {sql}"
        );
        assert!(
            !plan.contains("USE TEMP B-TREE FOR ORDER BY"),
            "sorts instead of walking an index: {plan}\n  for {sql}"
        );
    }
}
