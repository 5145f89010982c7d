//! Google Contacts CSV, current and legacy layouts: numbered groups (`E-mail 1 - Value`)
//! whose cells hold several ` ::: ` values with aligned labels, and every column either read
//! or kept, so that nothing in a Google file is dropped silently.

use std::collections::HashMap;

use super::{CsvError, Record, Row, extra_line, get, join_name, named, records, related_line};
use crate::domain::contact::{
    ContactDraft, ContactField, FieldKind, NameParts, PostalAddress, normalize_tag,
};
use crate::domain::when::{DayOrder, PartialDate};

/// One Google row; `order` reads slashed dates (see [`PartialDate::parse_numeric`]).
pub fn google_row_at(line: u64, row: &Record, order: Option<DayOrder>) -> Row {
    match google_row(row, order) {
        Ok(draft) => named(line, draft),
        Err(reason) => Row::new(line, Err(reason)),
    }
}

/// `* Work` → (`work`, primary).
fn label(text: &str) -> (String, bool) {
    match text.strip_prefix("* ") {
        Some(rest) => (rest.trim().to_lowercase(), true),
        None => (text.trim().to_lowercase(), false),
    }
}

/// Google joins several values of one group in one cell with ` ::: `.
const MULTI: &str = ":::";

/// A cell's ` ::: ` values, trimmed. Split on the bare `:::` because a cell's trailing
/// space is trimmed away: `Work ::: ` (three e-mails, one labelled) is `Work` and an empty
/// label, never one label `Work :::`.
fn values(cell: &str) -> Vec<&str> {
    cell.split(MULTI).map(str::trim).collect()
}

/// The i-th of a cell's ` ::: ` values; a cell with one value stands for every position (a
/// label shared by all the values), an empty cell for none.
fn nth(cell: Option<&str>, i: usize, count: usize) -> &str {
    let Some(cell) = cell else { return "" };
    let parts = values(cell);
    if parts.len() == count {
        parts[i]
    } else if parts.len() == 1 {
        parts[0]
    } else {
        parts.get(i).copied().unwrap_or("")
    }
}

/// How many ` ::: ` values the widest of these cells holds.
fn width(cells: &[Option<&str>]) -> usize {
    cells
        .iter()
        .flatten()
        .map(|c| values(c).len())
        .max()
        .unwrap_or(0)
}

/// The numbered groups of a row (`E-mail 1 - Value`, `E-mail 2 - Value`, …) as
/// (label-or-type, primary, value), every ` ::: ` multi-value split and paired with its own
/// label.
fn numbered(row: &Record, prefix: &str, value_column: &str) -> Vec<(String, bool, String)> {
    let mut out = Vec::new();
    for n in 1.. {
        let value_key = format!("{prefix} {n} - {value_column}");
        if !row.contains_key(&value_key) {
            break;
        }
        let value = get(row, &value_key);
        let labels = get(row, &format!("{prefix} {n} - Label"))
            .or_else(|| get(row, &format!("{prefix} {n} - Type")));
        let count = width(&[value]);
        for i in 0..count {
            let v = nth(value, i, count);
            if v.is_empty() {
                continue;
            }
            let (label, primary) = label(nth(labels, i, count));
            out.push((
                label,
                primary && (i == 0 || labels.is_some_and(|l| l.contains(MULTI))),
                v.to_owned(),
            ));
        }
    }
    out
}

