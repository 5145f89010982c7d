//! The one identity rule: "is this record the same person as that contact?", for every
//! import (and, later, sync). Written once, here, and documented in the README.
//!
//! Candidates come from every identifier a record has: its UID; its e-mail addresses; its
//! phone numbers, normalised to E.164 (with the `phonenumber` crate and a default region for
//! numbers written without a country code); its profile URLs (a LinkedIn profile is the
//! strongest key after the UID); and its name, Unicode-normalised and case-folded. A candidate
//! is the same person only when a strong identifier agrees and nothing strong contradicts it:
//!
//! | shared | contradicted by | verdict |
//! |---|---|---|
//! | UID | — | same |
//! | LinkedIn profile | — | same |
//! | e-mail or phone | another LinkedIn profile, or a different given name | possible |
//! | e-mail or phone | — | same |
//! | name only | — (or a different company, or another LinkedIn profile) | possible |
//! | name only | another LinkedIn profile, both from the file being imported | different |
//! | nothing | — | different |
//!
//! (The last row is the import's: an export lists each connection once, see `Index::find`.)
//!
//! A *possible* match is never merged and never duplicated silently: the import lists it
//! with both sides and the user settles it (`--link ROW=c12`, `--new ROW`). PRODUCT.md §4.3:
//! "a different company or profile URL on a name match" contradicts, so it asks.
//!
//! A name rolo made up for an unnamed record (from its phone, e-mail …; tagged `#unnamed`) is
//! no name: it neither matches a real namesake nor contradicts a given name (it only meets
//! the same made-up name, so that the record imported again is recognised).
//!
//! Field values are compared in one form, [`field_key`]: the text as stored (NFC, no control
//! characters, line breaks as spaces), whitespace collapsed and case folded, so a value that
//! came in with a line break or other spacing is the same value the journal holds.

use phonenumber::country::Id as Region;

use crate::domain::contact::{ContactDraft, ContactField, FieldKind, UNNAMED_TAG};
use crate::domain::names::match_key;

/// What identifies one person: each key normalised so that equal means the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    pub uid: Option<String>,
    pub emails: Vec<String>,
    /// E.164 where the number parses, else its digits.
    pub phones: Vec<String>,
    /// `linkedin:<slug>`.
    pub profiles: Vec<String>,
    /// The whole name, folded.
    pub name: String,
    /// The given name, folded (the first word of the name when no parts are known).
    pub given: String,
    pub company: String,
}

/// How a record relates to a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The same person; says by what.
    Same(&'static str),
    /// Perhaps the same person: the user decides. Says why rolo cannot.
    Possible(String),
    Different,
}

/// An e-mail address as a key: trimmed, lower case.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A URL as a key: no scheme, no `www.`, no trailing slash, lower case.
pub fn url_key(url: &str) -> String {
    let lower = url.trim().to_lowercase();
    let without_scheme = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let without_www = without_scheme
        .strip_prefix("www.")
        .unwrap_or(without_scheme);
    without_www.trim_end_matches('/').to_owned()
}

/// A profile URL's key: the same person has one profile per service, so two different
/// LinkedIn profiles are two people, while a personal website says nothing either way.
pub fn profile_key(url: &str) -> Option<String> {
    let key = url_key(url);
    let (host, path) = key.split_once('/')?;
    let slug = path.strip_prefix("in/")?;
    let slug = slug.split(['/', '?', '#']).next().unwrap_or(slug);
    (host.ends_with("linkedin.com") && !slug.is_empty()).then(|| format!("linkedin:{slug}"))
}

/// A phone number as a key: E.164 (`+442079460011`) when it parses — numbers without a
/// country code in `region` — else its digits, so that spacing never matters.
pub fn phone_key(phone: &str, region: Option<Region>) -> Option<String> {
    let text = phone.trim().trim_start_matches("tel:");
    if let Ok(number) = phonenumber::parse(region, text) {
        return Some(number.format().mode(phonenumber::Mode::E164).to_string());
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 5).then(|| {
        if text.trim_start().starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        }
    })
}

