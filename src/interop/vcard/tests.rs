use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use rstest::rstest;

use super::*;
use crate::domain::contact::{
    Contact, ContactField, ContactId, FieldKind, HowWeMet, NameParts, PostalAddress,
};
use crate::domain::when::PartialDate;
use crate::interop::content_line::{escape, unescape};

fn contact(draft: ContactDraft, uid: &str) -> Contact {
    let t = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
    Contact {
        id: ContactId(1),
        uid: uid.to_owned(),
        display_name: draft.display_name,
        name: draft.name,
        nickname: draft.nickname,
        company: draft.company,
        title: draft.title,
        fields: draft.fields,
        birthday: draft.birthday,
        anniversary: draft.anniversary,
        met: HowWeMet::default(),
        notes: draft.notes,
        tags: draft.tags,
        cadence: None,
        archived: false,
        created_at: t,
        updated_at: t,
        last_interaction_at: None,
        vcard_extra: draft.vcard_extra,
    }
}

const RICH_4: &str = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\nFN:Ada Lovelace\r\nN:Lovelace;Augusta Ada;King,Byron;The Hon.;\r\nNICKNAME:Ada\r\nORG:Analytical Engines;Research;Looms\r\nTITLE:Mathematician\\, writer\r\nEMAIL;TYPE=work;PREF=1:ada@example.com\r\nTEL;TYPE=cell,voice:+44 20 7946 0000\r\nitem1.EMAIL:countess@example.org\r\nitem1.X-ABLabel:_$!<Other>!$_\r\nADR;TYPE=home:;;12 St James\\, Square;London;;SW1Y 4JH;UK\r\nURL:https://www.linkedin.com/in/ada\r\nIMPP:xmpp:ada@example.com\r\nBDAY:--1210\r\nANNIVERSARY:18350708\r\nCATEGORIES:mentor,Poetical Science\r\nNOTE:Met at Babbage's soirée\\nLoves looms\\; and engines\r\nPHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\nX-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ada\r\nRELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\nEND:VCARD\r\n";

#[test]
fn reads_everything_rolo_models_and_keeps_the_rest() {
    let cards = read(RICH_4).unwrap();
    let card = &cards[0];
    let d = &card.draft;
    assert_eq!(
        card.uid.as_deref(),
        Some("urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1")
    );
    assert_eq!(d.display_name, "Ada Lovelace");
    assert_eq!(
        d.name,
        NameParts {
            family: "Lovelace".into(),
            given: "Augusta Ada".into(),
            additional: "King,Byron".into(),
            prefix: "The Hon.".into(),
            suffix: String::new()
        }
    );
    assert_eq!(d.company.as_deref(), Some("Analytical Engines"));
    assert_eq!(d.title.as_deref(), Some("Mathematician, writer"));
    assert_eq!(d.birthday, PartialDate::new(None, 12, 10));
    assert_eq!(d.anniversary, PartialDate::new(Some(1835), 7, 8));
    assert_eq!(d.tags, ["mentor", "poetical-science"]);
    assert_eq!(
        d.notes.as_deref(),
        Some("Met at Babbage's soirée\nLoves looms; and engines")
    );
    let email = &d.fields[0];
    assert_eq!(
        (
            email.kind,
            email.label.as_str(),
            email.value.as_str(),
            email.preferred
        ),
        (FieldKind::Email, "work", "ada@example.com", true)
    );
    assert!(
        d.fields.iter().any(|f| f.value == "countess@example.org"),
        "grouped emails are modelled too"
    );
    let extra = d.vcard_extra.as_deref().unwrap();
    for kept in [
        "item1.EMAIL:countess@example.org",
        "item1.X-ABLabel",
        "PHOTO:data:image/png",
        "X-SOCIALPROFILE",
        "RELATED;TYPE=friend",
        "ORG:Analytical Engines;Research;Looms",
    ] {
        assert!(extra.contains(kept), "{kept} kept verbatim in {extra}");
    }
}

