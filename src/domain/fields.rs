//! The one written form of a labelled contact field, shared by the command line
//! (`--email work=ada@example.com`) and the TUI's contact form:
//!
//! `[LABEL[,pref]=]VALUE` — a label (`work`, `home`, `cell`, several joined by `,`), `pref`
//! for the preferred one, then `=` and the value. Text before the first `=` is a label only
//! if it looks like one (letters, digits, spaces, `-`, `_`, `,`), so `https://x/?a=b` is a
//! value; a value that starts like a label and holds a `=` is written after an empty label
//! (`=a=b@example.com`). An address is `street; locality; region; postal code; country`
//! (fewer parts are the leading ones), or all seven vCard parts when it has a PO box or an
//! extended part. In lists (the form), items are separated by ` | `; a literal `|` or `;`
//! inside a value is written `\|` or `\;`.

use super::contact::{ContactField, FieldKind, PostalAddress};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("'{0}' is not an email address")]
    NotAnEmail(String),
    #[error("an empty {0}")]
    Empty(&'static str),
    #[error(
        "'{0}': an address has 5 parts (street; locality; region; postal code; country) or all 7 vCard parts"
    )]
    AddressParts(String),
}

fn is_label(head: &str) -> bool {
    !head.trim().is_empty()
        && head
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | ','))
}

/// Splits on unescaped `separator`, turning `\separator` into the separator.
fn split_escaped(text: &str, separator: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '\\' && chars.peek() == Some(&separator) {
            chars.next();
            separator
        } else if c == separator {
            parts.push(String::new());
            continue;
        } else {
            c
        };
        if let Some(part) = parts.last_mut() {
            part.push(c);
        }
    }
    parts
}

fn escape(text: &str, separator: char) -> String {
    text.replace(separator, &format!("\\{separator}"))
}

/// Reads one `[LABEL[,pref]=]VALUE` of `kind`.
pub fn parse(kind: FieldKind, text: &str) -> Result<ContactField, FieldError> {
    let (labels, value) = match text.split_once('=') {
        Some((head, value)) if head.is_empty() || is_label(head) => (head, value),
        _ => ("", text),
    };
    let mut preferred = false;
    let label = labels
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let pref = l.eq_ignore_ascii_case("pref");
            preferred |= pref;
            !pref
        })
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(",");
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::Empty(kind.as_str()));
    }
    let field = match kind {
        FieldKind::Address => ContactField::postal(parse_address(value)?),
        FieldKind::Email if !value.contains('@') => {
            return Err(FieldError::NotAnEmail(value.to_owned()));
        }
        _ => ContactField::new(kind, value),
    };
    Ok(ContactField {
        preferred,
        ..field.labelled(label)
    })
}

fn parse_address(value: &str) -> Result<PostalAddress, FieldError> {
    let parts: Vec<String> = split_escaped(value, ';')
        .into_iter()
        .map(|p| p.trim().to_owned())
        .collect();
    let address = match parts.len() {
        1..=5 => {
            let part = |i: usize| parts.get(i).cloned().unwrap_or_default();
            PostalAddress {
                street: part(0),
                locality: part(1),
                region: part(2),
                postal_code: part(3),
                country: part(4),
                ..PostalAddress::default()
            }
        }
        7 => PostalAddress::from_parts(&parts),
        _ => return Err(FieldError::AddressParts(value.to_owned())),
    };
    if address.is_empty() {
        return Err(FieldError::Empty("address"));
    }
    Ok(address)
}

/// Writes a field so that [`parse`] reads it back exactly.
pub fn format(field: &ContactField) -> String {
    let mut labels: Vec<&str> = field.label.split(',').filter(|l| !l.is_empty()).collect();
    if field.preferred {
        labels.push("pref");
    }
    let value = match field.postal_address() {
        Some(a) => format_address(&a),
        None => field.value.clone(),
    };
    let head = labels.join(",");
    let needs_empty_label = value
        .split_once('=')
        .is_some_and(|(h, _)| h.is_empty() || is_label(h));
    if head.is_empty() && !needs_empty_label {
        value
    } else {
        format!("{head}={value}")
    }
}

