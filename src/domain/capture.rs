//! The one-line capture syntax shared by `rolo log`, `rolo remind` and the TUI's quick note:
//!
//! ```text
//! lunch with @ada @"Grace Hopper" #mentoring talked about compilers ^yesterday !2w send the paper
//! ```
//!
//! `@name` a participant, `#tag` a tag, a leading kind word or `kind:call` the kind, `^when`
//! when it happened, `!when text` a follow-up (the rest of the line is its text). Parsing is
//! pure; resolving `@names` to contacts is the caller's job (see [`super::names`]), so the
//! same parse can feed a live preview before anything is written.

use std::ops::Range;

use chrono::{NaiveDate, NaiveDateTime};

use super::interaction::Kind;
use super::when::{self, Direction, WhenError};

/// Longest line the capture box accepts; long notes belong in the body, edited in `$EDITOR`.
pub const MAX_LINE_BYTES: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    #[error("empty note: write what happened, e.g. 'lunch with @ada talked about the role'")]
    Empty,
    #[error(
        "note is too long for one line ({0} bytes, at most {MAX_LINE_BYTES}); put long text in the body"
    )]
    TooLong(usize),
    #[error("unclosed quote after '{0}'")]
    UnclosedQuote(char),
    #[error("'!' needs a date, e.g. '!2w send the deck' or '!fri call back'")]
    MissingFollowUpDate,
    #[error("follow-up date: {0}")]
    FollowUpDate(WhenError),
    #[error("'^' needs a time, e.g. '^yesterday' or '^\"mon 14:00\"'")]
    MissingWhen,
    #[error("when it happened: {0}")]
    When(WhenError),
    #[error("'^' given twice; say once when it happened")]
    TwoWhens,
    #[error("'kind:' needs a name, e.g. kind:call")]
    EmptyKind,
}

/// What a token is, for highlighting in the quick-note box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    Word,
    Person,
    Tag,
    Kind,
    When,
    FollowUp,
}

/// A piece of the summary: literal text, or a participant (by index into `people`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    /// `suffix` is punctuation typed right after the name (`@ada,`).
    Person {
        index: usize,
        suffix: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub due: NaiveDate,
    /// What to do; empty when the user typed only a date.
    pub text: String,
}

/// A parsed capture line, not yet resolved against the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    pub kind: Kind,
    /// Names as typed after `@`, in order of first mention, without duplicates.
    pub people: Vec<String>,
    pub tags: Vec<String>,
    pub segments: Vec<Segment>,
    pub follow_up: Option<FollowUp>,
    /// When it happened, in the user's local time; `None` means now.
    pub at: Option<NaiveDateTime>,
}

impl Capture {
    /// The one-line summary, with each participant written as `name_of(index)` and runs of
    /// people joined naturally: "lunch with Ada and Grace talked about compilers".
    pub fn summary(&self, name_of: impl Fn(usize) -> String) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < self.segments.len() {
            if !out.is_empty() {
                out.push(' ');
            }
            match &self.segments[i] {
                Segment::Text(text) => {
                    out.push_str(text);
                    i += 1;
                }
                Segment::Person { .. } => {
                    // A run of people typed side by side ("@ada @grace") reads as a list; a
                    // name followed by punctuation ("@ada,") ends the run.
                    let mut end = i;
                    while let Some(Segment::Person { suffix, .. }) = self.segments.get(end) {
                        end += 1;
                        if !suffix.is_empty()
                            || !matches!(self.segments.get(end), Some(Segment::Person { .. }))
                        {
                            break;
                        }
                    }
                    let names: Vec<String> = self.segments[i..end]
                        .iter()
                        .filter_map(|s| match s {
                            Segment::Person { index, .. } => Some(name_of(*index)),
                            Segment::Text(_) => None,
                        })
                        .collect();
                    out.push_str(&join_names(&names));
                    if let Some(Segment::Person { suffix, .. }) = self.segments.get(end - 1) {
                        out.push_str(suffix);
                    }
                    i = end;
                }
            }
        }
        out
    }
}

