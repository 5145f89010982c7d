//! Text as rolo keeps and shows it. On the way in, [`clean`]: Unicode NFC (so "Jürgen"
//! typed, pasted, imported or synced in any form is one name) without control characters.
//! On the way out, [`printable`] and [`truncate`]: nothing a terminal would execute, and
//! columns cut by grapheme cluster (a flag, an emoji sequence, a letter and its accents are
//! never split). [`sort_key`]: the Unicode Collation Algorithm's order (CLDR root), so
//! "Émile" sorts beside "Emma", not after "Zoe".

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
/// invisible, and able to make a name or a note read in another order than it is stored
/// ("Trojan Source", CVE-2021-42574). No name or note needs them typed in by hand.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What never stays in stored text (and is escaped if met on the way out): control
/// characters, bidi controls, byte-order marks.
pub fn is_stripped(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || c == '\u{feff}'
}

/// Text as stored: NFC, control characters, bidi overrides and byte-order marks removed
/// (newlines kept where `multiline`; a tab becomes a space; a carriage return and the
/// Unicode line and paragraph separators a newline).
pub fn clean_text(text: &str, multiline: bool) -> String {
    let keep = |c: char| !is_stripped(c) || (multiline && c == '\n');
    let needs_work = text
        .chars()
        .any(|c| !keep(c) || matches!(c, '\r' | '\u{2028}' | '\u{2029}'))
        || is_nfc_quick(text.chars()) != IsNormalized::Yes;
    if !needs_work {
        return text.to_owned();
    }
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    // Removed first, composed after: a mark left beside its letter by a removed character
    // composes with it, so cleaning twice changes nothing.
    let kept: String = text
        .chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            '\n' if !multiline => Some(' '),
            c if keep(c) => Some(c),
            _ => None,
        })
        .collect();
    kept.nfc().collect()
}

/// A one-line value as stored (a name, a title, a tag).
pub fn clean(text: &str) -> String {
    clean_text(text, false)
}

/// A note's text as stored (line breaks kept).
pub fn clean_note(text: &str) -> String {
    clean_text(text, true)
}

/// Text safe to put before a terminal: control characters (ESC, BEL, C1 codes …) shown as
/// `^[`-style or `\u{..}` escapes instead of acting; newlines kept where `multiline`.
pub fn printable_text(text: &str, multiline: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| is_stripped(c) && !(multiline && c == '\n');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\t' => out.push(' '),
            '\n' => out.push('↵'),
            // C0 and DEL in caret notation (ESC is ^[), C1 as an escape.
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7f}' => out.push_str("^?"),
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// One line safe to print (see [`printable_text`]).
pub fn printable(text: &str) -> Cow<'_, str> {
    printable_text(text, false)
}

/// Columns `text` takes on a terminal, counted by grapheme cluster.
pub fn width(text: &str) -> usize {
    text.graphemes(true).map(UnicodeWidthStr::width).sum()
}

/// Cuts `text` to at most `max` columns, with an ellipsis when cut, never inside a grapheme
/// cluster; control characters are made printable first.
pub fn truncate(text: &str, max: usize) -> String {
    let text = printable(text);
    // Walk only as far as the columns reach: a 50 MB line costs what its first screen does.
    let mut used = 0;
    // The longest start that leaves a column for the ellipsis.
    let mut cut = 0;
    for (at, g) in text.grapheme_indices(true) {
        used += g.width();
        if used > max {
            let mut out = text[..cut].to_owned();
            if max > 0 {
                out.push('…');
            }
            return out;
        }
        if used < max {
            cut = at + g.len();
        }
    }
    text.into_owned()
}

/// "1 interaction", "2 interactions", "0 interactions", "3 matches": a count and its noun,
/// agreeing (the nouns rolo counts are regular: -s, or -es after a sibilant).
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| noun.ends_with(end))
    {
        // English: a sibilant takes -es (matches, boxes).
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    let mut options = CollatorOptions::default();
    options.strength = Some(Strength::Tertiary);
    Collator::try_new(CollatorPreferences::default(), options).ok()
});