fn format_address(a: &PostalAddress) -> String {
    let parts: Vec<&str> = if a.po_box.is_empty() && a.extended.is_empty() {
        let mut five = vec![
            a.street.as_str(),
            &a.locality,
            &a.region,
            &a.postal_code,
            &a.country,
        ];
        while five.len() > 1 && five.last().is_some_and(|p| p.is_empty()) {
            five.pop();
        }
        five
    } else {
        a.parts().to_vec()
    };
    parts
        .iter()
        .map(|p| escape(p, ';'))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A list of fields as the form shows it: items separated by ` | `.
pub fn format_list(fields: &[&ContactField]) -> String {
    fields
        .iter()
        .map(|f| escape(&format(f), '|'))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Reads a ` | `-separated list of `kind`.
pub fn parse_list(kind: FieldKind, text: &str) -> Result<Vec<ContactField>, FieldError> {
    split_escaped(text, '|')
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| parse(kind, item))
        .collect()
}

/// The form two values of a kind are compared in: emails and handles by case, URLs without
/// scheme or `www.`, phones by their digits, addresses by their readable form.
pub fn match_key(kind: FieldKind, value: &str) -> String {
    let lower = value.trim().to_lowercase();
    match kind {
        FieldKind::Phone => lower
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect(),
        FieldKind::Url => {
            let rest = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))
                .unwrap_or(&lower);
            rest.strip_prefix("www.")
                .unwrap_or(rest)
                .trim_end_matches('/')
                .to_owned()
        }
        _ => lower,
    }
}

/// Whether `field` is the one a user means by `text` (its value, or an address's street).
pub fn matches(field: &ContactField, text: &str) -> bool {
    let key = match_key(field.kind, text);
    match_key(field.kind, &field.value) == key
        || field
            .address
            .as_ref()
            .is_some_and(|a| match_key(field.kind, &a.street) == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(
        FieldKind::Email,
        "work=ada@example.com",
        "work",
        false,
        "ada@example.com"
    )]
    #[case(
        FieldKind::Email,
        "home,pref=ada@home.example",
        "home",
        true,
        "ada@home.example"
    )]
    #[case(
        FieldKind::Phone,
        "cell,pref=+44 20 7946 0000",
        "cell",
        true,
        "+44 20 7946 0000"
    )]
    #[case(
        FieldKind::Url,
        "https://x.example/?a=b",
        "",
        false,
        "https://x.example/?a=b"
    )]
    #[case(
        FieldKind::Url,
        "linkedin=https://x.example/?a=b",
        "linkedin",
        false,
        "https://x.example/?a=b"
    )]
    #[case(FieldKind::Handle, "skype=live:ada", "skype", false, "live:ada")]
    #[case(FieldKind::Email, "=a=b@example.com", "", false, "a=b@example.com")]
    fn labelled_values(
        #[case] kind: FieldKind,
        #[case] text: &str,
        #[case] label: &str,
        #[case] preferred: bool,
        #[case] value: &str,
    ) {
        let f = parse(kind, text).unwrap();
        assert_eq!(
            (f.label.as_str(), f.preferred, f.value.as_str()),
            (label, preferred, value)
        );
        assert_eq!(parse(kind, &format(&f)).unwrap(), f, "round trip");
    }

    #[test]
    fn addresses_in_five_or_seven_parts() {
        let f = parse(
            FieldKind::Address,
            "home=1 Main St; Hampton; VA; 23666; USA",
        )
        .unwrap();
        let a = f.address.clone().unwrap();
        assert_eq!(
            (a.street.as_str(), a.locality.as_str(), a.region.as_str()),
            ("1 Main St", "Hampton", "VA")
        );
        assert_eq!(f.label, "home");
        assert_eq!(format(&f), "home=1 Main St; Hampton; VA; 23666; USA");
        let boxed = ContactField::postal(PostalAddress {
            po_box: "PO 12".into(),
            street: "Pier Rd; Unit 4".into(),
            ..PostalAddress::default()
        });
        assert_eq!(parse(FieldKind::Address, &format(&boxed)).unwrap(), boxed);
        assert!(parse(FieldKind::Address, "a;b;c;d;e;f").is_err());
    }

    #[test]
    fn lists_split_on_bars_and_keep_escaped_ones() {
        let fields = parse_list(
            FieldKind::Url,
            "https://a.example | work=https://b.example/x\\|y",
        )
        .unwrap();
        assert_eq!(fields[1].value, "https://b.example/x|y");
        let refs: Vec<&ContactField> = fields.iter().collect();
        assert_eq!(
            parse_list(FieldKind::Url, &format_list(&refs)).unwrap(),
            fields
        );
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(parse(FieldKind::Email, "work=not-an-email").is_err());
        assert!(parse(FieldKind::Phone, "cell=").is_err());
    }
}
