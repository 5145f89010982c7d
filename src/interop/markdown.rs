//! A readable dossier: per contact, the card, open reminders and the timeline, as Markdown
//! that also reads well as plain text. Everything that came from the data is escaped for
//! CommonMark (a name with `*` or `<b>` is text, never emphasis or HTML); an interaction's
//! body is the user's own Markdown, kept, with its headings moved under their entry.

use std::fmt::Write as _;
use std::ops::Range;

use chrono::NaiveDate;
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::domain::contact::Contact;
use crate::domain::interaction::Interaction;
use crate::domain::reminder::Reminder;
use crate::text;

/// One contact's section. `date_of` turns an instant into the user's calendar date.
pub fn dossier(
    contact: &Contact,
    reminders: &[Reminder],
    timeline: &[Interaction],
    date_of: impl Fn(chrono::DateTime<chrono::Utc>) -> NaiveDate,
) -> String {
    let c = contact;
    let mut out = format!("# {}\n\n", inline(&c.display_name));
    if let Some(role) = c.role() {
        let _ = writeln!(out, "{}\n", block(&role));
    }
    let facts = facts(c, &date_of);
    for (label, value) in &facts {
        let _ = writeln!(out, "- **{}:** {}", inline(label), inline(value));
    }
    if !facts.is_empty() {
        out.push('\n');
    }
    if let Some(notes) = &c.notes {
        let _ = writeln!(out, "{}\n", block(notes));
    }
    if !reminders.is_empty() {
        out.push_str("## Open reminders\n\n");
        for r in reminders {
            let _ = writeln!(out, "- [ ] {} — {}", r.due_date, inline(&r.title));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Timeline\n");
    if timeline.is_empty() {
        out.push_str("Nothing logged yet.\n\n");
    }
    for i in timeline {
        let _ = writeln!(
            out,
            "### {} · {}\n",
            date_of(i.happened_at),
            inline(i.kind.as_str())
        );
        let _ = writeln!(out, "{}\n", block(&i.summary));
        let others = i.others(Some(c.id));
        let mut meta = Vec::new();
        if !others.is_empty() {
            meta.push(format!("with {}", others.join(", ")));
        }
        if !i.tags.is_empty() {
            meta.push(
                i.tags
                    .iter()
                    .map(|t| format!("#{t}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        if !meta.is_empty() {
            let _ = writeln!(out, "*{}*\n", inline(&meta.join(" · ")));
        }
        if let Some(body) = &i.body {
            let _ = writeln!(out, "{}\n", contain(body.trim_end(), 3));
        }
    }
    out
}

/// The card's labelled facts, in reading order.
fn facts(
    c: &Contact,
    date_of: &impl Fn(chrono::DateTime<chrono::Utc>) -> NaiveDate,
) -> Vec<(String, String)> {
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(nick) = &c.nickname {
        facts.push(("Nickname".into(), nick.clone()));
    }
    for f in &c.fields {
        let label = if f.label.is_empty() {
            f.kind.as_str().to_owned()
        } else {
            format!("{} ({})", f.kind.as_str(), f.label)
        };
        let value = f
            .postal_address()
            .map_or_else(|| f.value.clone(), |a| a.lines().join(", "));
        facts.push((capitalise(&label), value));
    }
    if !c.tags.is_empty() {
        facts.push((
            "Tags".into(),
            c.tags
                .iter()
                .map(|t| format!("#{t}"))
                .collect::<Vec<_>>()
                .join(" "),
        ));
    }
    if let Some(b) = c.birthday {
        facts.push(("Birthday".into(), b.to_string()));
    }
    if let Some(a) = c.anniversary {
        facts.push(("Anniversary".into(), a.to_string()));
    }
    if let Some(every) = c.cadence {
        let last = c
            .last_interaction_at
            .map_or("never".to_owned(), |t| date_of(t).to_string());
        facts.push((
            "Keep in touch".into(),
            format!("every {every} (last: {last})"),
        ));
    }
    if let Some(met) = &c.met.text {
        let on = c.met.date.map(|d| format!(" ({d})")).unwrap_or_default();
        facts.push(("How we met".into(), format!("{met}{on}")));
    }
    facts
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// Text from the data, inside a line: every character CommonMark could read as markup is
/// escaped (emphasis, code, links, images, raw HTML, entities), control characters shown as
/// the tables show them ([`text::printable`]), line breaks and tabs made spaces.
pub fn inline(text: &str) -> String {
    let flat = text.replace(['\n', '\r', '\t'], " ");
    let shown = text::printable(&flat);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '&' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text from the data as a paragraph: escaped like [`inline`], each line also escaped where a
/// block could start (`#`, `-`, `+`, `=`, `1.`…), indentation dropped (it would make a code
/// block), and line breaks kept (as hard breaks; a blank line stays a new paragraph).
pub fn block(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let line = inline(line.trim_start());
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let starts_block = line.starts_with(['#', '-', '+', '='])
                || (digits > 0 && line[digits..].starts_with(['.', ')']));
            if starts_block {
                if digits > 0 {
                    format!("{}\\{}", &line[..digits], &line[digits..])
                } else {
                    format!("\\{line}")
                }
            } else {
                line
            }
        })
        .collect();
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        out.push_str(line);
        let next_blank = lines.get(n + 1).is_none_or(|l| l.trim().is_empty());
        if n + 1 < lines.len() {
            if !line.trim().is_empty() && !next_blank {
                out.push('\\'); // a hard line break
            }
            out.push('\n');
        }
    }
    out
}

/// The user's Markdown made to stay inside its entry (CommonMark 0.31, as read by
/// pulldown-cmark): control characters made visible ([`text::printable_text`]); no HTML block
/// (§4.6: the `<` that would start one is escaped, so a `<!--`, `<pre>` or `<script>` with no
/// end cannot swallow the entries after it); every heading, ATX or setext (§4.2, §4.3),
/// written as an ATX heading `by` levels down (at most `######`), so a body's `## Notes` or
/// `Intro\n===` sits under its entry; and a fenced code block left open (§4.5) closed.
pub fn contain(markdown: &str, by: usize) -> String {
    let text = without_html_blocks(&text::printable_text(markdown, true));
    let text = headings_nested(&text, by);
    fence_closed(text)
}

fn events(text: &str) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
    Parser::new_ext(text, Options::empty()).into_offset_iter()
}

/// `text` with the `<` that starts each HTML block escaped. Lines that were inside one can
/// start another once it is gone, so this repeats until none is left; it ends, as every round
/// escapes at least one `<` and an escaped one never starts a block again.
fn without_html_blocks(text: &str) -> String {
    let mut text = text.to_owned();
    loop {
        let starts: Vec<usize> = events(&text)
            .filter(|(event, _)| matches!(event, Event::Start(Tag::HtmlBlock)))
            .filter_map(|(_, range)| text[range.start..].find('<').map(|at| range.start + at))
            .collect();
        if starts.is_empty() {
            return text;
        }
        for at in starts.into_iter().rev() {
            text.insert(at, '\\');
        }
    }
}

/// Every heading as an ATX heading `by` levels down. A setext heading's lines become one
/// (inside a quote or list their markers stay where they are: only the heading itself, from
/// after the markers of its first line, is replaced).
fn headings_nested(text: &str, by: usize) -> String {
    // (the heading's source, its level, the pieces of source that hold its text)
    let mut headings: Vec<(Range<usize>, usize, Vec<Range<usize>>)> = Vec::new();
    let mut inside: Option<(Range<usize>, usize)> = None;
    let mut pieces: Vec<Range<usize>> = Vec::new();
    let mut piece: Option<usize> = None;
    let mut end = 0;
    for (event, range) in events(text) {
        match (&inside, event) {
            (None, Event::Start(Tag::Heading { level, .. })) => {
                inside = Some((range, level as usize));
                piece = None;
                end = 0;
            }
            (Some((whole, level)), Event::End(TagEnd::Heading(_))) => {
                pieces.extend(piece.take().map(|from| from..end));
                headings.push((whole.clone(), *level, std::mem::take(&mut pieces)));
                inside = None;
            }
            // A line break ends a piece: what lies between it and the next event is the next
            // line's indentation and container markers, not the heading's text.
            (Some(_), Event::SoftBreak | Event::HardBreak) => {
                pieces.extend(piece.take().map(|from| from..range.start));
            }
            (Some(_), _) => {
                piece.get_or_insert(range.start);
                end = end.max(range.end);
            }
            (None, _) => {}
        }
    }
    let mut out = text.to_owned();
    for (whole, level, pieces) in headings.into_iter().rev() {
        let words: Vec<&str> = pieces.iter().map(|p| text[p.clone()].trim()).collect();
        let mut words = words.join(" ");
        if words.ends_with('#') {
            // It would be read as a closing sequence.
            words.insert(words.len() - 1, '\\');
        }
        let mut heading = "#".repeat((level + by).min(6));
        if !words.is_empty() {
            heading.push(' ');
            heading.push_str(&words);
        }
        let line_end = if text[..whole.end].ends_with('\n') {
            whole.end - 1
        } else {
            whole.end
        };
        out.replace_range(whole.start..line_end, &heading);
    }
    out
}

/// `text` with its last top-level fenced code block closed, if it was left open (a fence
/// inside a list or quote ends with its container, which ends before the next entry).
fn fence_closed(mut text: String) -> String {
    let mut depth = 0usize;
    let mut open: Option<Range<usize>> = None;
    for (event, range) in events(&text) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) if depth == 0 => {
                open = Some(range);
            }
            // Containers nest; a code block inside one ends with it.
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    let Some(block) = open else { return text };
    let source = &text[block.clone()];
    let fence = source.trim_start_matches(' ');
    let Some(mark) = fence.chars().next() else {
        return text;
    };
    let length = fence.chars().take_while(|c| *c == mark).count();
    let mut lines = source.lines();
    lines.next();
    let closed = lines.last().is_some_and(|last| {
        let fence = last.trim_start_matches(' ');
        let run = fence.chars().take_while(|c| *c == mark).count();
        last.len() - fence.len() < 4 && run >= length && fence[run..].trim().is_empty()
    });
    if !closed && block.end == text.len() {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&mark.to_string().repeat(length));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn headings_nest_outside_code() {
        assert_eq!(
            contain("## Notes\ntext\n```\n# not a heading\n```\n#### deep", 3),
            "##### Notes\ntext\n```\n# not a heading\n```\n###### deep"
        );
    }

    #[test]
    fn setext_headings_become_nested_atx_headings() {
        assert_eq!(contain("Intro line\n===\nmore", 3), "#### Intro line\nmore");
        assert_eq!(contain("two\nlines\n---", 2), "#### two lines");
        assert_eq!(contain("> quoted\n> ---\n", 3), "> ##### quoted\n");
        assert_eq!(contain("- item\n  ===", 3), "- #### item");
        assert_eq!(contain("C #\n---", 1), "### C \\#");
    }

    #[test]
    fn a_body_cannot_open_what_the_dossier_cannot_close() {
        assert_eq!(contain("```rust\nfn main()", 3), "```rust\nfn main()\n```");
        assert_eq!(contain("~~~~\n~~~\n", 3), "~~~~\n~~~\n~~~~");
        assert_eq!(contain("```\ncode\n```", 3), "```\ncode\n```");
        assert_eq!(contain("<!-- draft", 3), "\\<!-- draft");
        assert_eq!(contain("  <pre>\nx", 3), "  \\<pre>\nx");
        // A line that was inside the comment starts a block of its own once it is gone.
        assert_eq!(contain("<!--\n<script>\n-->", 3), "\\<!--\n\\<script>\n-->");
        // A fence in a list item ends with the item; a column-0 fence after it is the open one.
        assert_eq!(
            contain("- a\n  ```\n  b\n```\nc", 3),
            "- a\n  ```\n  b\n```\nc\n```"
        );
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(contain("a \u{1b}[2J b\u{7}", 3), "a ^[[2J b^G");
        assert_eq!(inline("Evil \u{1b}]0;pwned\u{7}"), "Evil ^\\[\\]0;pwned^G");
    }

    /// What a CommonMark reader makes of a dossier entry holding `body`: the levels of the
    /// headings outside any container, and whether any HTML block is left.
    fn read_entry(body: &str) -> (Vec<(usize, String)>, bool) {
        let doc = format!("### entry\n\n{}\n\n### next\n", contain(body, 3));
        let mut headings = Vec::new();
        let mut html = false;
        let mut depth = 0usize;
        let mut at: Option<(usize, usize)> = None;
        let mut words = String::new();
        for (event, _) in events(&doc) {
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    at = Some((level as usize, depth));
                    words.clear();
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, 0)) = at.take() {
                        headings.push((level, words.clone()));
                    }
                }
                Event::Text(t) => words.push_str(&t),
                Event::Start(Tag::HtmlBlock) => html = true,
                Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Item) => depth += 1,
                Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Item) => depth -= 1,
                _ => {}
            }
        }
        (headings, html)
    }

    fn nasty_line() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "",
            "text",
            "```",
            "```rust",
            "~~~",
            "~~~~~",
            "   ```",
            "    ```",
            "- ```",
            "> ```",
            "- item",
            "  ```",
            "1. one",
            "> quote",
            "===",
            "---",
            "- - -",
            "# h",
            "#### h4",
            "## h ##",
            "<!--",
            "-->",
            "<pre>",
            "</pre>",
            "<script>",
            "</script>",
            "<div>",
            "<?php",
            "?>",
            "<!DOCTYPE",
            "<![CDATA[",
            "]]>",
            "<style>",
            "<textarea>",
            "<a href=x>",
            "    indented",
            "\u{1b}[2J",
            "\\",
            "*",
            "[x]: /url",
        ])
        .prop_map(str::to_owned)
    }

    proptest! {
        #[test]
        fn every_entry_heading_survives_any_body(
            lines in prop::collection::vec(nasty_line(), 0..12)
        ) {
            let body = lines.join("\n");
            let (headings, html) = read_entry(&body);
            prop_assert!(!html, "an HTML block is left: {:?}", contain(&body, 3));
            prop_assert_eq!(headings.first(), Some(&(3, "entry".to_owned())));
            prop_assert_eq!(headings.last(), Some(&(3, "next".to_owned())), "{:?}", contain(&body, 3));
            prop_assert!(
                headings[1..headings.len() - 1].iter().all(|(level, _)| *level > 3),
                "{:?} from {:?}", headings, contain(&body, 3)
            );
        }
    }

    #[test]
    fn block_text_keeps_its_lines() {
        assert_eq!(
            block("# not a heading\n1. not a list\n\n    not code"),
            "\\# not a heading\\\n1\\. not a list\n\nnot code"
        );
    }
}
