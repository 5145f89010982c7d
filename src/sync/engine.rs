//! One two-way sync: list every collection (a sync-collection REPORT from the saved token,
//! or a full listing), refuse to go on if a collection rolo synced with is now empty, then
//! per kind — contacts first, so interactions and reminders can name them — fetch what
//! changed there, apply it here (merging with local edits), apply deletes, push local
//! changes, and save the token.
//!
//! Crash safety: every item applied here commits in one transaction with its state row;
//! every push is recorded once the server confirmed it; the token is saved after the
//! batch. A sync killed anywhere leaves either the old state (redone next time) or a
//! confirmed one; a create whose confirmation was lost finds its own item at its href next
//! time (`If-None-Match` fails) and links to it instead of duplicating it.

use std::collections::{HashMap, HashSet};

use futures_util::StreamExt;
use libdav::caldav::GetCalendarResources;
use libdav::carddav::GetAddressBookResources;
use libdav::dav::{Delete, GetEtag, PutResource, SyncCollection};
use rusqlite::Connection;
use serde_json::Value;

use super::dav::{self, Dav, DavError};
use super::item::{self, SyncRecord};
use super::merge;
use super::normal;
use super::{Counts, Progress, Report, SyncError};
use crate::clock::Clock;
use crate::store::records::{self, Table};
use crate::store::sync::{self as state, Collection, Conflict, ItemState};
use crate::store::trash;
use crate::store::{Store, StoreError};

/// How many hrefs one multiget asks for, and how many PUTs are in flight at once.
const FETCH_BATCH: usize = 100;
const PUSH_PARALLEL: usize = 6;

/// What the server lists for a collection.
struct Listing {
    token: String,
    full: bool,
    /// href → ETag of every item listed as present (all of them, on a full listing).
    present: Vec<(String, Option<String>)>,
    /// hrefs listed as deleted (a delta only).
    deleted: Vec<String>,
}

pub(super) struct Engine<'a> {
    pub dav: Dav,
    pub store: &'a mut Store,
    pub clock: Clock,
    pub dry_run: bool,
    pub progress: &'a mut dyn FnMut(&Progress),
    pub report: Report,
}

fn local(conn: &Connection, kind: Table, uid: &str) -> Result<Option<SyncRecord>, StoreError> {
    Ok(match kind {
        Table::Contacts => records::contact(conn, uid)?.map(SyncRecord::Contact),
        Table::Interactions => records::interaction(conn, uid)?.map(SyncRecord::Interaction),
        Table::Reminders => records::reminder(conn, uid)?.map(SyncRecord::Reminder),
    })
}

fn exists(conn: &Connection, table: Table, uid: &str) -> Result<bool, StoreError> {
    Ok(records::id_of(conn, table, uid)?.is_some())
}

/// Links the journal does not have cannot be written: they are left out.
fn linkable(conn: &Connection, record: SyncRecord) -> Result<SyncRecord, StoreError> {
    Ok(match record {
        SyncRecord::Contact(mut c) => {
            if let Some(by) = &c.introduced_by
                && (by == &c.uid || !exists(conn, Table::Contacts, by)?)
            {
                c.introduced_by = None;
            }
            if c.cadence
                .as_deref()
                .is_some_and(|e| e.parse::<crate::domain::when::Every>().is_err())
            {
                c.cadence = None;
            }
            if c.display_name.trim().is_empty() {
                "(no name)".clone_into(&mut c.display_name);
            }
            SyncRecord::Contact(c)
        }
        SyncRecord::Interaction(mut i) => {
            let mut known = Vec::new();
            for p in i.participants {
                if exists(conn, Table::Contacts, &p)? {
                    known.push(p);
                }
            }
            i.participants = known;
            SyncRecord::Interaction(i)
        }
        SyncRecord::Reminder(mut r) => {
            if let Some(c) = &r.contact
                && !exists(conn, Table::Contacts, c)?
            {
                r.contact = None;
            }
            if let Some(i) = &r.interaction
                && !exists(conn, Table::Interactions, i)?
            {
                r.interaction = None;
            }
            SyncRecord::Reminder(r)
        }
    })
}

/// Writes a record here and reads it back as the store keeps it.
fn put_local(conn: &Connection, record: &SyncRecord) -> Result<SyncRecord, StoreError> {
    let record = linkable(conn, record.clone())?;
    match &record {
        SyncRecord::Contact(c) => records::put_contact(conn, c, None)?,
        SyncRecord::Interaction(i) => records::put_interaction(conn, i, None)?,
        SyncRecord::Reminder(r) => records::put_reminder(conn, r, None)?,
    };
    Ok(local(conn, record.kind(), record.uid())?.unwrap_or(record))
}

