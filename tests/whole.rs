//! Every file people bring comes in whole, and nobody is merged with a stranger (issue 15),
//! through the real binary: each reproducer of the issue with the right values, and for each
//! kind a second case.

#![allow(clippy::unwrap_used)]

mod transfer;

use std::fmt::Write as _;

use predicates::prelude::PredicateBooleanExt as _;
use predicates::str::contains;
use serde_json::Value;
use transfer::{Journal, count};

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

fn field_values(contact: &Value, kind: &str) -> Vec<String> {
    contact["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == kind)
        .map(|f| f["value"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_soft_break_before_an_indented_line_eats_nothing() {
    let j = Journal::new();
    let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Lio Marsh\r\nNOTE;ENCODING=QUOTED-PRINTABLE:first part =\r\n second part\r\nTEL;CELL:+44 20 7946 0011\r\nEND:VCARD\r\n";
    j.import("vcard", &j.file("lio.vcf", card), &[]);
    let lio = &j.json(&["show", "lio"])["contact"];
    assert_eq!(lio["notes"], "first part second part");
    assert_eq!(field_values(lio, "phone"), ["+44 20 7946 0011"]);
    // Second case: a soft break in an address, the next line not indented, then a title.
    let card = "BEGIN:VCARD\nVERSION:2.1\nFN:Ines Bauer\nADR;HOME;ENCODING=QUOTED-PRINTABLE:;;Lange Stra=\n=C3=9Fe 5;Berlin;;10115;DE\nTITLE:Architektin\nEND:VCARD\n";
    j.import("vcard", &j.file("ines.vcf", card), &[]);
    let ines = &j.json(&["show", "ines"])["contact"];
    assert_eq!(
        field_values(ines, "address"),
        ["Lange Straße 5, Berlin 10115, DE"]
    );
    assert_eq!(ines["title"], "Architektin");
}

#[test]
fn cards_without_a_name_come_in_named_and_flagged() {
    let j = Journal::new();
    let mut text = String::new();
    for i in 0..5 {
        let _ = write!(
            text,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nEMAIL:p{i}@example.com\r\nEND:VCARD\r\n"
        );
    }
    // iPhone: a number saved alone.
    text.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:\r\nTEL;type=CELL:+44 7700 900123\r\nEND:VCARD\r\n");
    // Android 2.1: a nickname only in its vendor property.
    text.push_str("BEGIN:VCARD\r\nVERSION:2.1\r\nN:;;;;\r\nX-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Bex;1;;;;;;;;;;;;;\r\nEND:VCARD\r\n");
    // An old messenger handle written the pre-IMPP way.
    text.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nX-SKYPE-USERNAME:dana.k\r\nEND:VCARD\r\n");
    // Nothing at all: skipped with its line, never a reason to refuse the file.
    text.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:\r\nEND:VCARD\r\n");
    let file = j.file("phone.vcf", &text);
    let report = j.import("vcard", &file, &[]);
    assert_eq!(count(&report, "created"), 8, "{report}");
    let named: Vec<(String, String)> = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("named_from").is_some())
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["named_from"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("+44 7700 900123".to_owned(), "phone".to_owned()),
            ("Bex".to_owned(), "nickname".to_owned()),
            ("dana.k".to_owned(), "handle".to_owned()),
        ]
    );
    assert_eq!(report["skipped"][0]["source"], "card 9");
    assert!(
        report["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("line 42:"),
        "{report}"
    );
    let unnamed = j.json(&["list", "--tag", "unnamed"]);
    assert_eq!(unnamed.as_array().unwrap().len(), 3, "findable later");
    let again = j.import("vcard", &file, &[]);
    assert_eq!(count(&again, "created"), 0, "{again}");
}

#[test]
fn utf16_files_in_either_byte_order_and_a_file_in_no_encoding() {
    let text =
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nEMAIL:zoe@example.se\r\nEND:VCARD\r\n";
    for big_endian in [false, true] {
        let j = Journal::new();
        let file = j.bytes("windows.vcf", &utf16(text, big_endian));
        let report = j.import("vcard", &file, &[]);
        assert_eq!(report["created"][0]["name"], "Zoë Ångström", "{report}");
    }
    // UTF-16 without its mark is not guessed at: one line that says what to do.
    let j = Journal::new();
    j.json(&["add", "Already Here"]);
    let before = j.snapshot();
    let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let file = j.bytes("bare.vcf", &bare);
    j.cmd(&["import", "vcard", file.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("UTF-16 without a byte-order mark"));
    assert!(j.snapshot() == before);
    // A CSV in UTF-16 too (Excel's "Unicode text").
    let csv = "First Name,Last Name,E-mail Address,Job Title\r\nSiv,Dahl,siv@example.no,Lead\r\n";
    let j = Journal::new();
    let report = j.import("csv", &j.bytes("excel.csv", &utf16(csv, false)), &[]);
    assert_eq!(report["created"][0]["name"], "Siv Dahl", "{report}");
}

#[test]
fn base64_values_written_the_outlook_way() {
    let j = Journal::new();
    let card = "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Okoro;Ada\r\nFN:Ada Okoro\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQ\r\nSkZJRgABAQ\r\nAAAQABAAD/\r\n\r\nTEL;WORK:+234 1 234 5678\r\nEND:VCARD\r\n";
    j.import("vcard", &j.file("outlook.vcf", card), &[]);
    let ada = &j.json(&["show", "okoro"])["contact"];
    assert_eq!(field_values(ada, "phone"), ["+234 1 234 5678"]);
    assert!(
        ada["vcard_extra"]
            .as_str()
            .unwrap()
            .contains("/9j/4AAQSkZJRgABAQAAAQABAAD/"),
        "{ada}"
    );
    // Second case: the base64 value ends with the card, no blank line.
    let card =
        "BEGIN:VCARD\nVERSION:2.1\nFN:Ben Ade\nPHOTO;BASE64:R0lGODlh\nAQABAAAAACw=\nEND:VCARD\n";
    let report = j.import("vcard", &j.file("end.vcf", card), &[]);
    assert_eq!(count(&report, "created"), 1, "{report}");
    let exported = j.text(&["export", "vcard"]);
    assert!(exported.contains("PHOTO:data:image/jpeg;base64\\,/9j/4AAQSkZJRgABAQAAAQABAAD/"));
}

#[test]
fn google_multi_values_split_in_every_group() {
    let j = Journal::new();
    let csv = "First Name,Last Name,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Street,Address 1 - City,Address 1 - Postal Code,Address 1 - Country,Website 1 - Label,Website 1 - Value,Relation 1 - Label,Relation 1 - Value\n\
        Rosa,Lind,Mobile ::: Work,+46 70 123 45 67 ::: +46 8 123 456,Home ::: Work,Mill St 4 ::: Pier Rd 9,Leeds ::: York,LS1 ::: YO1,UK,Blog,https://rosa.example ::: https://lind.example,Spouse,Erik Lind\n";
    j.import("google", &j.file("google.csv", csv), &[]);
    let rosa = &j.json(&["show", "rosa"])["contact"];
    assert_eq!(
        field_values(rosa, "address"),
        ["Mill St 4, Leeds LS1, UK", "Pier Rd 9, York YO1, UK"]
    );
    let labels: Vec<(&str, &str)> = rosa["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "phone")
        .map(|f| (f["label"].as_str().unwrap(), f["value"].as_str().unwrap()))
        .collect();
    assert_eq!(
        labels,
        [("mobile", "+46 70 123 45 67"), ("work", "+46 8 123 456")]
    );
    assert_eq!(field_values(rosa, "url").len(), 2);
    assert!(
        j.text(&["export", "vcard"])
            .contains("RELATED;VALUE=text;TYPE=spouse:Erik Lind")
    );
}

#[test]
fn semicolon_sheets_and_sheets_without_a_known_header() {
    let j = Journal::new();
    let csv = "First Name;Last Name;E-mail Address;Company;Job Title\r\nJörg;Weiß;joerg@firma.example;\"Firma; GmbH\";Leiter\r\n";
    let report = j.import("csv", &j.file("excel.csv", csv), &[]);
    assert_eq!(report["created"][0]["name"], "Jörg Weiß", "{report}");
    assert_eq!(
        j.json(&["show", "jörg"])["contact"]["company"],
        "Firma; GmbH"
    );
    // LinkedIn through the same door, `;`-separated.
    let li = "First Name;Last Name;URL;Email Address;Company;Position;Connected On\nAnu;Rao;https://www.linkedin.com/in/anu-rao;;Acme;CTO;01 Feb 2023\n";
    let report = j.import("linkedin", &j.file("li.csv", li), &[]);
    assert_eq!(count(&report, "created"), 1, "{report}");
    j.cmd(&[
        "import",
        "csv",
        j.file("odd.csv", "Who;Where\nA;B\n").to_str().unwrap(),
    ])
    .assert()
    .code(1)
    .stderr(contains("line 1 has: Who;Where"))
    .stderr(contains("--map"));
}

#[test]
fn empty_values_of_modelled_properties_are_no_values() {
    let j = Journal::new();
    let card = "BEGIN:VCARD\nVERSION:4.0\nUID:empty-1\nFN:Eva Holm\nBDAY;VALUE=DATE:\nEMAIL:\nTITLE:\nORG:;\nEND:VCARD\n";
    j.import("vcard", &j.file("empty.vcf", card), &[]);
    j.json(&["edit", "eva", "--birthday", "1990-05-01"]);
    let exported = j.text(&["export", "vcard"]);
    assert_eq!(exported.matches("BDAY").count(), 1, "{exported}");
    assert!(exported.contains("BDAY:19900501"));
    for empty in ["EMAIL", "TITLE", "ORG"] {
        assert!(!exported.contains(empty), "{empty} written: {exported}");
    }
}

const OUTLOOK: &str = "First Name,Middle Name,Last Name,Title,Suffix,Company,Department,Job Title,Business Street,Business City,Business State,Business Postal Code,Business Country/Region,Home Street,Home City,Business Phone,Mobile Phone,E-mail Address,E-mail 2 Address,Birthday,Notes,Categories\r\n\
Nadia,,Petrova,Dr.,,\"Volga Labs, GmbH\",Research,Head of Research,Hafenweg 2,Hamburg,,20457,Germany,Elbchaussee 9,Hamburg,+49 30 5550 1000,+49 170 555 0101,nadia@volga.example,,1984-03-02,\"Prefers email\r\nSpeaks German and Russian\",Partners;Research\r\n\
Tomás,,Ferreira,,Jr.,Porto Tech,,CTO,,,,,,,,,,tomas@porto.example,tomas@home.example,0/0/00,,\r\n";

#[test]
fn outlook_sheets_with_preview_report_and_all_or_nothing() {
    let j = Journal::new();
    j.json(&["add", "Someone Already Here"]);
    let file = j.file("outlook.csv", OUTLOOK);
    let before = j.snapshot();
    let preview = j.import("csv", &file, &["--dry-run"]);
    assert_eq!(count(&preview, "created"), 2, "{preview}");
    assert!(j.snapshot() == before, "a preview writes nothing");
    let report = j.import("csv", &file, &[]);
    assert_eq!(report["created"][1]["source"], "line 4", "{report}");
    let nadia = &j.json(&["show", "nadia"])["contact"];
    assert_eq!(nadia["company"], "Volga Labs, GmbH");
    assert_eq!(nadia["title"], "Head of Research");
    assert_eq!(nadia["birthday"], "1984-03-02");
    // Line breaks are kept, as newlines (CRLF from Windows is one line break).
    assert_eq!(nadia["notes"], "Prefers email\nSpeaks German and Russian");
    assert_eq!(field_values(nadia, "address").len(), 2);
    let tomas = &j.json(&["show", "tomás"])["contact"];
    assert_eq!(field_values(tomas, "email").len(), 2);
    assert_eq!(tomas["birthday"], Value::Null, "0/0/00 is no date");
    let after = j.snapshot();
    let again = j.import("csv", &file, &[]);
    assert_eq!(count(&again, "unchanged"), 2, "{again}");
    assert!(
        j.snapshot() == after,
        "a second identical import changes nothing"
    );
    // One bad row refuses the file, naming its line; --skip-invalid takes the rest.
    let bad = OUTLOOK.replace("1984-03-02", "03/02/1984");
    let k = Journal::new();
    k.json(&["add", "Someone Already Here"]);
    let before = k.snapshot();
    let bad = k.file("bad.csv", &bad);
    k.cmd(&["import", "csv", bad.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("line 2: birthday"));
    assert!(k.snapshot() == before);
    let report = k.import("csv", &bad, &["--skip-invalid"]);
    assert_eq!(
        (count(&report, "created"), count(&report, "skipped")),
        (1, 1)
    );
}

#[test]
fn any_sheet_through_a_mapping() {
    let j = Journal::new();
    let csv = "Full name,Mail,Mobile,Firm,Town\nOla Nordmann,ola@firma.example,+47 400 00 000,Firma AS,Oslo\nKari Nordmann,,+47 400 00 001,,Bergen\n";
    let file = j.file("sheet.csv", csv);
    let map = "Full name=name,Mail=email,Mobile=phone:cell,Firm=company,Town=city";
    let report = j.import("csv", &file, &["--map", map]);
    assert_eq!(count(&report, "created"), 2, "{report}");
    let ola = &j.json(&["show", "ola"])["contact"];
    assert_eq!(ola["company"], "Firma AS");
    assert_eq!(ola["fields"][1]["label"], "cell");
    assert_eq!(field_values(ola, "address"), ["Oslo"]);
    // The same from a TOML file; nothing new.
    let toml = j.file(
        "map.toml",
        "[columns]\n\"Full name\" = \"name\"\nMail = \"email\"\nMobile = \"phone:cell\"\n",
    );
    let again = j.import("csv", &file, &["--map-file", toml.to_str().unwrap()]);
    assert_eq!(count(&again, "created"), 0, "{again}");
    // A mapping that names no such thing is a usage error; one that names a missing column
    // says so.
    j.cmd(&[
        "import",
        "csv",
        file.to_str().unwrap(),
        "--map",
        "Mobile=fax",
    ])
    .assert()
    .code(2)
    .stderr(contains("'fax'"));
    j.cmd(&[
        "import",
        "csv",
        file.to_str().unwrap(),
        "--map",
        "Phone=phone",
    ])
    .assert()
    .code(1)
    .stderr(contains("Full name,Mail,Mobile,Firm,Town"));
}

#[test]
fn a_shared_family_address_is_a_question_not_a_merge() {
    let j = Journal::new();
    let cards = "BEGIN:VCARD\nVERSION:3.0\nFN:Kari Lund\nEMAIL:home@lund.example\nTEL:+47 400 00 001\nEND:VCARD\n";
    j.import("vcard", &j.file("kari.vcf", cards), &[]);
    let per = "BEGIN:VCARD\nVERSION:3.0\nFN:Per Lund\nEMAIL:home@lund.example\nTEL:+47 400 00 002\nBDAY:1970-01-02\nEND:VCARD\n";
    let file = j.file("per.vcf", per);
    let report = j.import("vcard", &file, &[]);
    assert_eq!(count(&report, "merged"), 0, "{report}");
    assert!(
        report["possible"][0]["candidates"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("given names differ"),
        "{report}"
    );
    assert_eq!(
        j.json(&["show", "kari"])["contact"]["birthday"],
        Value::Null
    );
    let report = j.import("vcard", &file, &["--new", "1"]);
    assert_eq!(count(&report, "created"), 1, "{report}");
    assert_eq!(
        j.json(&["show", "per"])["contact"]["birthday"],
        "1970-01-02"
    );
}

#[test]
fn a_name_alone_does_not_merge_strangers() {
    let j = Journal::new();
    j.json(&[
        "add",
        "Sam Lee",
        "--company",
        "Harbor Bakery",
        "--email",
        "sam@harbor.example",
    ]);
    let li = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nSam,Lee,https://www.linkedin.com/in/sam-lee-data,,Quanta Analytics,Data Engineer,01 Feb 2023\n";
    let file = j.file("li.csv", li);
    let report = j.import("linkedin", &file, &[]);
    let candidate = &report["possible"][0]["candidates"][0];
    assert!(
        candidate["reason"]
            .as_str()
            .unwrap()
            .contains("different company"),
        "{report}"
    );
    let sam = &j.json(&["show", "c1"])["contact"];
    assert_eq!(sam["company"], "Harbor Bakery");
    assert_eq!(sam["fields"].as_array().unwrap().len(), 1);
    // A --link to a row the file does not have changes nothing.
    let before = j.snapshot();
    j.cmd(&[
        "import",
        "linkedin",
        file.to_str().unwrap(),
        "--link",
        "9=c1",
    ])
    .assert()
    .code(1)
    .stderr(contains("no row 9"));
    assert!(j.snapshot() == before);
    let report = j.import("linkedin", &file, &["--new", "2"]);
    assert_eq!(count(&report, "created"), 1);
    assert_eq!(j.json(&["list"]).as_array().unwrap().len(), 2);
}

#[test]
fn a_renamed_contact_is_recognised_by_their_phone() {
    let j = Journal::new();
    let card = "BEGIN:VCARD\nVERSION:3.0\nFN:Lio Marsh\nTEL;TYPE=CELL:020 7946 0011\nEND:VCARD\n";
    let file = j.file("lio.vcf", card);
    j.import("vcard", &file, &["--region", "GB"]);
    j.json(&["edit", "lio", "--rename", "Lionel Marsh-Grey"]);
    let report = j.import("vcard", &file, &["--region", "GB"]);
    assert_eq!(
        (count(&report, "created"), count(&report, "unchanged")),
        (0, 1),
        "{report}"
    );
    // The same person with a new e-mail and the old phone, written internationally.
    let moved = "BEGIN:VCARD\nVERSION:3.0\nFN:Lionel Marsh\nEMAIL:lio@new.example\nTEL:+44 20 7946 0011\nEND:VCARD\n";
    let report = j.import("vcard", &j.file("moved.vcf", moved), &["--region", "GB"]);
    assert_eq!(count(&report, "merged"), 1, "{report}");
    let lio = &j.json(&["show", "lionel"])["contact"];
    assert_eq!(field_values(lio, "email"), ["lio@new.example"]);
    assert_eq!(
        field_values(lio, "phone").len(),
        1,
        "the same number, not twice"
    );
    j.cmd(&[
        "import",
        "vcard",
        file.to_str().unwrap(),
        "--region",
        "Narnia",
    ])
    .assert()
    .code(2)
    .stderr(contains("not a region code"));
}

/// `export json` without the moment it was written: what a second import must not change.
fn exported(j: &Journal) -> String {
    let text = j.text(&["export", "json"]);
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    if let Some(map) = doc.as_object_mut() {
        map.retain(|k, _| !k.contains("exported"));
    }
    doc.to_string()
}

#[test]
fn an_address_with_a_line_break_is_not_added_again_on_each_import() {
    let outlook = "First Name,Last Name,E-mail Address,Home Street,Home City,Home Postal Code,Home Country/Region\r\nAmy,Cole,amy@example.com,\"Flat 2\r\nMill St 4\",Leeds,LS1,UK\r\n";
    let google = "First Name,Last Name,E-mail 1 - Value,Address 1 - Label,Address 1 - Formatted\nBen,Dale,ben@example.com,Home,\"Flat 2\nMill St 4\nLeeds LS1\"\n";
    let cases: [(&str, &str, &str); 4] = [
        (
            "vcard",
            "v3.vcf",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Moss\r\nEMAIL:cy@example.com\r\nADR;TYPE=home:;;Flat 2\\nMill St 4;Leeds;;LS1;UK\r\nEND:VCARD\r\n",
        ),
        (
            "vcard",
            "v21.vcf",
            "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Di Park\r\nEMAIL:di@example.com\r\nADR;HOME;ENCODING=QUOTED-PRINTABLE:;;Flat 2=0D=0AMill St 4;Leeds;;LS1;UK\r\nEND:VCARD\r\n",
        ),
        ("csv", "outlook.csv", outlook),
        ("google", "google.csv", google),
    ];
    for (format, name, text) in cases {
        let j = Journal::new();
        let file = j.file(name, text);
        j.import(format, &file, &[]);
        let before = exported(&j);
        let again = j.import(format, &file, &[]);
        assert_eq!(
            (count(&again, "merged"), count(&again, "unchanged")),
            (0, 1),
            "{name}: {again}"
        );
        assert_eq!(exported(&j), before, "{name}: the journal is unchanged");
    }
}

const OUTLOOK_DATES: &str = "First Name,Last Name,E-mail Address,Birthday,Anniversary\r\n\
Ann,Bell,ann@example.com,4/13/1981,13.04.2001\r\n\
Bo,Chen,bo@example.com,13/4/1981,24.12.1970\r\n";

#[test]
fn outlook_dates_are_read_when_they_cannot_be_misread() {
    let j = Journal::new();
    j.import("csv", &j.file("dates.csv", OUTLOOK_DATES), &[]);
    let ann = &j.json(&["show", "ann"])["contact"];
    assert_eq!(
        (&ann["birthday"], &ann["anniversary"]),
        (&Value::from("1981-04-13"), &Value::from("2001-04-13"))
    );
    let bo = &j.json(&["show", "bo"])["contact"];
    assert_eq!(
        (&bo["birthday"], &bo["anniversary"]),
        (&Value::from("1981-04-13"), &Value::from("1970-12-24"))
    );
    // 4/5/1981 reads two ways: refused, both readings named, nothing imported …
    let ambiguous = OUTLOOK_DATES.replace("4/13/1981", "4/5/1981");
    let k = Journal::new();
    let file = k.file("ambiguous.csv", &ambiguous);
    k.cmd(&["import", "csv", file.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("line 2: birthday: '4/5/1981' is ambiguous"))
        .stderr(contains(
            "1981-04-05 (month first) or 1981-05-04 (day first)",
        ))
        .stderr(contains("2026").not());
    assert_eq!(k.json(&["list"]).as_array().unwrap().len(), 0);
    // … unless the region settles the order.
    k.import("csv", &file, &["--region", "US"]);
    assert_eq!(
        k.json(&["show", "ann"])["contact"]["birthday"],
        "1981-04-05"
    );
    let g = Journal::new();
    g.import("csv", &g.file("gb.csv", &ambiguous), &["--region", "GB"]);
    assert_eq!(
        g.json(&["show", "ann"])["contact"]["birthday"],
        "1981-05-04"
    );
    // The same rule for an anniversary, and for Google's sheet.
    let google = "First Name,Last Name,Birthday,Event 1 - Label,Event 1 - Value\nCy,Dunn,4/13/1981,Anniversary,3/4/2005\n";
    let c = Journal::new();
    let file = c.file("google.csv", google);
    c.cmd(&["import", "google", file.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("anniversary: '3/4/2005' is ambiguous"));
    c.import("google", &file, &["--region", "DE"]);
    let cy = &c.json(&["show", "cy"])["contact"];
    assert_eq!(cy["birthday"], "1981-04-13");
    assert_eq!(cy["anniversary"], "2005-04-03");
}

#[test]
fn every_outlook_column_is_kept_somewhere() {
    let header = "First Name,Last Name,Company,Department,Office Location,Job Title,Business Fax,Home Fax,Other Fax,Pager,Car Phone,Company Main Phone,Assistant's Phone,Radio Phone,Callback,ISDN,TTY/TDD Phone,Primary Phone,Other Phone,Personal Web Page,Web Page,IMAddress,Spouse,Manager's Name,Assistant's Name,Children,User 1,Priority,Private,Sensitivity";
    let mut row = String::from("Ola,Berg,Fjord AS,Research,Building 7,Analyst");
    for n in 0..13 {
        let _ = write!(row, ",+47 400 00 {n:03}");
    }
    row.push_str(",https://ola.example,https://fjord.example/ola,ola@chat.example,Kari Berg,Per Lund,Ane Dahl,Eli Berg,Gold member,Normal,False,Normal");
    let j = Journal::new();
    j.import(
        "csv",
        &j.file("outlook.csv", &format!("{header}\r\n{row}\r\n")),
        &[],
    );
    let ola = &j.json(&["show", "ola"])["contact"];
    let phones: Vec<(String, String)> = ola["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "phone")
        .map(|f| {
            (
                f["label"].as_str().unwrap_or("").to_owned(),
                f["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(phones.len(), 13, "{phones:?}");
    assert!(phones.contains(&("work,fax".to_owned(), "+47 400 00 000".to_owned())));
    assert!(phones.contains(&("textphone".to_owned(), "+47 400 00 010".to_owned())));
    assert!(phones.iter().any(|(l, _)| l == "pager"));
    assert_eq!(
        field_values(ola, "url"),
        ["https://fjord.example/ola", "https://ola.example"]
    );
    assert_eq!(field_values(ola, "handle"), ["ola@chat.example"]);
    let vcard = j.text(&["export", "vcard"]);
    for line in [
        "X-DEPARTMENT:Research",
        "X-OFFICE-LOCATION:Building 7",
        "RELATED;VALUE=text;TYPE=spouse:Kari Berg",
        "Per Lund",
        "Ane Dahl",
        "TYPE=child:Eli Berg",
        "X-USER-1:Gold member",
    ] {
        assert!(vcard.contains(line), "{line} kept: {vcard}");
    }
    assert!(
        !vcard.contains("X-PRIORITY"),
        "Outlook's defaults are noise"
    );
}

#[test]
fn google_messaging_custom_fields_and_short_label_cells() {
    let google = "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,IM 1 - Label,IM 1 - Service,IM 1 - Value,Instant Message 1 - Type,Instant Message 1 - Value,Custom Field 1 - Label,Custom Field 1 - Value,Phonetic Last Name\n\
Ivo,Kral,Work ::: ,ivo@work.example ::: ivo@home.example ::: ivo@old.example,Work,Skype,live:ivo,Matrix,@ivo:example.org,Shoe size,44,Kraal\n";
    let j = Journal::new();
    j.import("google", &j.file("google.csv", google), &[]);
    let ivo = &j.json(&["show", "ivo"])["contact"];
    let emails: Vec<&str> = ivo["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "email")
        .map(|f| f["label"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(emails, ["work", "", ""], "labels split like values");
    assert_eq!(
        field_values(ivo, "handle"),
        ["live:ivo", "@ivo:example.org"]
    );
    let vcard = j.text(&["export", "vcard"]);
    assert!(vcard.contains("X-SHOE-SIZE:44"), "{vcard}");
    assert!(vcard.contains("X-PHONETIC-LAST-NAME:Kraal"), "{vcard}");
    assert!(!vcard.contains(":::"), "{vcard}");
}

#[test]
fn an_unterminated_quote_is_refused_with_its_line() {
    for newline in ["\n", "\r\n"] {
        let rows = [
            "First Name,Last Name,E-mail Address,Job Title",
            "Ada,Lovelace,ada@example.com,Engineer",
            "Grace,Hopper,grace@example.com,\"Admiral",
            "Alan,Turing,alan@example.com,Mathematician",
            "Kurt,Goedel,kurt@example.com,Logician",
        ];
        let j = Journal::new();
        j.json(&["add", "Someone Already Here"]);
        let before = j.snapshot();
        let file = j.file("broken.csv", &(rows.join(newline) + newline));
        j.cmd(&["import", "csv", file.to_str().unwrap(), "--skip-invalid"])
            .assert()
            .code(1)
            .stderr(contains("line 3: a quote opens here and never closes"));
        assert!(j.snapshot() == before, "{newline:?}: nothing imported");
        // A quote opened in the last row swallows nothing, but is still no cell's end.
        let last = j.file(
            "last.csv",
            &(rows[..2].join(newline) + newline + "Eve,\"Stone, Jr" + newline),
        );
        j.cmd(&["import", "csv", last.to_str().unwrap()])
            .assert()
            .code(1)
            .stderr(contains("line 3: a quote opens"));
    }
}

#[test]
fn a_mapping_names_the_columns_a_sheet_lacks() {
    let j = Journal::new();
    let li = "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Lovelace,,,,,12 Mar 2024\n";
    let file = j.file("li.csv", li);
    j.cmd(&[
        "import",
        "csv",
        file.to_str().unwrap(),
        "--map",
        "Full name=name,Email=email,First Name=given",
    ])
    .assert()
    .code(1)
    .stderr(contains("no column 'Full name', 'Email'"))
    .stderr(contains(
        "line 4 has: First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ))
    .stderr(contains("When exporting").not());
}
