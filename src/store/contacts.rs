//! Contacts, their labelled fields and their tags.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::time::{self, opt};
use super::{Result, StoreError};
use crate::domain::contact::{
    Contact, ContactDraft, ContactField, ContactId, FieldKind, HowWeMet, NameParts, PostalAddress,
};
use crate::domain::names::NameCandidate;
use crate::domain::when::{Every, PartialDate};

mod listing;

pub use listing::*;

const COLUMNS: &str = "id, uid, display_name, name_family, name_given, name_additional, name_prefix, \
     name_suffix, nickname, company, title, birthday, anniversary, met_text, met_date, met_introduced_by, \
     notes, cadence, archived, vcard_extra, last_interaction_at, created_at, updated_at";

/// A new UID, the portable identity of a record: a UUIDv7 (RFC 9562), time-ordered so
/// that new records append to the UID index instead of landing at random places in it.
pub fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn partial_date(text: &str) -> Result<PartialDate> {
    time::partial_date_from_text(text)
}

fn every(text: &str) -> Result<Every> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("cadence '{text}'")))
}

/// The one place a contacts row becomes a [`Contact`] (fields and tags are filled in after).
fn from_row(row: &Row<'_>) -> Result<Contact> {
    Ok(Contact {
        id: ContactId(row.get(0)?),
        uid: row.get(1)?,
        display_name: row.get(2)?,
        name: NameParts {
            family: row.get(3)?,
            given: row.get(4)?,
            additional: row.get(5)?,
            prefix: row.get(6)?,
            suffix: row.get(7)?,
        },
        nickname: row.get(8)?,
        company: row.get(9)?,
        title: row.get(10)?,
        birthday: opt(row.get(11)?, partial_date)?,
        anniversary: opt(row.get(12)?, partial_date)?,
        met: HowWeMet {
            text: row.get(13)?,
            date: opt(row.get(14)?, time::date_from_text)?,
            introduced_by: row.get::<_, Option<i64>>(15)?.map(ContactId),
        },
        notes: row.get(16)?,
        cadence: opt(row.get(17)?, every)?,
        archived: row.get(18)?,
        vcard_extra: row.get(19)?,
        last_interaction_at: opt(row.get(20)?, time::from_text)?,
        created_at: time::from_text(&row.get::<_, String>(21)?)?,
        updated_at: time::from_text(&row.get::<_, String>(22)?)?,
        fields: Vec::new(),
        tags: Vec::new(),
    })
}

/// Adds a contact. `uid` keeps an imported identity; `None` mints a new one.
pub fn insert(
    conn: &Connection,
    draft: &ContactDraft,
    uid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ContactId> {
    let draft = &draft.cleaned();
    let uid = uid.map_or_else(new_uid, str::to_owned);
    let now = time::to_text(now);
    conn.prepare_cached(
        "INSERT INTO contacts (uid, display_name, name_family, name_given, name_additional, name_prefix, name_suffix,
            nickname, company, title, birthday, anniversary, met_text, met_date, met_introduced_by, notes, cadence,
            archived, vcard_extra, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20)",
    )?
    .execute(params![
        uid,
        draft.display_name,
        draft.name.family,
        draft.name.given,
        draft.name.additional,
        draft.name.prefix,
        draft.name.suffix,
        draft.nickname,
        draft.company,
        draft.title,
        draft.birthday.map(|d| d.to_string()),
        draft.anniversary.map(|d| d.to_string()),
        draft.met.text,
        draft.met.date.map(time::date_to_text),
        draft.met.introduced_by.map(|c| c.0),
        draft.notes,
        draft.cadence.map(|c| c.to_string()),
        draft.archived,
        draft.vcard_extra,
        now,
    ])?;
    let id = ContactId(conn.last_insert_rowid());
    set_sort_key(conn, id, &draft.display_name)?;
    replace_fields(conn, id, &draft.fields)?;
    replace_tags(conn, id, &draft.tags)?;
    Ok(id)
}