/// A region code (`GB`, `us`) for phone numbers written without a country code.
pub fn parse_region(text: &str) -> Result<Region, String> {
    text.trim()
        .to_uppercase()
        .parse()
        .map_err(|_| format!("'{text}' is not a region code; write e.g. GB, US, DE, FR"))
}

/// A name as a key: as stored (NFC, control characters removed), accents and case folded,
/// spaces collapsed.
pub fn name_key(name: &str) -> String {
    match_key(&crate::text::clean(name))
}

/// Free text as a key: as stored, with line breaks and runs of whitespace made one space,
/// case folded. "Flat 2\r\nMill St 4" and "Flat 2 Mill St 4" are one street.
pub fn text_key(text: &str) -> String {
    crate::text::clean(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The one form in which two values of a multi-valued field (e-mail, phone, URL, address,
/// handle) are compared: a merge adds a value only when no value of the same kind has its key.
pub fn field_key(field: &ContactField, region: Option<Region>) -> String {
    match field.kind {
        FieldKind::Email => email_key(&crate::text::clean(&field.value)),
        FieldKind::Url => url_key(&crate::text::clean(&field.value)),
        FieldKind::Phone => phone_key(&crate::text::clean(&field.value), region)
            .unwrap_or_else(|| text_key(&field.value)),
        // Part by part: the one-line value is derived, and a part's line break is a space.
        FieldKind::Address => field
            .postal_address()
            .map(|a| a.parts().map(text_key).join(";"))
            .unwrap_or_default(),
        FieldKind::Handle => text_key(&field.value),
    }
}

impl Keys {
    /// The keys of a record or contact.
    pub fn of(uid: Option<&str>, draft: &ContactDraft, region: Option<Region>) -> Keys {
        let values = |kind: FieldKind| {
            draft
                .fields
                .iter()
                .filter(move |f| f.kind == kind)
                .map(|f| f.value.as_str())
        };
        // A made-up name (see the module doc) is no name.
        let unnamed = draft.tags.iter().any(|t| t == UNNAMED_TAG);
        let mut keys = Keys {
            uid: uid.map(str::to_owned).filter(|u| !u.trim().is_empty()),
            emails: values(FieldKind::Email).map(email_key).collect(),
            phones: values(FieldKind::Phone)
                .filter_map(|p| phone_key(p, region))
                .collect(),
            profiles: values(FieldKind::Url).filter_map(profile_key).collect(),
            // Apart, so that the same record imported again is found, but no namesake is.
            name: if unnamed {
                format!("unnamed:{}", name_key(&draft.display_name))
            } else {
                name_key(&draft.display_name)
            },
            given: if unnamed {
                String::new()
            } else {
                name_key(
                    Some(draft.name.given.as_str())
                        .filter(|g| !g.trim().is_empty())
                        .unwrap_or_else(|| {
                            draft.display_name.split_whitespace().next().unwrap_or("")
                        }),
                )
            },
            company: draft.company.as_deref().map(name_key).unwrap_or_default(),
        };
        for list in [&mut keys.emails, &mut keys.phones, &mut keys.profiles] {
            list.sort();
            list.dedup();
        }
        keys
    }
}

fn shares(a: &[String], b: &[String]) -> bool {
    a.iter().any(|x| b.contains(x))
}

/// Given names contradict when both are known and neither is the other's beginning
/// ("Lio" and "Lionel" agree; "Kari" and "Per" do not).
fn given_names_differ(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && !a.starts_with(b) && !b.starts_with(a)
}

/// The rule (see the module's table): `incoming` against `existing`.
pub fn judge(incoming: &Keys, existing: &Keys) -> Verdict {
    if incoming.uid.is_some() && incoming.uid == existing.uid {
        return Verdict::Same("UID");
    }
    if shares(&incoming.profiles, &existing.profiles) {
        return Verdict::Same("LinkedIn profile");
    }
    let other_profile = !incoming.profiles.is_empty() && !existing.profiles.is_empty();
    let shared = if shares(&incoming.emails, &existing.emails) {
        Some("e-mail")
    } else if shares(&incoming.phones, &existing.phones) {
        Some("phone number")
    } else {
        None
    };
    if let Some(what) = shared {
        if other_profile {
            return Verdict::Possible(format!("shares an {what} but has another LinkedIn profile"));
        }
        if given_names_differ(&incoming.given, &existing.given) {
            return Verdict::Possible(format!(
                "shares a {what} but the given names differ ({} / {})",
                incoming.given, existing.given
            ));
        }
        return Verdict::Same(what);
    }
    if incoming.name.is_empty() || incoming.name != existing.name {
        return Verdict::Different;
    }
    if other_profile {
        // Likely two people, but a namesake is the user's call, never a silent duplicate.
        return Verdict::Possible("the same name, but another LinkedIn profile".to_owned());
    }
    if !incoming.company.is_empty()
        && !existing.company.is_empty()
        && incoming.company != existing.company
    {
        return Verdict::Possible(format!(
            "the same name, but a different company ({} / {})",
            incoming.company, existing.company
        ));
    }
    Verdict::Possible("the same name, and nothing else to go by".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contact::ContactField;
    use rstest::rstest;

    /// A record from a compact description: `name; company; email,email; phone,phone; url`.
    fn keys(spec: &str) -> Keys {
        let parts: Vec<&str> = spec.split(';').map(str::trim).collect();
        let list = |i: usize| -> Vec<&str> {
            parts
                .get(i)
                .map(|p| {
                    p.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        let (name, unnamed) = match parts[0].strip_suffix(" #unnamed") {
            Some(name) => (name, true),
            None => (parts[0], false),
        };
        let mut draft = ContactDraft::named(name);
        if unnamed {
            draft.tags.push(UNNAMED_TAG.to_owned());
        }
        draft.company = parts
            .get(1)
            .filter(|c| !c.is_empty())
            .map(|c| (*c).to_owned());
        for (i, kind) in [
            (2, FieldKind::Email),
            (3, FieldKind::Phone),
            (4, FieldKind::Url),
        ] {
            for v in list(i) {
                draft.fields.push(ContactField::new(kind, v));
            }
        }
        Keys::of(None, &draft, Some(Region::GB))
    }

    #[rstest]
    // Kari and Per Lund share a family inbox: not one person.
    #[case::shared_family_email(
        "Kari Lund;;home@lund.example;+47 400 00 001",
        "Per Lund;;home@lund.example;+47 400 00 002",
        "possible"
    )]
    // A name alone: the baker is not the data engineer.
    #[case::name_only_other_company(
        "Sam Lee;Quanta Analytics;;;https://www.linkedin.com/in/sam-lee-data",
        "Sam Lee;Harbor Bakery;sam@harbor.example",
        "possible"
    )]
    #[case::name_only(
        "Katherine Johnson;;;;https://www.linkedin.com/in/katherine-johnson",
        "Katherine Johnson;;;;https://kj.example",
        "possible"
    )]
    // Renamed in rolo, recognised by the phone a phone export always has.
    #[case::renamed_same_phone(
        "Lio Marsh;;;+44 20 7946 0011",
        "Lionel Marsh-Grey;;;020 7946 0011",
        "same"
    )]
    // A new e-mail and an old phone: the same person.
    #[case::new_email_old_phone(
        "Ada Lovelace;;ada@new.example;+44 (0)20 7946 0000",
        "Ada Lovelace;;ada@old.example;+442079460000",
        "same"
    )]
    #[case::same_email_case_folded(
        "Ada L;;Ada@Example.com",
        "Ada Lovelace;;ada@example.com",
        "same"
    )]
    #[case::same_profile_other_name(
        "A. Lovelace;;;;https://linkedin.com/in/ada/",
        "Ada Lovelace;;;;https://www.linkedin.com/in/ada",
        "same"
    )]
    #[case::two_profiles_one_name(
        "Alex Kim;;;;https://www.linkedin.com/in/alex-kim-1",
        "Alex Kim;;;;https://www.linkedin.com/in/alex-kim-2",
        "possible"
    )]
    // An old profile URL on the contact, a new one in the file: asked, not a second Dorothy.
    #[case::name_with_an_old_profile(
        "Dorothy Vaughan;NACA;;;https://www.linkedin.com/in/dorothy-vaughan-1910",
        "Dorothy Vaughan;;;;https://www.linkedin.com/in/dvaughan-old",
        "possible"
    )]
    // A name made from a phone number is no name: it neither contradicts nor matches.
    #[case::unnamed_shares_a_phone(
        "Lio Marsh;;;+44 20 7946 0011",
        "+44 20 7946 0011 #unnamed;;;+44 20 7946 0011",
        "same"
    )]
    #[case::unnamed_shares_an_email(
        "ines@example.org #unnamed;;ines@example.org",
        "Inês Duarte;;ines@example.org",
        "same"
    )]
    #[case::unnamed_is_no_namesake("Acme #unnamed", "Acme", "different")]
    #[case::the_same_made_up_name("Acme #unnamed", "Acme #unnamed", "possible")]
    #[case::control_characters_in_a_name("Mal\u{1b}[31m Ory", "Mal[31m Ory", "possible")]
    #[case::shared_email_other_profile(
        "Jo Park;;team@acme.example;;https://www.linkedin.com/in/jo-park",
        "Jo Park;;team@acme.example;;https://www.linkedin.com/in/jo-park-2",
        "possible"
    )]
    #[case::accents_and_case("JÜRGEN MÜLLER", "Jürgen Müller", "possible")]
    #[case::strangers(
        "Grace Hopper;;grace@navy.example",
        "Alan Turing;;alan@bletchley.example",
        "different"
    )]
    fn the_identity_rule(#[case] incoming: &str, #[case] existing: &str, #[case] expected: &str) {
        let verdict = judge(&keys(incoming), &keys(existing));
        let got = match verdict {
            Verdict::Same(_) => "same",
            Verdict::Possible(_) => "possible",
            Verdict::Different => "different",
        };
        assert_eq!(got, expected, "{incoming} vs {existing}: {verdict:?}");
    }

    #[test]
    fn uids_decide_first() {
        let mut a = keys("Someone;;a@example.com");
        let mut b = keys("Someone Else;;b@example.com");
        a.uid = Some("u-1".into());
        b.uid = Some("u-1".into());
        assert_eq!(judge(&a, &b), Verdict::Same("UID"));
    }

    #[test]
    fn field_values_compare_as_stored() {
        use crate::domain::contact::PostalAddress;
        let address = |street: &str| {
            ContactField::postal(PostalAddress::from_parts(&[
                "", "", street, "Leeds", "", "LS1", "UK",
            ]))
        };
        let key = |f: &ContactField| field_key(f, Some(Region::GB));
        assert_eq!(
            key(&address("Flat 2\r\nMill St 4")),
            key(&address("Flat 2 Mill  St 4"))
        );
        assert_eq!(
            key(&address("Flat 2\nMill St 4")),
            key(&address("FLAT 2 Mill St 4"))
        );
        assert_ne!(
            key(&address("Flat 2 Mill St 4")),
            key(&address("Flat 3 Mill St 4"))
        );
        let handle = |v: &str| ContactField::new(FieldKind::Handle, v);
        assert_eq!(
            key(&handle(" @ada:example.org\n")),
            key(&handle("@ada:example.org"))
        );
        let email = |v: &str| ContactField::new(FieldKind::Email, v);
        assert_eq!(
            key(&email("Ada@Example.com\u{7}")),
            key(&email("ada@example.com"))
        );
    }

    #[rstest]
    #[case("020 7946 0011", Some(Region::GB), "+442079460011")]
    #[case("+44 20 7946 0011", None, "+442079460011")]
    #[case("(415) 555-0100", Some(Region::US), "+14155550100")]
    #[case("tel:+1-415-555-0100", None, "+14155550100")]
    fn phones_are_e164(#[case] text: &str, #[case] region: Option<Region>, #[case] key: &str) {
        assert_eq!(phone_key(text, region).as_deref(), Some(key));
    }
}
