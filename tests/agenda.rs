//! An agenda that helps when thousands are due: the head of each section and a count, the
//! rest a page at a time, and who each row is for. The pages are exactly the whole agenda
//! cut up, however it was read.

#![allow(clippy::unwrap_used)]

use chrono::{Datelike, Days, FixedOffset, TimeZone, Utc};
use rolo::clock::Clock;
use rolo::domain::agenda::{Mark, Occasion};
use rolo::journal::agenda::{self, Page};
use rolo::store::{Store, marks};
use serde_json::Value;

mod common;

use common::Journal;

fn titles(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_long_agenda_shows_the_head_of_each_section_and_counts_the_rest() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    for n in 1..=25 {
        j.json(&[
            "remind",
            &format!("task {n:02} for @ada"),
            "--on",
            &format!("2020-01-{n:02}"),
        ]);
    }
    j.json(&["remind", "call the bank", "--on", "today"]);

    let json = j.json(&["agenda"]);
    assert_eq!(json["overdue_total"], 25);
    assert_eq!(
        titles(&json["overdue"]),
        (1..=10)
            .map(|n| format!("task {n:02} for Ada"))
            .collect::<Vec<_>>(),
        "the most overdue first"
    );
    assert_eq!(json["days"][0]["total"], 1);

    let table = j.text(&["agenda"]);
    assert!(table.starts_with("Overdue (25)\n"), "{table}");
    assert_eq!(table.matches("task ").count(), 10, "{table}");
    assert!(table.contains("… 15 more overdue"), "{table}");
    assert!(table.contains("rolo agenda --page 2"), "{table}");
    // Lateness in the TUI's words ("6d late"), spelled out.
    assert!(table.contains(" days late, due "), "{table}");
    let row = table.lines().find(|l| l.contains("task 01")).unwrap();
    assert!(
        row.contains("Ada Lovelace"),
        "every row says whom it is for: {row}"
    );
    assert!(table.contains("call the bank"), "{table}");

    let page3 = j.json(&["agenda", "--page", "3"]);
    assert_eq!(
        titles(&page3["overdue"]),
        (21..=25)
            .map(|n| format!("task {n:02} for Ada"))
            .collect::<Vec<_>>()
    );
    assert!(
        page3["days"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["items"].as_array().unwrap().is_empty() && d["total"] == 1),
        "today fits on page 1, and is still counted: {page3:#}"
    );
    let text3 = j.text(&["agenda", "--page", "3"]);
    assert!(!text3.contains("more overdue"), "{text3}");
    assert!(
        !text3.contains("Today"),
        "nothing of today on page 3: {text3}"
    );

    let all = j.json(&["agenda", "--all"]);
    assert_eq!(all["overdue"].as_array().unwrap().len(), 25);
    let five = j.json(&["agenda", "--limit", "5", "--page", "2"]);
    assert_eq!(titles(&five["overdue"])[0], "task 06 for Ada");
    j.usage(&["agenda", "--page", "0"], "page");
    j.usage(&["agenda", "--all", "--limit", "3"], "cannot be used with");
}

/// Read a page or the head, from a journal with many overdue follow-ups, cadences and
/// birthdays (some put off, one acknowledged): the same rows as the whole agenda cut up,
/// and the same totals.
#[test]
fn pages_and_heads_are_the_whole_agenda_cut_up() {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    let clock = Clock::fixed(now, FixedOffset::east_opt(3600).unwrap());
    let mut store = Store::open_in_memory().unwrap();
    rolo::journal::demo::generate(&mut store, &clock, 7, 300, 6000).unwrap();
    let today = clock.today();
    // Birthdays just past, put off into the coming days (shown on a day their date no longer
    // falls in), and one acknowledged.
    let rows = rolo::store::contacts::date_rows(store.conn()).unwrap();
    let past: Vec<_> = rows
        .iter()
        .filter_map(|r| {
            let on = r.birthday?.in_year(today.year())?;
            (on < today && on > today - Days::new(60)).then_some((r.id, on))
        })
        .take(3)
        .collect();
    assert_eq!(
        past.len(),
        3,
        "the demo has birthdays in the last two months"
    );
    store
        .write(|tx| {
            for (n, (id, on)) in (1_u64..).zip(&past) {
                let until = (n < 3).then(|| today + Days::new(n));
                let mark = Mark {
                    occurrence: *on,
                    until,
                };
                marks::set(tx, *id, Occasion::Birthday, mark, now)?;
            }
            Ok::<_, rolo::store::StoreError>(())
        })
        .unwrap();
    for days in [0, 7, 60] {
        let whole = agenda::load(&store, &clock, today, days).unwrap();
        if days >= 2 {
            let put_off = whole
                .items()
                .filter(|i| i.was_due.is_some_and(|d| d < today))
                .count();
            assert_eq!(put_off, 2, "{days}");
        }
        assert!(
            whole.overdue_total > 30,
            "a stress case: {}",
            whole.overdue_total
        );
        for limit in [1, 7, 25] {
            for offset in [0, limit, 3 * limit] {
                let page =
                    agenda::load_page(&store, &clock, today, days, Page { offset, limit }).unwrap();
                assert_eq!(
                    page,
                    whole.clone().page(offset, limit),
                    "{days} {limit} {offset}"
                );
            }
        }
        for n in [0, 1, 40, 10_000] {
            let head = agenda::load_head(&store, &clock, today, days, n).unwrap();
            assert_eq!(head, whole.clone().head(n), "{days} {n}");
            assert_eq!(head.total(), whole.total());
        }
    }
}
