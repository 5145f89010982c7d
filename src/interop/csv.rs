//! Contact sheets: finding the header and reading the rows of any CSV (shared by every sheet
//! reader), LinkedIn `Connections.csv`, and what a sheet's rows become (a name made from the
//! details, `RELATED` and `X-` lines for what rolo keeps unmodelled); Google's layouts are in
//! [`google`]. The header is found by scanning (LinkedIn puts notes above it), columns are
//! mapped by name and never by position, and every row says which line it came from.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::contact::{ContactDraft, ContactField, FieldKind, NameParts};
mod google;

pub use google::{google_row_at, read_google};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error(
        "no {what} header found in the first 20 lines (expected columns like {example}; {found})"
    )]
    NoHeader {
        what: &'static str,
        example: &'static str,
        found: String,
    },
    #[error("no column {missing} in this sheet (named by the mapping); {found}")]
    MissingColumns { missing: String, found: String },
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
}

/// A data row by column name.
pub type Record = HashMap<String, String>;

/// One data row: its line number and the contact it describes, or why it cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub contact: Result<ContactDraft, String>,
    /// For a row without a name: what its name was made from ("e-mail", "profile URL" …).
    pub named_from: Option<&'static str>,
    /// The row has nothing that identifies anyone: skipped with its line, never a reason
    /// to refuse the file.
    pub identifies_no_one: bool,
}

impl Row {
    fn new(line: u64, contact: Result<ContactDraft, String>) -> Row {
        Row {
            line,
            contact,
            named_from: None,
            identifies_no_one: false,
        }
    }
}

/// Separators a contact sheet may use: `,`, or `;` where the decimal mark is a comma (what
/// spreadsheets save in much of Europe), or a tab.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// How many lines may precede the header (LinkedIn puts notes above it).
const HEADER_SCAN: usize = 20;

/// A CSV file's rows by column name, once its header is found.
pub struct Sheet {
    pub headers: Vec<String>,
    /// (line, row) for every row after the header that is not blank.
    pub rows: Vec<(u64, Record)>,
}

/// Finds the header — the first line that names every column `is_header` wants — and reads
/// every row after it. The separator is the one (`,` `;` or tab) under which such a header
/// exists; the csv crate reads the file for the scan and for the rows, so quoted separators
/// and line breaks inside quotes are never mistaken for the end of a cell.
pub fn sheet(
    text: &str,
    is_header: &dyn Fn(&[String]) -> bool,
    what: &'static str,
    example: &'static str,
) -> Result<Sheet, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for delimiter in DELIMITERS {
        if let Some(sheet) = scan(text, delimiter, is_header)? {
            return Ok(sheet);
        }
    }
    Err(CsvError::NoHeader {
        what,
        example,
        found: header_shown(text),
    })
}

/// The line that looks most like a header: of the first lines, under any separator, the one
/// with the most non-empty cells (a LinkedIn preamble's note is one cell, its header seven).
/// Its line number and cells.
pub fn likely_header(text: &str) -> Option<(u64, Vec<String>, u8)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut best: Option<(u64, Vec<String>, u8)> = None;
    for delimiter in DELIMITERS {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        for record in reader.records().take(HEADER_SCAN).flatten() {
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
            let filled = cells.iter().filter(|c| !c.is_empty()).count();
            if filled
                > best
                    .as_ref()
                    .map_or(0, |(_, b, _)| b.iter().filter(|c| !c.is_empty()).count())
            {
                let line = record.position().map_or(0, |p| line_at(text, p.byte()));
                best = Some((line, cells, delimiter));
            }
        }
    }
    best
}

/// "line 4 has: First Name,Last Name,…" for an error about the header.
pub fn header_shown(text: &str) -> String {
    match likely_header(text) {
        Some((line, cells, delimiter)) => format!(
            "line {line} has: {}",
            crate::text::truncate(&cells.join(&char::from(delimiter).to_string()), 120)
        ),
        None => "the file is empty".to_owned(),
    }
}

/// The line a record starting at `byte` is on, counted in the file itself: right for LF and
/// CRLF alike (the csv crate may place a record after CRLF on the LF it has not consumed yet).
fn line_at(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let mut start = usize::try_from(byte)
        .unwrap_or(bytes.len())
        .min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    1 + text[..start].matches('\n').count() as u64
}