fn json(record: &SyncRecord) -> String {
    record.to_json().to_string()
}

fn base_of(st: &ItemState) -> Option<SyncRecord> {
    serde_json::from_str(&st.base)
        .ok()
        .and_then(|v| SyncRecord::from_json(st.kind, v).ok())
}

/// Both records say the same (version stamps aside).
fn same(a: &SyncRecord, b: &SyncRecord) -> bool {
    merge::same_content(&a.to_json(), &b.to_json())
}

fn names(conn: &Connection) -> impl Fn(&str) -> Option<String> + '_ {
    |uid| state::contact_name(conn, uid).ok().flatten()
}

fn counts(report: &mut Report, kind: Table) -> &mut Counts {
    match kind {
        Table::Contacts => &mut report.contacts,
        Table::Interactions => &mut report.interactions,
        Table::Reminders => &mut report.reminders,
    }
}

fn what(kind: Table) -> &'static str {
    match kind {
        Table::Contacts => "address book",
        Table::Interactions => "journal calendar",
        Table::Reminders => "follow-ups calendar",
    }
}

/// An item from the server, read: its record and the state it will have.
struct Incoming {
    kind: Table,
    uid: String,
    remote: SyncRecord,
    /// Everything but the base and its stamp.
    state: ItemState,
}

impl Incoming {
    /// The state once both sides agree on `record`.
    fn agreed(&self, record: &SyncRecord) -> ItemState {
        ItemState {
            base: json(record),
            synced_at: record.updated_at(),
            ..self.state.clone()
        }
    }
}

/// A push waiting for the server.
enum Op {
    Create,
    Update(String),
    Delete(String),
}

struct Job {
    uid: String,
    href: String,
    op: Op,
    text: String,
    record: Option<SyncRecord>,
    remote_uid: String,
    extra: Option<String>,
}

enum Outcome {
    Done(Option<String>),
    /// The server refused this one item (its status): it stays pending.
    Refused(u16),
    /// 409 or 412: the server has something else there (or this UID elsewhere).
    Clash,
    /// 404: it is gone there.
    Gone,
}

