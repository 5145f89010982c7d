//! A person in the journal, and how their relationship is doing.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::agenda::Mark;
use super::when::{Every, PartialDate};
use crate::clock::Clock;

/// Row id of a contact in this journal (the UID is the portable identity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContactId(pub i64);

/// The vCard `N` property: every part kept, each possibly a comma list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameParts {
    pub family: String,
    pub given: String,
    pub additional: String,
    pub prefix: String,
    pub suffix: String,
}

/// Honorifics that come before a name (`Dr.`, `Prof.` …), compared without dots and case.
const PREFIXES: [&str; 11] = [
    "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "sir", "dame", "rev", "fr",
];

/// Generational and academic suffixes (`Jr.`, `III`, `PhD`, `M.D.` …), compared the same way.
const SUFFIXES: [&str; 20] = [
    "jr", "sr", "ii", "iii", "iv", "phd", "md", "dds", "dmd", "dvm", "jd", "mba", "cpa", "rn",
    "esq", "obe", "mbe", "cbe", "kc", "qc",
];

fn is_one_of(word: &str, list: &[&str]) -> bool {
    let bare: String = word.chars().filter(|c| *c != '.').collect();
    list.contains(&bare.to_lowercase().as_str())
}

impl NameParts {
    /// A best guess from a display name, used only when nothing better (a vCard `N`, a CSV
    /// column, the user's `--given`/`--family`) is known. Two forms, as address books write
    /// them (the order of vCard `N`, RFC 6350 §6.2.2):
    /// - `[Prefix] Given [Additional…] Family [Suffix]` — `Dr. Ada Byron King`;
    /// - `Family, [Prefix] Given [Additional…][ Suffix][, Suffix…]` — `Doe, Jane, PhD`, the
    ///   form Outlook files people under.
    ///
    /// Honorifics (`Dr.`, `Prof.` …) and suffixes (`Jr.`, `III`, `PhD` …) are recognised, and
    /// the commas of the second form are never part of a name part.
    pub fn guess(display_name: &str) -> Self {
        let mut segments: Vec<&str> = display_name.split(',').map(str::trim).collect();
        // Suffixes after a comma: `Martin King, Jr.`, `Doe, Jane, PhD`; after the given part,
        // whatever follows is a suffix (`Doe, Jane, CFA`).
        let mut suffixes: Vec<String> = Vec::new();
        while segments.len() > 1 {
            let last = segments[segments.len() - 1];
            let is_suffix = is_one_of(last, &SUFFIXES) || segments.len() > 2;
            if !is_suffix && !last.is_empty() {
                break;
            }
            segments.pop();
            if !last.is_empty() {
                suffixes.insert(0, last.to_owned());
            }
        }
        let mut parts = match segments.as_slice() {
            [family, given] => NameParts {
                family: (*family).to_owned(),
                ..Self::from_words(given, false)
            },
            _ => Self::from_words(&segments.join(" "), true),
        };
        suffixes.retain(|s| !s.is_empty());
        if !suffixes.is_empty() {
            if !parts.suffix.is_empty() {
                suffixes.insert(0, std::mem::take(&mut parts.suffix));
            }
            parts.suffix = suffixes.join(",");
        }
        parts
    }

    /// `[Prefix…] Given [Additional…] [Family] [Suffix…]`; `with_family` says whether the last
    /// word is the family name.
    fn from_words(text: &str, with_family: bool) -> Self {
        let mut words: Vec<&str> = text.split_whitespace().collect();
        let mut prefix = Vec::new();
        while words.len() > 1 && is_one_of(words[0], &PREFIXES) {
            prefix.push(words.remove(0));
        }
        let mut suffix = Vec::new();
        while words.len() > 1 && is_one_of(words[words.len() - 1], &SUFFIXES) {
            suffix.insert(0, words.pop().unwrap_or_default());
        }
        let family = if with_family && words.len() > 1 {
            words.pop().unwrap_or_default()
        } else {
            ""
        };
        NameParts {
            family: family.to_owned(),
            given: words.first().copied().unwrap_or_default().to_owned(),
            additional: words.get(1..).unwrap_or_default().join(" "),
            prefix: prefix.join(" "),
            suffix: suffix.join(","),
        }
    }
}