/// "Ada", "Ada and Grace", "Ada, Grace and Alan".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One whitespace-separated token (a quoted `@"…"` or `^"…"` counts as one).
#[derive(Debug, Clone)]
struct Token {
    span: Range<usize>,
    sigil: Option<char>,
    /// The token without its sigil and quotes.
    text: String,
    quoted: bool,
}

const SIGILS: [char; 3] = ['@', '^', '!'];
pub const TRAILING_PUNCTUATION: &[char] = &[',', '.', ';', ':', '!', '?', ')'];

fn lex(line: &str) -> Result<Vec<Token>, CaptureError> {
    let mut tokens = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let sigil = SIGILS.contains(&c).then_some(c);
        if let Some(sigil) = sigil {
            chars.next();
            if let Some(&(quote_at, '"')) = chars.peek() {
                chars.next();
                let content_start = quote_at + 1;
                let close = line[content_start..]
                    .find('"')
                    .ok_or(CaptureError::UnclosedQuote(sigil))?;
                let end = content_start + close + 1;
                while chars.peek().is_some_and(|&(i, _)| i < end) {
                    chars.next();
                }
                let text = line[content_start..content_start + close].trim().to_owned();
                tokens.push(Token {
                    span: start..end,
                    sigil: Some(sigil),
                    text,
                    quoted: true,
                });
                continue;
            }
        }
        let mut end = line.len();
        for (i, ch) in chars.by_ref() {
            if ch.is_whitespace() {
                end = i;
                break;
            }
        }
        let body_start = start + sigil.map_or(0, char::len_utf8);
        tokens.push(Token {
            span: start..end,
            sigil,
            text: line[body_start..end].to_owned(),
            quoted: false,
        });
    }
    Ok(tokens)
}

/// Splits `ada,` into (`ada`, `,`).
fn split_trailing_punctuation(text: &str) -> (&str, &str) {
    let core = text.trim_end_matches(TRAILING_PUNCTUATION);
    (core, &text[core.len()..])
}

fn is_tag(text: &str) -> Option<String> {
    let body = text.strip_prefix('#')?;
    let (core, _) = split_trailing_punctuation(body);
    let valid = !core.is_empty()
        && core
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
    valid.then(|| core.to_lowercase())
}

/// Parses a capture line. `now` is the user's local time: it anchors `^` and `!` phrases.
pub fn parse(line: &str, now: NaiveDateTime) -> Result<Capture, CaptureError> {
    if line.len() > MAX_LINE_BYTES {
        return Err(CaptureError::TooLong(line.len()));
    }
    let tokens = lex(line)?;
    let mut capture = Capture {
        kind: Kind::Note,
        people: Vec::new(),
        tags: Vec::new(),
        segments: Vec::new(),
        follow_up: None,
        at: None,
    };
    let mut explicit_kind = false;
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        match token.sigil {
            Some('@') if !token.text.is_empty() => {
                let (name, suffix) = if token.quoted {
                    (token.text.as_str(), "")
                } else {
                    split_trailing_punctuation(&token.text)
                };
                if name.is_empty() {
                    capture
                        .segments
                        .push(Segment::Text(line[token.span.clone()].to_owned()));
                } else {
                    let index = capture
                        .people
                        .iter()
                        .position(|p| p.eq_ignore_ascii_case(name))
                        .unwrap_or_else(|| {
                            capture.people.push(name.to_owned());
                            capture.people.len() - 1
                        });
                    capture.segments.push(Segment::Person {
                        index,
                        suffix: suffix.to_owned(),
                    });
                }
            }
            Some('^') if !token.text.is_empty() || token.quoted => {
                if capture.at.is_some() {
                    return Err(CaptureError::TwoWhens);
                }
                if token.text.is_empty() {
                    return Err(CaptureError::MissingWhen);
                }
                let at = when::parse_moment(&token.text, now, Direction::Past)
                    .map_err(CaptureError::When)?;
                capture.at = Some(at);
            }
            Some('!') if !token.text.is_empty() || token.quoted => {
                let (follow_up, _) = parse_follow_up(line, &tokens[i..], now.date())?;
                capture.follow_up = Some(follow_up);
                break;
            }
            _ => {
                let raw = &line[token.span.clone()];
                if let Some(tag) = is_tag(raw) {
                    if !capture.tags.contains(&tag) {
                        capture.tags.push(tag);
                    }
                } else if let Some(kind_name) = raw.strip_prefix("kind:") {
                    if kind_name.is_empty() {
                        return Err(CaptureError::EmptyKind);
                    }
                    capture.kind = Kind::parse(kind_name);
                    explicit_kind = true;
                } else {
                    // The first word that is not a mention: "@ada coffee" is a coffee too.
                    let leading = !explicit_kind
                        && !capture
                            .segments
                            .iter()
                            .any(|s| matches!(s, Segment::Text(_)));
                    if let Some(kind) = leading
                        .then(|| Kind::from_leading_word(split_trailing_punctuation(raw).0))
                        .flatten()
                    {
                        capture.kind = kind;
                    }
                    capture.segments.push(Segment::Text(raw.to_owned()));
                }
            }
        }
        i += 1;
    }
    if capture.segments.is_empty() {
        return Err(CaptureError::Empty);
    }
    Ok(capture)
}