#[rstest]
#[case(Version::V4)]
#[case(Version::V3)]
fn round_trip_keeps_every_field(#[case] version: Version) {
    let first = read(RICH_4).unwrap().remove(0);
    let written = write(
        &contact(first.draft.clone(), first.uid.as_deref().unwrap()),
        version,
    );
    let second = read(&written).unwrap().remove(0);
    assert_eq!(second.uid, first.uid);
    // Fields may come back in another order (grouped ones are written from their verbatim
    // line, after the rest); nothing else may change.
    // Kept lines come back in the form the version allows (a 4.0 data: URI PHOTO is
    // `ENCODING=b` in 3.0, RELATED is X-RELATED).
    let sorted = |mut d: ContactDraft| {
        d.fields
            .sort_by(|a, b| (a.kind.as_str(), &a.value).cmp(&(b.kind.as_str(), &b.value)));
        d.vcard_extra = d.vcard_extra.map(|e| {
            e.lines()
                .map(|l| super::version::adapt(l, version))
                .collect::<Vec<_>>()
                .join("\n")
        });
        d
    };
    assert_eq!(
        sorted(second.draft.clone()),
        sorted(first.draft.clone()),
        "\n{written}"
    );
    let again = write(
        &contact(second.draft, second.uid.as_deref().unwrap()),
        version,
    );
    assert_eq!(again, written, "a second round trip changes nothing");
    // Unknown and grouped lines come out once, exactly as they came in.
    assert_eq!(
        written.matches("item1.EMAIL:countess@example.org").count(),
        1,
        "{written}"
    );
    assert_eq!(written.matches("ORG:").count(), 1, "{written}");
    assert!(
        written.lines().all(|l| l.len() <= 76),
        "folded at 75 octets plus CR"
    );
}

#[test]
fn vcard_2_1_quoted_printable_and_bare_types() {
    let card = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BC=\nller\nTEL;WORK;VOICE:+49 30 1234\nNOTE;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0Azweite Zeile\nADR;HOME;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:;;Stra=DFe 1;Berlin;;10115;DE\nEND:VCARD\n";
    let d = read(card).unwrap().remove(0).draft;
    assert_eq!(d.display_name, "Jürgen Müller");
    assert_eq!(d.name.family, "Müller");
    assert_eq!(d.fields[0].label, "work,voice");
    assert_eq!(d.notes.as_deref(), Some("Erste Zeile\nzweite Zeile"));
    let address = d.fields[1].address.clone().unwrap();
    assert_eq!(
        address.parts(),
        ["", "", "Straße 1", "Berlin", "", "10115", "DE"]
    );
    assert_eq!(d.fields[1].value, "Straße 1, Berlin 10115, DE");
}

#[rstest]
#[case("BDAY:19960415", Some(1996), 4, 15)]
#[case("BDAY:1996-04-15", Some(1996), 4, 15)]
#[case("BDAY:--0415", None, 4, 15)]
#[case("BDAY:--04-15", None, 4, 15)]
#[case("BDAY:1996-04-15T00:00:00Z", Some(1996), 4, 15)]
#[case("BDAY;VALUE=date:19960415T120000", Some(1996), 4, 15)]
#[case("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15", None, 4, 15)]
#[case("BDAY:--0229", None, 2, 29)]
#[case("BDAY:20000229", Some(2000), 2, 29)]
fn birthdays_in_every_form(
    #[case] line: &str,
    #[case] year: Option<i32>,
    #[case] month: u32,
    #[case] day: u32,
) {
    let text = format!("BEGIN:VCARD\nVERSION:3.0\nFN:X\n{line}\nEND:VCARD\n");
    assert_eq!(
        read(&text).unwrap()[0].draft.birthday,
        PartialDate::new(year, month, day),
        "{line}"
    );
}

#[test]
fn unmodelled_birthdays_are_kept_not_lost() {
    let text = "BEGIN:VCARD\nVERSION:4.0\nFN:X\nBDAY;VALUE=text:circa 1800\nEND:VCARD\n";
    let d = read(text).unwrap().remove(0).draft;
    assert_eq!(d.birthday, None);
    assert_eq!(d.vcard_extra.as_deref(), Some("BDAY;VALUE=text:circa 1800"));
}

#[test]
fn year_less_birthdays_are_written_for_each_version() {
    let mut draft = ContactDraft::named("X");
    draft.birthday = PartialDate::new(None, 4, 15);
    let c = contact(draft, "u1");
    assert!(write(&c, Version::V4).contains("BDAY:--0415\r\n"));
    assert!(write(&c, Version::V3).contains("BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-15\r\n"));
    assert_eq!(
        read(&write(&c, Version::V3)).unwrap()[0].draft.birthday,
        PartialDate::new(None, 4, 15)
    );
}

