//! The state of `rolo sync`: the server account, one collection per kind of record, and per
//! record what the server had when both sides last agreed (href, ETag, hash, the record
//! itself as the merge base). Also tombstones of records deleted for good that the server
//! has not yet seen deleted, and the conflicts a merge resolved for the user to review.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::records::Table;
use super::{Result, time};

/// The server rolo syncs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub url: String,
    pub user: Option<String>,
    /// A command whose output is the password (`pass show dav`); never the password.
    pub password_command: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
}

pub fn account(conn: &Connection) -> Result<Option<Account>> {
    let row = conn
        .prepare_cached(
            "SELECT url, user, password_command, created_at, last_sync_at FROM sync_account WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()?;
    row.map(|(url, user, password_command, created, last)| {
        Ok(Account {
            url,
            user,
            password_command,
            created_at: time::from_text(&created)?,
            last_sync_at: time::opt(last, time::from_text)?,
        })
    })
    .transpose()
}

/// Remembers the server. Collections and item states of another server are forgotten.
pub fn set_account(conn: &Connection, account: &Account) -> Result<()> {
    if let Some(old) = self::account(conn)?
        && old.url != account.url
    {
        conn.execute("DELETE FROM sync_collections", [])?;
    }
    conn.prepare_cached(
        "INSERT INTO sync_account (id, url, user, password_command, created_at, last_sync_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET url = ?1, user = ?2, password_command = ?3",
    )?
    .execute(params![
        account.url,
        account.user,
        account.password_command,
        time::to_text(account.created_at),
        account.last_sync_at.map(time::to_text),
    ])?;
    Ok(())
}

pub fn set_last_sync(conn: &Connection, at: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE sync_account SET last_sync_at = ?1 WHERE id = 1")?
        .execute([time::to_text(at)])?;
    Ok(())
}

/// A collection on the server and how far rolo has read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Collection {
    #[serde(serialize_with = "table_name")]
    pub kind: Table,
    pub href: String,
    pub sync_token: Option<String>,
    pub synced_at: Option<DateTime<Utc>>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's serialize_with passes a reference
fn table_name<S: serde::Serializer>(t: &Table, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(t.name())
}

pub fn table_of(name: &str) -> Option<Table> {
    [Table::Contacts, Table::Interactions, Table::Reminders]
        .into_iter()
        .find(|t| t.name() == name)
}

pub fn collections(conn: &Connection) -> Result<Vec<Collection>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, href, sync_token, synced_at FROM sync_collections
          ORDER BY CASE kind WHEN 'contacts' THEN 0 WHEN 'interactions' THEN 1 ELSE 2 END",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, href, sync_token, synced_at) = row?;
        if let Some(kind) = table_of(&kind) {
            out.push(Collection {
                kind,
                href,
                sync_token,
                synced_at: time::opt(synced_at, time::from_text)?,
            });
        }
    }
    Ok(out)
}

/// Remembers the collection for `kind`. A different collection than before starts afresh:
/// its token and item states go.
pub fn set_collection(conn: &Connection, kind: Table, href: &str) -> Result<()> {
    let same: bool = conn
        .prepare_cached("SELECT count(*) FROM sync_collections WHERE kind = ?1 AND href = ?2")?
        .query_row(params![kind.name(), href], |r| r.get(0))?;
    if !same {
        conn.prepare_cached("DELETE FROM sync_collections WHERE kind = ?1")?
            .execute([kind.name()])?;
        conn.prepare_cached("INSERT INTO sync_collections (kind, href) VALUES (?1, ?2)")?
            .execute(params![kind.name(), href])?;
    }
    Ok(())
}

/// Forgets what rolo knew about the items of `kind` (and its token): the next sync links
/// everything again by UID.
pub fn forget_items(conn: &Connection, kind: Table) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_items WHERE kind = ?1")?
        .execute([kind.name()])?;
    conn.prepare_cached("UPDATE sync_collections SET sync_token = NULL WHERE kind = ?1")?
        .execute([kind.name()])?;
    Ok(())
}

pub fn forget_token(conn: &Connection, kind: Table) -> Result<()> {
    conn.prepare_cached("UPDATE sync_collections SET sync_token = NULL WHERE kind = ?1")?
        .execute([kind.name()])?;
    Ok(())
}

/// A contact's display name by UID (trashed ones too), for naming them in an item.
pub fn contact_name(conn: &Connection, uid: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT display_name FROM contacts WHERE uid = ?1")?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

pub fn set_token(conn: &Connection, kind: Table, token: &str, at: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sync_collections SET sync_token = ?2, synced_at = ?3 WHERE kind = ?1",
    )?
    .execute(params![kind.name(), token, time::to_text(at)])?;
    Ok(())
}

