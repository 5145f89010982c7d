//! Telling a paste from typing when the terminal does not say (no bracketed paste).
//!
//! The event loop reads every event that is already waiting when it wakes up: keys typed by
//! a person arrive one at a time (even a fast typist leaves 50 ms or more between keys, and
//! a frame takes about a millisecond to draw), while a paste arrives as one read of the
//! terminal, every key already waiting. So a batch is a paste when it holds at least
//! [`PASTE_KEYS`] text keys that are not one key repeated (a held-down `j` also batches),
//! or when an Enter in it is followed by more keys — nobody types past an Enter within a
//! millisecond. Such a batch becomes one [`Msg::Paste`]: text, never commands.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::update::Msg;

/// Text keys in one batch that make it a paste.
pub const PASTE_KEYS: usize = 6;

/// The character a key would type, if it is a plain text key (Enter is a newline).
fn text_of_key(key: &KeyEvent) -> Option<char> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
    match key.code {
        KeyCode::Char(c) if plain => Some(c),
        KeyCode::Enter if plain => Some('\n'),
        KeyCode::Tab if plain => Some('\t'),
        _ => None,
    }
}

/// The text the key events in `msgs` would type (others are skipped).
pub fn text_of(msgs: &[Msg]) -> String {
    msgs.iter()
        .filter_map(|m| match m {
            Msg::Key(k) => text_of_key(k),
            _ => None,
        })
        .collect()
}

/// Whether the keys of one batch are a paste rather than typing.
pub fn is_paste(keys: &[KeyEvent]) -> bool {
    let text: Vec<char> = keys.iter().filter_map(text_of_key).collect();
    if text.len() < 2 {
        return false;
    }
    let enter_then_more = text
        .iter()
        .position(|c| *c == '\n')
        .is_some_and(|i| i + 1 < text.len());
    let distinct = {
        let mut seen: Vec<char> = text.clone();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    enter_then_more || (text.len() >= PASTE_KEYS && distinct >= 2)
}

/// Turns one batch of events into messages: a paste-like burst of keys becomes one paste.
pub fn classify(events: Vec<Event>) -> Vec<Msg> {
    let keys: Vec<KeyEvent> = events
        .iter()
        .filter_map(|e| match e {
            Event::Key(k) => Some(*k),
            _ => None,
        })
        .collect();
    let pasted = is_paste(&keys);
    let mut msgs = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, msgs: &mut Vec<Msg>| {
        if !text.is_empty() {
            msgs.push(Msg::Paste(std::mem::take(text)));
        }
    };
    for event in events {
        match event {
            Event::Key(key) if pasted && text_of_key(&key).is_some() => {
                text.extend(text_of_key(&key));
            }
            // A key no paste holds (Esc, ctrl-z, an arrow) came right after the text: the
            // text is the paste, the key a key.
            Event::Key(key) => {
                flush(&mut text, &mut msgs);
                msgs.push(Msg::Key(key));
            }
            Event::Paste(pasted) => {
                flush(&mut text, &mut msgs);
                msgs.push(Msg::Paste(pasted));
            }
            Event::Mouse(mouse) => msgs.push(Msg::Mouse(mouse)),
            Event::Resize(w, h) => msgs.push(Msg::Resize(w, h)),
            Event::FocusGained | Event::FocusLost => {}
        }
    }
    flush(&mut text, &mut msgs);
    msgs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Event> {
        text.chars()
            .map(|c| {
                let code = if c == '\n' {
                    KeyCode::Enter
                } else {
                    KeyCode::Char(c)
                };
                Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
            })
            .collect()
    }

    fn pasted(msgs: &[Msg]) -> Option<&str> {
        match msgs {
            [Msg::Paste(text)] => Some(text),
            _ => None,
        }
    }

    #[test]
    fn a_burst_of_text_is_a_paste() {
        let msgs = classify(keys("coffee with @ada re: hiring\n3. dig into options\ny"));
        assert_eq!(
            pasted(&msgs),
            Some("coffee with @ada re: hiring\n3. dig into options\ny")
        );
        assert_eq!(
            pasted(&classify(keys("dDy"))),
            None,
            "three keys are typing"
        );
        assert_eq!(
            pasted(&classify(keys("d\ny"))),
            Some("d\ny"),
            "keys after an Enter"
        );
    }

    #[test]
    fn typing_and_key_repeat_are_keys() {
        for typed in ["j", "jk", "dd", "jjjjjjjjjjjj", "n"] {
            let msgs = classify(keys(typed));
            assert!(
                msgs.iter().all(|m| matches!(m, Msg::Key(_))),
                "{typed:?} is typing"
            );
        }
        let ctrl = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
        assert!(matches!(classify(vec![ctrl.clone()])[..], [Msg::Key(_)]));
        // Text typed in a burst, then ctrl-z at once: the text is pasted, ctrl-z still acts.
        let mut burst = keys("half a thought");
        burst.push(ctrl);
        assert!(
            matches!(&classify(burst)[..], [Msg::Paste(t), Msg::Key(k)] if t == "half a thought" && k.code == KeyCode::Char('z'))
        );
    }
}