#[test]
fn folding_never_splits_a_character_and_unfolds_back() {
    let note = "Ünïcödé ".repeat(40) + "🎉 end";
    let mut draft = ContactDraft::named("Fold Test");
    draft.notes = Some(note.clone());
    let written = write(&contact(draft, "u2"), Version::V4);
    for line in written.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert_eq!(
        read(&written).unwrap()[0].draft.notes.as_deref(),
        Some(note.as_str())
    );
}

#[rstest]
#[case(
    "BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nN:;;;;\nEND:VCARD\n",
    2,
    "no name"
)]
#[case("BEGIN:VCARD\nVERSION:3.0\nFN:A\n", 1, "never ends")]
#[case(
    "BEGIN:VCARD\nFN:A\nthis is not a property\nEND:VCARD\n",
    1,
    "not a vCard line"
)]
#[case("FN:A\n", 1, "outside BEGIN:VCARD")]
fn errors_name_the_card(#[case] text: &str, #[case] card: usize, #[case] message: &str) {
    let err = read(text).unwrap_err();
    assert_eq!(err.card, card, "{err}");
    assert!(err.message.contains(message), "{err}");
}

#[test]
fn escaping_round_trips() {
    for text in ["a,b;c\\d", "line\nbreak", "plain", ""] {
        assert_eq!(unescape(&escape(text)), text);
    }
}

fn field_strategy() -> impl Strategy<Value = ContactField> {
    let kind = prop_oneof![
        Just(FieldKind::Email),
        Just(FieldKind::Phone),
        Just(FieldKind::Url),
        Just(FieldKind::Handle)
    ];
    (
        kind,
        "[a-z]{0,6}",
        "[a-zA-Z0-9@.+:/ ,;\\\\-]{1,30}",
        any::<bool>(),
    )
        .prop_map(|(kind, label, value, preferred)| ContactField {
            preferred,
            ..ContactField::new(kind, value.trim()).labelled(label)
        })
}

fn address_strategy() -> impl Strategy<Value = ContactField> {
    let part = "[\\p{L}\\p{N} ,;.\\\\-]{0,12}";
    (
        proptest::collection::vec(part, 7),
        "[a-z]{0,6}",
        any::<bool>(),
    )
        .prop_filter_map("an empty address", |(parts, label, preferred)| {
            let address = PostalAddress::from_parts(&parts);
            (!address.is_empty()).then(|| ContactField {
                preferred,
                ..ContactField::postal(address).labelled(label)
            })
        })
}

proptest! {
    /// Any contact rolo can hold survives vCard 4.0 write → read.
    #[test]
    fn any_contact_survives_vcard_4(
        display in "[\\p{L}][\\p{L}\\p{N} ,;.'\\\\-]{0,40}",
        family in "[\\p{L} ,.'-]{0,15}",
        given in "[\\p{L} ,.'-]{0,15}",
        nickname in proptest::option::of("[\\p{L}]{1,10}"),
        company in proptest::option::of("[\\p{L}\\p{N}][\\p{L}\\p{N} ,.&'-]{0,20}"),
        title in proptest::option::of("[\\p{L}\\p{N}][\\p{L}\\p{N} ,;:.&'-]{0,20}"),
        fields in proptest::collection::vec(prop_oneof![3 => field_strategy(), 1 => address_strategy()], 0..4),
        birthday in proptest::option::of((proptest::option::of(1900i32..2020), 1u32..=12, 1u32..=28)),
        tags in proptest::collection::btree_set("[a-z][a-z0-9-]{0,10}", 0..4),
        notes in proptest::option::of("[^\\r]{1,200}"),
    ) {
        let mut draft = ContactDraft::named(display.trim());
        prop_assume!(!draft.display_name.is_empty());
        draft.name = NameParts { family: family.trim().to_owned(), given: given.trim().to_owned(), ..NameParts::default() };
        draft.nickname = nickname;
        draft.company = company.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
        draft.title = title.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        draft.fields = fields.into_iter().filter(|f| !f.value.is_empty()).collect();
        draft.birthday = birthday.and_then(|(y, m, d)| PartialDate::new(y, m, d));
        draft.tags = tags.into_iter().collect();
        draft.notes = notes.filter(|n| !n.trim().is_empty());
        let written = write(&contact(draft.clone(), "urn:uuid:x"), Version::V4);
        let back = read(&written).unwrap().remove(0);
        prop_assert_eq!(back.draft, draft, "{}", written);
    }

    #[test]
    fn reading_never_panics(text in "\\PC{0,300}") {
        let _ = read_each(&text);
        let wrapped = format!("BEGIN:VCARD\n{text}\nEND:VCARD\n");
        let _ = read_each(&wrapped);
    }
}