/// The addresses of Google's `Address N - …` columns: each part's ` ::: ` values are aligned,
/// so `Mill St 4 ::: Pier Rd 9` with `Leeds ::: York` is two addresses.
fn addresses(row: &Record, n: usize) -> Vec<(String, bool, PostalAddress)> {
    const PARTS: [&str; 7] = [
        "PO Box",
        "Extended Address",
        "Street",
        "City",
        "Region",
        "Postal Code",
        "Country",
    ];
    let cell = |name: &str| get(row, &format!("Address {n} - {name}"));
    let formatted = cell("Formatted");
    let labels = cell("Label").or_else(|| cell("Type"));
    let mut cells: Vec<Option<&str>> = PARTS.iter().map(|p| cell(p)).collect();
    cells.push(formatted);
    let count = width(&cells);
    let mut out = Vec::new();
    for i in 0..count {
        let parts: Vec<&str> = PARTS.iter().map(|p| nth(cell(p), i, count)).collect();
        let address = if parts.iter().all(|p| p.is_empty()) {
            // Only a formatted address: keep it as the street line.
            let text = nth(formatted, i, count);
            if text.is_empty() {
                continue;
            }
            PostalAddress::street(text)
        } else {
            PostalAddress::from_parts(&parts)
        };
        let (label, primary) = label(nth(labels, i, count));
        out.push((label, primary, address));
    }
    out
}

/// A Google Contacts CSV, current or legacy layout.
pub fn read_google(text: &str, order: Option<DayOrder>) -> Result<Vec<Row>, CsvError> {
    let current = records(
        text,
        &["First Name", "Last Name"],
        "Google Contacts",
        "First Name,Middle Name,Last Name,…,E-mail 1 - Value",
    );
    let rows = match current {
        Ok(rows) => rows,
        Err(_) => records(
            text,
            &["Given Name", "Family Name"],
            "Google Contacts",
            "First Name,Last Name,… or Name,Given Name,Family Name,…",
        )?,
    };
    Ok(rows
        .into_iter()
        .map(|(line, row)| google_row_at(line, &row, order))
        .collect())
}

/// Emails, phones, websites and addresses, with their labels and primaries; relations are
/// kept as vCard `RELATED` lines (rolo does not model them, the export writes them back).
fn google_fields(row: &Record, emails: &[(String, bool, String)], draft: &mut ContactDraft) {
    for (kind, prefix) in [
        (FieldKind::Email, "E-mail"),
        (FieldKind::Phone, "Phone"),
        (FieldKind::Url, "Website"),
    ] {
        let values = if kind == FieldKind::Email {
            emails.to_vec()
        } else {
            numbered(row, prefix, "Value")
        };
        for (label, preferred, value) in values {
            draft.fields.push(ContactField {
                preferred,
                ..ContactField::new(kind, value).labelled(label)
            });
        }
    }
    for n in 1.. {
        if !row
            .keys()
            .any(|k| k.starts_with(&format!("Address {n} - ")))
        {
            break;
        }
        for (label, preferred, address) in addresses(row, n) {
            draft.fields.push(ContactField {
                preferred,
                ..ContactField::postal(address).labelled(label)
            });
        }
    }
    let mut extra = Vec::new();
    for (label, _, name) in numbered(row, "Relation", "Value") {
        extra.push(related_line(&label, &name));
    }
    for (label, _, value) in numbered(row, "Custom Field", "Value") {
        extra.push(extra_line(
            if label.is_empty() { "custom" } else { &label },
            &value,
        ));
    }
    // Instant messaging: the service names the handle (`skype`), else its label.
    for prefix in ["IM", "Instant Message"] {
        for n in 1.. {
            let value_key = format!("{prefix} {n} - Value");
            if !row.contains_key(&value_key) {
                break;
            }
            let service = get(row, &format!("{prefix} {n} - Service"));
            let labels = service
                .or_else(|| get(row, &format!("{prefix} {n} - Label")))
                .or_else(|| get(row, &format!("{prefix} {n} - Type")));
            let value = get(row, &value_key);
            let count = width(&[value]);
            for i in 0..count {
                let v = nth(value, i, count);
                if !v.is_empty() {
                    let (label, _) = label(nth(labels, i, count));
                    draft
                        .fields
                        .push(ContactField::new(FieldKind::Handle, v).labelled(label));
                }
            }
        }
    }
    let mut rest: Vec<(&String, &String)> = row
        .iter()
        .filter(|(column, value)| !value.is_empty() && !google_reads(column, row))
        .collect();
    rest.sort();
    for (column, value) in rest {
        extra.push(extra_line(column, value));
    }
    if !extra.is_empty() {
        draft.vcard_extra = Some(extra.join("\n"));
    }
}