/// `tokens[0]` is the `!` token. The date is the quoted phrase, or the longest run of up to
/// three words that reads as a date (`!in 3 days`, `!next fri`, `!dec 1`); the rest of the
/// line, verbatim, is the follow-up's text.
fn parse_follow_up(
    line: &str,
    tokens: &[Token],
    today: NaiveDate,
) -> Result<(FollowUp, usize), CaptureError> {
    let first = &tokens[0];
    if first.text.is_empty() {
        return Err(CaptureError::MissingFollowUpDate);
    }
    let rest_after = |end: usize| line[end..].trim().to_owned();
    if first.quoted {
        let due = when::parse_date(&first.text, today, Direction::Future)
            .map_err(CaptureError::FollowUpDate)?;
        return Ok((
            FollowUp {
                due,
                text: rest_after(first.span.end),
            },
            1,
        ));
    }
    let max_words = tokens.len().min(3);
    for words in (1..=max_words).rev() {
        let end = tokens[words - 1].span.end;
        let phrase = &line[first.span.start + 1..end];
        if let Ok(due) = when::parse_date(phrase, today, Direction::Future) {
            return Ok((
                FollowUp {
                    due,
                    text: rest_after(end),
                },
                words,
            ));
        }
    }
    let err = when::parse_date(&first.text, today, Direction::Future)
        .err()
        .unwrap_or(WhenError::Unknown(first.text.clone()));
    Err(CaptureError::FollowUpDate(err))
}

/// Classifies each token of a (possibly half-typed, possibly invalid) line for highlighting.
/// Never fails: what cannot be parsed yet is shown as words.
pub fn highlight(line: &str) -> Vec<(Range<usize>, TokenClass)> {
    let mut out = Vec::new();
    // An unclosed quote while typing: highlight up to it, leave the rest as words.
    let tokens = lex(line).unwrap_or_else(|_| {
        let cut = line.rfind('"').unwrap_or(line.len());
        lex(&line[..cut]).unwrap_or_default()
    });
    let mut first_word = true;
    for token in &tokens {
        let raw = &line[token.span.clone()];
        let leading = first_word;
        first_word &= token.sigil == Some('@');
        let class = match token.sigil {
            Some('@') => TokenClass::Person,
            Some('^') => TokenClass::When,
            Some('!') if !token.text.is_empty() => {
                out.push((token.span.start..line.len(), TokenClass::FollowUp));
                return out;
            }
            _ if is_tag(raw).is_some() => TokenClass::Tag,
            _ if raw.starts_with("kind:") => TokenClass::Kind,
            _ if leading
                && Kind::from_leading_word(split_trailing_punctuation(raw).0).is_some() =>
            {
                TokenClass::Kind
            }
            _ => TokenClass::Word,
        };
        out.push((token.span.clone(), class));
    }
    out
}

