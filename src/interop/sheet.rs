//! Any contact sheet: Outlook's CSV export, a spreadsheet saved as CSV, or the LinkedIn and
//! Google layouts, told apart by their headers. A sheet rolo does not know is read through a
//! mapping the user gives — `--map 'Full name=name,Mail=email,Mobile=phone:cell'` or the same
//! pairs in a TOML file — which says which column holds what.

use std::collections::HashMap;

use serde::Deserialize;

use super::csv::{self as contact_csv, CsvError, Row};
use crate::domain::contact::{
    ContactDraft, ContactField, FieldKind, NameParts, PostalAddress, normalize_tag,
};
use crate::domain::when::{DayOrder, PartialDate};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Name,
    Given,
    Middle,
    Family,
    Prefix,
    Suffix,
    Nickname,
    Company,
    Title,
    Field(FieldKind),
    /// One part of a postal address (index in ADR order); addresses group by label.
    AddressPart(usize),
    /// A whole address on one line.
    Address,
    Birthday,
    Anniversary,
    Notes,
    Tags,
    /// Someone related (spouse, manager …): kept as a vCard `RELATED` line, typed by the label.
    Related,
    /// Something rolo does not model: kept as a vCard `X-` property named after the column.
    Extra,
    Ignore,
}

/// The names a mapping may use, with what they mean.
const TARGETS: [(&str, Target); 35] = [
    ("name", Target::Name),
    ("given", Target::Given),
    ("first", Target::Given),
    ("middle", Target::Middle),
    ("family", Target::Family),
    ("last", Target::Family),
    ("prefix", Target::Prefix),
    ("suffix", Target::Suffix),
    ("nickname", Target::Nickname),
    ("company", Target::Company),
    ("org", Target::Company),
    ("title", Target::Title),
    ("email", Target::Field(FieldKind::Email)),
    ("phone", Target::Field(FieldKind::Phone)),
    ("url", Target::Field(FieldKind::Url)),
    ("website", Target::Field(FieldKind::Url)),
    ("handle", Target::Field(FieldKind::Handle)),
    ("pobox", Target::AddressPart(0)),
    ("extended", Target::AddressPart(1)),
    ("street", Target::AddressPart(2)),
    ("city", Target::AddressPart(3)),
    ("region", Target::AddressPart(4)),
    ("state", Target::AddressPart(4)),
    ("postcode", Target::AddressPart(5)),
    ("zip", Target::AddressPart(5)),
    ("country", Target::AddressPart(6)),
    ("address", Target::Address),
    ("birthday", Target::Birthday),
    ("anniversary", Target::Anniversary),
    ("notes", Target::Notes),
    ("note", Target::Notes),
    ("tags", Target::Tags),
    ("related", Target::Related),
    ("extra", Target::Extra),
    ("ignore", Target::Ignore),
];

/// One column of a mapping: its header, what it holds, and a label (`cell`, `work`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub target: Target,
    pub label: String,
}

/// Which column holds what.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub columns: Vec<Column>,
    /// For a layout rolo knows: a non-empty column the mapping does not name is kept as an
    /// `X-` property rather than dropped (a user's own mapping says what it wants).
    pub keep_unmapped: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("'{0}' is not COLUMN=WHAT (e.g. 'Mobile=phone:cell')")]
    Pair(String),
    #[error("'{what}' (for column '{column}') is not something rolo stores; use one of: {known}")]
    Target {
        column: String,
        what: String,
        known: String,
    },
    #[error("the mapping file is not valid TOML with a [columns] table: {0}")]
    Toml(String),
}