/// What kind of contact detail a [`ContactField`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    Email,
    Phone,
    Url,
    Address,
    Handle,
}

impl FieldKind {
    pub const ALL: [FieldKind; 5] = [
        FieldKind::Email,
        FieldKind::Phone,
        FieldKind::Url,
        FieldKind::Address,
        FieldKind::Handle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Email => "email",
            FieldKind::Phone => "phone",
            FieldKind::Url => "url",
            FieldKind::Address => "address",
            FieldKind::Handle => "handle",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        FieldKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A postal address in the seven parts of vCard's ADR (RFC 6350 §6.3.1), each plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PostalAddress {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub po_box: String,
    /// Apartment, suite, building.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub extended: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub street: String,
    /// City or town.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub locality: String,
    /// State, province, county.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub postal_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub country: String,
}

impl PostalAddress {
    /// The parts in ADR order: PO box, extended, street, locality, region, code, country.
    pub fn parts(&self) -> [&str; 7] {
        [
            &self.po_box,
            &self.extended,
            &self.street,
            &self.locality,
            &self.region,
            &self.postal_code,
            &self.country,
        ]
    }

    /// From parts in ADR order; missing parts are empty, extra parts are ignored.
    pub fn from_parts<S: AsRef<str>>(parts: &[S]) -> PostalAddress {
        let part = |i: usize| {
            parts
                .get(i)
                .map(|p| p.as_ref().trim().to_owned())
                .unwrap_or_default()
        };
        PostalAddress {
            po_box: part(0),
            extended: part(1),
            street: part(2),
            locality: part(3),
            region: part(4),
            postal_code: part(5),
            country: part(6),
        }
    }

    /// Only a street line (what a one-line "formatted address" becomes).
    pub fn street(text: &str) -> PostalAddress {
        PostalAddress {
            street: text.trim().to_owned(),
            ..PostalAddress::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.parts().iter().all(|p| p.trim().is_empty())
    }

    /// How it reads on an envelope: street lines, then "locality, region code", then country.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = [&self.po_box, &self.extended, &self.street]
            .into_iter()
            .flat_map(|p| p.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        // "Hampton, VA 23666" and "Berlin 10115" alike: region after a comma, code after a space.
        let mut place = self.locality.clone();
        for (separator, part) in [(", ", &self.region), (" ", &self.postal_code)] {
            if !part.is_empty() {
                if !place.is_empty() {
                    place.push_str(separator);
                }
                place.push_str(part);
            }
        }
        lines.extend(
            [place, self.country.clone()]
                .into_iter()
                .filter(|l| !l.is_empty()),
        );
        lines
    }

    /// The lines on one line, joined by ", ".
    pub fn one_line(&self) -> String {
        self.lines().join(", ")
    }
}

/// One labelled email, phone, URL, postal address or messaging handle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactField {
    pub kind: FieldKind,
    /// `work`, `home`, `cell`, `linkedin`, … as the user or the import named it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The value as text. For an address, its one-line form (derived from `address`).
    pub value: String,
    /// For an address, its parts; `None` for every other kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<PostalAddress>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preferred: bool,
}

impl ContactField {
    pub fn new(kind: FieldKind, value: impl Into<String>) -> Self {
        ContactField {
            kind,
            label: String::new(),
            value: value.into(),
            address: None,
            preferred: false,
        }
    }

    /// An address field; its `value` is the address on one line.
    pub fn postal(address: PostalAddress) -> Self {
        ContactField {
            kind: FieldKind::Address,
            label: String::new(),
            value: address.one_line(),
            address: Some(address),
            preferred: false,
        }
    }