/// What the server had for one record when both sides last agreed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    pub kind: Table,
    pub uid: String,
    pub href: String,
    pub etag: Option<String>,
    /// Hash of the normalised item.
    pub hash: String,
    /// The record then, as JSON: the merge base.
    pub base: String,
    /// The record's `updated_at` then.
    pub synced_at: DateTime<Utc>,
    /// The UID as the server spells it (`urn:uuid:…`, or another app's form).
    pub remote_uid: String,
    /// The item's content lines rolo does not model, to be written back.
    pub extra: Option<String>,
}

const ITEM_COLUMNS: &str = "kind, uid, href, etag, hash, base, synced_at, remote_uid, extra";

fn item_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, ItemState)> {
    Ok((
        r.get::<_, String>(6)?,
        ItemState {
            kind: table_of(&r.get::<_, String>(0)?).unwrap_or(Table::Contacts),
            uid: r.get(1)?,
            href: r.get(2)?,
            etag: r.get(3)?,
            hash: r.get(4)?,
            base: r.get(5)?,
            synced_at: DateTime::<Utc>::MIN_UTC,
            remote_uid: r.get(7)?,
            extra: r.get(8)?,
        },
    ))
}

fn items_where(
    conn: &Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<ItemState>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM sync_items WHERE {filter}"
    ))?;
    let rows = stmt.query_map(p, item_from)?;
    let mut out = Vec::new();
    for row in rows {
        let (synced_at, mut item) = row?;
        item.synced_at = time::from_text(&synced_at)?;
        out.push(item);
    }
    Ok(out)
}

pub fn item(conn: &Connection, kind: Table, uid: &str) -> Result<Option<ItemState>> {
    Ok(items_where(conn, "kind = ?1 AND uid = ?2", params![kind.name(), uid])?.pop())
}

pub fn item_at(conn: &Connection, kind: Table, href: &str) -> Result<Option<ItemState>> {
    Ok(items_where(conn, "kind = ?1 AND href = ?2", params![kind.name(), href])?.pop())
}

/// Every item state of a kind, for comparing with the server's listing.
pub fn items(conn: &Connection, kind: Table) -> Result<Vec<ItemState>> {
    items_where(conn, "kind = ?1 ORDER BY href", [kind.name()])
}

pub fn count_items(conn: &Connection, kind: Table) -> Result<usize> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM sync_items WHERE kind = ?1")?
        .query_row([kind.name()], |r| r.get::<_, i64>(0))? as usize)
}

pub fn put_item(conn: &Connection, item: &ItemState) -> Result<()> {
    // A UID that moved to another href (or an href that now holds another UID) replaces
    // the old row.
    conn.prepare_cached("DELETE FROM sync_items WHERE kind = ?1 AND href = ?2 AND uid <> ?3")?
        .execute(params![item.kind.name(), item.href, item.uid])?;
    conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO sync_items ({ITEM_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    ))?
    .execute(params![
        item.kind.name(),
        item.uid,
        item.href,
        item.etag,
        item.hash,
        item.base,
        time::to_text(item.synced_at),
        item.remote_uid,
        item.extra,
    ])?;
    Ok(())
}

/// Only the ETag moved (the server rewrote the item, or rolo's own PUT was confirmed).
pub fn set_etag(conn: &Connection, kind: Table, uid: &str, etag: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE sync_items SET etag = ?3 WHERE kind = ?1 AND uid = ?2")?
        .execute(params![kind.name(), uid, etag])?;
    Ok(())
}

pub fn delete_item(conn: &Connection, kind: Table, uid: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_items WHERE kind = ?1 AND uid = ?2")?
        .execute(params![kind.name(), uid])?;
    Ok(())
}

/// UIDs of the records of `kind` that changed here since the last sync: live ones the
/// server has never seen, and those marked changed (or stamped differently) since — trashed
/// ones included, so their delete goes out.
pub fn local_changes(conn: &Connection, kind: Table) -> Result<Vec<String>> {
    let t = kind.name();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.uid FROM {t} r
          WHERE r.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM sync_items s WHERE s.kind = '{t}' AND s.uid = r.uid)
         UNION
         SELECT r.uid FROM {t} r JOIN sync_items s ON s.kind = '{t}' AND s.uid = r.uid
          WHERE r.updated_at <> s.synced_at
             OR EXISTS (SELECT 1 FROM sync_changed c WHERE c.kind = '{t}' AND c.uid = r.uid)"
    ))?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The server has the record as it is here now: no longer changed.
