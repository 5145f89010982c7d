//! Names, text and dates as people write them: decomposed Unicode is one name, names sort
//! by the Unicode Collation Algorithm, wide graphemes are never split, line breaks stay,
//! data never drives the terminal. The real binary, and the TUI on a `TestBackend`.

#![allow(clippy::unwrap_used)]

mod common;

use common::Journal;
use common::tui::*;
use rolo::domain::contact::ContactDraft;
use rolo::store::{Store, contacts};
use rolo::tui::action::Action;

/// "Jürgen Müller" as macOS file names and some exporters write it: decomposed (NFD).
const JURGEN_NFD: &str = "Ju\u{308}rgen Mu\u{308}ller";
/// A second case: Vietnamese with stacked marks (e + circumflex + tilde), decomposed.
const NGUYEN_NFD: &str = "Nguye\u{302}\u{303}n Tha\u{300}nh";

fn vcard(name: &str, email: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:{name}\r\nEMAIL:{email}\r\nEND:VCARD\r\n")
}

#[test]
fn a_decomposed_name_is_found_however_it_is_typed() {
    let j = Journal::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nfd.vcf");
    std::fs::write(
        &file,
        vcard(JURGEN_NFD, "jm@example.de") + &vcard(NGUYEN_NFD, "nt@example.vn"),
    )
    .unwrap();
    j.json(&["import", "vcard", file.to_str().unwrap()]);
    let shown = j.json(&["show", "jurgen"]);
    assert_eq!(
        shown["contact"]["display_name"], "Jürgen Müller",
        "stored in NFC"
    );
    assert_eq!(
        j.json(&["show", "müller"])["contact"]["display_name"],
        "Jürgen Müller"
    );
    assert_eq!(
        j.json(&["show", JURGEN_NFD])["contact"]["display_name"],
        "Jürgen Müller"
    );
    assert_eq!(
        j.json(&["show", "nguyen"])["contact"]["display_name"],
        "Nguyễn Thành"
    );
    assert_eq!(
        j.json(&["show", "Nguyễn"])["contact"]["display_name"],
        "Nguyễn Thành"
    );
    let hits = j.json(&["search", "müller"]).to_string();
    assert!(hits.contains("Jürgen Müller"), "{hits}");
    let hits = j.json(&["search", "thanh"]).to_string();
    assert!(hits.contains("Nguyễn Thành"), "{hits}");
    let logged = j.json(&["log", &format!("call with @{}", "mu\u{308}ller")]);
    assert_eq!(
        logged["interaction"]["participants"][0]["name"],
        "Jürgen Müller"
    );
    // The same name typed composed is the same person.
    j.refuses(&["add", "Jürgen Müller"], "already exists");
    j.refuses(&["add", NGUYEN_NFD], "already exists");
}

#[test]
fn names_sort_by_the_collation_algorithm() {
    let j = Journal::new();
    for name in [
        "Zakari Ali",
        "Éric Blanc",
        "émile Zola",
        "Örjan Berg",
        "Eleanor Rigby",
        "Eugene Lee",
        "Łukasz Nowak",
        "Lars Ek",
    ] {
        j.json(&["add", name]);
    }
    let names: Vec<String> = j
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Eleanor Rigby",
            "émile Zola",
            "Éric Blanc",
            "Eugene Lee",
            "Lars Ek",
            "Łukasz Nowak",
            "Örjan Berg",
            "Zakari Ali"
        ]
    );
}

#[test]
fn data_never_drives_the_terminal() {
    let j = Journal::new();
    let evil = "Evil \u{1b}]0;pwned\u{7}\u{1b}[31mRed\u{1b}[0m";
    j.json(&["add", evil, "--note", "clears \u{1b}[2J the screen\u{9b}"]);
    let shown = j.json(&["show", "evil"]);
    let name = shown["contact"]["display_name"].as_str().unwrap();
    assert!(
        !name.contains('\u{1b}') && !name.contains('\u{7}'),
        "refused at input: {name:?}"
    );
    for args in [["list"], ["show"]] {
        let mut args = args.to_vec();
        if args == ["show"] {
            args.push("evil");
        }
        let table = j.text(&args);
        assert!(
            !table.chars().any(|c| c.is_control() && c != '\n'),
            "{args:?} printed a control character: {table:?}"
        );
    }
    // In the TUI buffer too, even for text already in the journal the old way.
    let mut store = Store::open(&j.path).unwrap();
    store
        .conn()
        .execute(
            "UPDATE contacts SET display_name = ?1 WHERE display_name LIKE 'Evil%'",
            [evil],
        )
        .unwrap();
    let mut app = new_app(&store, (100, 30));
    act(&mut app, &mut store, Action::Open);
    let drawn = screen(&app);
    assert!(
        !drawn.contains('\u{1b}') && !drawn.contains('\u{7}'),
        "{drawn}"
    );
}

#[test]
fn a_search_term_may_start_with_a_dash() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["log", "@ada planning the -offsite day"]);
    let out = j
        .cmd()
        .args(["search", "-offsite"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("rolo search -- -offsite"), "{err}");
    let out = j
        .cmd()
        .args(["search", "--json", "--", "-offsite"])
        .assert()
        .success();
    let hits = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(hits.contains("planning the -offsite day"), "{hits}");
}