    /// For an address field, its parts (a text-only address is a street line).
    pub fn postal_address(&self) -> Option<PostalAddress> {
        (self.kind == FieldKind::Address).then(|| {
            self.address
                .clone()
                .unwrap_or_else(|| PostalAddress::street(&self.value))
        })
    }

    /// With a label (`work`, `home`, `cell`…).
    #[must_use]
    pub fn labelled(self, label: impl Into<String>) -> Self {
        ContactField {
            label: label.into(),
            ..self
        }
    }
}

/// How the user met this person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HowWeMet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced_by: Option<ContactId>,
}

impl HowWeMet {
    /// "at the Rust meetup · on 2024-05-04 · introduced by Grace Hopper": what the card and
    /// `rolo show` print; empty when nothing is known. `introducer` is the name of
    /// `introduced_by`, read by the caller.
    pub fn summary(&self, introducer: Option<&str>) -> String {
        [
            self.text.clone(),
            self.date.map(|d| format!("on {d}")),
            introducer.map(|n| format!("introduced by {n}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_none() && self.date.is_none() && self.introduced_by.is_none()
    }
}

/// Everything rolo knows about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: ContactId,
    pub uid: String,
    pub display_name: String,
    pub name: NameParts,
    pub nickname: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub fields: Vec<ContactField>,
    pub birthday: Option<PartialDate>,
    pub anniversary: Option<PartialDate>,
    pub met: HowWeMet,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub cadence: Option<Every>,
    pub archived: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Kept exact by triggers in the store; never written by hand.
    pub last_interaction_at: Option<DateTime<Utc>>,
    /// vCard properties rolo does not model, verbatim (unfolded content lines).
    pub vcard_extra: Option<String>,
}

impl Contact {
    /// "Title at Company", or whichever of the two is known.
    pub fn role(&self) -> Option<String> {
        match (&self.title, &self.company) {
            (Some(t), Some(co)) => Some(format!("{t} at {co}")),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        }
    }
}

/// The user-editable part of a contact: what `add` and `edit` write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDraft {
    pub display_name: String,
    pub name: NameParts,
    pub nickname: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub fields: Vec<ContactField>,
    pub birthday: Option<PartialDate>,
    pub anniversary: Option<PartialDate>,
    pub met: HowWeMet,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    pub cadence: Option<Every>,
    pub archived: bool,
    pub vcard_extra: Option<String>,
}

/// A one-line text as stored (NFC, no control characters).
fn line(text: &str) -> String {
    crate::text::clean(text)
}

fn optional_line(text: Option<&String>) -> Option<String> {
    text.map(|t| line(t)).filter(|t| !t.trim().is_empty())
}

impl ContactField {
    /// As stored: text in NFC without control characters, an address part by part.
    #[must_use]
    pub fn cleaned(&self) -> ContactField {
        let field = match self.postal_address() {
            Some(a) => {
                let parts: Vec<String> = a.parts().iter().map(|p| line(p)).collect();
                ContactField::postal(PostalAddress::from_parts(&parts))
            }
            None => ContactField::new(self.kind, line(&self.value)),
        };
        ContactField {
            label: line(&self.label),
            preferred: self.preferred,
            ..field
        }
    }
}

impl ContactDraft {
    /// As stored: every text in NFC without control characters (notes keep their lines),
    /// whatever way it came in — typed, pasted, imported or synced.
    #[must_use]
    pub fn cleaned(&self) -> ContactDraft {
        let n = &self.name;
        ContactDraft {
            display_name: line(&self.display_name).trim().to_owned(),
            name: NameParts {
                family: line(&n.family),
                given: line(&n.given),
                additional: line(&n.additional),
                prefix: line(&n.prefix),
                suffix: line(&n.suffix),
            },
            nickname: optional_line(self.nickname.as_ref()),
            company: optional_line(self.company.as_ref()),
            title: optional_line(self.title.as_ref()),
            fields: self.fields.iter().map(ContactField::cleaned).collect(),
            met: HowWeMet {
                text: self.met.text.as_deref().map(crate::text::clean_note),
                ..self.met.clone()
            },
            notes: self.notes.as_deref().map(crate::text::clean_note),
            tags: self.tags.iter().map(|t| line(t)).collect(),
            vcard_extra: self.vcard_extra.as_deref().map(crate::text::clean_note),
            ..self.clone()
        }
    }