/// Replaces everything the user can edit; the UID, creation time and history stay.
pub fn update(
    conn: &Connection,
    id: ContactId,
    draft: &ContactDraft,
    now: DateTime<Utc>,
) -> Result<()> {
    let draft = &draft.cleaned();
    let changed = conn
        .prepare_cached(
            "UPDATE contacts SET display_name = ?2, name_family = ?3, name_given = ?4, name_additional = ?5,
                name_prefix = ?6, name_suffix = ?7, nickname = ?8, company = ?9, title = ?10, birthday = ?11,
                anniversary = ?12, met_text = ?13, met_date = ?14, met_introduced_by = ?15, notes = ?16,
                cadence = ?17, archived = ?18, vcard_extra = ?19, updated_at = ?20
             WHERE id = ?1",
        )?
        .execute(params![
            id.0,
            draft.display_name,
            draft.name.family,
            draft.name.given,
            draft.name.additional,
            draft.name.prefix,
            draft.name.suffix,
            draft.nickname,
            draft.company,
            draft.title,
            draft.birthday.map(|d| d.to_string()),
            draft.anniversary.map(|d| d.to_string()),
            draft.met.text,
            draft.met.date.map(time::date_to_text),
            draft.met.introduced_by.map(|c| c.0),
            draft.notes,
            draft.cadence.map(|c| c.to_string()),
            draft.archived,
            draft.vcard_extra,
            time::to_text(now),
        ])?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "contact",
            id: id.0,
        });
    }
    set_sort_key(conn, id, &draft.display_name)?;
    replace_fields(conn, id, &draft.fields)?;
    replace_tags(conn, id, &draft.tags)?;
    Ok(())
}

/// Keeps the name's collation key (what the name list is ordered by) with the name.
pub(super) fn set_sort_key(conn: &Connection, id: ContactId, name: &str) -> Result<()> {
    conn.prepare_cached("UPDATE contacts SET sort_key = ?2 WHERE id = ?1")?
        .execute(params![id.0, crate::text::sort_key(name)])?;
    Ok(())
}

pub(super) fn replace_fields(
    conn: &Connection,
    id: ContactId,
    fields: &[ContactField],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM contact_fields WHERE contact_id = ?1")?
        .execute([id.0])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO contact_fields (contact_id, position, kind, label, value, preferred) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, field) in (0i64..).zip(fields) {
        insert.execute(params![
            id.0,
            position,
            field.kind.as_str(),
            field.label,
            stored_value(field),
            field.preferred
        ])?;
    }
    Ok(())
}

pub(super) fn replace_tags(conn: &Connection, id: ContactId, tags: &[String]) -> Result<()> {
    conn.prepare_cached("DELETE FROM contact_tags WHERE contact_id = ?1")?
        .execute([id.0])?;
    let mut insert = conn
        .prepare_cached("INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)")?;
    for tag in tags {
        insert.execute(params![id.0, tag])?;
    }
    Ok(())
}

/// One contact with its fields and tags, trashed or not.
pub fn get(conn: &Connection, id: ContactId) -> Result<Contact> {
    let mut contact = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM contacts WHERE id = ?1"))?
        .query_row([id.0], |row| Ok(from_row(row)))
        .optional()?
        .ok_or(StoreError::NotFound {
            what: "contact",
            id: id.0,
        })??;
    contact.fields = fields_of(conn, id)?;
    contact.tags = tags_of(conn, id)?;
    Ok(contact)
}

/// Whether contact `id` is in the trash.
pub fn is_trashed(conn: &Connection, id: ContactId) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT deleted_at IS NOT NULL FROM contacts WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// A contact's fields in their order, trashed contact or not.
pub(super) fn fields_of(conn: &Connection, id: ContactId) -> Result<Vec<ContactField>> {
    let mut stmt =
        conn.prepare_cached("SELECT kind, label, value, preferred FROM contact_fields WHERE contact_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([id.0], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get(1)?,
            row.get::<_, String>(2)?,
            row.get(3)?,
        ))
    })?;
    rows.map(|row| {
        let (kind, label, stored, preferred) = row?;
        let kind = FieldKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("field kind '{kind}'")))?;
        let field = if kind == FieldKind::Address {
            ContactField::postal(stored_address(&stored))
        } else {
            ContactField::new(kind, stored)
        };
        Ok(ContactField {
            label,
            preferred,
            ..field
        })
    })
    .collect()
}

/// What the `value` column holds for a field: the text, or for an address its parts as
/// JSON (the one-line form is derived, so it is not stored).
fn stored_value(field: &ContactField) -> String {
    let address = match (field.kind, &field.address) {
        (FieldKind::Address, Some(address)) => address.clone(),
        // No parts: text from an older export, in vCard ADR form or a plain line.
        (FieldKind::Address, None) => stored_address(&field.value),
        _ => return field.value.clone(),
    };
    serde_json::to_string(&address).unwrap_or_else(|_| field.value.clone())
}

/// An address as stored: JSON parts, or (journals before addresses had parts) the seven
/// `;`-separated vCard ADR parts with vCard escapes.
fn stored_address(stored: &str) -> PostalAddress {
    if let Ok(address) = serde_json::from_str::<PostalAddress>(stored) {
        return address;
    }
    let mut parts: Vec<String> = vec![String::new()];
    let mut chars = stored.chars();
    while let Some(c) = chars.next() {
        let c = match c {
            ';' => {
                parts.push(String::new());
                continue;
            }
            '\\' => match chars.next() {
                Some('n' | 'N') => '\n',
                Some(other) => other,
                None => break,
            },
            c => c,
        };
        if let Some(part) = parts.last_mut() {
            part.push(c);
        }
    }
    if parts.len() == 1 {
        return PostalAddress::street(&parts[0]);
    }
    PostalAddress::from_parts(&parts)
}