/// The `@name` being typed at byte offset `cursor`, if any: (span of the name after `@`, text).
/// Drives the quick note's completion popup.
pub fn name_at_cursor(line: &str, cursor: usize) -> Option<(Range<usize>, &str)> {
    let head = line.get(..cursor)?;
    let start = head
        .char_indices()
        .rfind(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &head[start..];
    let name = word.strip_prefix('@')?;
    if name.starts_with('"') {
        return None;
    }
    Some((start + 1..cursor, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .unwrap()
            .and_hms_opt(15, 30, 0)
            .unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn summary(capture: &Capture) -> String {
        capture.summary(|i| {
            let name = &capture.people[i];
            let mut chars = name.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default()
        })
    }

    #[test]
    fn the_example_from_the_product_spec() {
        let c = parse("lunch with @ada @grace-h #mentoring talked about the Lisbon role !2w send her the deck", now()).unwrap();
        assert_eq!(c.kind, Kind::Meal);
        assert_eq!(c.people, ["ada", "grace-h"]);
        assert_eq!(c.tags, ["mentoring"]);
        assert_eq!(
            c.follow_up,
            Some(FollowUp {
                due: d("2026-12-06"),
                text: "send her the deck".into()
            })
        );
        assert_eq!(c.at, None);
        assert_eq!(
            summary(&c),
            "lunch with Ada and Grace-h talked about the Lisbon role"
        );
    }

    #[rstest]
    #[case("call @bob about the offer", Kind::Call)]
    #[case("Coffee with @bob", Kind::Meal)]
    #[case("caught up with @bob kind:video", Kind::Video)]
    #[case("kind:hackathon with @bob", Kind::Other("hackathon".into()))]
    #[case("@bob called me", Kind::Call)]
    #[case("@bob @ann coffee", Kind::Meal)]
    #[case("thought about @bob", Kind::Note)]
    fn kinds(#[case] line: &str, #[case] kind: Kind) {
        assert_eq!(parse(line, now()).unwrap().kind, kind);
    }

    #[rstest]
    #[case("met @\"Ada Lovelace\" at the expo", &["Ada Lovelace"], "met Ada Lovelace at the expo")]
    #[case("lunch with @ada, @grace and @alan.", &["ada", "grace", "alan"], "lunch with Ada, Grace and Alan.")]
    #[case("@ada @ada again", &["ada"], "Ada and Ada again")]
    #[case("email to bob@example.com", &[], "email to bob@example.com")]
    #[case("talk @ now", &[], "talk @ now")]
    fn people_and_summaries(#[case] line: &str, #[case] people: &[&str], #[case] expected: &str) {
        let c = parse(line, now()).unwrap();
        assert_eq!(c.people, people);
        assert_eq!(summary(&c), expected);
    }

    #[rstest]
    #[case("note ^yesterday", "2026-11-21 12:00")]
    #[case("note ^\"mon 14:00\"", "2026-11-16 14:00")]
    #[case("note ^2026-10-01", "2026-10-01 12:00")]
    #[case("note ^2w", "2026-11-08 12:00")]
    fn when_it_happened(#[case] line: &str, #[case] at: &str) {
        let expected = NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(parse(line, now()).unwrap().at, Some(expected));
    }

    #[rstest]
    #[case("x !fri call back", "2026-11-27", "call back")]
    #[case("x !next fri call back", "2026-11-27", "call back")]
    #[case("x !in 3 days ping", "2026-11-25", "ping")]
    #[case("x !dec 1 send it", "2026-12-01", "send it")]
    #[case("x !2026-12-01 send it", "2026-12-01", "send it")]
    #[case("x !\"1 dec\" send it", "2026-12-01", "send it")]
    #[case("x !tomorrow", "2026-11-23", "")]
    #[case("x !2w send @ada the #deck!", "2026-12-06", "send @ada the #deck!")]
    fn follow_ups(#[case] line: &str, #[case] due: &str, #[case] text: &str) {
        let c = parse(line, now()).unwrap();
        assert_eq!(
            c.follow_up,
            Some(FollowUp {
                due: d(due),
                text: text.into()
            })
        );
    }

    #[rstest]
    #[case("", CaptureError::Empty)]
    #[case("   ", CaptureError::Empty)]
    #[case("#just-a-tag", CaptureError::Empty)]
    #[case("met @\"Ada", CaptureError::UnclosedQuote('@'))]
    #[case("x ^yesterday ^today", CaptureError::TwoWhens)]
    #[case("x kind:", CaptureError::EmptyKind)]
    fn errors(#[case] line: &str, #[case] expected: CaptureError) {
        assert_eq!(parse(line, now()), Err(expected));
    }

    #[rstest]
    #[case("x !someday do it")]
    #[case("x !31/02 do it")]
    #[case("x ^03/04/2026")]
    fn date_errors_are_precise(#[case] line: &str) {
        let message = parse(line, now()).unwrap_err().to_string();
        assert!(
            message.contains("follow-up date") || message.contains("when it happened"),
            "{message}"
        );
    }

    #[test]
    fn overlong_lines_are_refused() {
        let line = "x".repeat(MAX_LINE_BYTES + 1);
        assert_eq!(
            parse(&line, now()),
            Err(CaptureError::TooLong(MAX_LINE_BYTES + 1))
        );
    }

    #[test]
    fn highlight_classifies_tokens() {
        let line = "lunch @ada #rust ^yesterday !2w send it";
        let classes: Vec<(&str, TokenClass)> = highlight(line)
            .into_iter()
            .map(|(r, c)| (&line[r], c))
            .collect();
        assert_eq!(
            classes,
            [
                ("lunch", TokenClass::Kind),
                ("@ada", TokenClass::Person),
                ("#rust", TokenClass::Tag),
                ("^yesterday", TokenClass::When),
                ("!2w send it", TokenClass::FollowUp),
            ]
        );
    }

    #[rstest]
    #[case("lunch @ad", 9, Some("ad"))]
    #[case("lunch @", 7, Some(""))]
    #[case("lunch @ada x", 12, None)]
    #[case("lunch", 5, None)]
    fn completion_target(
        #[case] line: &str,
        #[case] cursor: usize,
        #[case] expected: Option<&str>,
    ) {
        assert_eq!(name_at_cursor(line, cursor).map(|(_, name)| name), expected);
    }

    proptest! {
        #[test]
        fn never_panics(line in "\\PC{0,200}") {
            let _ = parse(&line, now());
            let _ = highlight(&line);
            for cursor in 0..=line.len() {
                let _ = name_at_cursor(&line, cursor);
            }
        }

        #[test]
        fn generated_lines_parse_back(
            words in proptest::collection::vec("[a-z]{1,8}", 1..6),
            people in proptest::collection::vec("[a-z]{2,8}", 0..3),
            tags in proptest::collection::vec("[a-z]{2,8}", 0..3),
            days in 1u32..60,
            todo in "[a-z ]{0,20}",
        ) {
            let mut line = format!("note {}", words.join(" "));
            for p in &people { line = line + " @" + p; }
            for t in &tags { line = line + " #" + t; }
            line = format!("{line} !{days}d {todo}");
            let c = parse(&line, now()).unwrap();
            let mut unique_people = people.clone();
            unique_people.dedup();
            let mut unique_tags = tags.clone();
            unique_tags.dedup();
            prop_assert_eq!(c.kind, Kind::Note);
            prop_assert_eq!(c.people.len(), { let mut p = people.clone(); p.sort(); p.dedup(); p.len() });
            prop_assert_eq!(c.tags.len(), { let mut t = tags.clone(); t.sort(); t.dedup(); t.len() });
            let follow_up = c.follow_up.unwrap();
            prop_assert_eq!(follow_up.due, now().date() + chrono::Days::new(u64::from(days)));
            prop_assert_eq!(follow_up.text, todo.trim());
        }
    }
}
