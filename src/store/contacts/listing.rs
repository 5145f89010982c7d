//! Reading contacts many at a time: the lists (sorted, filtered, paged, counted) and the
//! rows the agenda and standings are computed from (cadences, birthdays and anniversaries),
//! each from the index that covers it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

use super::super::time::{self, opt};
use super::super::{Result, StoreError};
use super::{every, partial_date, tags_of};
use crate::domain::agenda::{CadenceRow, DatesRow};
use crate::domain::contact::ContactId;
use crate::domain::when::{Every, PartialDate};

/// How a contact list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Name,
    /// Most recently contacted first; never-contacted last.
    Recent,
    /// Most overdue stay-in-touch first (the caller orders: "overdue" depends on today).
    Overdue,
}

impl Sort {
    /// The words for it everywhere it is shown: "by last contact", "Sorted by name".
    pub fn label(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::Recent => "last contact",
            Sort::Overdue => "most overdue",
        }
    }
}

/// A contact as a list row shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub id: ContactId,
    pub display_name: String,
    pub nickname: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub cadence: Option<Every>,
    pub last_interaction_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub archived: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery<'a> {
    pub tag: Option<&'a str>,
    pub include_archived: bool,
    pub sort: Sort,
    /// Only contacts with a stay-in-touch cadence (the only ones that can be overdue).
    pub with_cadence: bool,
    /// Rows come without their tags (a caller that narrows the list further reads them with
    /// [`tags_of`] for the rows it keeps).
    pub skip_tags: bool,
    /// At most this many rows: the first screenful, read in index order.
    pub limit: Option<usize>,
    /// Only these contacts (read by id, not by walking the list).
    pub ids: Option<&'a [ContactId]>,
}

/// Live contacts as list rows. Sorted by name or recency in SQL; `Sort::Overdue` comes back
/// by name and is ordered by the caller, who knows what day it is.
pub fn list(conn: &Connection, query: &ListQuery<'_>) -> Result<Vec<ContactRow>> {
    let order = match query.sort {
        Sort::Recent => {
            "c.last_interaction_at IS NULL, c.last_interaction_at DESC, c.display_name COLLATE NOCASE"
        }
        Sort::Name | Sort::Overdue => "c.sort_key, c.id",
    };
    let sql = format!(
        "SELECT c.id, c.display_name, c.nickname, c.company, c.title, c.cadence, c.last_interaction_at, c.created_at,
                c.archived
           FROM contacts c{cadence_index}
          WHERE c.deleted_at IS NULL{cadence}
            AND (?1 OR c.archived = 0)
            AND (?2 IS NULL OR EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = ?2)){ids}
          ORDER BY {order}{limit}",
        ids = if query.ids.is_some() {
            " AND c.id IN (SELECT value FROM json_each(?3))"
        } else {
            ""
        },
        limit = query.limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default(),
        // The cadence index, not a walk of everyone in name order: a few thousand rows to
        // sort beat ten thousand table look-ups.
        cadence_index = if query.with_cadence && query.ids.is_none() {
            " INDEXED BY contacts_with_cadence"
        } else {
            ""
        },
        cadence = if query.with_cadence {
            " AND c.cadence IS NOT NULL"
        } else {
            ""
        }
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = query
        .ids
        .map(|ids| serde_json::to_string(&ids.iter().map(|c| c.0).collect::<Vec<_>>()))
        .transpose()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut bound: Vec<&dyn rusqlite::ToSql> = vec![&query.include_archived, &query.tag];
    if ids.is_some() {
        bound.push(&ids);
    }
    let rows = stmt.query_map(bound.as_slice(), |row| {
        Ok((
            ContactId(row.get(0)?),
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, Option<String>>(4)?,
            row.get::<_, Option<String>>(5)?,
            row.get::<_, Option<String>>(6)?,
            row.get::<_, String>(7)?,
            row.get::<_, bool>(8)?,
        ))
    })?;
    // Everyone's tags in one pass for a whole list; a narrowed list looks up its own.
    let narrowed =
        query.with_cadence || query.tag.is_some() || query.limit.is_some() || query.ids.is_some();
    let mut tags = if narrowed || query.skip_tags {
        std::collections::HashMap::new()
    } else {
        all_tags(conn)?
    };
    rows.map(|row| {
        let (id, display_name, nickname, company, title, cadence, last, created, archived) = row?;
        Ok(ContactRow {
            id,
            display_name,
            nickname,
            company,
            title,
            tags: if query.skip_tags {
                Vec::new()
            } else if narrowed {
                tags_of(conn, id)?
            } else {
                tags.remove(&id).unwrap_or_default()
            },
            cadence: opt(cadence, every)?,
            last_interaction_at: opt(last, time::from_text)?,
            created_at: time::from_text(&created)?,
            archived,
        })
    })
    .collect()
}

/// How many rows [`list`] gives for `query` (its limit aside).
pub fn count(conn: &Connection, query: &ListQuery<'_>) -> Result<usize> {
    let count: i64 = conn.prepare_cached(COUNT_SQL)?.query_row(
        params![query.include_archived, query.tag, query.with_cadence],
        |row| row.get(0),
    )?;
    Ok(count.unsigned_abs() as usize)
}

/// Read from `contacts_live` alone (migration 0010): no row is looked up to be counted.
pub(super) const COUNT_SQL: &str = "SELECT count(*) FROM contacts c
      WHERE c.deleted_at IS NULL AND (?1 OR c.archived = 0)
        AND (?2 IS NULL OR EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = ?2))
        AND (NOT ?3 OR c.cadence IS NOT NULL)";