/// Whether the Google reader puts this column somewhere; any other non-empty column is kept
/// as an `X-` property, so that nothing in a Google file is dropped silently.
fn google_reads(column: &str, row: &Record) -> bool {
    const NAMED: [&str; 19] = [
        "Name",
        "First Name",
        "Given Name",
        "Middle Name",
        "Additional Name",
        "Last Name",
        "Family Name",
        "Name Prefix",
        "Name Suffix",
        "Nickname",
        "Organization Name",
        "Organization 1 - Name",
        "Organization Title",
        "Organization 1 - Title",
        "Birthday",
        "Notes",
        "Labels",
        "Group Membership",
        "Organization 1 - Type",
    ];
    const GROUPS: [&str; 8] = [
        "E-mail ",
        "Phone ",
        "Website ",
        "Address ",
        "Relation ",
        "Custom Field ",
        "IM ",
        "Instant Message ",
    ];
    if NAMED.contains(&column) {
        return true;
    }
    if let Some(rest) = column.strip_prefix("Event ") {
        // Only an anniversary is modelled; other events are kept.
        let n = rest.split(' ').next().unwrap_or("");
        return get(row, &format!("Event {n} - Label"))
            .or_else(|| get(row, &format!("Event {n} - Type")))
            .is_some_and(|l| l.to_lowercase().contains("anniversary"));
    }
    GROUPS.iter().any(|g| {
        column
            .strip_prefix(g)
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    })
}