fn target(column: &str, what: &str) -> Result<(Target, String), MappingError> {
    let (name, label) = what.split_once(':').unwrap_or((what, ""));
    let name = name.trim().to_lowercase();
    TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (*t, label.trim().to_lowercase()))
        .ok_or_else(|| MappingError::Target {
            column: column.to_owned(),
            what: what.to_owned(),
            known: TARGETS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

impl Mapping {
    /// `Full name=name,Mail=email,Mobile=phone:cell,Firm=company`.
    pub fn parse(spec: &str) -> Result<Mapping, MappingError> {
        let mut columns = Vec::new();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (header, what) = pair
                .split_once('=')
                .ok_or_else(|| MappingError::Pair(pair.to_owned()))?;
            let (target, label) = target(header.trim(), what)?;
            columns.push(Column {
                header: header.trim().to_owned(),
                target,
                label,
            });
        }
        if columns.is_empty() {
            return Err(MappingError::Pair(spec.to_owned()));
        }
        Ok(Mapping {
            columns,
            keep_unmapped: false,
        })
    }

    /// A TOML file: `[columns]` with `"Full name" = "name"`, `"Mobile" = "phone:cell"` …
    pub fn from_toml(text: &str) -> Result<Mapping, MappingError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            columns: toml::Table,
        }
        let file: File = toml::from_str(text).map_err(|e| MappingError::Toml(e.to_string()))?;
        let mut columns = Vec::new();
        for (header, value) in &file.columns {
            let what = value
                .as_str()
                .ok_or_else(|| MappingError::Pair(format!("{header} = {value}")))?;
            let (target, label) = target(header, what)?;
            columns.push(Column {
                header: header.clone(),
                target,
                label,
            });
        }
        Ok(Mapping {
            columns,
            keep_unmapped: false,
        })
    }

    /// Outlook's "Comma Separated Values" export (its headers in English). Every column
    /// Outlook writes has a place: what rolo models is mapped, the rest is kept.
    pub fn outlook() -> Mapping {
        let columns = OUTLOOK
            .iter()
            .filter_map(|(header, what)| {
                let (target, label) = target(header, what).ok()?;
                Some(Column {
                    header: (*header).to_owned(),
                    target,
                    label,
                })
            })
            .collect();
        Mapping {
            columns,
            keep_unmapped: true,
        }
    }

    fn headers(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.header.as_str())
    }
}

/// Outlook's columns and where they go (labels become vCard `TYPE`s; `RELATED` types from
/// RFC 6350 §6.6.6 where one fits). Display names and the address type are Outlook's own
/// bookkeeping, derived from what is mapped.
const OUTLOOK: &[(&str, &str)] = &[
    ("First Name", "given"),
    ("Middle Name", "middle"),
    ("Last Name", "family"),
    ("Title", "prefix"),
    ("Suffix", "suffix"),
    ("Nickname", "nickname"),
    ("Company", "company"),
    ("Job Title", "title"),
    ("Department", "extra"),
    ("Office Location", "extra"),
    ("E-mail Address", "email"),
    ("E-mail 2 Address", "email"),
    ("E-mail 3 Address", "email"),
    ("E-mail Display Name", "ignore"),
    ("E-mail 2 Display Name", "ignore"),
    ("E-mail 3 Display Name", "ignore"),
    ("E-mail Type", "ignore"),
    ("E-mail 2 Type", "ignore"),
    ("E-mail 3 Type", "ignore"),
    ("Primary Phone", "phone:main"),
    ("Business Phone", "phone:work"),
    ("Business Phone 2", "phone:work"),
    ("Home Phone", "phone:home"),
    ("Home Phone 2", "phone:home"),
    ("Mobile Phone", "phone:cell"),
    ("Other Phone", "phone:other"),
    ("Business Fax", "phone:work,fax"),
    ("Home Fax", "phone:home,fax"),
    ("Other Fax", "phone:fax"),
    ("Pager", "phone:pager"),
    ("Car Phone", "phone:car"),
    ("Company Main Phone", "phone:work,main"),
    ("Assistant's Phone", "phone:assistant"),
    ("Radio Phone", "phone:radio"),
    ("Callback", "phone:callback"),
    ("ISDN", "phone:isdn"),
    ("TTY/TDD Phone", "phone:textphone"),
    ("Telex", "phone:telex"),
    ("Web Page", "url"),
    ("Personal Web Page", "url:home"),
    ("IMAddress", "handle"),
    ("Spouse", "related:spouse"),
    ("Children", "related:child"),
    ("Manager's Name", "related:manager"),
    ("Assistant's Name", "related:assistant"),
    ("Birthday", "birthday"),
    ("Anniversary", "anniversary"),
    ("Notes", "notes"),
    ("Categories", "tags"),
    ("Home Street", "street:home"),
    ("Home Street 2", "street:home"),
    ("Home Street 3", "street:home"),
    ("Home Address PO Box", "pobox:home"),
    ("Home City", "city:home"),
    ("Home State", "region:home"),
    ("Home Postal Code", "postcode:home"),
    ("Home Country/Region", "country:home"),
    ("Home Country", "country:home"),
    ("Business Street", "street:work"),
    ("Business Street 2", "street:work"),
    ("Business Street 3", "street:work"),
    ("Business Address PO Box", "pobox:work"),
    ("Business City", "city:work"),
    ("Business State", "region:work"),
    ("Business Postal Code", "postcode:work"),
    ("Business Country/Region", "country:work"),
    ("Business Country", "country:work"),
    ("Other Street", "street:other"),
    ("Other Street 2", "street:other"),
    ("Other Street 3", "street:other"),
    ("Other Address PO Box", "pobox:other"),
    ("Other City", "city:other"),
    ("Other State", "region:other"),
    ("Other Postal Code", "postcode:other"),
    ("Other Country/Region", "country:other"),
    ("Other Country", "country:other"),
];