impl Engine<'_> {
    fn tick(&mut self, kind: Table, stage: &'static str, done: usize, total: usize) {
        (self.progress)(&Progress {
            kind: kind.name(),
            stage,
            done,
            total,
        });
    }

    fn note(&mut self, text: String) {
        self.report.notes.push(text);
    }

    /// Runs `f` in one transaction, unless this is a dry run.
    fn write<T: Default>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, SyncError> {
        if self.dry_run {
            Ok(self.store.rehearse(f)?)
        } else {
            Ok(self.store.write(f)?)
        }
    }

    pub async fn run(&mut self) -> Result<(), SyncError> {
        let collections = state::collections(self.store.conn())?;
        if collections.is_empty() {
            return Err(SyncError::NotSetUp);
        }
        let mut listings = Vec::new();
        for c in &collections {
            self.tick(c.kind, "listing", 0, 0);
            let listing = self.list(c).await?;
            self.check_not_emptied(c, &listing).await?;
            listings.push(listing);
        }
        for (c, listing) in collections.iter().zip(listings) {
            self.sync_collection(c, listing).await?;
        }
        if !self.dry_run {
            let now = self.clock.now;
            self.store.write(|tx| state::set_last_sync(tx, now))?;
        }
        Ok(())
    }

    async fn list(&mut self, c: &Collection) -> Result<Listing, SyncError> {
        let dav = self.dav.clone();
        let href = c.href.as_str();
        let delta = match &c.sync_token {
            Some(token) => match tokio::time::timeout(
                dav::REQUEST_TIMEOUT,
                dav.request(SyncCollection::new(href).with_sync_token(token)),
            )
            .await
            {
                Ok(Ok(r)) => Some(r),
                Ok(Err(e)) if dav::token_rejected(&e) => None,
                Ok(Err(e)) => {
                    return Err(dav::describe(
                        &dav,
                        &format!("listing the {}", what(c.kind)),
                        &e,
                    ));
                }
                Err(_) => {
                    return Err(dav::describe(
                        &dav,
                        "listing",
                        &DavError::BadStatusCode(http::StatusCode::GATEWAY_TIMEOUT),
                    ));
                }
            },
            None => None,
        };
        if let Some(r) = delta {
            return Ok(Listing {
                token: r.new_sync_token,
                full: false,
                present: r.changed.into_iter().map(|r| (r.href, r.etag)).collect(),
                deleted: r.deleted,
            });
        }
        let r = dav::timed(
            &dav,
            &format!("listing the {}", what(c.kind)),
            dav.request(SyncCollection::new(href)),
        )
        .await?;
        counts(&mut self.report, c.kind).full_resync = true;
        Ok(Listing {
            token: r.new_sync_token,
            full: true,
            present: r
                .changed
                .into_iter()
                .filter(|r| !r.href.ends_with('/'))
                .map(|r| (r.href, r.etag))
                .collect(),
            deleted: Vec::new(),
        })
    }

    /// A collection rolo synced with that is now empty on the server is far more likely a
    /// mistake (a reset server, a wrong account) than a wish to delete everything.
    async fn check_not_emptied(
        &mut self,
        c: &Collection,
        listing: &Listing,
    ) -> Result<(), SyncError> {
        let known = state::count_items(self.store.conn(), c.kind)?;
        if known == 0 || !listing.present.is_empty() {
            return Ok(());
        }
        let empty = if listing.full {
            true
        } else {
            let known_hrefs: HashSet<String> = state::items(self.store.conn(), c.kind)?
                .into_iter()
                .map(|s| s.href)
                .collect();
            let deleted: HashSet<&String> = listing.deleted.iter().collect();
            if known_hrefs.iter().all(|h| deleted.contains(h)) {
                // Everything deleted since last time: ask for the whole listing to be sure.
                let dav = self.dav.clone();
                let full =
                    dav::timed(&dav, "listing", dav.request(SyncCollection::new(&c.href))).await?;
                full.changed.iter().all(|r| r.href.ends_with('/'))
            } else {
                false
            }
        };
        if empty {
            return Err(SyncError::Emptied {
                what: what(c.kind),
                href: c.href.clone(),
                count: known,
            });
        }
        Ok(())
    }

    async fn sync_collection(&mut self, c: &Collection, listing: Listing) -> Result<(), SyncError> {
        let kind = c.kind;
        let token = listing.token.clone();
        self.pull(c, listing).await?;
        let before = counts(&mut self.report, kind).clone();
        let reset_token = self.push(c).await?;
        self.push_tombstones(c).await?;
        let after = counts(&mut self.report, kind).clone();
        if self.dry_run {
            return Ok(());
        }
        // What rolo just sent changed the collection after the token was issued: list
        // again from that token, so the token saved covers rolo's own writes. (A token older
        // than an item never reports its delete: Xandikos lists nothing for an item made
        // and deleted since.) Anything another client did meanwhile is pulled now.
        let token = if !reset_token
            && (after.pushed, after.deleted_there) != (before.pushed, before.deleted_there)
        {
            let since = Collection {
                sync_token: Some(token),
                ..c.clone()
            };
            let again = self.list(&since).await?;
            let token = again.token.clone();
            self.pull(c, again).await?;
            token
        } else {
            token
        };
        let now = self.clock.now;
        self.store.write(|tx| {
            if reset_token {
                state::forget_token(tx, kind)
            } else {
                state::set_token(tx, kind, &token, now)
            }
        })?;
        Ok(())
    }

    /// Takes in what the listing says changed there: new and edited items, and deletes.
    async fn pull(&mut self, c: &Collection, listing: Listing) -> Result<(), SyncError> {
        let kind = c.kind;
        let states = state::items(self.store.conn(), kind)?;
        let by_href: HashMap<String, ItemState> =
            states.into_iter().map(|s| (s.href.clone(), s)).collect();
        // What to fetch: listed items whose ETag rolo has not seen.
        let to_fetch: Vec<String> = listing
            .present
            .iter()
            .filter(|(href, etag)| {
                by_href
                    .get(href)
                    .is_none_or(|s| etag.is_none() || s.etag != *etag)
            })
            .map(|(href, _)| href.clone())
            .collect();
        let mut gone: Vec<String> = if listing.full {
            let listed: HashSet<&String> = listing.present.iter().map(|(h, _)| h).collect();
            by_href
                .keys()
                .filter(|h| !listed.contains(h))
                .cloned()
                .collect()
        } else {
            listing
                .deleted
                .iter()
                .filter(|h| by_href.contains_key(*h))
                .cloned()
                .collect()
        };
        gone.sort();
        let fetched = self.fetch(c, &to_fetch).await?;
        let mut items = Vec::new();
        for (href, content) in fetched {
            match content {
                Some((etag, data)) => items.push((href, etag, data)),
                None if by_href.contains_key(&href) => gone.push(href),
                None => {}
            }
        }
        if kind == Table::Contacts {
            items = introducers_first(items, &self.clock);
        }
        let total = items.len();
        let listed: HashSet<String> = listing.present.iter().map(|(h, _)| h.clone()).collect();
        for (n, (href, etag, data)) in items.into_iter().enumerate() {
            if n % 50 == 0 {
                self.tick(kind, "applying", n, total);
            }
            self.apply_remote(kind, &href, Some(&etag), &data, &listed)?;
        }
        for href in gone {
            self.apply_delete(kind, &href)?;
        }
        Ok(())
    }

    /// Multigets `hrefs` in batches: href → Some((etag, data)), or None if it is gone.
    async fn fetch(
        &mut self,
        c: &Collection,
        hrefs: &[String],
    ) -> Result<Vec<(String, Option<(String, String)>)>, SyncError> {
        let mut out = Vec::with_capacity(hrefs.len());
        let dav = self.dav.clone();
        for (n, batch) in hrefs.chunks(FETCH_BATCH).enumerate() {
            self.tick(c.kind, "fetching", n * FETCH_BATCH, hrefs.len());
            let resources = if c.kind == Table::Contacts {
                dav::timed(
                    &dav,
                    "fetching contacts",
                    dav.request(GetAddressBookResources::new(&c.href).with_hrefs(batch)),
                )
                .await?
                .resources
            } else {
                dav::timed(
                    &dav,
                    "fetching calendar items",
                    dav.request(GetCalendarResources::new(&c.href).with_hrefs(batch)),
                )
                .await?
                .resources
            };
            for r in resources {
                out.push((r.href, r.content.ok().map(|c| (c.etag, c.data))));
            }
        }
        Ok(out)
    }

    async fn fetch_one(
        &mut self,
        c: &Collection,
        href: &str,
    ) -> Result<Option<(String, String)>, SyncError> {
        let fetched = self.fetch(c, &[href.to_owned()]).await?;
        Ok(fetched
            .into_iter()
            .find(|(h, _)| h == href)
            .and_then(|(_, content)| content))
    }

    /// Applies one item from the server, in one transaction with its state.
    fn apply_remote(
        &mut self,
        kind: Table,
        href: &str,
        etag: Option<&str>,
        data: &str,
        listed: &HashSet<String>,
    ) -> Result<(), SyncError> {
        let hash = normal::hash(data);
        let conn = self.store.conn();
        let at_href = state::item_at(conn, kind, href)?;
        if let Some(st) = &at_href
            && st.hash == hash
        {
            // The server rewrote it (or only its ETag moved): nothing changed.
            if !self.dry_run && st.etag.as_deref() != etag {
                let uid = st.uid.clone();
                self.store
                    .write(|tx| state::set_etag(tx, kind, &uid, etag))?;
            }
            return Ok(());
        }
        let fallback = href.rsplit('/').next().unwrap_or(href).to_owned();
        let guess_uid = at_href.as_ref().map(|s| s.uid.clone());
        let guessed = match &guess_uid {
            Some(uid) => local(conn, kind, uid)?,
            None => None,
        };
        let parsed = match item::read(kind, data, &fallback, guessed.as_ref(), &self.clock) {
            Ok(p) => p,
            Err(e) => {
                self.note(format!("{href}: skipped, {e}"));
                return Ok(());
            }
        };
        let uid = parsed.record.uid().to_owned();
        let (existing, parsed) = if guess_uid.as_deref() == Some(uid.as_str()) {
            (guessed, parsed)
        } else {
            // Read again with the record this UID really is, so defaults come from it.
            let existing = local(conn, kind, &uid)?;
            let parsed = match &existing {
                Some(e) => {
                    item::read(kind, data, &fallback, Some(e), &self.clock).unwrap_or(parsed)
                }
                None => parsed,
            };
            (existing, parsed)
        };
        let st = state::item(conn, kind, &uid)?;
        if let Some(st) = &st
            && st.href != href
            && listed.contains(&st.href)
        {
            // The same UID at two hrefs (Xandikos allows it for vCards): rolo keeps the one
            // it knows and leaves the other alone.
            self.note(format!(
                "{href}: same UID as {}, which rolo syncs; left alone",
                st.href
            ));
            return Ok(());
        }
        let incoming = Incoming {
            kind,
            uid,
            state: ItemState {
                kind,
                uid: parsed.record.uid().to_owned(),
                href: href.to_owned(),
                etag: etag.map(str::to_owned),
                hash,
                base: String::new(),
                synced_at: parsed.record.updated_at(),
                remote_uid: parsed.remote_uid,
                extra: parsed.extra,
            },
            remote: parsed.record,
        };
        let base = st.as_ref().and_then(base_of);
        match (existing, base) {
            // Unchanged in substance (a rewrite the hash did not see through): keep as is.
            (_, Some(base)) if same(&incoming.remote, &base) => {
                if !self.dry_run {
                    let kept = ItemState {
                        base: st.map(|s| s.base).unwrap_or_default(),
                        synced_at: base.updated_at(),
                        ..incoming.state
                    };
                    self.store.write(|tx| state::put_item(tx, &kept))?;
                }
            }
            (None, _) => self.take_remote(&incoming)?,
            (Some(l), Some(base)) if same(&l, &base) => self.take_remote(&incoming)?,
            (Some(l), base) => self.merge_remote(&incoming, &l, base.as_ref())?,
        }
        Ok(())
    }

    /// Nothing changed here: the server's version is written as it is.
    fn take_remote(&mut self, incoming: &Incoming) -> Result<(), SyncError> {
        let kind = incoming.kind;
        self.write(|tx| {
            let applied = put_local(tx, &incoming.remote)?;
            state::put_item(tx, &incoming.agreed(&applied))?;
            state::clear_changed(tx, kind, &incoming.uid)
        })?;
        counts(&mut self.report, kind).pulled += 1;
        Ok(())
    }

    /// Changed on both sides: merged field by field; a merged version that differs from the
    /// server's is pushed next (the state says what the server has).
    fn merge_remote(
        &mut self,
        incoming: &Incoming,
        l: &SyncRecord,
        base: Option<&SyncRecord>,
    ) -> Result<(), SyncError> {
        let kind = incoming.kind;
        let remote = &incoming.remote;
        let merged = merge::merge(
            base.map(SyncRecord::to_json).as_ref(),
            &l.to_json(),
            &remote.to_json(),
        );
        let mut record = merged.record;
        let differs_from_remote = !merge::same_content(&record, &remote.to_json());
        let differs_from_local = !merge::same_content(&record, &l.to_json());
        // A merged version that is neither side is new; one that is not the server's must
        // not carry the server's stamp, or it would not look changed here.
        let mut stamp = if differs_from_remote && differs_from_local {
            self.clock.now.max(l.updated_at())
        } else if differs_from_remote {
            l.updated_at()
        } else {
            remote.updated_at()
        };
        if differs_from_remote && stamp == remote.updated_at() {
            stamp += chrono::Duration::seconds(1);
        }
        let write_local = differs_from_local || stamp != l.updated_at();
        record["updated_at"] =
            Value::from(stamp.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        let record = SyncRecord::from_json(kind, record).map_err(|e| {
            SyncError::Server(format!("{}: merging failed: {e}", incoming.state.href))
        })?;
        let now = self.clock.now;
        let conflicts: Vec<Conflict> = merged
            .conflicts
            .iter()
            .map(|c| Conflict {
                id: 0,
                kind,
                uid: incoming.uid.clone(),
                field: c.field.clone(),
                kept: c.kept.to_string(),
                lost: c.lost.to_string(),
                kept_side: c.kept_side.as_str().to_owned(),
                at: now,
            })
            .collect();
        self.write(|tx| {
            let written = if write_local {
                Some(put_local(tx, &record)?)
            } else {
                None
            };
            let agreed = if differs_from_remote {
                linkable(tx, remote.clone())?
            } else {
                written.unwrap_or_else(|| l.clone())
            };
            state::put_item(tx, &incoming.agreed(&agreed))?;
            if !differs_from_remote {
                state::clear_changed(tx, kind, &incoming.uid)?;
            }
            for c in &conflicts {
                state::add_conflict(tx, c)?;
            }
            Ok(())
        })?;
        let n = counts(&mut self.report, kind);
        if differs_from_local {
            n.pulled += 1;
        }
        n.conflicts += conflicts.len();
        if !conflicts.is_empty() {
            self.note(format!(
                "{}: changed on both sides; {} field(s) in conflict (rolo sync conflicts)",
                remote.title(),
                conflicts.len()
            ));
        }
        Ok(())
    }

    /// An item is gone from the server.
    fn apply_delete(&mut self, kind: Table, href: &str) -> Result<(), SyncError> {
        let conn = self.store.conn();
        let Some(st) = state::item_at(conn, kind, href)? else {
            return Ok(());
        };
        let record = local(conn, kind, &st.uid)?;
        let unchanged = match (&record, base_of(&st)) {
            (Some(l), Some(b)) => same(l, &b),
            _ => false,
        };
        let now = self.clock.now;
        let uid = st.uid.clone();
        match record {
            Some(r) if r.deleted_at().is_none() && unchanged => {
                self.write(|tx| {
                    if let Some(id) = records::id_of(tx, kind, &uid)? {
                        let item = match kind {
                            Table::Contacts => trash::Item::Contact(id),
                            Table::Interactions => trash::Item::Interaction(id),
                            Table::Reminders => trash::Item::Reminder(id),
                        };
                        trash::trash(tx, item, now)?;
                    }
                    state::delete_item(tx, kind, &uid)?;
                    state::clear_changed(tx, kind, &uid)
                })?;
                counts(&mut self.report, kind).deleted_here += 1;
            }
            Some(r) if r.deleted_at().is_none() => {
                // Edited here, deleted there: the edit wins and goes back up as new.
                self.write(|tx| state::delete_item(tx, kind, &uid))?;
                self.note(format!(
                    "{}: deleted on the server but edited here; sent back",
                    r.title()
                ));
            }
            _ => {
                self.write(|tx| {
                    state::delete_item(tx, kind, &uid)?;
                    state::clear_changed(tx, kind, &uid)
                })?;
            }
        }
        Ok(())
    }

    /// Builds the push for one changed record, or settles it without the server.
    fn job(&mut self, c: &Collection, uid: &str) -> Result<Option<Job>, SyncError> {
        let kind = c.kind;
        let conn = self.store.conn();
        let Some(record) = local(conn, kind, uid)? else {
            return Ok(None);
        };
        let st = state::item(conn, kind, uid)?;
        let job = match st {
            None if record.deleted_at().is_some() => return Ok(None),
            None => {
                let remote_uid = item::remote_uid_for(kind, uid);
                Job {
                    uid: uid.to_owned(),
                    href: join(&c.href, &item::file_name(kind, uid)),
                    op: Op::Create,
                    text: item::write(&record, &remote_uid, None, &names(conn)),
                    record: Some(record),
                    remote_uid,
                    extra: None,
                }
            }
            Some(st) if record.deleted_at().is_some() => Job {
                uid: uid.to_owned(),
                href: st.href.clone(),
                op: Op::Delete(st.etag.clone().unwrap_or_default()),
                text: String::new(),
                record: None,
                remote_uid: st.remote_uid.clone(),
                extra: st.extra.clone(),
            },
            Some(st) => {
                if base_of(&st).is_some_and(|b| same(&record, &b)) {
                    // Stamped but not changed (an undo, a no-op edit): nothing to send.
                    let mut settled = st.clone();
                    settled.synced_at = record.updated_at();
                    if !self.dry_run {
                        self.store.write(|tx| {
                            state::put_item(tx, &settled)?;
                            state::clear_changed(tx, kind, uid)
                        })?;
                    }
                    return Ok(None);
                }
                let conn = self.store.conn();
                Job {
                    uid: uid.to_owned(),
                    href: st.href.clone(),
                    op: Op::Update(st.etag.clone().unwrap_or_default()),
                    text: item::write(&record, &st.remote_uid, st.extra.as_deref(), &names(conn)),
                    record: Some(record),
                    remote_uid: st.remote_uid.clone(),
                    extra: st.extra.clone(),
                }
            }
        };
        Ok(Some(job))
    }

    /// Pushes every local change of the collection. Returns true if the token must not be
    /// saved (an item the server has under another href: the next full listing links it).
    async fn push(&mut self, c: &Collection) -> Result<bool, SyncError> {
        let kind = c.kind;
        let uids = state::local_changes(self.store.conn(), kind)?;
        let mut jobs = Vec::new();
        for uid in &uids {
            if let Some(job) = self.job(c, uid)? {
                jobs.push(job);
            }
        }
        if self.dry_run {
            for job in &jobs {
                let n = counts(&mut self.report, kind);
                match job.op {
                    Op::Delete(_) => n.deleted_there += 1,
                    _ => n.pushed += 1,
                }
            }
            return Ok(false);
        }
        let total = jobs.len();
        let dav = self.dav.clone();
        let (_, content_type) = item::media(kind);
        let mut results = futures_util::stream::iter(jobs)
            .map(|job| {
                let dav = dav.clone();
                async move {
                    let outcome = send(&dav, &job, content_type).await;
                    (job, outcome)
                }
            })
            .buffer_unordered(PUSH_PARALLEL);
        let mut retry = Vec::new();
        let mut v3 = Vec::new();
        let mut done = 0;
        while let Some((job, outcome)) = results.next().await {
            done += 1;
            if done % 50 == 0 {
                self.tick(kind, "pushing", done, total);
            }
            match outcome? {
                Outcome::Done(etag) => self.confirmed(kind, &job, etag)?,
                Outcome::Gone if matches!(job.op, Op::Delete(_)) => {
                    self.confirmed(kind, &job, None)?;
                }
                Outcome::Gone | Outcome::Clash => retry.push(job),
                // A server that does not take vCard 4.0 gets 3.0.
                Outcome::Refused(415) if kind == Table::Contacts => v3.push(job),
                Outcome::Refused(status) => self.refused(&job, status),
            }
        }
        drop(results);
        for mut job in v3 {
            if let Some(SyncRecord::Contact(c)) = &job.record {
                job.text =
                    item::write_contact_as(c, &job.remote_uid, crate::interop::vcard::Version::V3);
            }
            match send(&dav, &job, content_type).await? {
                Outcome::Done(etag) => self.confirmed(kind, &job, etag)?,
                Outcome::Refused(status) => self.refused(&job, status),
                Outcome::Gone | Outcome::Clash => retry.push(job),
            }
        }
        let mut reset_token = false;
        for job in retry {
            reset_token |= self.resolve_clash(c, job).await?;
        }
        Ok(reset_token)
    }

    fn refused(&mut self, job: &Job, status: u16) {
        let title = job
            .record
            .as_ref()
            .map_or(job.uid.as_str(), SyncRecord::title)
            .to_owned();
        self.note(format!(
            "{title}: the server refused it (HTTP {status}); it stays pending here"
        ));
    }

    /// The server took a push: record it.
    fn confirmed(&mut self, kind: Table, job: &Job, etag: Option<String>) -> Result<(), SyncError> {
        let n = counts(&mut self.report, kind);
        if let Op::Delete(_) = &job.op {
            n.deleted_there += 1;
            let uid = job.uid.clone();
            self.store.write(|tx| {
                state::delete_item(tx, kind, &uid)?;
                state::clear_changed(tx, kind, &uid)
            })?;
            return Ok(());
        }
        n.pushed += 1;
        let Some(record) = &job.record else {
            return Ok(());
        };
        let st = ItemState {
            kind,
            uid: job.uid.clone(),
            href: job.href.clone(),
            etag,
            hash: normal::hash(&job.text),
            base: json(record),
            synced_at: record.updated_at(),
            remote_uid: job.remote_uid.clone(),
            extra: job.extra.clone(),
        };
        self.store.write(|tx| {
            state::put_item(tx, &st)?;
            // Changed again while it was on its way: it stays marked for next time.
            if local(tx, kind, &st.uid)?.is_some_and(|now| same(&now, record)) {
                state::clear_changed(tx, kind, &st.uid)?;
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(())
    }

    /// A push the server refused because its copy changed (or is gone, or this UID lives
    /// elsewhere there): take the server's copy in, merge, and push once more if needed.
    async fn resolve_clash(&mut self, c: &Collection, job: Job) -> Result<bool, SyncError> {
        let kind = c.kind;
        match self.fetch_one(c, &job.href).await? {
            Some((etag, data)) => {
                let listed = HashSet::from([job.href.clone()]);
                self.apply_remote(kind, &job.href, Some(&etag), &data, &listed)?;
            }
            None if matches!(job.op, Op::Create) => {
                self.note(format!(
                    "{}: the server already has this UID under another name; the next sync links it",
                    job.href
                ));
                return Ok(true);
            }
            None => {
                // Gone there: what rolo has goes back up as new (or, deleted here, is done).
                let uid = job.uid.clone();
                self.store.write(|tx| state::delete_item(tx, kind, &uid))?;
            }
        }
        let Some(job) = self.job(c, &job.uid)? else {
            return Ok(false);
        };
        let (_, content_type) = item::media(kind);
        let dav = self.dav.clone();
        match send(&dav, &job, content_type).await? {
            Outcome::Done(etag) => self.confirmed(kind, &job, etag)?,
            Outcome::Gone if matches!(job.op, Op::Delete(_)) => self.confirmed(kind, &job, None)?,
            Outcome::Gone | Outcome::Clash => {
                self.note(format!(
                    "{}: changed on the server while rolo sent it; sent next time",
                    job.href
                ));
            }
            Outcome::Refused(status) => self.refused(&job, status),
        }
        Ok(false)
    }

    /// Records deleted for good here (trash emptied) that the server still has.
    async fn push_tombstones(&mut self, c: &Collection) -> Result<(), SyncError> {
        let kind = c.kind;
        let tombstones = state::tombstones(self.store.conn(), kind)?;
        for t in tombstones {
            let st = state::item(self.store.conn(), kind, &t.uid)?;
            let Some(st) = st else {
                if !self.dry_run {
                    self.store
                        .write(|tx| state::remove_tombstone(tx, kind, &t.uid))?;
                }
                continue;
            };
            counts(&mut self.report, kind).deleted_there += 1;
            if self.dry_run {
                continue;
            }
            let dav = self.dav.clone();
            let result = tokio::time::timeout(
                dav::REQUEST_TIMEOUT,
                dav.request(Delete::new(&st.href).with_etag(st.etag.clone().unwrap_or_default())),
            )
            .await;
            match result {
                Ok(Ok(_)) => {}
                Ok(Err(e)) if dav::status(&e).is_some_and(|s| s.as_u16() == 404) => {}
                Ok(Err(e)) if dav::status(&e).is_some_and(|s| s.as_u16() == 412) => {
                    // Edited there since: the edit survives and comes back here.
                    counts(&mut self.report, kind).deleted_there -= 1;
                    let uid = t.uid.clone();
                    self.store.write(|tx| state::delete_item(tx, kind, &uid))?;
                    if let Some((etag, data)) = self.fetch_one(c, &st.href).await? {
                        let listed = HashSet::from([st.href.clone()]);
                        self.apply_remote(kind, &st.href, Some(&etag), &data, &listed)?;
                    }
                }
                Ok(Err(e)) => return Err(dav::describe(&dav, "deleting", &e)),
                Err(_) => {
                    return Err(SyncError::Timeout {
                        host: dav.base_url.to_string(),
                        secs: dav::REQUEST_TIMEOUT.as_secs(),
                    });
                }
            }
            let uid = t.uid.clone();
            self.store.write(|tx| {
                state::remove_tombstone(tx, kind, &uid)?;
                state::delete_item(tx, kind, &uid)
            })?;
        }
        Ok(())
    }
}

/// Sends one push.
async fn send(dav: &Dav, job: &Job, content_type: &str) -> Result<Outcome, SyncError> {
    let result = match &job.op {
        Op::Create => tokio::time::timeout(
            dav::REQUEST_TIMEOUT,
            dav.request(PutResource::new(&job.href).create(job.text.clone(), content_type)),
        )
        .await
        .map(|r| r.map(|r| r.etag)),
        Op::Update(etag) => tokio::time::timeout(
            dav::REQUEST_TIMEOUT,
            dav.request(PutResource::new(&job.href).update(
                job.text.clone(),
                content_type,
                etag.clone(),
            )),
        )
        .await
        .map(|r| r.map(|r| r.etag)),
        Op::Delete(etag) => tokio::time::timeout(
            dav::REQUEST_TIMEOUT,
            dav.request(Delete::new(&job.href).with_etag(etag.clone())),
        )
        .await
        .map(|r| r.map(|_| None)),
    };
    let Ok(result) = result else {
        return Err(SyncError::Timeout {
            host: dav.base_url.to_string(),
            secs: dav::REQUEST_TIMEOUT.as_secs(),
        });
    };
    match result {
        // A server that sends no ETag with a PUT (calcurse-caldav #470): ask for it.
        Ok(None) if !matches!(job.op, Op::Delete(_)) => {
            let etag = dav::timed(dav, "reading an ETag", dav.request(GetEtag::new(&job.href)))
                .await?
                .etag;
            Ok(Outcome::Done(Some(etag)))
        }
        Ok(etag) => Ok(Outcome::Done(etag)),
        Err(e) => match dav::status(&e).map(|s| s.as_u16()) {
            Some(409 | 412) => Ok(Outcome::Clash),
            Some(404 | 410) => Ok(Outcome::Gone),
            Some(s @ (400 | 403 | 413 | 415 | 422 | 500)) => Ok(Outcome::Refused(s)),
            _ => Err(dav::describe(dav, &format!("sending {}", job.href), &e)),
        },
    }
}

pub(super) fn join(collection: &str, name: &str) -> String {
    let mut s = collection.to_owned();
    if !s.ends_with('/') {
        s.push('/');
    }
    s.push_str(name);
    s
}

/// A fetched item: href, ETag, data.
type Fetched = (String, String, String);

/// Orders fetched contacts so that whoever introduced someone is written before them.
fn introducers_first(items: Vec<Fetched>, clock: &Clock) -> Vec<Fetched> {
    let keyed: Vec<(Option<String>, Option<String>, Fetched)> = items
        .into_iter()
        .map(|it| {
            let read = item::read_contact(&it.2, "", None, clock).ok();
            let uid = read.as_ref().map(|(r, _)| r.uid.clone());
            let by = read.and_then(|(r, _)| r.introduced_by);
            (uid, by, it)
        })
        .collect();
    let mut pending = keyed;
    let mut out = Vec::with_capacity(pending.len());
    loop {
        let waiting: HashSet<String> = pending.iter().filter_map(|(u, _, _)| u.clone()).collect();
        let (ready, rest): (Vec<_>, Vec<_>) = pending.into_iter().partition(|(uid, by, _)| {
            by.as_ref()
                .is_none_or(|b| !waiting.contains(b) || Some(b) == uid.as_ref())
        });
        if ready.is_empty() {
            // A cycle of introductions: the rest in any order (links to the not-yet-written
            // are dropped and come back with the next change).
            out.extend(rest.into_iter().map(|(_, _, it)| it));
            break;
        }
        out.extend(ready.into_iter().map(|(_, _, it)| it));
        if rest.is_empty() {
            break;
        }
        pending = rest;
    }
    out
}