fn google_row(
    row: &HashMap<String, String>,
    order: Option<DayOrder>,
) -> Result<ContactDraft, String> {
    let given = get(row, "First Name").or_else(|| get(row, "Given Name"));
    let middle = get(row, "Middle Name").or_else(|| get(row, "Additional Name"));
    let family = get(row, "Last Name").or_else(|| get(row, "Family Name"));
    let company = get(row, "Organization Name").or_else(|| get(row, "Organization 1 - Name"));
    let emails = numbered(row, "E-mail", "Value");
    let display = get(row, "Name")
        .map(str::to_owned)
        .or_else(|| {
            Some(join_name(&[
                get(row, "Name Prefix"),
                given,
                middle,
                family,
                get(row, "Name Suffix"),
            ]))
            .filter(|n| !n.is_empty())
        })
        .unwrap_or_default();
    let mut draft = ContactDraft::named(&display);
    draft.name = NameParts {
        given: given.unwrap_or_default().to_owned(),
        additional: middle.unwrap_or_default().to_owned(),
        family: family.unwrap_or_default().to_owned(),
        prefix: get(row, "Name Prefix").unwrap_or_default().to_owned(),
        suffix: get(row, "Name Suffix").unwrap_or_default().to_owned(),
    };
    if draft.name == NameParts::default() && !display.is_empty() {
        draft.name = NameParts::guess(&display);
    }
    draft.nickname = get(row, "Nickname").map(str::to_owned);
    draft.company = company.map(str::to_owned);
    draft.title = get(row, "Organization Title")
        .or_else(|| get(row, "Organization 1 - Title"))
        .map(str::to_owned);
    draft.notes = get(row, "Notes").map(str::to_owned);
    if let Some(birthday) = get(row, "Birthday") {
        draft.birthday = Some(
            PartialDate::parse_numeric(birthday, order).map_err(|e| format!("birthday: {e}"))?,
        );
    }
    google_fields(row, &emails, &mut draft);
    for (label, _, value) in numbered(row, "Event", "Value") {
        if label.contains("anniversary") && draft.anniversary.is_none() {
            draft.anniversary = Some(
                PartialDate::parse_numeric(&value, order)
                    .map_err(|e| format!("anniversary: {e}"))?,
            );
        }
    }
    let labels = get(row, "Labels")
        .or_else(|| get(row, "Group Membership"))
        .unwrap_or("");
    for label in labels.split(MULTI) {
        let name = label.trim().trim_start_matches("* ");
        if matches!(name, "myContacts" | "starred" | "") {
            continue; // Google's own system groups, not the user's tags
        }
        if let Some(tag) = normalize_tag(&name.replace(char::is_whitespace, "-"))
            && !draft.tags.contains(&tag)
        {
            draft.tags.push(tag);
        }
    }
    draft.tags.sort();
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_current_layout_by_header_name() {
        let text = "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Street,Address 1 - City,Address 1 - Country,Event 1 - Label,Event 1 - Value\nAda,,Lovelace,Ada,Analytical Engines,Countess,--12-10,Loves looms,* myContacts ::: Mentors ::: Poetical Science,* Work,ada@work.example ::: ada@old.example,Home,ada@home.example,Mobile,+44 1,Home,\"12 St James, Square\",London,UK,Anniversary,1835-07-08\n";
        let rows = read_google(text, None).unwrap();
        let ada = rows[0].contact.as_ref().unwrap();
        assert_eq!(ada.display_name, "Ada Lovelace");
        assert_eq!(ada.birthday, PartialDate::new(None, 12, 10));
        assert_eq!(ada.anniversary, PartialDate::new(Some(1835), 7, 8));
        assert_eq!(ada.tags, ["mentors", "poetical-science"]);
        let emails: Vec<(&str, bool, &str)> = ada
            .fields
            .iter()
            .filter(|f| f.kind == FieldKind::Email)
            .map(|f| (f.label.as_str(), f.preferred, f.value.as_str()))
            .collect();
        assert_eq!(
            emails,
            [
                ("work", true, "ada@work.example"),
                ("work", false, "ada@old.example"),
                ("home", false, "ada@home.example")
            ]
        );
        let address = ada
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Address)
            .unwrap();
        assert_eq!(
            address.address,
            Some(PostalAddress {
                street: "12 St James, Square".into(),
                locality: "London".into(),
                country: "UK".into(),
                ..PostalAddress::default()
            })
        );
        assert_eq!(address.value, "12 St James, Square, London, UK");
    }

    #[test]
    fn google_legacy_layout() {
        let text = "Name,Given Name,Additional Name,Family Name,Yomi Name,Birthday,Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Title,Website 1 - Type,Website 1 - Value\nGrace Hopper,Grace,Brewster,Hopper,,1906-12-09,,* myContacts ::: Navy,* Work,grace@navy.mil,,US Navy,Rear Admiral,Profile,https://example.com/grace\n";
        let grace = read_google(text, None).unwrap().remove(0).contact.unwrap();
        assert_eq!(grace.display_name, "Grace Hopper");
        assert_eq!(grace.name.additional, "Brewster");
        assert_eq!(grace.company.as_deref(), Some("US Navy"));
        assert_eq!(grace.title.as_deref(), Some("Rear Admiral"));
        assert_eq!(grace.tags, ["navy"]);
        assert_eq!(grace.birthday, PartialDate::new(Some(1906), 12, 9));
        assert_eq!(grace.fields.len(), 2);
    }

    #[test]
    fn a_label_cell_splits_like_its_values() {
        let row: Record = [
            ("E-mail 1 - Label".to_owned(), "Work :::".to_owned()),
            (
                "E-mail 1 - Value".to_owned(),
                "a@x.example ::: b@x.example ::: c@x.example".to_owned(),
            ),
        ]
        .into_iter()
        .collect();
        let labels: Vec<String> = numbered(&row, "E-mail", "Value")
            .into_iter()
            .map(|(label, _, _)| label)
            .collect();
        assert_eq!(labels, ["work", "", ""]);
    }

    #[test]
    fn a_bad_birthday_is_a_row_error_not_a_guess() {
        let text = "First Name,Last Name,Birthday\nAda,Lovelace,10/12/1815\n";
        let rows = read_google(text, None).unwrap();
        assert!(
            rows[0].contact.as_ref().unwrap_err().contains("ambiguous"),
            "{:?}",
            rows[0].contact
        );
    }
}