/// Where a quote opens that never closes, in the record starting at `start`. The csv crate
/// (like every RFC 4180 reader) then reads the rest of the file as that one field, without an
/// error; the rows swallowed would be lost silently. The same states as `csv-core`: a quote
/// opens a field only at its start, and `""` inside is an escaped quote.
fn unclosed_quote(bytes: &[u8], start: usize, delimiter: u8) -> Option<usize> {
    let mut i = start;
    let mut field_start = true;
    while i < bytes.len() {
        if field_start && bytes[i] == b'"' {
            let open = i;
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return Some(open),
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        field_start = matches!(bytes[i], b'\n' | b'\r') || bytes[i] == delimiter;
        i += 1;
    }
    None
}

fn scan(
    text: &str,
    delimiter: u8,
    is_header: &dyn Fn(&[String]) -> bool,
) -> Result<Option<Sheet>, CsvError> {
    let bytes = text.as_bytes();
    let line_of = |byte: u64| line_at(text, byte);
    let mut last_start = None;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let Some(columns) = &headers else {
            if i >= HEADER_SCAN {
                return Ok(None);
            }
            // A preamble line that is not CSV at all is no header; look further.
            let Ok(record) = record else { continue };
            let cells: Vec<String> = record
                .iter()
                .map(|c| c.trim().trim_start_matches('\u{feff}').to_owned())
                .collect();
            if is_header(&cells) {
                headers = Some(cells);
            }
            continue;
        };
        let record = record.map_err(|e| CsvError::Malformed {
            line: e.position().map_or(0, |p| line_of(p.byte())),
            message: e.to_string(),
        })?;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        last_start = record.position().map(::csv::Position::byte);
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        let map = columns
            .iter()
            .cloned()
            .zip(record.iter().map(|v| v.trim().to_owned()))
            .collect();
        rows.push((line, map));
    }
    // Only the last record can have run to the end of the file.
    if headers.is_some()
        && let Some(start) = last_start
        && let Some(open) = unclosed_quote(
            bytes,
            usize::try_from(start).unwrap_or(usize::MAX),
            delimiter,
        )
    {
        return Err(CsvError::Malformed {
            line: 1 + text[..open].matches('\n').count() as u64,
            message: "a quote opens here and never closes, so the rest of the file would be \
                      one cell; close it (a quote inside a cell is written twice: \"\")"
                .to_owned(),
        });
    }
    Ok(headers.map(|headers| Sheet { headers, rows }))
}

/// The header names all of `required`.
fn names_all<'a>(required: &'a [&'a str]) -> impl Fn(&[String]) -> bool + 'a {
    move |cells: &[String]| required.iter().all(|r| cells.iter().any(|c| c == r))
}

fn records(
    text: &str,
    required: &[&str],
    what: &'static str,
    example: &'static str,
) -> Result<Vec<(u64, Record)>, CsvError> {
    Ok(sheet(text, &names_all(required), what, example)?.rows)
}

fn get<'a>(row: &'a HashMap<String, String>, column: &str) -> Option<&'a str> {
    row.get(column)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