/// Values Outlook writes into columns the user never filled: not worth keeping.
const OUTLOOK_DEFAULTS: &[(&str, &str)] = &[
    ("Priority", "Normal"),
    ("Sensitivity", "Normal"),
    ("Private", "False"),
    ("Gender", "Unspecified"),
];

/// The layouts rolo knows by their headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Linkedin,
    Google,
    Outlook,
    /// Read through the user's mapping.
    Mapped,
}

fn has(cells: &[String], name: &str) -> bool {
    cells.iter().any(|c| c == name)
}

/// Which known layout a header line is, if any.
pub fn layout_of(cells: &[String]) -> Option<Layout> {
    if has(cells, "First Name")
        && has(cells, "Last Name")
        && (has(cells, "Connected On") || has(cells, "Position"))
    {
        return Some(Layout::Linkedin);
    }
    if cells.iter().any(|c| c.starts_with("E-mail 1 - "))
        || (has(cells, "Given Name") && has(cells, "Family Name"))
        || (has(cells, "First Name") && (has(cells, "Labels") || has(cells, "Organization Name")))
    {
        return Some(Layout::Google);
    }
    let outlook = [
        "E-mail Address",
        "Business Phone",
        "Mobile Phone",
        "Job Title",
    ];
    if has(cells, "First Name") && outlook.iter().any(|c| has(cells, c)) {
        return Some(Layout::Outlook);
    }
    None
}

/// Reads any contact sheet: through `mapping` when given, else by the layout its header
/// shows. An unknown sheet without a mapping is an error that lists the columns found.
/// Slashed dates are read by `order` (see [`PartialDate::parse_numeric`]).
pub fn read(
    text: &str,
    mapping: Option<&Mapping>,
    order: Option<DayOrder>,
) -> Result<(Layout, Vec<Row>), CsvError> {
    const EXAMPLE: &str =
        "Outlook's First Name,Last Name,E-mail Address…, or give --map 'Column=name,…'";
    if let Some(mapping) = mapping {
        let wanted: Vec<&str> = mapping.headers().collect();
        let sheet = contact_csv::sheet(
            text,
            &|cells: &[String]| wanted.iter().all(|w| has(cells, w)),
            "mapped",
            "every column the mapping names",
        )
        .map_err(|e| match e {
            // Name the columns that are not there, against the row that looks like the header.
            CsvError::NoHeader { .. } => {
                let header = contact_csv::likely_header(text)
                    .map(|(_, cells, _)| cells)
                    .unwrap_or_default();
                let missing: Vec<String> = wanted
                    .iter()
                    .filter(|w| !has(&header, w))
                    .map(|w| format!("'{w}'"))
                    .collect();
                CsvError::MissingColumns {
                    missing: missing.join(", "),
                    found: contact_csv::header_shown(text),
                }
            }
            other => other,
        })?;
        return Ok((Layout::Mapped, mapped_rows(&sheet.rows, mapping, order)));
    }
    let sheet = contact_csv::sheet(
        text,
        &|cells: &[String]| layout_of(cells).is_some(),
        "known contact sheet",
        EXAMPLE,
    )?;
    let layout = layout_of(&sheet.headers).unwrap_or(Layout::Outlook);
    let rows = match layout {
        Layout::Linkedin => sheet
            .rows
            .iter()
            .map(|(line, row)| contact_csv::linkedin_row(*line, row))
            .collect(),
        Layout::Google => sheet
            .rows
            .iter()
            .map(|(line, row)| contact_csv::google_row_at(*line, row, order))
            .collect(),
        Layout::Outlook | Layout::Mapped => mapped_rows(&sheet.rows, &Mapping::outlook(), order),
    };
    Ok((layout, rows))
}