fn card_21(body: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:2.1\r\n{body}END:VCARD\r\n")
}

fn exported(text: &str, version: Version) -> String {
    let card = read(text).unwrap().remove(0);
    write(&contact(card.draft, "u1"), version)
}

#[test]
fn quoted_printable_in_its_declared_charset() {
    let d = read(&card_21(
        "N;CHARSET=ISO-8859-2;ENCODING=QUOTED-PRINTABLE:Ko=B3odziej;Pawe=B3\r\nNOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=windows-1252:lower =80 =93x=94\r\n",
    ))
    .unwrap()
    .remove(0)
    .draft;
    assert_eq!(d.display_name, "Paweł Kołodziej");
    assert_eq!(d.notes.as_deref(), Some("lower € “x”"));
    let err = read(&card_21(
        "FN:A\r\nNOTE;CHARSET=x-unknown;ENCODING=QUOTED-PRINTABLE:=E9\r\n",
    ))
    .unwrap_err();
    assert_eq!(err.line, 4, "{err}");
    assert!(err.message.contains("x-unknown"), "{err}");
}

#[test]
fn a_legacy_card_among_utf_8_ones_leaves_them_alone() {
    let mut bytes = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ångström\r\nEND:VCARD\r\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=ISO-8859-1:Fran\xe7ois;Ren\xe9e\r\nEND:VCARD\r\n",
    );
    bytes.extend_from_slice(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=KOI8-R:\xf0\xd2\xc9\xd7\xc5\xd4\r\nEND:VCARD\r\n");
    let cards = read(&decode(&bytes).unwrap()).unwrap();
    let names: Vec<&str> = cards
        .iter()
        .map(|c| c.draft.display_name.as_str())
        .collect();
    assert_eq!(names, ["Zoë Ångström", "Renée François", "Привет"]);
}

/// A quoted-printable value that also carries raw 8-bit text in its CHARSET: each byte is
/// decoded once, the raw ones and the escaped ones alike.
#[test]
fn raw_and_escaped_bytes_of_one_charset_decode_once() {
    let bytes = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Caf\xe9 Owner\r\nNOTE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:caf\xe9 =3D cr=E8me\r\nEND:VCARD\r\n";
    let cards = read(&decode(bytes).unwrap()).unwrap();
    assert_eq!(cards[0].draft.notes.as_deref(), Some("café = crème"));
}

#[rstest]
#[case::before_end("NOTE;ENCODING=QUOTED-PRINTABLE:last words=\r\n", None)]
#[case::before_a_property(
    "NOTE;ENCODING=QUOTED-PRINTABLE:last words=\r\nTEL;CELL:+44 20 7946 0011\r\n",
    Some("+44 20 7946 0011")
)]
#[case::before_a_grouped_property(
    "NOTE;ENCODING=QUOTED-PRINTABLE:last words=\r\nitem1.EMAIL:a@b.example\r\n",
    Some("a@b.example")
)]
fn a_soft_break_never_swallows_the_next_property(#[case] body: &str, #[case] field: Option<&str>) {
    let d = read(&card_21(&format!("FN:Lio Marsh\r\n{body}")))
        .unwrap()
        .remove(0)
        .draft;
    assert_eq!(d.notes.as_deref(), Some("last words"));
    assert_eq!(d.fields.first().map(|f| f.value.as_str()), field);
}