pub fn clear_changed(conn: &Connection, kind: Table, uid: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_changed WHERE kind = ?1 AND uid = ?2")?
        .execute(params![kind.name(), uid])?;
    Ok(())
}

/// A record deleted for good that the server still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tombstone {
    pub kind: Table,
    pub uid: String,
    pub deleted_at: DateTime<Utc>,
}

pub fn tombstones(conn: &Connection, kind: Table) -> Result<Vec<Tombstone>> {
    let mut stmt = conn.prepare_cached(
        "SELECT uid, deleted_at FROM sync_tombstones WHERE kind = ?1 ORDER BY uid",
    )?;
    let rows = stmt.query_map([kind.name()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|row| {
        let (uid, at) = row?;
        Ok(Tombstone {
            kind,
            uid,
            deleted_at: time::from_text(&at)?,
        })
    })
    .collect()
}

pub fn remove_tombstone(conn: &Connection, kind: Table, uid: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_tombstones WHERE kind = ?1 AND uid = ?2")?
        .execute(params![kind.name(), uid])?;
    Ok(())
}

/// Before the trash is emptied: a tombstone for every record about to go for good that the
/// server still has — trashed records, and the reminders of trashed contacts (they go with
/// them).
pub fn keep_tombstones_of_trash(conn: &Connection) -> Result<usize> {
    let mut kept = 0;
    for t in ["contacts", "interactions", "reminders"] {
        kept += conn.execute(
            &format!(
                "INSERT OR REPLACE INTO sync_tombstones (kind, uid, deleted_at)
                 SELECT '{t}', r.uid, r.deleted_at FROM {t} r
                   JOIN sync_items s ON s.kind = '{t}' AND s.uid = r.uid
                  WHERE r.deleted_at IS NOT NULL"
            ),
            [],
        )?;
    }
    kept += conn.execute(
        "INSERT OR REPLACE INTO sync_tombstones (kind, uid, deleted_at)
         SELECT 'reminders', r.uid, c.deleted_at FROM reminders r
           JOIN contacts c ON c.id = r.contact_id
           JOIN sync_items s ON s.kind = 'reminders' AND s.uid = r.uid
          WHERE c.deleted_at IS NOT NULL AND r.deleted_at IS NULL",
        [],
    )?;
    Ok(kept)
}

/// A field both sides changed differently: what was kept and what lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub id: i64,
    #[serde(serialize_with = "table_name")]
    pub kind: Table,
    pub uid: String,
    pub field: String,
    /// JSON values.
    pub kept: String,
    pub lost: String,
    /// Whose value was kept: `local` or `server`.
    pub kept_side: String,
    pub at: DateTime<Utc>,
}

pub fn add_conflict(conn: &Connection, c: &Conflict) -> Result<i64> {
    // A newer conflict on the same field replaces an open one: only the latest matters.
    conn.prepare_cached(
        "DELETE FROM sync_conflicts WHERE kind = ?1 AND uid = ?2 AND field = ?3 AND resolved_at IS NULL",
    )?
    .execute(params![c.kind.name(), c.uid, c.field])?;
    conn.prepare_cached(
        "INSERT INTO sync_conflicts (kind, uid, field, kept, lost, kept_side, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        c.kind.name(),
        c.uid,
        c.field,
        c.kept,
        c.lost,
        c.kept_side,
        time::to_text(c.at)
    ])?;
    Ok(conn.last_insert_rowid())
}

fn conflicts_where(
    conn: &Connection,
    filter: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<Conflict>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, kind, uid, field, kept, lost, kept_side, at FROM sync_conflicts WHERE {filter}"
    ))?;
    let rows = stmt.query_map(p, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get::<_, String>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, uid, field, kept, lost, kept_side, at) = row?;
        out.push(Conflict {
            id,
            kind: table_of(&kind).unwrap_or(Table::Contacts),
            uid,
            field,
            kept,
            lost,
            kept_side,
            at: time::from_text(&at)?,
        });
    }
    Ok(out)
}

/// Conflicts not yet reviewed, oldest first.
pub fn open_conflicts(conn: &Connection) -> Result<Vec<Conflict>> {
    conflicts_where(conn, "resolved_at IS NULL ORDER BY at, id", [])
}