/// The bytes whose order is the Unicode Collation Algorithm's (CLDR root, tertiary: case
/// and accents sort beside their letter). Computed once per name and stored, so a sorted
/// list of ten thousand compares bytes, not strings.
pub fn sort_key(text: &str) -> Vec<u8> {
    let mut key = Vec::new();
    match COLLATOR.as_ref() {
        Some(collator) => {
            let _ = collator.write_sort_key_to(&text.nfc().collect::<String>(), &mut key);
        }
        None => key.extend(text.to_lowercase().into_bytes()),
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(plural(1, "match"), "1 match");
        assert_eq!(plural(3, "match"), "3 matches");
        assert_eq!(plural(0, "interaction"), "0 interactions");
        assert_eq!(plural(2, "snooze"), "2 snoozes");
    }

    #[test]
    fn truncation_respects_width_and_graphemes() {
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("hi", 6), "hi");
        assert_eq!(truncate("李小龍李小龍", 5), "李小…");
        assert_eq!(truncate("Kim 🇰🇷 Kang", 6), "Kim …", "never half a flag");
        assert_eq!(truncate("José", 4), "José");
        assert_eq!(truncate("Jose\u{301}x", 5), "Jose\u{301}x");
        assert_eq!(width("👩\u{200d}💻"), 2);
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(
            printable("Evil \u{1b}]0;pwned\u{7}\u{1b}[31mRed"),
            "Evil ^[]0;pwned^G^[[31mRed"
        );
        assert_eq!(printable("a\u{9b}b"), "a\\u{9b}b");
        assert_eq!(printable_text("two\nlines", true), "two\nlines");
        assert_eq!(printable("two\nlines"), "two↵lines");
    }

    #[test]
    fn text_is_stored_in_nfc_without_controls() {
        let nfd = "Ju\u{308}rgen Mu\u{308}ller";
        assert_eq!(clean(nfd), "Jürgen Müller");
        assert_eq!(clean("a\u{1b}[2Jb\tc"), "a[2Jb c");
        assert_eq!(clean_note("one\r\ntwo\u{7}"), "one\ntwo");
        assert_eq!(clean("one\ntwo"), "one two");
        // Hangul jamo compose; other scripts keep their form.
        assert_eq!(clean("\u{1100}\u{1161}"), "\u{ac00}");
        // Bidi overrides and isolates go (a name that reads "Guy exe.txt" but is stored
        // otherwise); a byte-order mark goes; Unicode line separators are line breaks.
        assert_eq!(
            clean("Bidi \u{202e}txt.exe\u{202c} Guy"),
            "Bidi txt.exe Guy"
        );
        assert_eq!(clean("\u{feff}Ada \u{2067}x\u{2069}"), "Ada x");
        assert_eq!(clean_note("one\u{2028}two\u{2029}three"), "one\ntwo\nthree");
        // Removed before composing: a mark left beside its letter joins it.
        assert_eq!(clean("e\u{202e}\u{301}"), "é");
        // Written behind rolo's back, they are shown, not obeyed.
        assert_eq!(printable("a\u{202e}b"), "a\\u{202e}b");
    }

    #[test]
    fn names_sort_by_the_collation_algorithm() {
        let mut names = vec![
            "Zakari", "Örjan", "émile", "Eugene", "Eleanor", "Éric", "adam",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "adam", "Eleanor", "émile", "Éric", "Eugene", "Örjan", "Zakari"
            ]
        );
    }

    proptest! {
        #[test]
        fn cleaning_is_idempotent(s in "(\\PC|[\u{1}-\u{1f}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{2028}\u{feff}]){0,40}") {
            let once = clean_note(&s);
            prop_assert_eq!(clean_note(&once), once.clone());
            let line = clean(&s);
            prop_assert_eq!(clean(&line), line);
        }

        #[test]
        fn drawn_width_is_the_sum_of_grapheme_widths(s in "\\PC{0,30}") {
            let shown = printable(&s);
            let sum: usize = shown.graphemes(true).map(UnicodeWidthStr::width).sum();
            prop_assert_eq!(width(&shown), sum);
            prop_assert!(width(&truncate(&s, 10)) <= 10);
        }
    }
}
