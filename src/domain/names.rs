//! Resolving what a user typed (`@ada`, `@grace-h`, `"Ada Lovelace"`) to one contact.
//!
//! Tiers, first hit wins: the full name; a nickname; one whole word of a name; every typed
//! word (split on spaces and `-`) the start of a different word of the name — which covers
//! unique prefixes (`@lov`), `first-lastinitial` (`@grace-h`) and partial full names. Within a
//! tier two or more hits are an ambiguity that names the candidates; no hit at all is an
//! error that suggests near misses. Case and common accents are ignored (`alv` finds Álvarez).

use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

use super::contact::ContactId;

/// The contact id a NAME argument spells (`c12` or `@c12`), if it is one.
pub fn parse_contact_id(query: &str) -> Option<ContactId> {
    query
        .trim()
        .trim_start_matches('@')
        .strip_prefix('c')
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse::<i64>().ok())
        .map(ContactId)
}

/// What resolution needs to know about a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameCandidate {
    pub id: ContactId,
    pub display_name: String,
    pub nickname: Option<String>,
    /// Shown beside the name when two people share it.
    pub company: Option<String>,
}

impl NameCandidate {
    /// "Margaret Hamilton (c6, NASA)": enough to tell namesakes apart.
    pub fn labelled(&self) -> String {
        match &self.company {
            Some(company) => format!("{} (c{}, {company})", self.display_name, self.id.0),
            None => format!("{} (c{})", self.display_name, self.id.0),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("no contact matches '{query}'{}", suggest(.suggestions))]
    Unknown {
        query: String,
        suggestions: Vec<String>,
    },
    #[error("'{query}' matches {} contacts: {}; be more specific", .candidates.len(), list(.candidates))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
    /// Nothing to match: an empty argument (`rolo rm "$NAME"` with NAME unset) names no one.
    #[error("a name or id is needed (e.g. ada, \"Ada Lovelace\" or c4)")]
    Empty,
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        " (add them with: rolo add NAME)".to_owned()
    } else {
        format!(" (did you mean {}?)", suggestions.join(", "))
    }
}

fn list(candidates: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = candidates
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if candidates.len() > SHOWN {
        let _ = write!(text, " and {} more", candidates.len() - SHOWN);
    }
    text
}

/// Lower case without accents, for matching only: "Jürgen", "JURGEN", "Ju\u{308}rgen" and
/// "Jurgen" fold alike. Compatibility-decomposed (NFKD), with the combining marks dropped
/// where they are accents — after a Latin, Greek, Cyrillic, Hebrew or Arabic letter (acute,
/// diaeresis, tonos, breve, niqqud, harakat) — and kept where they are letters of their own:
/// a Devanagari vowel sign (राम is not रीमा) or a kana's dakuten (ガ is not カ). `ł`, `ø`,
/// `đ` and `ß`, which do not decompose, are folded by hand, and a final sigma is a sigma
/// (ΝΙΚΟΣ lowers to νικοσ, Νίκος to νίκος).
pub fn fold_letters(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase(); // most names, and much faster
    }
    let mut accents_follow = false;
    text.nfkd()
        .filter(|&c| {
            if unicode_normalization::char::is_combining_mark(c) {
                !accents_follow
            } else {
                accents_follow = takes_accents(c);
                true
            }
        })
        .flat_map(char::to_lowercase)
        .flat_map(|c| {
            let folded: &[char] = match c {
                'ł' => &['l'],
                'ø' => &['o'],
                'đ' | 'ð' => &['d'],
                'ß' => &['s', 's'],
                'æ' => &['a', 'e'],
                'œ' => &['o', 'e'],
                'ı' => &['i'],
                'ς' => &['σ'],
                _ => return vec![c],
            };
            folded.to_vec()
        })
        .collect()
}