    pub fn named(display_name: &str) -> Self {
        ContactDraft {
            display_name: display_name.trim().to_owned(),
            name: NameParts::guess(display_name),
            ..ContactDraft::default()
        }
    }
}

impl From<Contact> for ContactDraft {
    fn from(c: Contact) -> Self {
        ContactDraft {
            display_name: c.display_name,
            name: c.name,
            nickname: c.nickname,
            company: c.company,
            title: c.title,
            fields: c.fields,
            birthday: c.birthday,
            anniversary: c.anniversary,
            met: c.met,
            notes: c.notes,
            tags: c.tags,
            cadence: c.cadence,
            archived: c.archived,
            vcard_extra: c.vcard_extra,
        }
    }
}

/// The tag an import puts on a contact it had to name itself (from an e-mail, a phone, a
/// profile URL…), so that the user finds them later (`rolo list --tag unnamed`) and names them.
pub const UNNAMED_TAG: &str = "unnamed";

impl ContactDraft {
    /// A name made from what the record carries, for a record without one (a number saved
    /// alone on a phone, a LinkedIn member who hides their name): the nickname, the company,
    /// then an e-mail, a phone, a handle, a profile URL. Returns the name and what it was made
    /// from; `None` when nothing identifies anyone.
    pub fn name_from_details(&self) -> Option<(String, &'static str)> {
        fn nonempty(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        if let Some(nick) = nonempty(self.nickname.as_deref()) {
            return Some((nick.to_owned(), "nickname"));
        }
        if let Some(company) = nonempty(self.company.as_deref()) {
            return Some((company.to_owned(), "organisation"));
        }
        for (kind, what) in [
            (FieldKind::Email, "e-mail"),
            (FieldKind::Phone, "phone"),
            (FieldKind::Handle, "handle"),
            (FieldKind::Url, "profile URL"),
        ] {
            if let Some(f) = self
                .fields
                .iter()
                .find(|f| f.kind == kind && !f.value.trim().is_empty())
            {
                let name = match kind {
                    FieldKind::Url => url_name(&f.value),
                    _ => f.value.trim().to_owned(),
                };
                return Some((name, what));
            }
        }
        None
    }
}

/// What a profile URL says about whose it is: the LinkedIn slug (`in/jane-doe-1a2b`), or the
/// host and path of any other.
fn url_name(url: &str) -> String {
    let lower = url.trim();
    let rest = lower
        .split_once("://")
        .map_or(lower, |(_, rest)| rest)
        .trim_start_matches("www.")
        .trim_end_matches('/');
    match rest.split_once("/in/") {
        Some((host, slug)) if host.ends_with("linkedin.com") && !slug.is_empty() => {
            slug.split(['/', '?']).next().unwrap_or(slug).to_owned()
        }
        _ => rest.to_owned(),
    }
}

/// A tag as stored: trimmed, without a leading `#`, lower case. `None` if nothing is left.
pub fn normalize_tag(tag: &str) -> Option<String> {
    let tag = crate::text::clean(tag.trim().trim_start_matches('#').trim()).to_lowercase();
    (!tag.is_empty() && !tag.contains(char::is_whitespace)).then_some(tag)
}

/// Relationship health: days since the last interaction measured against the cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    /// No cadence set: nothing is expected.
    None,
    Ok,
    /// Due today or within the coming week (the reminders pane's "This week").
    Due,
    Overdue,
}

/// How many days before the stay-in-touch date a contact shows as "due": the same week the
/// reminders pane lists it under "This week".
pub const DUE_SOON_DAYS: i64 = 7;

impl Health {
    pub fn of(due: Option<NaiveDate>, today: NaiveDate) -> Health {
        match due {
            None => Health::None,
            Some(due) if due < today => Health::Overdue,
            Some(due) if (due - today).num_days() <= DUE_SOON_DAYS => Health::Due,
            Some(_) => Health::Ok,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Health::None => "-",
            Health::Ok => "ok",
            Health::Due => "due",
            Health::Overdue => "overdue",
        }
    }
}

/// The day a check-in falls on: `cadence` after `since` (the day of the last interaction,
/// else the day first met), moved by `kept`, the contact's keep-in-touch mark (see
/// [`Mark::apply`]); `None` once this round was acknowledged. The one rule behind
/// [`Standing::of`] and the `list --overdue` fast path.
pub fn next_check_in(cadence: Every, since: NaiveDate, kept: Option<&Mark>) -> Option<NaiveDate> {
    Mark::apply(kept, cadence.after(since)).map(|(date, _)| date)
}

/// A contact's stay-in-touch standing on the clock's day: when they are due, how the
/// relationship is doing, and how long since you last spoke. Every face shows this one
/// computation (list, card, agenda export, TUI panes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub health: Health,
    pub stay_in_touch_due: Option<NaiveDate>,
    pub days_since_contact: Option<i64>,
}

