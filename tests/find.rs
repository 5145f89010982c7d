//! Finding things again: search that ranks the latest of many similar notes first and says
//! who and when, tags that are searchable, timelines narrowed by kind and tag.

#![allow(clippy::unwrap_used)]

use chrono::Duration;
use rolo::clock::Clock;
use rolo::domain::contact::{ContactDraft, ContactId};
use rolo::domain::interaction::{InteractionDraft, Kind};
use rolo::domain::ranking::{self, Terms};
use rolo::store::{Store, contacts, interactions};
use serde_json::Value;

mod common;

use common::Journal;

fn ids(hits: &Value) -> Vec<i64> {
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

/// Issue 11: "`rolo search lisbon` ranks today's lunch 41st of 62". Fifty older notes,
/// from two days to ten months ago, say "Lisbon" as often or more often, and more tersely,
/// than today's lunch does — by relevance alone they all come first — yet today's lunch is
/// in the top three.
#[test]
fn the_newest_matching_note_ranks_in_the_top_three_among_fifty_older() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    let now = Clock::system().now;
    let older = [
        "coffee with Ada: the Lisbon role",
        "Lisbon offsite, Lisbon flights",
    ];
    {
        let mut store = Store::open(&j.path).unwrap();
        for n in 0..50_i64 {
            let at = now - Duration::days(2 + n * 6);
            let draft = InteractionDraft {
                happened_at: at,
                kind: Kind::Note,
                summary: older[usize::try_from(n).unwrap() % 2].to_owned(),
                body: None,
                location: None,
                participants: vec![ContactId(1)],
                tags: Vec::new(),
            };
            store
                .write(|tx| interactions::insert(tx, &draft, None, at))
                .unwrap();
        }
    }
    let newest = "lunch with @ada talked about the Lisbon role and the team";
    let logged = j.json(&["log", newest]);
    let newest_id = logged["interaction"]["id"].as_i64().unwrap();
    let summary = logged["interaction"]["summary"]
        .as_str()
        .unwrap()
        .to_owned();

    // Relevance alone would bury it.
    let mut texts: Vec<&str> = (0..50).map(|n| older[n % 2]).collect();
    texts.push(&summary);
    let relevance = ranking::bm25(&Terms::new("lisbon", false), &texts);
    let better = relevance.iter().filter(|r| **r > relevance[50]).count();
    assert!(better >= 50, "by relevance alone it ranks {}", better + 1);

    let hits = j.json(&["search", "lisbon"]);
    let position = ids(&hits).iter().position(|id| *id == newest_id);
    assert!(
        position.is_some_and(|p| p < 3),
        "newest ranked {position:?}: {hits:#}"
    );
    assert_eq!(ids(&hits).len(), 20, "the default limit");
    let newest_hit = &hits[position.unwrap()];
    assert_eq!(newest_hit["with"], serde_json::json!(["Ada Lovelace"]));
    assert!(newest_hit["happened_at"].is_string());

    // The table says who and when for every row.
    let table = j.text(&["search", "lisbon", "--limit", "3"]);
    let header = table.lines().next().unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["ID", "DATE", "WHO", "MATCH"]
    );
    assert!(table.contains(&format!("i{newest_id}")), "{table}");
    assert!(
        table
            .lines()
            .skip(1)
            .all(|l| l.contains("Ada Lovelace") && l.contains("20")),
        "{table}"
    );
}

#[test]
fn contact_hits_name_the_contact() {
    let j = Journal::new();
    j.json(&["add", "Grace Hopper", "--company", "US Navy"]);
    let hits = j.json(&["search", "hopper"]);
    assert_eq!(hits[0]["kind"], "contact");
    assert_eq!(hits[0]["title"], "Grace Hopper");
    assert_eq!(hits[0]["company"], "US Navy");
    let table = j.text(&["search", "hopper"]);
    assert!(table.contains("Grace Hopper (US Navy)"), "{table}");
}

/// `search mentoring` finds `#mentoring`, and follows the tags as they are edited.
#[test]
fn tags_are_searchable_and_follow_edits() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    let logged = j.json(&["log", "lunch with @ada #mentoring talked shop"]);
    let id = logged["interaction"]["id"].as_i64().unwrap();
    assert!(
        !logged["interaction"]["summary"]
            .as_str()
            .unwrap()
            .contains("mentoring"),
        "the tag is not in the text: only the tag can match"
    );
    assert_eq!(ids(&j.json(&["search", "mentoring"])), [id]);
    assert_eq!(ids(&j.json(&["search", "mentor"])), [id], "as a prefix too");
    assert_eq!(ids(&j.json(&["search", "ada mentoring"])), [id]);

    let target = format!("i{id}");
    j.json(&["edit", &target, "--tag", "deal", "--untag", "mentoring"]);
    assert_eq!(ids(&j.json(&["search", "deal"])), [id]);
    assert!(ids(&j.json(&["search", "mentoring"])).is_empty());

    j.json(&["rm", &target]);
    assert!(ids(&j.json(&["search", "deal"])).is_empty());
    let check = j.json(&["check"]);
    assert_eq!(check["ok"], true, "{check:#}");
}

