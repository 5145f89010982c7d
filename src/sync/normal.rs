//! The hash of an item's *content*, blind to how a server chose to write it: lines
//! unfolded, property and parameter names upper case, parameters and their values sorted,
//! properties sorted within each component, and the properties a server or client stamps
//! on every write (PRODID, DTSTAMP, REV, LAST-MODIFIED) left out. Radicale re-serialises
//! every item it stores and Xandikos every iCalendar object; with this hash their rewrite
//! is not an edit, so it is not synced back and forth forever (vdirsyncer #318, #1168).

use std::fmt::Write as _;

use crate::interop::component::{self, Component};
use crate::interop::content_line::Property;

const STAMPS: [&str; 4] = ["PRODID", "DTSTAMP", "REV", "LAST-MODIFIED"];

fn canonical_property(p: &Property) -> String {
    let mut params: Vec<String> = p
        .params
        .iter()
        .map(|(k, values)| {
            let mut values: Vec<String> = values
                .iter()
                .flat_map(|v| v.split(','))
                .map(str::to_uppercase)
                .collect();
            values.sort();
            format!("{}={}", k.to_ascii_uppercase(), values.join(","))
        })
        .collect();
    params.sort();
    let group = p
        .group
        .as_deref()
        .map(|g| format!("{}.", g.to_ascii_uppercase()))
        .unwrap_or_default();
    let mut line = format!("{group}{}", p.name);
    for param in params {
        line.push(';');
        line.push_str(&param);
    }
    line.push(':');
    // `\N` and `\n` are the same newline.
    line.push_str(&p.value.replace("\\N", "\\n"));
    line
}

fn canonical(c: &Component) -> String {
    let mut lines: Vec<String> = c
        .properties
        .iter()
        .filter(|p| !STAMPS.contains(&p.name.as_str()))
        .map(canonical_property)
        .collect();
    lines.extend(c.children.iter().map(canonical));
    lines.sort();
    format!("BEGIN:{}\n{}\nEND:{}", c.name, lines.join("\n"), c.name)
}

/// The normalised form of an item (a vCard or an iCalendar object).
pub fn normalise(text: &str) -> String {
    match component::read(text) {
        Ok(components) => components
            .iter()
            .map(canonical)
            .collect::<Vec<_>>()
            .join("\n"),
        // Not readable as components: the text itself, line ends aside.
        Err(_) => text.replace("\r\n", "\n"),
    }
}

/// SHA-256 of the normalised item, in hex.
pub fn hash(text: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, normalise(text).as_bytes());
    digest.as_ref().iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_servers_rewrite_hashes_the_same() {
        let ours = "BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//rolo//rolo//EN\r\nUID:urn:uuid:1\r\nFN:Ada Lovelace\r\nTEL;VALUE=uri;TYPE=cell,work:tel:+1\r\nNOTE:a long note that goes on and on and on past the seventy-five octets of a line\r\nREV:20260101T000000Z\r\nEND:VCARD\r\n";
        let rewritten = "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:1\r\nfn:Ada Lovelace\r\nNOTE:a long note that goes on and on and on past the seventy-five octets o\r\n f a line\r\nPRODID:-//Radicale//NONSGML Version 3.9//EN\r\nREV:20261130T120000Z\r\nTEL;TYPE=work,cell;VALUE=uri:tel:+1\r\nEND:VCARD\r\n";
        assert_eq!(hash(ours), hash(rewritten));
        let edited = rewritten.replace("Ada Lovelace", "Ada King");
        assert_ne!(hash(ours), hash(&edited));
    }

    #[test]
    fn components_are_compared_whole() {
        let a = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:a\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        let b = "BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:a\r\nUID:x\r\nDTSTAMP:20270101T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        assert_eq!(hash(a), hash(b));
        assert_ne!(hash(a), hash(&a.replace("SUMMARY:a", "SUMMARY:b")));
    }
}