fn join_name(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// LinkedIn's "Connected On": `12 Mar 2024`, or the odd `7-Feb-22`.
fn connected_on(text: &str) -> Option<NaiveDate> {
    ["%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// LinkedIn `Connections.csv`.
pub fn read_linkedin(text: &str) -> Result<Vec<Row>, CsvError> {
    let rows = records(
        text,
        &["First Name", "Last Name"],
        "LinkedIn",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    )?;
    Ok(rows
        .into_iter()
        .map(|(line, row)| linkedin_row(line, &row))
        .collect())
}

/// One LinkedIn row. A member who hides their name comes without one: such a row is named
/// from its profile URL (or e-mail) and flagged, not refused.
pub fn linkedin_row(line: u64, row: &Record) -> Row {
    let name = join_name(&[get(row, "First Name"), get(row, "Last Name")]);
    let mut draft = ContactDraft::named(&name);
    draft.name = NameParts {
        given: get(row, "First Name").unwrap_or_default().to_owned(),
        family: get(row, "Last Name").unwrap_or_default().to_owned(),
        ..NameParts::default()
    };
    if let Some(url) = get(row, "URL") {
        draft.fields.push(ContactField {
            label: "linkedin".into(),
            ..ContactField::new(FieldKind::Url, url)
        });
    }
    if let Some(email) = get(row, "Email Address") {
        draft
            .fields
            .push(ContactField::new(FieldKind::Email, email));
    }
    draft.company = get(row, "Company").map(str::to_owned);
    draft.title = get(row, "Position").map(str::to_owned);
    if let Some(on) = get(row, "Connected On") {
        match connected_on(on) {
            Some(date) => {
                draft.met.date = Some(date);
                draft.met.text = Some("connected on LinkedIn".to_owned());
            }
            None => {
                return Row::new(
                    line,
                    Err(format!("'{on}' is not a date (expected e.g. 12 Mar 2024)")),
                );
            }
        }
    }
    named(line, draft)
}

/// A row's contact, named from its details when it has no name (see [`named`]).
pub fn named_row(line: u64, draft: ContactDraft) -> Row {
    named(line, draft)
}

/// A row that cannot be read, and why.
pub fn row_error(line: u64, reason: String) -> Row {
    Row::new(line, Err(reason))
}

/// A row's contact, named from its details when it has no name; an error only when nothing
/// in it identifies anyone.
fn named(line: u64, mut draft: ContactDraft) -> Row {
    if !draft.display_name.trim().is_empty() {
        return Row::new(line, Ok(draft));
    }
    // A LinkedIn profile says more about who this is than the company they work at.
    let from_url = draft
        .fields
        .iter()
        .any(|f| f.kind == FieldKind::Url && f.label == "linkedin");
    let made = if from_url {
        let only_url = ContactDraft {
            fields: draft
                .fields
                .iter()
                .filter(|f| f.kind == FieldKind::Url)
                .cloned()
                .collect(),
            ..ContactDraft::default()
        };
        only_url.name_from_details()
    } else {
        draft.name_from_details()
    };
    match made {
        Some((name, from)) => {
            draft.display_name = name;
            Row {
                line,
                contact: Ok(draft),
                named_from: Some(from),
                identifies_no_one: false,
            }
        }
        None => Row {
            identifies_no_one: true,
            ..Row::new(
                line,
                Err("no name, and nothing else that says who it is".to_owned()),
            )
        },
    }
}

/// A `RELATED` line (RFC 6350 §6.6.6) for someone named in a sheet, typed by its label.
pub fn related_line(label: &str, name: &str) -> String {
    let kind = if label.is_empty() {
        String::new()
    } else {
        format!(";TYPE={}", label.replace([';', ':', ',', '"'], "-"))
    };
    format!(
        "RELATED;VALUE=text{kind}:{}",
        crate::interop::content_line::escape_text(name)
    )
}

/// A sheet column rolo does not model, kept as a vCard extension property (RFC 6350 §6.10,
/// RFC 2426 §3.8: `X-` names are for private properties): `X-` and the column's name in
/// capitals with anything else as `-` ("Office Location" → `X-OFFICE-LOCATION`), the value
/// escaped as text (RFC 6350 §3.4, with `\;`). An export writes it back, a JSON export shows it.
pub fn extra_line(column: &str, value: &str) -> String {
    let mut name = String::from("X-");
    for c in column.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_uppercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    let name = if name == "X" { "X-COLUMN" } else { name };
    // `;` escaped too: a reader may take an unknown property's value as structured.
    format!(
        "{name}:{}",
        crate::interop::content_line::escape_component(value)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linkedin_with_preamble_bom_crlf_and_quoted_commas() {
        let text = "\u{feff}Notes:\r\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\r\n\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\nAda,Lovelace,https://www.linkedin.com/in/ada,,\"Analytical Engines, Ltd.\",\"Engineer, \"\"Poetical\"\" Science\",12 Mar 2024\r\n,,https://www.linkedin.com/in/nobody,,,,01 Jan 2020\r\nGrace,Hopper,https://www.linkedin.com/in/grace,grace@navy.mil,US Navy,Admiral,7-Feb-22\r\n";
        let rows = read_linkedin(text).unwrap();
        assert_eq!(rows.len(), 3);
        let ada = rows[0].contact.as_ref().unwrap();
        assert_eq!(rows[0].line, 5);
        assert_eq!(ada.display_name, "Ada Lovelace");
        assert_eq!(ada.company.as_deref(), Some("Analytical Engines, Ltd."));
        assert_eq!(ada.title.as_deref(), Some("Engineer, \"Poetical\" Science"));
        assert_eq!(ada.met.date, NaiveDate::from_ymd_opt(2024, 3, 12));
        assert_eq!(ada.fields[0].value, "https://www.linkedin.com/in/ada");
        // A member who hides their name: named from the profile, flagged, not refused.
        let nameless = rows[1].contact.as_ref().unwrap();
        assert_eq!(nameless.display_name, "nobody");
        assert_eq!(rows[1].named_from, Some("profile URL"));
        assert_eq!(rows[1].line, 6);
        assert_eq!(
            rows[2].contact.as_ref().unwrap().met.date,
            NaiveDate::from_ymd_opt(2022, 2, 7)
        );
    }

    #[test]
    fn a_file_without_the_header_is_refused() {
        let err = read_linkedin("a,b,c\n1,2,3\n").unwrap_err();
        assert!(matches!(
            err,
            CsvError::NoHeader {
                what: "LinkedIn",
                ..
            }
        ));
        assert!(
            err.to_string().contains("line 1 has: a,b,c"),
            "says which columns it found: {err}"
        );
        assert!(read_google("Name,Phone\nx,1\n", None).is_err());
    }

    #[test]
    fn line_numbers_are_exact_for_lf_and_crlf() {
        for newline in ["\n", "\r\n"] {
            let text = [
                "Notes:",
                "\"a note, with a comma\"",
                "",
                "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
                "Ada,Lovelace,,,,,",
                "\"Grace\nBrewster\",Hopper,,,,,",
                "Alan,Turing,,,,,not a date",
            ]
            .join(newline);
            let rows = read_linkedin(&text).unwrap();
            let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [5, 6, 8], "{newline:?}");
        }
    }

    #[test]
    fn a_row_with_nothing_to_identify_anyone_is_a_row_error() {
        let text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n,,,,,,\n,,,,Acme,,\n,,,,,,01 Jan 2020\n";
        let rows = read_linkedin(text).unwrap();
        assert_eq!(rows.len(), 2, "a blank row is no row");
        assert_eq!(rows[0].contact.as_ref().unwrap().display_name, "Acme");
        assert_eq!(rows[0].named_from, Some("organisation"));
        assert!(rows[1].contact.as_ref().unwrap_err().contains("no name"));
        assert_eq!(rows[1].line, 4);
    }

    #[test]
    fn a_quote_that_never_closes_is_found_where_it_opens() {
        let bytes = b"a,b\n\"x,\"\"y\"\"\",c\nd,\"e\nf,g\nh,i\n";
        assert_eq!(unclosed_quote(bytes, 0, b','), Some(bytes.len() - 11));
        // Escaped quotes, quotes inside an unquoted cell, a closed multi-line cell: fine.
        for ok in ["a,\"b \"\"c\"\"\"\n", "a,5\" tall\n", "\"a\nb\";c\n"] {
            assert_eq!(unclosed_quote(ok.as_bytes(), 0, b';'), None, "{ok:?}");
        }
        let err = read_linkedin(
            "First Name,Last Name,Position\nAda,Lovelace,\"Engineer\nGrace,Hopper,Admiral\n",
        )
        .unwrap_err();
        assert_eq!(
            err,
            CsvError::Malformed {
                line: 2,
                message: "a quote opens here and never closes, so the rest of the file would be \
                          one cell; close it (a quote inside a cell is written twice: \"\")"
                    .to_owned()
            }
        );
    }

    #[test]
    fn columns_rolo_does_not_model_become_x_properties() {
        assert_eq!(
            extra_line("Office Location", "Bldg 7, Floor 2"),
            "X-OFFICE-LOCATION:Bldg 7\\, Floor 2"
        );
        assert_eq!(extra_line("User 1", "a;b"), "X-USER-1:a\\;b");
        assert_eq!(extra_line("§", "x"), "X-COLUMN:x");
        assert_eq!(
            related_line("spouse", "Kari"),
            "RELATED;VALUE=text;TYPE=spouse:Kari"
        );
    }
}