/// Scripts whose combining marks are accents a person may or may not type: Latin, Greek,
/// Cyrillic, Hebrew and Arabic (by their Unicode blocks).
fn takes_accents(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0041..=0x024F       // Basic Latin letters .. Latin Extended-B
            | 0x0370..=0x052F // Greek, Cyrillic, Cyrillic Supplement
            | 0x0590..=0x06FF // Hebrew, Arabic
            | 0x0750..=0x077F // Arabic Supplement
            | 0x08A0..=0x08FF // Arabic Extended-A
            | 0x1C80..=0x1C8F // Cyrillic Extended-C
            | 0x1E00..=0x1FFF // Latin Extended Additional, Greek Extended
            | 0x2C60..=0x2C7F // Latin Extended-C
            | 0x2DE0..=0x2DFF // Cyrillic Extended-A
            | 0xA640..=0xA69F // Cyrillic Extended-B
            | 0xA720..=0xA7FF // Latin Extended-D
            | 0xAB30..=0xAB6F // Latin Extended-E
            | 0xFB1D..=0xFDFF // Hebrew and Arabic presentation forms
            | 0xFE70..=0xFEFF
    )
}

fn words(text: &str) -> Vec<String> {
    fold_letters(text)
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The form two names are compared in: letters folded, runs of spaces made one.
pub fn match_key(text: &str) -> String {
    fold_letters(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every query word starts a different word of the name, in any order.
fn prefixes_match(query: &[String], name: &[String]) -> bool {
    let mut used = vec![false; name.len()];
    query.iter().all(|q| {
        let hit = name
            .iter()
            .enumerate()
            .find(|(i, w)| !used[*i] && w.starts_with(q.as_str()));
        hit.map(|(i, _)| used[i] = true).is_some()
    })
}

/// A candidate's names, folded once.
#[derive(Debug, Clone)]
struct Entry {
    display: String,
    display_words: Vec<String>,
    nickname: Option<String>,
    nickname_words: Vec<String>,
}

impl Entry {
    /// A candidate's names folded for matching.
    fn of(c: &NameCandidate) -> Entry {
        Entry {
            display: match_key(&c.display_name),
            display_words: words(&c.display_name),
            nickname: c.nickname.as_deref().map(match_key),
            nickname_words: c.nickname.as_deref().map(words).unwrap_or_default(),
        }
    }
}

/// Candidates prepared for many look-ups (the TUI keeps one while the quick note is open).
#[derive(Debug, Clone)]
pub struct NameIndex {
    candidates: Vec<NameCandidate>,
    entries: Vec<Entry>,
}

impl NameIndex {
    pub fn new(candidates: Vec<NameCandidate>) -> NameIndex {
        let entries = candidates.iter().map(Entry::of).collect();
        NameIndex {
            candidates,
            entries,
        }
    }

    /// Adds one candidate, folding only its name (the others' stay as they were).
    pub fn push(&mut self, candidate: NameCandidate) {
        self.entries.push(Entry::of(&candidate));
        self.candidates.push(candidate);
    }

    pub fn candidates(&self) -> &[NameCandidate] {
        &self.candidates
    }

    /// Resolves `query` to one contact: an id (`c6`) names exactly that contact; otherwise
    /// see the module docs for the tiers.
    pub fn resolve(&self, query: &str) -> Result<ContactId, NameError> {
        let query = query.trim().trim_start_matches('@');
        if let Some(id) =
            parse_contact_id(query).filter(|id| self.candidates.iter().any(|c| c.id == *id))
        {
            return Ok(id);
        }
        let wanted = match_key(query);
        if wanted.is_empty() {
            return Err(NameError::Empty);
        }
        let query_words = words(query);
        let single = (query_words.len() == 1).then(|| query_words[0].as_str());
        let tiers: [&dyn Fn(&Entry) -> bool; 4] = [
            &|e| e.display == wanted,
            &|e| e.nickname.as_deref() == Some(wanted.as_str()),
            &|e| {
                single.is_some_and(|w| {
                    e.display_words
                        .iter()
                        .chain(&e.nickname_words)
                        .any(|x| x == w)
                })
            },
            &|e| {
                !query_words.is_empty()
                    && (prefixes_match(&query_words, &e.display_words)
                        || prefixes_match(&query_words, &e.nickname_words))
            },
        ];
        for tier in tiers {
            let hits: Vec<&NameCandidate> = self
                .entries
                .iter()
                .zip(&self.candidates)
                .filter(|(e, _)| tier(e))
                .map(|(_, c)| c)
                .collect();
            match hits.as_slice() {
                [] => {}
                [one] => return Ok(one.id),
                many => {
                    let mut candidates: Vec<String> = many.iter().map(|c| c.labelled()).collect();
                    candidates.sort();
                    return Err(NameError::Ambiguous {
                        query: query.to_owned(),
                        candidates,
                    });
                }
            }
        }
        Err(NameError::Unknown {
            query: query.to_owned(),
            suggestions: near_misses(&query_words, &self.candidates),
        })
    }

    /// How to name `id` in a capture line so that it resolves to exactly them: `@ada`,
    /// `@"Ada Lovelace"`, or `@c6` when someone else has the same name.
    pub fn mention(&self, id: ContactId) -> String {
        let Some(i) = self.candidates.iter().position(|c| c.id == id) else {
            return format!("@c{}", id.0);
        };
        let namesake = self
            .entries
            .iter()
            .enumerate()
            .any(|(j, e)| j != i && e.display == self.entries[i].display);
        let name = &self.candidates[i].display_name;
        if namesake || name.contains('"') {
            format!("@c{}", id.0)
        } else if name.contains(char::is_whitespace) {
            format!("@\"{name}\"")
        } else {
            format!("@{name}")
        }
    }

    /// Contacts whose name or nickname has a word starting with `prefix` (all when empty),
    /// for `@` completion; at most `limit`, by name.
    pub fn complete(&self, prefix: &str, limit: usize) -> Vec<&NameCandidate> {
        let query_words = words(prefix);
        let mut hits: Vec<&NameCandidate> = self
            .entries
            .iter()
            .zip(&self.candidates)
            .filter(|(e, _)| {
                query_words.is_empty()
                    || prefixes_match(&query_words, &e.display_words)
                    || prefixes_match(&query_words, &e.nickname_words)
            })
            .map(|(_, c)| c)
            .collect();
        hits.sort_by(|a, b| {
            a.display_name
                .to_lowercase()
                .cmp(&b.display_name.to_lowercase())
        });
        hits.truncate(limit);
        hits
    }
}

/// Resolves `query` among `candidates` (one-off; build a [`NameIndex`] for many look-ups).
pub fn resolve(query: &str, candidates: &[NameCandidate]) -> Result<ContactId, NameError> {
    NameIndex::new(candidates.to_vec()).resolve(query)
}

/// A cheap test that rules out most contacts before resolving `query` among them: every
/// tier of [`NameIndex::resolve`] needs each typed word to start a word of the name or the
/// nickname, so each must at least occur in one of them. Lets a caller scan names straight
/// from the store and build a [`NameIndex`] of the few that pass (resolving among them gives
/// the same answer as among everyone, except for "did you mean" suggestions).
#[derive(Debug, Clone)]
pub struct Prefilter {
    words: Vec<String>,
}

impl Prefilter {
    pub fn new(query: &str) -> Prefilter {
        Prefilter {
            words: words(query.trim().trim_start_matches('@')),
        }
    }

    /// Whether a contact with this name and nickname could be what was typed.
    pub fn admits(&self, display_name: &str, nickname: Option<&str>) -> bool {
        self.words.iter().all(|w| {
            contains_folded(display_name, w) || nickname.is_some_and(|n| contains_folded(n, w))
        })
    }
}

/// Whether `needle` (already folded) occurs in `haystack` once folded, without allocating
/// for the usual ASCII name.
fn contains_folded(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() {
        let needle = needle.as_bytes();
        needle.is_empty()
            || haystack
                .as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
    } else {
        fold_letters(haystack).contains(needle)
    }
}

/// Names with a word within two edits of a typed word: "did you mean …?".
fn near_misses(query_words: &[String], candidates: &[NameCandidate]) -> Vec<String> {
    const MAX: usize = 5;
    let mut scored: Vec<(usize, &str, &NameCandidate)> = candidates
        .iter()
        .filter_map(|c| {
            let best = query_words
                .iter()
                .flat_map(|q| {
                    words(&c.display_name)
                        .into_iter()
                        .map(move |w| edit_distance(q, &w))
                })
                .min()?;
            (best <= 2).then_some((best, c.display_name.as_str(), c))
        })
        .collect();
    scored.sort_unstable_by_key(|(distance, name, c)| (*distance, *name, c.id.0));
    scored.truncate(MAX);
    // Namesakes are told apart by id (and company), so the answer can be typed back.
    let shared = |name: &str| scored.iter().filter(|(_, n, _)| *n == name).count() > 1;
    scored
        .iter()
        .map(|(_, name, c)| {
            if shared(name) {
                c.labelled()
            } else {
                (*name).to_owned()
            }
        })
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn people() -> Vec<NameCandidate> {
        [
            (1, "Ada Lovelace", None),
            (2, "Grace Hopper", Some("Amazing Grace")),
            (3, "Grace Harris", None),
            (4, "Alan Turing", None),
            (5, "Al Smith", None),
            (6, "José Álvarez", None),
            (7, "Mary-Jane Watson", Some("MJ")),
        ]
        .into_iter()
        .map(|(id, name, nick)| NameCandidate {
            id: ContactId(id),
            display_name: name.into(),
            nickname: nick.map(Into::into),
            company: None,
        })
        .collect()
    }

    #[rstest]
    #[case("Ada Lovelace", 1)]
    #[case("ada lovelace", 1)]
    #[case("@ada", 1)]
    #[case("lov", 1)]
    #[case("grace-ho", 2)]
    #[case("grace-hop", 2)]
    #[case("amazing grace", 2)]
    #[case("hopper", 2)]
    #[case("al", 5)]
    #[case("alan", 4)]
    #[case("alv", 6)]
    #[case("jose", 6)]
    #[case("mj", 7)]
    #[case("mary-jane", 7)]
    #[case("watson mary", 7)]
    fn resolves(#[case] query: &str, #[case] id: i64) {
        assert_eq!(resolve(query, &people()), Ok(ContactId(id)), "{query}");
    }

    #[rstest]
    #[case("grace", &["Grace Harris (c3)", "Grace Hopper (c2)"])]
    #[case("grace-h", &["Grace Harris (c3)", "Grace Hopper (c2)"])]
    #[case("a", &["Ada Lovelace (c1)", "Al Smith (c5)", "Alan Turing (c4)", "Grace Hopper (c2)", "José Álvarez (c6)"])]
    fn ambiguity_lists_candidates(#[case] query: &str, #[case] expected: &[&str]) {
        match resolve(query, &people()) {
            Err(NameError::Ambiguous { candidates, .. }) => assert_eq!(candidates, expected),
            other => panic!("{query}: {other:?}"),
        }
    }

    /// Two people with one name: the name is ambiguous (listing ids and companies), each
    /// id names exactly one, and a mention of either is written by id.
    #[test]
    fn namesakes_are_told_apart_by_id() {
        let namesakes: Vec<NameCandidate> = [(6, "NASA"), (9, "MIT")]
            .into_iter()
            .map(|(id, company)| NameCandidate {
                id: ContactId(id),
                display_name: "Margaret Hamilton".into(),
                nickname: None,
                company: Some(company.into()),
            })
            .collect();
        let index = NameIndex::new(namesakes);
        match index.resolve("@margaret") {
            Err(NameError::Ambiguous { candidates, .. }) => assert_eq!(
                candidates,
                [
                    "Margaret Hamilton (c6, NASA)",
                    "Margaret Hamilton (c9, MIT)"
                ]
            ),
            other => panic!("{other:?}"),
        }
        // A near miss names each namesake by id and company too.
        match index.resolve("Margret Hamilton") {
            Err(NameError::Unknown { suggestions, .. }) => assert_eq!(
                suggestions,
                [
                    "Margaret Hamilton (c6, NASA)",
                    "Margaret Hamilton (c9, MIT)"
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(index.resolve("@c9"), Ok(ContactId(9)));
        assert_eq!(index.resolve("c6"), Ok(ContactId(6)));
        assert!(index.resolve("c7").is_err(), "no such id");
        assert_eq!(index.mention(ContactId(9)), "@c9");
        let one = NameIndex::new(people());
        assert_eq!(one.mention(ContactId(1)), "@\"Ada Lovelace\"");
    }

    /// Accents go in the scripts that have them; letters that look like marks stay.
    #[rstest]
    #[case("Νίκος Παπαδόπουλος", "ΝΙΚΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ")] // final sigma, tonos
    #[case("Σοφία", "σοφια")]
    #[case("Ёлкин", "елкин")]
    #[case("Łukasz Weiß", "lukasz weiss")]
    #[case("Nguyễn Đặng", "nguyen dang")]
    #[case("İstanbul Işık", "istanbul isik")]
    #[case("שָׁלוֹם", "שלום")] // niqqud
    fn accents_fold_away(#[case] written: &str, #[case] typed: &str) {
        assert_eq!(fold_letters(written), fold_letters(typed));
    }

    #[rstest]
    #[case("राम", "रीमा")] // Devanagari vowel signs are letters
    #[case("ガトウ", "カトウ")] // a dakuten makes another kana
    #[case("ರಾಮ", "ರಮ")] // Kannada
    fn letters_that_combine_stay_apart(#[case] one: &str, #[case] other: &str) {
        assert_ne!(fold_letters(one), fold_letters(other));
    }

    #[test]
    fn unknown_names_suggest_near_misses() {
        let err = resolve("hoper", &people()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no contact matches 'hoper' (did you mean Grace Hopper?)"
        );
        let err = resolve("zed", &people()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no contact matches 'zed' (add them with: rolo add NAME)"
        );
    }

    #[test]
    fn completion_offers_prefix_matches_by_name() {
        let index = NameIndex::new(people());
        let names: Vec<&str> = index
            .complete("gr", 10)
            .iter()
            .map(|c| c.display_name.as_str())
            .collect();
        assert_eq!(names, ["Grace Harris", "Grace Hopper"]);
        assert_eq!(index.complete("", 3).len(), 3);
        assert!(index.complete("zz", 10).is_empty());
    }

    /// The prefilter never rules out a contact that resolution would pick or list.
    #[rstest]
    #[case("Ada Lovelace")]
    #[case("lov")]
    #[case("grace-h")]
    #[case("amazing grace")]
    #[case("alv")]
    #[case("jose")]
    #[case("mj")]
    #[case("watson mary")]
    #[case("a")]
    #[case("zed")]
    fn the_prefilter_keeps_every_possible_match(#[case] query: &str) {
        let filter = Prefilter::new(query);
        let kept: Vec<NameCandidate> = people()
            .into_iter()
            .filter(|c| filter.admits(&c.display_name, c.nickname.as_deref()))
            .collect();
        let among_kept = resolve(query, &kept);
        let among_all = resolve(query, &people());
        match (&among_kept, &among_all) {
            (Err(NameError::Unknown { .. }), Err(NameError::Unknown { .. })) => {}
            _ => assert_eq!(among_kept, among_all, "{query}"),
        }
        assert!(
            kept.len() < people().len() || query == "a",
            "{query}: {kept:?}"
        );
    }

    #[test]
    fn empty_query_matches_nobody() {
        assert!(matches!(resolve("@", &people()), Err(NameError::Empty)));
        // Not even someone whose name folds to nothing (combining marks alone).
        let mut odd = people();
        odd.push(NameCandidate {
            id: ContactId(99),
            display_name: "\u{301}\u{301}".to_owned(),
            nickname: None,
            company: None,
        });
        assert!(matches!(resolve("", &odd), Err(NameError::Empty)));
        assert!(matches!(resolve("  ", &odd), Err(NameError::Empty)));
    }
}
