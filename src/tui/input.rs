//! A text editor for the TUI's text boxes: the quick note (several lines), the filter, the
//! snooze prompt and form fields (one line). It moves and deletes by grapheme cluster (a
//! flag, an emoji sequence or a letter with its accents is one step), knows the readline
//! keys fingers expect (ctrl-a/e/b/f/k/u/w/y, alt-b/f/d, alt-backspace), and keeps control
//! characters out: what it holds is text, whatever was typed or pasted.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Byte offset, always on a grapheme boundary.
    cursor: usize,
    /// Whether newlines are kept (the quick note) or become spaces (one-line fields).
    multiline: bool,
    /// What the last kill (ctrl-k, ctrl-u, ctrl-w, alt-d) took, for ctrl-y.
    killed: String,
}

/// Text as an input may hold it: no control characters but newlines (when kept); a tab
/// is a space; CRLF and CR are newlines.
fn clean(text: &str, multiline: bool) -> String {
    // As `text::clean_text` stores it (the same characters go), so the box shows what
    // will be saved.
    let text = text
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' if multiline => Some('\n'),
            '\n' | '\t' => Some(' '),
            c if crate::text::is_stripped(c) => None,
            c => Some(c),
        })
        .collect()
}

impl TextInput {
    /// A one-line input holding `text`, the cursor at its end.
    pub fn new(text: &str) -> TextInput {
        TextInput::with_cursor(text, usize::MAX)
    }

    /// A one-line input with the cursor at byte `cursor` (moved back to a boundary).
    pub fn with_cursor(text: &str, cursor: usize) -> TextInput {
        TextInput::build(text, cursor, false)
    }

    /// An input that keeps newlines, the cursor at byte `cursor` (or the end).
    pub fn multiline(text: &str, cursor: usize) -> TextInput {
        TextInput::build(text, cursor, true)
    }

    fn build(text: &str, cursor: usize, multiline: bool) -> TextInput {
        let text = clean(text, multiline);
        let mut input = TextInput {
            cursor: 0,
            text,
            multiline,
            killed: String::new(),
        };
        input.cursor = input.boundary_at_or_before(cursor.min(input.text.len()));
        input
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    /// The lines, and the cursor as (line, columns before it on that line).
    pub fn lines(&self) -> (Vec<&str>, (usize, usize)) {
        let lines: Vec<&str> = self.text.split('\n').collect();
        let before = &self.text[..self.cursor];
        let row = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (lines, (row, self.text[line_start..self.cursor].width()))
    }

    /// Columns before the cursor on its line, for placing the terminal cursor.
    pub fn cursor_column(&self) -> usize {
        self.lines().1.1
    }

    fn boundary_at_or_before(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return self.text.len();
        }
        self.text
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .take_while(|&i| i <= at)
            .last()
            .unwrap_or(0)
    }

    fn previous_boundary(&self) -> usize {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map_or(self.cursor, |g| self.cursor + g.len())
    }

    fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1)
    }

    fn line_end(&self) -> usize {
        self.text[self.cursor..]
            .find('\n')
            .map_or(self.text.len(), |i| self.cursor + i)
    }

    /// Where the word before the cursor starts: skip what `is_word` rejects, then the word.
    fn word_start(&self, is_word: impl Fn(&str) -> bool) -> usize {
        let mut at = self.cursor;
        let graphemes: Vec<(usize, &str)> =
            self.text[..self.cursor].grapheme_indices(true).collect();
        let mut iter = graphemes.iter().rev().peekable();
        while let Some((i, g)) = iter.peek() {
            if is_word(g) {
                break;
            }
            at = *i;
            iter.next();
        }
        while let Some((i, g)) = iter.peek() {
            if !is_word(g) {
                break;
            }
            at = *i;
            iter.next();
        }
        at
    }

    /// Where the word after the cursor ends.
    fn word_end(&self, is_word: impl Fn(&str) -> bool) -> usize {
        let mut at = self.cursor;
        let mut iter = self.text[self.cursor..].graphemes(true).peekable();
        while let Some(g) = iter.peek() {
            if is_word(g) {
                break;
            }
            at += g.len();
            iter.next();
        }
        while let Some(g) = iter.peek() {
            if !is_word(g) {
                break;
            }
            at += g.len();
            iter.next();
        }
        at
    }

    /// Inserts text (typed or pasted) at the cursor, cleaned of control characters.
    pub fn insert_str(&mut self, text: &str) {
        let text = clean(text, self.multiline);
        self.text.insert_str(self.cursor, &text);
        self.cursor += text.len();
        // An insertion can join a grapheme with its neighbour (a combining mark after a
        // letter): keep the cursor on a boundary.
        self.cursor = self.boundary_at_or_before(self.cursor);
    }

    pub fn insert(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.insert_str(c.encode_utf8(&mut buf));
    }

    /// Replaces `range` (bytes) with `with` and puts the cursor after it (completion).
    pub fn replace(&mut self, range: std::ops::Range<usize>, with: &str) {
        let start = self.boundary_at_or_before(range.start.min(self.text.len()));
        let end = range.end.clamp(start, self.text.len());
        let with = clean(with, self.multiline);
        self.text.replace_range(start..end, &with);
        self.cursor = self.boundary_at_or_before(start + with.len());
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    fn kill(&mut self, range: std::ops::Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.killed = self.text[range.clone()].to_owned();
        self.text.replace_range(range.clone(), "");
        self.cursor = range.start;
    }

    /// Moves to the same column on the line above (`up`) or below; false at the edge.
    fn vertical(&mut self, up: bool) -> bool {
        let (lines, (row, column)) = self.lines();
        let target = if up {
            match row.checked_sub(1) {
                Some(r) => r,
                None => return false,
            }
        } else if row + 1 < lines.len() {
            row + 1
        } else {
            return false;
        };
        let start: usize = lines[..target].iter().map(|l| l.len() + 1).sum();
        let mut at = start;
        let mut width = 0;
        for g in lines[target].graphemes(true) {
            let w = g.width();
            if width + w > column {
                break;
            }
            width += w;
            at += g.len();
        }
        self.cursor = at;
        true
    }

    /// Applies an editing key. Returns whether the key was an edit or a move it understood
    /// (Up/Down at the first/last line, and keys it does not know, are left to the caller).
    pub fn handle(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let alnum = |g: &str| g.chars().any(char::is_alphanumeric);
        let not_space = |g: &str| !g.chars().all(char::is_whitespace);
        match key.code {
            KeyCode::Char('a') if ctrl => self.cursor = self.line_start(),
            KeyCode::Char('e') if ctrl => self.cursor = self.line_end(),
            KeyCode::Char('b') if ctrl => self.cursor = self.previous_boundary(),
            KeyCode::Char('f') if ctrl => self.cursor = self.next_boundary(),
            KeyCode::Char('b') if alt => self.cursor = self.word_start(alnum),
            KeyCode::Char('f') if alt => self.cursor = self.word_end(alnum),
            KeyCode::Left if ctrl || alt => self.cursor = self.word_start(alnum),
            KeyCode::Right if ctrl || alt => self.cursor = self.word_end(alnum),
            KeyCode::Char('d') if alt => self.kill(self.cursor..self.word_end(alnum)),
            KeyCode::Backspace if alt || ctrl => self.kill(self.word_start(alnum)..self.cursor),
            KeyCode::Char('w') if ctrl => self.kill(self.word_start(not_space)..self.cursor),
            KeyCode::Char('k') if ctrl => {
                let end = self.line_end();
                // At the end of a line, ctrl-k joins the next one, as in readline and emacs.
                let end = if end == self.cursor && end < self.text.len() {
                    end + 1
                } else {
                    end
                };
                self.kill(self.cursor..end);
            }
            KeyCode::Char('u') if ctrl => self.kill(self.line_start()..self.cursor),
            KeyCode::Char('y') if ctrl => {
                let killed = self.killed.clone();
                self.insert_str(&killed);
            }
            KeyCode::Char('h') if ctrl => self.kill(self.previous_boundary()..self.cursor),
            KeyCode::Char('d') if ctrl => self.kill(self.cursor..self.next_boundary()),
            KeyCode::Char('j') if ctrl && self.multiline => self.insert('\n'),
            KeyCode::Enter if alt && self.multiline => self.insert('\n'),
            KeyCode::Char(c) if !ctrl && !alt => self.insert(c),
            KeyCode::Backspace => {
                let start = self.previous_boundary();
                self.text.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
            KeyCode::Delete => {
                let end = self.next_boundary();
                self.text.replace_range(self.cursor..end, "");
            }
            KeyCode::Left => self.cursor = self.previous_boundary(),
            KeyCode::Right => self.cursor = self.next_boundary(),
            KeyCode::Home => self.cursor = self.line_start(),
            KeyCode::End => self.cursor = self.line_end(),
            KeyCode::Up if self.multiline => return self.vertical(true),
            KeyCode::Down if self.multiline => return self.vertical(false),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn alt(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::ALT)
    }

    #[test]
    fn edits_respect_multibyte_characters() {
        let mut input = TextInput::new("café");
        assert!(input.handle(&key(KeyCode::Backspace)));
        assert_eq!(input.text(), "caf");
        input.handle(&key(KeyCode::Char('é')));
        input.handle(&key(KeyCode::Left));
        input.handle(&key(KeyCode::Char('x')));
        assert_eq!((input.text(), input.cursor()), ("cafxé", 4));
        input.handle(&key(KeyCode::Home));
        input.handle(&key(KeyCode::Delete));
        assert_eq!(input.text(), "afxé");
        input.handle(&ctrl('e'));
        input.handle(&ctrl('w'));
        assert_eq!(input.text(), "");
    }

    #[test]
    fn cursor_is_clamped_to_a_boundary() {
        assert_eq!(TextInput::with_cursor("é", 1).cursor(), 0);
        assert_eq!(TextInput::with_cursor("ab", 99).cursor(), 2);
        assert_eq!(
            TextInput::with_cursor("🇰🇷x", 4).cursor(),
            0,
            "inside a flag"
        );
    }

    /// A no-break space (macOS Option-Space), an ideographic space (Japanese input), a thin
    /// space: ctrl-w and alt-backspace delete a word before any of them, never panic.
    #[test]
    fn words_end_at_any_unicode_space() {
        for space in ['\u{a0}', '\u{3000}', '\u{2009}', ' '] {
            let mut input = TextInput::new(&format!("lunch{space}with{space}ada"));
            input.handle(&ctrl('w'));
            assert_eq!(
                input.text(),
                format!("lunch{space}with{space}"),
                "{space:?}"
            );
            input.handle(&ctrl('w'));
            assert_eq!(input.text(), format!("lunch{space}"));
            input.handle(&alt(KeyCode::Backspace));
            assert_eq!(input.text(), "");
        }
    }

    #[test]
    fn graphemes_move_and_delete_as_one() {
        let mut input = TextInput::new("a🇰🇷👩‍💻é");
        input.handle(&key(KeyCode::Backspace));
        assert_eq!(input.text(), "a🇰🇷👩‍💻", "e and its accent go together");
        input.handle(&key(KeyCode::Backspace));
        assert_eq!(input.text(), "a🇰🇷", "the ZWJ sequence goes whole");
        input.handle(&key(KeyCode::Left));
        assert_eq!(input.cursor(), 1, "the flag is one step");
    }

    #[test]
    fn readline_keys() {
        let mut input = TextInput::new("call ada about looms");
        input.handle(&alt(KeyCode::Char('b')));
        input.handle(&alt(KeyCode::Char('b')));
        assert_eq!(&input.text()[input.cursor()..], "about looms");
        input.handle(&alt(KeyCode::Char('d')));
        assert_eq!(input.text(), "call ada  looms");
        input.handle(&ctrl('k'));
        assert_eq!(input.text(), "call ada ");
        input.handle(&ctrl('y'));
        assert_eq!(
            input.text(),
            "call ada  looms",
            "ctrl-y yanks the last kill"
        );
        input.handle(&ctrl('a'));
        input.handle(&alt(KeyCode::Char('f')));
        assert_eq!(input.cursor(), 4);
        input.handle(&ctrl('u'));
        assert_eq!(input.text(), " ada  looms");
    }

    #[test]
    fn lines_in_a_multiline_input() {
        let mut input = TextInput::multiline("lunch with @ada", usize::MAX);
        input.handle(&alt(KeyCode::Enter));
        input.insert_str("- point one\r\n- point two");
        assert_eq!(input.text(), "lunch with @ada\n- point one\n- point two");
        let (lines, cursor) = input.lines();
        assert_eq!((lines.len(), cursor), (3, (2, 11)));
        assert!(input.handle(&key(KeyCode::Up)));
        assert!(input.handle(&key(KeyCode::Up)));
        assert_eq!(input.lines().1, (0, 11));
        assert!(
            !input.handle(&key(KeyCode::Up)),
            "the first line: left to the caller"
        );
        let mut one = TextInput::new("");
        one.insert_str("a\nb\tc\u{1b}[31m");
        assert_eq!(one.text(), "a b c[31m", "one line, no control characters");
    }

    fn any_key() -> impl Strategy<Value = KeyEvent> {
        let code = prop_oneof![
            any::<char>().prop_map(KeyCode::Char),
            prop_oneof![
                Just('\u{a0}'),
                Just('\u{3000}'),
                Just('\u{301}'),
                Just('\u{200d}'),
                Just('🇰'),
                Just('👩'),
                Just('\n'),
                Just(' ')
            ]
            .prop_map(KeyCode::Char),
            Just(KeyCode::Backspace),
            Just(KeyCode::Delete),
            Just(KeyCode::Left),
            Just(KeyCode::Right),
            Just(KeyCode::Up),
            Just(KeyCode::Down),
            Just(KeyCode::Home),
            Just(KeyCode::End),
            Just(KeyCode::Enter),
        ];
        let modifiers = prop_oneof![
            Just(KeyModifiers::NONE),
            Just(KeyModifiers::CONTROL),
            Just(KeyModifiers::ALT),
            Just(KeyModifiers::SHIFT),
        ];
        (code, modifiers).prop_map(|(c, m)| KeyEvent::new(c, m))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// No key, in any order, on any text, panics; the cursor stays on a boundary.
        #[test]
        fn no_key_panics(
            start in "\\PC{0,12}",
            keys in proptest::collection::vec(any_key(), 0..60),
            multiline in any::<bool>(),
        ) {
            let mut input = TextInput::build(&start, usize::MAX, multiline);
            for key in &keys {
                input.handle(key);
                prop_assert!(input.text().is_char_boundary(input.cursor()));
                prop_assert!(!input.text().chars().any(|c| c.is_control() && c != '\n'));
                let _ = input.lines();
            }
        }
    }
}