#[rstest]
#[case::plain("NOTE:backslash \\ done\r\n", "backslash \\ done")]
#[case::quoted_printable(
    "NOTE;ENCODING=QUOTED-PRINTABLE:C:\\temp\\new=0D=0Aa\\;b, c\r\n",
    "C:\\temp\\new\na;b, c"
)]
fn in_2_1_only_a_semicolon_is_escaped(#[case] body: &str, #[case] note: &str) {
    let text = card_21(&format!("FN:A\r\n{body}"));
    let d = read(&text).unwrap().remove(0).draft;
    assert_eq!(d.notes.as_deref(), Some(note));
    // And it goes out meaning the same.
    let again = read(&exported(&text, Version::V4)).unwrap().remove(0).draft;
    assert_eq!(again.notes.as_deref(), Some(note));
}

#[rstest]
fn kept_2_1_lines_go_out_escaped_for_the_target(
    #[values(Version::V3, Version::V4)] version: Version,
) {
    let text = card_21(
        "FN:Kit Abara\r\nORG:Alpha, Inc.;Beta, Dept\r\nTITLE:One\r\nTITLE:Two, Three\r\nX-THING:a, b\r\nX-BAZ;ENCODING=8BIT;CHARSET=UTF-8:qux\r\nNICKNAME:Kit\\Cat\r\n",
    );
    let out = exported(&text, version);
    for line in [
        "ORG:Alpha\\, Inc.;Beta\\, Dept\r\n",
        "TITLE:Two\\, Three\r\n",
        "X-THING:a\\, b\r\n",
        "X-BAZ:qux\r\n",
    ] {
        assert!(out.contains(line), "{line} in {out}");
    }
    assert!(
        !out.contains("ENCODING") && !out.contains("CHARSET"),
        "{out}"
    );
    let again = read(&out).unwrap().remove(0).draft;
    assert_eq!(again.company.as_deref(), Some("Alpha, Inc."));
    assert_eq!(again.nickname.as_deref(), Some("Kit\\Cat"));
}

#[rstest]
#[case::geo_into_4("GEO:37.38;-122.08", Version::V4, "GEO:geo:37.38,-122.08")]
#[case::geo_into_3("GEO:geo:37.38,-122.08", Version::V3, "GEO:37.38;-122.08")]
#[case::sound_into_4(
    "SOUND;ENCODING=b;TYPE=OGG:T2dnUw==",
    Version::V4,
    "SOUND:data:audio/ogg;base64\\,T2dnUw=="
)]
#[case::key_into_4(
    "KEY;ENCODING=b;TYPE=PGP:mQEN",
    Version::V4,
    "KEY:data:application/pgp-keys;base64\\,mQEN"
)]
#[case::impp_pref_into_4(
    "IMPP;X-SERVICE-TYPE=Skype;type=pref:skype:kit",
    Version::V4,
    "IMPP;X-SERVICE-TYPE=Skype;PREF=1:skype:kit"
)]
#[case::eight_bit_into_4("X-BAZ;ENCODING=8BIT:qux", Version::V4, "X-BAZ:qux")]
#[case::tel_uri_into_3(
    "TEL;VALUE=uri;TYPE=cell:tel:+1-555-0100",
    Version::V3,
    "TEL;TYPE=cell:+1-555-0100"
)]
#[case::title_semicolon_into_3("TITLE:a;b", Version::V3, "TITLE:a\\;b")]
#[case::title_semicolon_into_4("TITLE:a\\;b", Version::V4, "TITLE:a;b")]
fn kept_lines_are_converted(#[case] raw: &str, #[case] version: Version, #[case] expected: &str) {
    assert_eq!(super::version::adapt(raw, version), expected);
}

#[test]
fn uris_round_trip_byte_exact() {
    let mut draft = ContactDraft::named("Pct Enc");
    for url in [
        "https://x.example/search?q=a%2Cb&r=%3B",
        "https://example.com/a,b;c?q=1,2",
    ] {
        draft.fields.push(ContactField::new(FieldKind::Url, url));
    }
    for version in [Version::V3, Version::V4] {
        let out = write(&contact(draft.clone(), "u1"), version);
        assert!(
            out.contains("URL:https://x.example/search?q=a%2Cb&r=%3B\r\n"),
            "{out}"
        );
        assert!(
            out.contains("URL:https://example.com/a\\,b;c?q=1\\,2\r\n"),
            "{out}"
        );
        let again = read(&out).unwrap().remove(0).draft;
        assert_eq!(again.fields, draft.fields);
    }
    // Backslash escapes other writers add are undone, and nothing else.
    let d = read("BEGIN:VCARD\r\nFN:A\r\nURL:https://e.example/a\\,b%3B\r\nEND:VCARD\r\n")
        .unwrap()
        .remove(0)
        .draft;
    assert_eq!(d.fields[0].value, "https://e.example/a,b%3B");
}