fn journal_with(names: &[&str]) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .write(|tx| {
            for name in names {
                contacts::insert(tx, &ContactDraft::named(name), None, now())?;
            }
            Ok::<_, rolo::store::StoreError>(())
        })
        .unwrap();
    store
}

/// CJK, flags, ZWJ sequences and combining marks at 80 columns: nothing split, nothing
/// left behind when a filter empties rows.
#[test]
fn wide_graphemes_in_the_contact_list() {
    let mut store = journal_with(&[
        "Abe One",
        "Ada Two",
        "Kim 🇰🇷 Kang",
        "李小龍 Bruce Lee",
        "Priya 👩\u{200d}💻 Rao",
        "Zoë Saldaña",
        "Renée Ço\u{301}té",
    ]);
    let mut app = new_app(&store, (80, 24));
    insta::assert_snapshot!("wide_graphemes", screen(&app));
    act(&mut app, &mut store, Action::Filter);
    type_text(&mut app, &mut store, "abe");
    let filtered = screen(&app);
    assert!(
        !filtered.contains('🇷') && !filtered.contains("Kang"),
        "{filtered}"
    );
}

/// Every name is drawn exactly as wide as its graphemes, in a buffer cell by cell.
#[test]
fn drawn_width_is_the_sum_of_grapheme_widths() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::text::Line;
    for name in [
        "Kim 🇰🇷 Kang",
        "李小龍",
        "👩\u{200d}💻 dev",
        "Ço\u{301}té",
        "ʻOkina",
    ] {
        let mut terminal = Terminal::new(TestBackend::new(40, 1)).unwrap();
        terminal
            .draw(|f| f.render_widget(Line::raw(rolo::text::truncate(name, 40)), f.area()))
            .unwrap();
        // The drawn width ends where the last visible cell's symbol ends (a wide symbol
        // hides the cells after it).
        let buffer = terminal.backend().buffer().clone();
        let cells = buffer.content();
        let last = cells.iter().rposition(|c| c.symbol() != " ").unwrap();
        let used = last + unicode_width::UnicodeWidthStr::width(cells[last].symbol());
        assert_eq!(used, rolo::text::width(name), "{name}");
    }
}

#[test]
fn a_multi_line_note_keeps_its_lines_on_the_card() {
    let mut store = Store::open_in_memory().unwrap();
    let mut mira = ContactDraft::named("Mira Sol");
    mira.notes = Some("Allergic to nuts\nKids: Leo and Ana\n\nPrefers morning calls".into());
    store
        .write(|tx| contacts::insert(tx, &mira, None, now()))
        .unwrap();
    let mut app = new_app(&store, (100, 30));
    act(&mut app, &mut store, Action::Open);
    let card = screen(&app);
    assert!(!card.contains("nutsKids"), "{card}");
    insta::assert_snapshot!("card_multi_line_note", card);
}

/// Tags are text like any other: NFC, no control characters, however they come in.
#[test]
fn tags_are_normalised_too() {
    let j = Journal::new();
    j.json(&["add", "Ada Lovelace"]);
    j.json(&["tag", "ada", "cafe\u{301}", "x\u{7}y"]);
    let listed = j.json(&["list", "--tag", "café"]).to_string();
    assert!(listed.contains("Ada Lovelace"), "{listed}");
    j.json(&["untag", "ada", "xy"]);
    let shown = j.json(&["show", "ada"]).to_string();
    assert!(shown.contains("café") && !shown.contains("xy"), "{shown}");
}

/// The contacts filter folds names as `rolo show` does, in every script that has accents,
/// and keeps apart letters that only look like marks.
#[test]
fn the_filter_folds_like_name_resolution() {
    let mut store = journal_with(&[
        "Łukasz Nowak",
        "Nguyễn Văn An",
        "Σοφία Νικολάου",
        "Νίκος Παπαδόπουλος",
        "Ёлкин Пётр",
        "Straße Weiß",
        "राम शर्मा",
        "रीमा सेन",
    ]);
    let mut app = new_app(&store, (100, 30));
    for (typed, found, not) in [
        ("luk", "Łukasz", "Nguy"),
        ("nguyen", "Nguyễn", "Łukasz"),
        ("σοφια", "Σοφία", "Νίκος"),
        ("ΝΙΚΟΣ", "Νίκος", "Σοφία"),
        ("елкин", "Ёлкин", "Łukasz"),
        ("weiss", "Weiß", "Łukasz"),
        ("रीमा", "रीमा", "Łukasz"),
    ] {
        act(&mut app, &mut store, Action::Filter);
        type_text(&mut app, &mut store, typed);
        let shown = screen(&app);
        let pane = shown
            .lines()
            .skip(1)
            .take(10)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(pane.contains(found), "/{typed} misses {found}:\n{shown}");
        assert!(!pane.contains(not), "/{typed} finds {not}:\n{shown}");
        key(&mut app, &mut store, crossterm::event::KeyCode::Esc);
    }
}