fn mapped_rows(
    rows: &[(u64, HashMap<String, String>)],
    mapping: &Mapping,
    order: Option<DayOrder>,
) -> Vec<Row> {
    rows.iter()
        .map(|(line, row)| match mapped(row, mapping, order) {
            Ok(draft) => contact_csv::named_row(*line, draft),
            Err(reason) => contact_csv::row_error(*line, reason),
        })
        .collect()
}

/// Outlook writes `0/0/00` for "no date".
fn is_no_date(value: &str) -> bool {
    value.chars().all(|c| matches!(c, '0' | '/' | '-' | '.'))
}

#[allow(clippy::too_many_lines)] // one arm per target: a table
fn mapped(
    row: &HashMap<String, String>,
    mapping: &Mapping,
    order: Option<DayOrder>,
) -> Result<ContactDraft, String> {
    let mut draft = ContactDraft::default();
    let mut name = NameParts::default();
    let mut full = None;
    // Address parts by label, in the order their labels first appear.
    let mut addresses: Vec<(String, [String; 7])> = Vec::new();
    // vCard lines for what rolo keeps without modelling it.
    let mut extra: Vec<String> = Vec::new();
    for column in &mapping.columns {
        let Some(value) = row
            .get(&column.header)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        let set = |slot: &mut String| {
            if slot.is_empty() {
                value.clone_into(slot);
            }
        };
        match column.target {
            Target::Name => full = Some(value.to_owned()),
            Target::Given => set(&mut name.given),
            Target::Middle => set(&mut name.additional),
            Target::Family => set(&mut name.family),
            Target::Prefix => set(&mut name.prefix),
            Target::Suffix => set(&mut name.suffix),
            Target::Nickname => draft.nickname = Some(value.to_owned()),
            Target::Company => draft.company = Some(value.to_owned()),
            Target::Title => draft.title = Some(value.to_owned()),
            Target::Field(kind) => {
                for v in value.split(":::").map(str::trim).filter(|v| !v.is_empty()) {
                    draft
                        .fields
                        .push(ContactField::new(kind, v).labelled(column.label.clone()));
                }
            }
            Target::Address => draft.fields.push(
                ContactField::postal(PostalAddress::street(value)).labelled(column.label.clone()),
            ),
            Target::AddressPart(i) => {
                let slot = if let Some(p) = addresses.iter().position(|(l, _)| *l == column.label) {
                    p
                } else {
                    addresses.push((column.label.clone(), Default::default()));
                    addresses.len() - 1
                };
                // "Business Street 2" and "3" are further lines of the same street.
                let part = &mut addresses[slot].1[i];
                if !part.is_empty() {
                    part.push('\n');
                }
                part.push_str(value);
            }
            Target::Birthday | Target::Anniversary if is_no_date(value) => {}
            Target::Birthday => {
                draft.birthday = Some(
                    PartialDate::parse_numeric(value, order)
                        .map_err(|e| format!("birthday: {e}"))?,
                );
            }
            Target::Anniversary => {
                draft.anniversary = Some(
                    PartialDate::parse_numeric(value, order)
                        .map_err(|e| format!("anniversary: {e}"))?,
                );
            }
            Target::Notes => draft.notes = Some(value.to_owned()),
            Target::Tags => {
                for tag in value.split([';', ',']).flat_map(|t| t.split(":::")) {
                    if let Some(tag) = normalize_tag(&tag.trim().replace(char::is_whitespace, "-"))
                        && !draft.tags.contains(&tag)
                    {
                        draft.tags.push(tag);
                    }
                }
            }
            Target::Related => {
                extra.push(contact_csv::related_line(&column.label, value));
            }
            Target::Extra => extra.push(contact_csv::extra_line(&column.header, value)),
            Target::Ignore => {}
        }
    }
    if mapping.keep_unmapped {
        let mut rest: Vec<(&String, &String)> = row
            .iter()
            .filter(|(header, value)| {
                !value.trim().is_empty()
                    && !mapping.columns.iter().any(|c| c.header == **header)
                    && !OUTLOOK_DEFAULTS.contains(&(header.as_str(), value.trim()))
            })
            .collect();
        rest.sort();
        for (header, value) in rest {
            extra.push(contact_csv::extra_line(header, value));
        }
    }
    if !extra.is_empty() {
        draft.vcard_extra = Some(extra.join("\n"));
    }
    for (label, parts) in addresses {
        let address = PostalAddress::from_parts(&parts);
        if !address.is_empty() {
            draft
                .fields
                .push(ContactField::postal(address).labelled(label));
        }
    }
    let joined = [
        &name.prefix,
        &name.given,
        &name.additional,
        &name.family,
        &name.suffix,
    ]
    .iter()
    .filter(|p| !p.is_empty())
    .map(|p| p.as_str())
    .collect::<Vec<_>>()
    .join(" ");
    draft.display_name = full.unwrap_or(joined);
    draft.name = if name == NameParts::default() {
        NameParts::guess(&draft.display_name)
    } else {
        name
    };
    draft.tags.sort();
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_names_columns_and_labels() {
        let m =
            Mapping::parse("Full name=name, Mail=email ,Mobile=phone:cell,Firm=company").unwrap();
        assert_eq!(m.columns.len(), 4);
        assert_eq!(m.columns[2].target, Target::Field(FieldKind::Phone));
        assert_eq!(m.columns[2].label, "cell");
        let err = Mapping::parse("Mobile=fax").unwrap_err().to_string();
        assert!(err.contains("'fax'") && err.contains("phone"), "{err}");
        assert!(Mapping::parse("no pairs here").is_err());
        let toml = "[columns]\n\"Full name\" = \"name\"\n\"Mobile\" = \"phone:cell\"\n";
        assert_eq!(Mapping::from_toml(toml).unwrap().columns.len(), 2);
    }

    #[test]
    fn outlook_by_its_headers_with_addresses_by_label() {
        let text = "First Name,Middle Name,Last Name,Title,Company,Job Title,E-mail Address,Business Phone,Mobile Phone,Business Street,Business City,Business Postal Code,Home Street,Home City,Birthday,Categories,Notes\r\nNadia,,Petrova,Dr.,\"Volga Labs, GmbH\",Head of Research,nadia@volga.example,+49 30 5550 1000,+49 170 555 0101,Hafenweg 2,Hamburg,20457,Elbchaussee 9,Hamburg,0/0/00,Partners;Research,\"Prefers email\r\nSpeaks German and Russian\"\r\n";
        let (layout, rows) = read(text, None, None).unwrap();
        assert_eq!(layout, Layout::Outlook);
        let nadia = rows[0].contact.as_ref().unwrap();
        assert_eq!(nadia.display_name, "Dr. Nadia Petrova");
        assert_eq!(nadia.name.given, "Nadia");
        assert_eq!(nadia.company.as_deref(), Some("Volga Labs, GmbH"));
        assert_eq!(nadia.title.as_deref(), Some("Head of Research"));
        assert_eq!(nadia.birthday, None, "0/0/00 is no date");
        assert_eq!(nadia.tags, ["partners", "research"]);
        let kinds: Vec<(FieldKind, &str, &str)> = nadia
            .fields
            .iter()
            .map(|f| (f.kind, f.label.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (FieldKind::Email, "", "nadia@volga.example"),
                (FieldKind::Phone, "work", "+49 30 5550 1000"),
                (FieldKind::Phone, "cell", "+49 170 555 0101"),
                (FieldKind::Address, "home", "Elbchaussee 9, Hamburg"),
                (FieldKind::Address, "work", "Hafenweg 2, Hamburg 20457"),
            ]
        );
    }

    #[test]
    fn semicolon_sheets_and_unknown_headers() {
        let text = "Full name;Mail;Mobile;Firm\nOla Nordmann;ola@firma.example;+47 400 00 000;\"Firma; AS\"\n";
        let mapping =
            Mapping::parse("Full name=name,Mail=email,Mobile=phone:cell,Firm=company").unwrap();
        let (layout, rows) = read(text, Some(&mapping), None).unwrap();
        assert_eq!(layout, Layout::Mapped);
        let ola = rows[0].contact.as_ref().unwrap();
        assert_eq!(ola.display_name, "Ola Nordmann");
        assert_eq!(ola.company.as_deref(), Some("Firma; AS"));
        assert_eq!(ola.fields[1].label, "cell");
        let err = read(text, None, None).unwrap_err().to_string();
        assert!(err.contains("Full name;Mail;Mobile;Firm"), "{err}");
    }
}