pub fn tags_of(conn: &Connection, id: ContactId) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag FROM contact_tags WHERE contact_id = ?1 ORDER BY tag")?;
    let tags = stmt
        .query_map([id.0], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tags)
}

/// Everyone who can be named in `@mentions` and NAME arguments: live contacts, archived too.
pub fn name_candidates(conn: &Connection) -> Result<Vec<NameCandidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, display_name, nickname, company FROM contacts WHERE deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(NameCandidate {
            id: ContactId(row.get(0)?),
            display_name: row.get(1)?,
            nickname: row.get(2)?,
            company: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const NAMES_SQL: &str =
    "SELECT id, display_name, nickname FROM contacts INDEXED BY contacts_by_name
      WHERE deleted_at IS NULL";

/// The live contacts (archived too) whose name and nickname pass `admit`, for resolving a
/// name without loading everyone: the names come from a covering index, and only the few
/// that pass are read whole.
pub fn name_candidates_where(
    conn: &Connection,
    admit: impl Fn(&str, Option<&str>) -> bool,
) -> Result<Vec<NameCandidate>> {
    // The name index holds all three columns: the table itself is not read.
    let mut stmt = conn.prepare_cached(NAMES_SQL)?;
    let mut rows = stmt.query([])?;
    let mut admitted = Vec::new();
    while let Some(row) = rows.next()? {
        let name = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let nickname = row
            .get_ref(2)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?;
        if admit(name, nickname) {
            admitted.push(NameCandidate {
                id: ContactId(row.get(0)?),
                display_name: name.to_owned(),
                nickname: nickname.map(str::to_owned),
                company: None,
            });
        }
    }
    let mut company = conn.prepare_cached("SELECT company FROM contacts WHERE id = ?1")?;
    for candidate in &mut admitted {
        candidate.company = company.query_row([candidate.id.0], |row| row.get(0))?;
    }
    Ok(admitted)
}

/// One live contact as a name candidate, if there is one with this id.
pub fn name_candidate(conn: &Connection, id: ContactId) -> Result<Option<NameCandidate>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, display_name, nickname, company FROM contacts WHERE id = ?1 AND deleted_at IS NULL",
        )?
        .query_row([id.0], |row| {
            Ok(NameCandidate {
                id: ContactId(row.get(0)?),
                display_name: row.get(1)?,
                nickname: row.get(2)?,
                company: row.get(3)?,
            })
        })
        .optional()?)
}

/// Adds tags; returns how many were new.
pub fn add_tags(
    conn: &Connection,
    id: ContactId,
    tags: &[String],
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut insert = conn
        .prepare_cached("INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?1, ?2)")?;
    let mut added = 0;
    for tag in tags {
        added += insert.execute(params![id.0, crate::text::clean(tag)])?;
    }
    if added > 0 {
        touch(conn, id, now)?;
    }
    Ok(added)
}

/// Removes tags; returns how many were there.
pub fn remove_tags(
    conn: &Connection,
    id: ContactId,
    tags: &[String],
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut delete =
        conn.prepare_cached("DELETE FROM contact_tags WHERE contact_id = ?1 AND tag = ?2")?;
    let mut removed = 0;
    for tag in tags {
        removed += delete.execute(params![id.0, crate::text::clean(tag)])?;
    }
    if removed > 0 {
        touch(conn, id, now)?;
    }
    Ok(removed)
}

pub fn set_archived(
    conn: &Connection,
    id: ContactId,
    archived: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached("UPDATE contacts SET archived = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![id.0, archived, time::to_text(now)])?;
    Ok(())
}

pub(super) fn touch(conn: &Connection, id: ContactId, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE contacts SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![id.0, time::to_text(now)])?;
    Ok(())
}