#[test]
fn a_tel_uri_keeps_its_form_in_4_and_is_a_number_in_3() {
    let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nTEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\r\nTEL;VALUE=uri:tel:+44-20-7946-0000\r\nEND:VCARD\r\n";
    let d = read(text).unwrap().remove(0).draft;
    let numbers: Vec<&str> = d.fields.iter().map(|f| f.value.as_str()).collect();
    assert_eq!(numbers, ["+1-555-0100", "+44-20-7946-0000"]);
    let v4 = exported(text, Version::V4);
    assert!(
        v4.contains("TEL;VALUE=uri;TYPE=cell:tel:+1-555-0100\r\n"),
        "{v4}"
    );
    assert_eq!(v4.matches("TEL").count(), 2, "{v4}");
    let v3 = exported(text, Version::V3);
    assert!(v3.contains("TEL;TYPE=cell:+1-555-0100\r\n"), "{v3}");
    assert!(v3.contains("TEL:+44-20-7946-0000\r\n"), "{v3}");
}

#[test]
fn text_is_escaped_by_its_value_type_in_each_version() {
    let mut draft = ContactDraft::named("Semi; Colon");
    draft.title = Some("Lead; Payments, EU".into());
    draft.notes = Some("a;b\\c".into());
    draft.nickname = Some("Shay, the Great".into());
    draft.tags = vec!["c;d".into()];
    let v3 = write(&contact(draft.clone(), "u1"), Version::V3);
    for line in [
        "FN:Semi\\; Colon\r\n",
        "TITLE:Lead\\; Payments\\, EU\r\n",
        "NOTE:a\\;b\\\\c\r\n",
        "NICKNAME:Shay\\, the Great\r\n",
        "CATEGORIES:c\\;d\r\n",
    ] {
        assert!(v3.contains(line), "3.0 {line} in {v3}");
    }
    let v4 = write(&contact(draft.clone(), "u1"), Version::V4);
    for line in [
        "FN:Semi; Colon\r\n",
        "TITLE:Lead; Payments\\, EU\r\n",
        "NOTE:a;b\\\\c\r\n",
        "CATEGORIES:c;d\r\n",
    ] {
        assert!(v4.contains(line), "4.0 {line} in {v4}");
    }
    for out in [v3, v4] {
        let again = read(&out).unwrap().remove(0).draft;
        assert_eq!(again.title, draft.title);
        assert_eq!(again.notes, draft.notes);
        assert_eq!(again.nickname, draft.nickname);
    }
}

#[rstest]
#[case::social_profile(
    "X-SOCIALPROFILE;type=twitter:https://twitter.com/someone\r\n",
    "profile URL"
)]
#[case::phonetic(
    "X-PHONETIC-FIRST-NAME:Yoko\r\nX-PHONETIC-LAST-NAME:Ono\r\n",
    "phonetic name"
)]
fn vendor_properties_name_a_nameless_card(#[case] body: &str, #[case] from: &str) {
    let card = read(&format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nFN:\r\n{body}END:VCARD\r\n"
    ))
    .unwrap()
    .remove(0);
    assert_eq!(card.named_from, Some(from));
    assert!(!card.draft.display_name.is_empty());
    assert_eq!(card.draft.name, NameParts::default());
}

#[rstest]
#[case::phone("TEL;HOME:+44 20 7946 0018\r\n", "+44 20 7946 0018")]
#[case::email("EMAIL;INTERNET:kit@abara.example\r\n", "kit@abara.example")]
fn a_made_up_name_has_no_parts(#[case] body: &str, #[case] name: &str) {
    let text = card_21(body);
    let card = read(&text).unwrap().remove(0);
    assert_eq!(card.draft.display_name, name);
    assert_eq!(card.draft.name, NameParts::default());
    assert!(exported(&text, Version::V4).contains("\r\nN:;;;;\r\n"));
}