pub fn conflict(conn: &Connection, id: i64) -> Result<Option<Conflict>> {
    Ok(conflicts_where(conn, "id = ?1 AND resolved_at IS NULL", [id])?.pop())
}

/// Marks a conflict reviewed: `kept` (the kept value stays) or `took-other`.
pub fn resolve_conflict(
    conn: &Connection,
    id: i64,
    resolution: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE sync_conflicts SET resolved_at = ?2, resolution = ?3 WHERE id = ?1 AND resolved_at IS NULL",
        )?
        .execute(params![id, time::to_text(at), resolution])?
        > 0)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::store::{Store, trash};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()
    }

    fn add_contact(store: &mut Store, uid: &str) -> i64 {
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO contacts (uid, display_name, created_at, updated_at)
                     VALUES (?1, 'Someone', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                    [uid],
                )?;
                Ok::<_, crate::store::StoreError>(tx.last_insert_rowid())
            })
            .unwrap()
    }

    fn synced(uid: &str) -> ItemState {
        ItemState {
            kind: Table::Contacts,
            uid: uid.to_owned(),
            href: format!("/c/{uid}.vcf"),
            etag: Some("\"1\"".into()),
            hash: "h".into(),
            base: "{}".into(),
            synced_at: now(),
            remote_uid: uid.to_owned(),
            extra: None,
        }
    }

    /// Emptying the trash keeps a tombstone for what the server has, and only for that.
    #[test]
    fn emptying_the_trash_keeps_tombstones_of_synced_records() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .write(|tx| set_collection(tx, Table::Contacts, "/c/"))
            .unwrap();
        let on_server = add_contact(&mut store, "on-server");
        let only_here = add_contact(&mut store, "only-here");
        store
            .write(|tx| put_item(tx, &synced("on-server")))
            .unwrap();
        store
            .write(|tx| {
                trash::trash(tx, trash::Item::Contact(on_server), now())?;
                trash::trash(tx, trash::Item::Contact(only_here), now())
            })
            .unwrap();
        let removed = store.write(|tx| trash::empty(tx)).unwrap();
        assert_eq!(removed, 2, "both are gone for good");
        let stones = tombstones(store.conn(), Table::Contacts).unwrap();
        assert_eq!(stones.len(), 1);
        assert_eq!(stones[0].uid, "on-server");
        assert_eq!(stones[0].deleted_at, now());
        assert!(
            item(store.conn(), Table::Contacts, "on-server")
                .unwrap()
                .is_some(),
            "the state stays until the delete reaches the server"
        );
    }

    #[test]
    fn changes_are_marked_once_a_sync_is_set_up() {
        let mut store = Store::open_in_memory().unwrap();
        add_contact(&mut store, "before");
        let none: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM sync_changed", [], |r| r.get(0))
            .unwrap();
        assert_eq!(none, 0, "no sync, no marks");
        store
            .write(|tx| set_collection(tx, Table::Contacts, "/c/"))
            .unwrap();
        store.write(|tx| put_item(tx, &synced("before"))).unwrap();
        store
            .write(|tx| {
                tx.execute("UPDATE contacts SET notes = 'x' WHERE uid = 'before'", [])?;
                clear_changed(tx, Table::Contacts, "nobody")
            })
            .unwrap();
        assert!(
            local_changes(store.conn(), Table::Contacts)
                .unwrap()
                .contains(&"before".to_owned())
        );
        store
            .write(|tx| clear_changed(tx, Table::Contacts, "before"))
            .unwrap();
        // Still changed by its stamp (synced_at is not its updated_at).
        assert_eq!(
            local_changes(store.conn(), Table::Contacts).unwrap(),
            vec!["before".to_owned()]
        );
    }

    /// A v2 journal (before sync) upgrades to the latest schema with a backup beside it.
    #[test]
    fn a_journal_without_sync_upgrades() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            rusqlite_migration::Migrations::new(
                super::super::migration_steps()
                    .into_iter()
                    .take(2)
                    .collect(),
            )
            .to_latest(&mut conn)
            .unwrap();
            conn.pragma_update(None, "application_id", super::super::APPLICATION_ID)
                .unwrap();
            conn.execute(
                "INSERT INTO contacts (uid, display_name, created_at, updated_at)
                 VALUES ('u1', 'Ada', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert!(account(store.conn()).unwrap().is_none());
        assert_eq!(
            local_changes(store.conn(), Table::Contacts).unwrap(),
            vec!["u1".to_owned()],
            "never synced: pending"
        );
        let backups = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".v2-")
            })
            .count();
        assert_eq!(backups, 1);
    }
}