/// Interactions per month for the last `months` months ending with `until`'s month, oldest
/// first: the contact card's sparkline. Counts by UTC month, close enough for a sparkline.
pub fn monthly_interactions(
    conn: &Connection,
    id: ContactId,
    until: NaiveDate,
    months: u32,
) -> Result<Vec<u64>> {
    use chrono::Datelike;
    let first = until
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(months.saturating_sub(1))))
        .unwrap_or(until);
    let mut stmt = conn.prepare_cached(
        "SELECT substr(p.happened_at, 1, 7), count(*) FROM interaction_participants p
           JOIN interactions i ON i.id = p.interaction_id
          WHERE p.contact_id = ?1 AND p.happened_at >= ?2 AND i.deleted_at IS NULL
          GROUP BY 1",
    )?;
    let counts: Vec<(String, i64)> = stmt
        .query_map(params![id.0, time::date_to_text(first)], |row| {
            Ok((row.get(0)?, row.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok((0..months)
        .map(|i| {
            let month = first
                .checked_add_months(chrono::Months::new(i))
                .unwrap_or(first)
                .format("%Y-%m")
                .to_string();
            counts
                .iter()
                .find(|(m, _)| *m == month)
                .map_or(0, |(_, n)| n.unsigned_abs())
        })
        .collect())
}

/// What import dedupe needs to know of every contact, trashed ones included.
#[derive(Debug, Clone)]
pub struct Identity {
    pub id: ContactId,
    pub uid: String,
    pub display_name: String,
    pub trashed: bool,
    pub given: String,
    pub company: Option<String>,
    /// Tagged `unnamed`: its name was made up from its details, and is no name to match.
    pub unnamed: bool,
}

pub fn identities(conn: &Connection) -> Result<Vec<Identity>> {
    let mut stmt = conn.prepare(
        "SELECT id, uid, display_name, deleted_at IS NOT NULL, name_given, company,
                EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = contacts.id AND t.tag = ?1)
           FROM contacts",
    )?;
    let rows = stmt.query_map([crate::domain::contact::UNNAMED_TAG], |row| {
        Ok(Identity {
            id: ContactId(row.get(0)?),
            uid: row.get(1)?,
            display_name: row.get(2)?,
            trashed: row.get(3)?,
            given: row.get(4)?,
            company: row.get(5)?,
            unnamed: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every (contact, kind, value) of the given field kind, for dedupe.
pub fn field_values(conn: &Connection, kind: FieldKind) -> Result<Vec<(ContactId, String)>> {
    let mut stmt = conn.prepare("SELECT contact_id, value FROM contact_fields WHERE kind = ?1")?;
    let rows = stmt.query_map([kind.as_str()], |row| {
        Ok((ContactId(row.get(0)?), row.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::listing::{CADENCE_STANDINGS_SQL, COUNT_SQL};
    use super::*;

    fn plan(conn: &Connection, sql: &str) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let mut rows = stmt.raw_query();
        let mut steps = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            steps.push(row.get::<_, String>(3).unwrap());
        }
        steps.join(" | ")
    }

    /// `list --overdue` reads standings from the cadence index alone, then the overdue by id.
    #[test]
    fn overdue_lists_read_the_cadence_index_then_rows_by_id() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let standings = plan(store.conn(), CADENCE_STANDINGS_SQL);
        assert!(
            standings.contains("SCAN contacts USING COVERING INDEX contacts_with_cadence"),
            "{standings}"
        );
        let ids = [ContactId(1), ContactId(2)];
        let query = ListQuery {
            with_cadence: true,
            ids: Some(&ids),
            ..ListQuery::default()
        };
        assert_eq!(list(store.conn(), &query).unwrap(), Vec::new());
        let by_id = plan(
            store.conn(),
            "SELECT c.id FROM contacts c WHERE c.deleted_at IS NULL AND c.cadence IS NOT NULL
               AND c.id IN (SELECT value FROM json_each('[1,2]')) ORDER BY c.sort_key, c.id",
        );
        assert!(by_id.contains("INTEGER PRIMARY KEY (rowid=?)"), "{by_id}");
        assert!(!by_id.contains("SCAN c "), "{by_id}");
    }

    /// The contacts pane's count (before the first frame) never reads the table.
    #[test]
    fn the_count_reads_an_index_alone() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let counted = plan(store.conn(), COUNT_SQL);
        assert!(
            counted.starts_with("SCAN c USING COVERING INDEX contacts_live"),
            "{counted}"
        );
    }

    #[test]
    fn addresses_read_back_from_json_and_from_the_old_vcard_form() {
        let address = PostalAddress {
            street: "1 Main St; Apt 2".into(),
            locality: "Hampton".into(),
            region: "VA".into(),
            ..PostalAddress::default()
        };
        let field = ContactField::postal(address.clone());
        assert_eq!(stored_address(&stored_value(&field)), address);
        assert_eq!(
            stored_address(";;1 Main St\\; Apt 2;Hampton;VA;;"),
            address,
            "journals written before addresses had parts"
        );
        let legacy = ContactField {
            address: None,
            ..ContactField::new(FieldKind::Address, ";;1 Main St\\; Apt 2;Hampton;VA;;")
        };
        assert_eq!(stored_address(&stored_value(&legacy)), address);
        assert_eq!(stored_address("12 Pier Rd").street, "12 Pier Rd");
    }
}