impl Standing {
    /// From a contact's cadence, last interaction and creation instant, read in the
    /// clock's zone (PRODUCT.md §2: due at last interaction + cadence, else created + cadence),
    /// then moved by `kept`, the contact's keep-in-touch mark if any (a check-in put off or
    /// counted as kept: see [`Mark::apply`]), so the card, the lists and the exports say
    /// what the agenda says.
    pub fn of(
        cadence: Option<Every>,
        last_interaction_at: Option<DateTime<Utc>>,
        created_at: DateTime<Utc>,
        kept: Option<&Mark>,
        clock: &Clock,
    ) -> Standing {
        let today = clock.today();
        let last = last_interaction_at.map(|t| clock.date_of(t));
        let since = last.unwrap_or_else(|| clock.date_of(created_at));
        let (health, stay_in_touch_due) = match cadence {
            None => (Health::None, None),
            Some(every) => match next_check_in(every, since, kept) {
                // This round was acknowledged outright: nothing is due until they are logged.
                None => (Health::Ok, None),
                due => (Health::of(due, today), due),
            },
        };
        Standing {
            health,
            stay_in_touch_due,
            days_since_contact: last.map(|d| (today - d).num_days()),
        }
    }
}

impl Contact {
    /// See [`Standing::of`]; `kept` is the contact's keep-in-touch mark.
    pub fn standing(&self, kept: Option<&Mark>, clock: &Clock) -> Standing {
        Standing::of(
            self.cadence,
            self.last_interaction_at,
            self.created_at,
            kept,
            clock,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[rstest]
    #[case(None, Health::None)]
    #[case(Some("2026-11-21"), Health::Overdue)]
    #[case(Some("2026-11-22"), Health::Due)]
    #[case(Some("2026-11-26"), Health::Due)]
    #[case(Some("2026-11-29"), Health::Due)]
    #[case(Some("2026-11-30"), Health::Ok)]
    fn health(#[case] due: Option<&str>, #[case] expected: Health) {
        assert_eq!(Health::of(due.map(d), d("2026-11-22")), expected);
    }

    #[test]
    fn stay_in_touch_counts_from_last_interaction_else_creation() {
        use chrono::{FixedOffset, TimeZone};
        let clock = Clock::fixed(
            Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap(),
            FixedOffset::east_opt(0).unwrap(),
        );
        let at = |day: &str| Utc.from_utc_datetime(&d(day).and_hms_opt(12, 0, 0).unwrap());
        let every = Some(Every::days(30));
        let logged = Standing::of(
            every,
            Some(at("2026-11-01")),
            at("2020-01-01"),
            None,
            &clock,
        );
        assert_eq!(logged.stay_in_touch_due, Some(d("2026-12-01")));
        let never = Standing::of(every, None, at("2026-11-01"), None, &clock);
        assert_eq!(never.stay_in_touch_due, Some(d("2026-12-01")));
        let none = Standing::of(None, None, at("2026-11-01"), None, &clock);
        assert_eq!((none.stay_in_touch_due, none.health), (None, Health::None));
    }

    #[test]
    fn a_check_in_moves_with_its_mark() {
        let every = Every::days(30);
        let since = d("2026-11-01");
        let put_off = Mark {
            occurrence: d("2026-12-01"),
            until: Some(d("2026-12-10")),
        };
        assert_eq!(
            next_check_in(every, since, Some(&put_off)),
            Some(d("2026-12-10"))
        );
        let kept = Mark {
            occurrence: d("2026-12-01"),
            until: None,
        };
        assert_eq!(next_check_in(every, since, Some(&kept)), None);
        // A mark about an earlier round no longer applies.
        assert_eq!(
            next_check_in(every, d("2026-11-05"), Some(&put_off)),
            Some(d("2026-12-05"))
        );
    }

    #[rstest]
    #[case("Ada Lovelace", "Ada", "", "Lovelace")]
    #[case("Grace Brewster Hopper", "Grace", "Brewster", "Hopper")]
    #[case("Cher", "Cher", "", "")]
    #[case("Doe, Jane", "Jane", "", "Doe")]
    #[case("van der Berg, Anna Maria", "Anna", "Maria", "van der Berg")]
    #[case("Martin King, Jr.", "Martin", "", "King")]
    fn name_guess(
        #[case] display: &str,
        #[case] given: &str,
        #[case] additional: &str,
        #[case] family: &str,
    ) {
        let parts = NameParts::guess(display);
        assert_eq!(
            (
                parts.given.as_str(),
                parts.additional.as_str(),
                parts.family.as_str()
            ),
            (given, additional, family)
        );
    }

    /// `Family, Given [Additional…][, Suffix]` with honorifics and suffixes: no comma is ever
    /// part of a name part.
    #[rstest]
    #[case("Doe, Jane, PhD", ["", "Jane", "", "Doe", "PhD"])]
    #[case(", Cher", ["", "Cher", "", "", ""])]
    #[case("Prince,", ["", "Prince", "", "", ""])]
    #[case("Smith, Dr. John", ["Dr.", "John", "", "Smith", ""])]
    #[case("O'Neil, Shaq Jr.", ["", "Shaq", "", "O'Neil", "Jr."])]
    #[case("Lee, Ann Marie, M.D.", ["", "Ann", "Marie", "Lee", "M.D."])]
    #[case("Doe, Jane, CFA", ["", "Jane", "", "Doe", "CFA"])]
    #[case("Prof. Ada Byron King III", ["Prof.", "Ada", "Byron", "King", "III"])]
    #[case("Martin King, Jr., PhD", ["", "Martin", "", "King", "Jr.,PhD"])]
    #[case("Dr.", ["", "Dr.", "", "", ""])]
    fn comma_forms_honorifics_and_suffixes(#[case] display: &str, #[case] expected: [&str; 5]) {
        let p = NameParts::guess(display);
        assert_eq!(
            [
                p.prefix.as_str(),
                p.given.as_str(),
                p.additional.as_str(),
                p.family.as_str(),
                p.suffix.as_str()
            ],
            expected,
            "{display}"
        );
    }

    #[rstest]
    #[case("#Mentoring", Some("mentoring"))]
    #[case("  rust ", Some("rust"))]
    #[case("#", None)]
    #[case("two words", None)]
    fn tags(#[case] input: &str, #[case] expected: Option<&str>) {
        assert_eq!(normalize_tag(input).as_deref(), expected);
    }
}