/// A note written by another tool (tags added after the note, the column left unset) is
/// still found by its tags, and `check` finds nothing to repair.
#[test]
fn tags_written_without_the_column_are_indexed_by_the_triggers() {
    let mut store = Store::open_in_memory().unwrap();
    let now = Clock::system().now;
    let ada = store
        .write(|tx| contacts::insert(tx, &ContactDraft::named("Ada Lovelace"), None, now))
        .unwrap();
    store
        .write(|tx| {
            tx.execute_batch(
                "INSERT INTO interactions (id, uid, happened_at, kind, summary, created_at, updated_at)
                     VALUES (7, 'u7', '2026-01-01T00:00:00Z', 'note', 'plain words', 'x', 'x');
                 INSERT INTO interaction_tags (interaction_id, tag) VALUES (7, 'zeta'), (7, 'alpha');",
            )
            .map_err(rolo::store::StoreError::from)
        })
        .unwrap();
    let tags: String = store
        .conn()
        .query_row("SELECT tags FROM interactions WHERE id = 7", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(tags, "alpha zeta");
    let hits = rolo::store::search::search(store.conn(), "zeta", 10, now).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        rolo::store::integrity::check(store.conn())
            .unwrap()
            .is_empty()
    );
    let _ = ada;
}

/// `check` notices searchable tags out of step with the tags, and `--repair` mends them
/// and a search index that lost its entries.
#[test]
fn check_and_repair_cover_the_searchable_tags() {
    let mut store = Store::open_in_memory().unwrap();
    let now = Clock::system().now;
    let draft = InteractionDraft {
        happened_at: now,
        kind: Kind::Meal,
        summary: "lunch about compilers".into(),
        body: None,
        location: None,
        participants: Vec::new(),
        tags: vec!["mentoring".into()],
    };
    let id = store
        .write(|tx| interactions::insert(tx, &draft, None, now))
        .unwrap();
    let conn = store.conn();
    conn.execute(
        "UPDATE interactions SET tags = 'wrong' WHERE id = ?1",
        [id.0],
    )
    .unwrap();
    // Sync set up and nothing waiting to be sent: a repair of derived data is not an edit
    // the server should hear of.
    conn.execute_batch(
        "INSERT INTO sync_collections (kind, href) VALUES ('interactions', '/notes/');
         DELETE FROM sync_changed;",
    )
    .unwrap();
    // And the search index forgets the note altogether.
    conn.execute(
        "INSERT INTO interactions_fts (interactions_fts, rowid, summary, body, tags)
         VALUES ('delete', ?1, 'lunch about compilers', NULL, 'wrong')",
        [id.0],
    )
    .unwrap();
    let problems = rolo::store::integrity::check(conn).unwrap();
    assert!(
        problems.iter().any(|p| p.contains("searchable tags")),
        "{problems:?}"
    );
    let fixed = rolo::store::integrity::repair(conn, &problems).unwrap();
    assert!(
        fixed
            .iter()
            .any(|f| f.contains("searchable tags of 1 interaction")),
        "{fixed:?}"
    );
    assert!(
        rolo::store::integrity::check(conn).unwrap().is_empty(),
        "repaired"
    );
    let marked: i64 = conn
        .query_row("SELECT count(*) FROM sync_changed", [], |r| r.get(0))
        .unwrap();
    assert_eq!(marked, 0, "the repair marked notes changed for sync");
    let hits = rolo::store::search::search(conn, "mentoring", 10, now).unwrap();
    assert_eq!(hits.len(), 1);
    let hits = rolo::store::search::search(conn, "compilers", 10, now).unwrap();
    assert_eq!(hits.len(), 1);
}

#[test]
fn timelines_narrow_by_kind_and_tag() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["add", "Grace Hopper"]);
    let lunch = j.json(&["log", "lunch with @ada #mentoring about compilers"]);
    let call = j.json(&["log", "call with @grace #mentoring about COBOL"]);
    let promoted = j.json(&["log", "promoted @grace to rear admiral #navy"]);
    let id = |v: &Value| v["interaction"]["id"].as_i64().unwrap();

    assert_eq!(
        ids(&j.json(&["timeline", "--tag", "mentoring"])),
        [id(&call), id(&lunch)]
    );
    assert_eq!(
        ids(&j.json(&["timeline", "--tag", "#Mentoring"])),
        [id(&call), id(&lunch)],
        "a tag as typed, # and case aside"
    );
    assert_eq!(
        ids(&j.json(&["timeline", "--kind", "milestone"])),
        [id(&promoted)]
    );
    assert_eq!(
        ids(&j.json(&["timeline", "--kind", "lunch"])),
        [id(&lunch)],
        "lunch is a meal"
    );
    assert_eq!(
        ids(&j.json(&["timeline", "grace", "--tag", "mentoring"])),
        [id(&call)]
    );
    assert_eq!(
        ids(&j.json(&["timeline", "grace", "--kind", "call", "--tag", "mentoring"])),
        [id(&call)]
    );
    assert!(ids(&j.json(&["timeline", "ada", "--kind", "call"])).is_empty());
    j.refuses(&["timeline", "--tag", "two words"], "is not a tag");
}