/// Every contact's tags in one ordered pass (a per-row subquery sorted once per contact).
fn all_tags(conn: &Connection) -> Result<std::collections::HashMap<ContactId, Vec<String>>> {
    let mut stmt =
        conn.prepare_cached("SELECT contact_id, tag FROM contact_tags ORDER BY contact_id, tag")?;
    let mut tags: std::collections::HashMap<ContactId, Vec<String>> =
        std::collections::HashMap::new();
    for row in stmt.query_map([], |row| {
        Ok((ContactId(row.get(0)?), row.get::<_, String>(1)?))
    })? {
        let (id, tag) = row?;
        tags.entry(id).or_default().push(tag);
    }
    Ok(tags)
}

/// Live, unarchived contacts with a birthday or anniversary, for the agenda.
pub fn date_rows(conn: &Connection) -> Result<Vec<DatesRow>> {
    let mut stmt = conn.prepare_cached(
        // The index holds every column read: the agenda never touches the table.
        "SELECT id, display_name, birthday, anniversary FROM contacts INDEXED BY contacts_with_dates
          WHERE (birthday IS NOT NULL OR anniversary IS NOT NULL) AND deleted_at IS NULL AND archived = 0",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            ContactId(row.get(0)?),
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<String>>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (id, name, birthday, anniversary) = row?;
        Ok(DatesRow {
            id,
            name,
            birthday: opt(birthday, partial_date)?,
            anniversary: opt(anniversary, partial_date)?,
        })
    })
    .collect()
}

/// A contact's id, cadence, last interaction and creation: what their stay-in-touch
/// standing is computed from.
pub type CadenceStanding = (ContactId, Every, Option<DateTime<Utc>>, DateTime<Utc>);

/// Every live contact with a cadence (archived too when asked), read from the cadence index
/// alone.
pub fn cadence_standings(
    conn: &Connection,
    include_archived: bool,
) -> Result<Vec<CadenceStanding>> {
    let mut stmt = conn.prepare_cached(CADENCE_STANDINGS_SQL)?;
    let mut rows = stmt.query([include_archived])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let text = |i: usize| -> Result<Option<&str>> {
            Ok(row
                .get_ref(i)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?)
        };
        out.push((
            ContactId(row.get(0)?),
            every(text(1)?.unwrap_or_default())?,
            text(2)?.map(time::from_text).transpose()?,
            time::from_text(text(3)?.unwrap_or_default())?,
        ));
    }
    Ok(out)
}

pub(super) const CADENCE_STANDINGS_SQL: &str = "SELECT id, cadence, last_interaction_at, created_at
       FROM contacts INDEXED BY contacts_with_cadence
      WHERE cadence IS NOT NULL AND deleted_at IS NULL AND (?1 OR archived = 0)";

/// The stay-in-touch rows due on or before `until` (the only ones an agenda up to `until`
/// shows): the cadence index is read whole, but only those rows are made into values.
pub fn cadence_rows_due_by(
    conn: &Connection,
    local_date: impl Fn(DateTime<Utc>) -> NaiveDate,
    until: NaiveDate,
) -> Result<Vec<CadenceRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, display_name, cadence, last_interaction_at, created_at
           FROM contacts INDEXED BY contacts_with_cadence
          WHERE cadence IS NOT NULL AND deleted_at IS NULL AND archived = 0",
    )?;
    let mut rows = stmt.query([])?;
    let mut due = Vec::new();
    // A journal has a handful of distinct cadences: each is parsed once.
    let mut cadences: Vec<(String, Every)> = Vec::new();
    while let Some(row) = rows.next()? {
        let text = |i: usize| -> Result<Option<&str>> {
            Ok(row
                .get_ref(i)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?)
        };
        let written = text(2)?.unwrap_or_default();
        let cadence = if let Some((_, known)) = cadences.iter().find(|(t, _)| t == written) {
            *known
        } else {
            let parsed = every(written)?;
            cadences.push((written.to_owned(), parsed));
            parsed
        };
        // The day they were added matters only to someone never logged: only then is it
        // read and placed in the zone.
        let last_contact = text(3)?.map(time::from_text).transpose()?.map(&local_date);
        let anchor = match last_contact {
            Some(date) => date,
            None => local_date(time::from_text(text(4)?.unwrap_or_default())?),
        };
        if cadence.after(anchor) <= until {
            due.push(CadenceRow {
                id: ContactId(row.get(0)?),
                name: row.get(1)?,
                cadence,
                last_contact,
                anchor,
            });
        }
    }
    Ok(due)
}

/// The birthday and anniversary rows with an occurrence from `from` to `until` (the only
/// ones that agenda shows), and those of contacts `keep` names; read from the dates index,
/// the others skipped unmade.
pub fn date_rows_between(
    conn: &Connection,
    from: NaiveDate,
    until: NaiveDate,
    keep: impl Fn(ContactId) -> bool,
) -> Result<Vec<DatesRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, display_name, birthday, anniversary FROM contacts INDEXED BY contacts_with_dates
          WHERE (birthday IS NOT NULL OR anniversary IS NOT NULL) AND deleted_at IS NULL AND archived = 0",
    )?;
    let mut rows = stmt.query([])?;
    let mut within = Vec::new();
    let falls = |date: Option<PartialDate>| {
        date.and_then(|d| d.next_on_or_after(from))
            .is_some_and(|next| next <= until)
    };
    while let Some(row) = rows.next()? {
        let date = |i: usize| -> Result<Option<PartialDate>> {
            row.get_ref(i)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?
                .map(partial_date)
                .transpose()
        };
        let (birthday, anniversary) = (date(2)?, date(3)?);
        let id = ContactId(row.get(0)?);
        if falls(birthday) || falls(anniversary) || keep(id) {
            within.push(DatesRow {
                id,
                name: row.get(1)?,
                birthday,
                anniversary,
            });
        }
    }
    Ok(within)
}
